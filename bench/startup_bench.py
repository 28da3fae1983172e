"""Benchmark of the command line's start-up (not a test): how long a clerk waits for a short command.

Run from the repository root:  python bench/startup_bench.py [--runs 10]

Each command runs as a whole new process, as typed in a terminal (Python's start, the imports, the work,
the exit), ``--runs`` times; the median and the fastest are printed, in milliseconds:

- ``cchc --help``;
- ``cchc doc-so 1.050.000``;
- one ``cchc render`` of a sample (data/2026-9T/ht-duc-tho.yaml) into a temporary folder.

It runs the ``cchc`` program installed beside this Python (``pip install -e .``), else
``python -m cchc_gen``. As on a clerk's machine, Python keeps the compiled modules (``__pycache__``, even
where PYTHONDONTWRITEBYTECODE is set for the shell): one run of each command before the timed ones writes
them. The machine's load average is printed too: with other programs running, the
figures are not comparable. ``python -X importtime -m cchc_gen --help`` shows where the imports' time goes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "2026-9T" / "ht-duc-tho.yaml"


def program() -> list[str]:
    installed = Path(sys.executable).with_name("cchc")
    return [str(installed)] if installed.is_file() else [sys.executable, "-m", "cchc_gen"]


def timed(command: list[str], runs: int) -> list[float]:
    """Milliseconds of each of ``runs`` runs of ``command``, which must succeed, after one untimed run."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    found = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=environment)
        found.append((time.perf_counter() - start) * 1000)
    return found[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each command")
    args = parser.parse_args()
    cchc = program()
    print(f"{' '.join(cchc)}, {args.runs} runs each, load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="cchc-startup-bench-") as work:
        commands = {
            "cchc --help": ["--help"],
            "cchc doc-so 1.050.000": ["doc-so", "1.050.000"],
            f"cchc render {SAMPLE.relative_to(ROOT)}": ["render", str(SAMPLE), "-o", f"{work}/bao-cao.docx"],
        }
        for name, arguments in commands.items():
            found = timed([*cchc, *arguments], args.runs)
            print(f"{name}: median {statistics.median(found):.0f} ms, fastest {min(found):.0f} ms")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
