"""The bundled profiles (bộ mẫu), one folder each. This file only makes the folder the package
``cchc_gen.templates`` (pyproject.toml maps it there), so that the profiles ship inside the installed
program and are found with importlib.resources; a profile itself needs no Python."""
