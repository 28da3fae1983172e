"""Running the command line as a clerk's machine would, but bounded: a separate process with 1 GiB of
address space and a timeout, so that an input that hangs or eats the memory fails its test instead of the
test run (#16)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MEMORY_LIMIT = 1 << 30  # bytes of address space, as `ulimit -v 1048576`
TIMEOUT = 180  # seconds: a bound on a hang, not a measure of speed


@dataclass(frozen=True)
class Run:
    returncode: int
    output: str


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def cchc_limited(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """``cchc *args`` in ``cwd`` under the memory limit and the timeout; stdout and stderr together."""
    result = subprocess.run(
        [sys.executable, "-m", "cchc_gen", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",  # a path that is not UTF-8 is printed as its bytes
        timeout=TIMEOUT,
        preexec_fn=_limit_memory,
    )
    return Run(result.returncode, result.stdout)
