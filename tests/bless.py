"""Record textS's own output as the expected output of program cases.

Usage: ``python tests/bless.py [--workflow] tests/programs/spec/NAME.vm ...``. Without
``--workflow`` it records ``NAME.out``/``NAME.err`` (instant mode); with it, the
workflow-mode expectations ``NAME.workflow.out``/``NAME.workflow.err`` of a program whose
workflow output differs by design. Use it only after reading the difference and deciding
that the new output is the right one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MODEL_UUID = re.compile(r"\b[0-9a-f]{32}\b")
"""A model's UUID in the table of a vary group's models, written as ``UUID`` and spaces
(as the corpus test compares it)."""


def bless(program: Path, workflow: bool) -> None:
    mode = ["-m", "workflow", "--autorun", "--quiet"] if workflow else []
    with tempfile.TemporaryDirectory() as work:
        inputs = program.with_suffix(".inputs")
        if inputs.is_dir():  # input files the program reads
            shutil.copytree(inputs, work, dirs_exist_ok=True)
        model = Path(work) / program.name
        shutil.copy(program, model)
        result = subprocess.run(
            [sys.executable, "-m", "texts", "script", "-f", str(model), *mode],
            cwd=work,
            env={**os.environ, "TEXTS_VIEWS": "off"},
            capture_output=True,
            text=True,
            check=False,
        )
    out = result.stdout.partition("\n")[2] if workflow else result.stdout
    frame, end, group = out.partition("<<<\n")  # a vary group's table of models follows
    out = frame + end + MODEL_UUID.sub("UUID".ljust(32), group)
    prefix = ".workflow" if workflow else ""
    for suffix, text in (
        (".out", out),
        (".err", result.stderr.replace(str(model), "FILE").replace(str(work), "DIR")),
    ):
        target = program.with_suffix(prefix + suffix)
        if text or workflow:  # an empty workflow file says: no output there, by design
            target.write_text(text, encoding="utf-8")
        elif target.exists():
            os.remove(target)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    in_workflow_mode = "--workflow" in arguments
    for argument in arguments:
        if argument != "--workflow":
            bless(Path(argument), in_workflow_mode)
