"""The long fuzz run: the fuzz tests of ``tests/fuzz`` with a larger example budget.

CI runs those tests with a fixed, reproducible budget (``TEXTS_FUZZ_EXAMPLES``, 2400 by
default, shared out among the tests). This runs them with a budget of ``--examples``
(100000 by default) and new random examples each time, and prints the time it took.

    python bench/fuzz.py                      # 100000 examples
    python bench/fuzz.py --examples 20000
    python bench/fuzz.py --examples 250000 tests/fuzz/test_fuzz_state_files.py  # one test
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=100_000, help="examples in all")
    parser.add_argument(
        "tests", nargs="*", default=["tests/fuzz"], help="fuzz test files (each keeps its share)"
    )
    args = parser.parse_args()
    environment = {**os.environ, "TEXTS_FUZZ_EXAMPLES": str(args.examples)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args.tests]
    start = time.monotonic()
    status = subprocess.run(command, cwd=ROOT, env=environment, check=False).returncode
    minutes = (time.monotonic() - start) / 60
    verdict = "no failure" if status == 0 else f"FAILED (pytest status {status})"
    print(f"fuzz: {args.examples} examples in {minutes:.1f} min: {verdict}")
    return status


if __name__ == "__main__":
    sys.exit(main())
