"""``python -m cchc_gen``: the same commands as ``cchc``."""

from cchc_gen.cli import main

main()
