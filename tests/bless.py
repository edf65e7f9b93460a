"""Record textS's own output as the expected output of program cases.

Usage: ``python tests/bless.py tests/programs/spec/NAME.vm ...`` (instant mode). Use it
only after reading the difference and deciding that the new output is the right one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def bless(program: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        model = Path(work) / program.name
        shutil.copy(program, model)
        result = subprocess.run(
            [sys.executable, "-m", "texts", "script", "-f", str(model)],
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
        )
    for suffix, text in (
        (".out", result.stdout),
        (".err", result.stderr.replace(str(model), "FILE")),
    ):
        target = program.with_suffix(suffix)
        if text:
            target.write_text(text, encoding="utf-8")
        elif target.exists():
            os.remove(target)


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        bless(Path(argument))
