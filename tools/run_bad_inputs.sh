#!/usr/bin/env bash
# The whole bad-input corpus (tests/bad_inputs/) and the hostile inputs (tests/test_hostile_inputs.py) in
# processes that may use at most 1 GiB of address space, as on a small office machine (#16). An input
# that eats the memory fails here with MemoryError (a test failure), never by the machine killing a process;
# one that hangs is stopped by the tests' own timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -v 1048576
exec .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_bad_inputs.py tests/test_hostile_inputs.py "$@"
