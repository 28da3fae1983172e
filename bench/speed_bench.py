"""Every speed figure of issue 21 in one run (not a test): the command line's start-up, the PDFs, and what a
report costs (alone, one unit in a large period, and in a batch).

Run from the repository root:  python bench/speed_bench.py          (everything, about a quarter of an hour)
                               python bench/speed_bench.py --quick  (small sizes, a few minutes)

It runs, one after the other and each in a process of its own so that none pays for another's imports:
bench/startup_bench.py (``cchc --help``, ``doc-so``, one ``render``), bench/pdf_bench.py (50 reports:
ours, one ``soffice`` call, one ``soffice`` per file) and bench/batch_bench.py (per report against the
floor, one unit at 100 and 100,000 units, ``-j 1`` and ``-j 2`` against the naive loop, peak memory). Their
own docstrings say how each figure is measured. Run it on an otherwise idle machine: the load average is
printed before each part.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer rounds in every part")
    args = parser.parse_args()
    parts = {
        "startup_bench.py": ["--runs", "5"] if args.quick else [],
        "pdf_bench.py": ["--reports", "20", "--sampled", "3", "--rounds", "1"]
        if args.quick
        else ["--rounds", "3"],
        "batch_bench.py": ["--quick"] if args.quick else [],
    }
    failed = []
    for script, arguments in parts.items():
        print(f"\n=== {script} {' '.join(arguments)} (load average {os.getloadavg()[0]:.2f})", flush=True)
        if subprocess.run([sys.executable, str(BENCH / script), *arguments], check=False).returncode:
            failed.append(script)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
