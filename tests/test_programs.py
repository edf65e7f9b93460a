"""The language corpus: every ``tests/programs/**/NAME.vm`` with its expected output.

``NAME.out`` holds the expected standard output (no file: nothing is printed) and
``NAME.err`` the expected standard error, with the model's path written as ``FILE``
and its directory as ``DIR`` (no file: nothing on standard error). The files of a
``NAME.inputs`` directory, if there is one, are copied next to the model first (input
files the program reads). A run must exit non-zero exactly when the expected standard
error reports an error (a line that is not a warning). Every program
runs in every executor named in ``EXECUTORS``.

Every program also runs in workflow mode (``--autorun`` on a fresh embedded store) and must
print the same values after its ``program UUID:`` line. Where workflow mode differs by
design (``:=`` is allowed there, nodes are strict, exports run as nodes), the expectation
is ``NAME.workflow.out`` and ``NAME.workflow.err``. Workflow mode reports a failure where
it arises (a dependent variable gets an ``Ancestor evaluation error``), so only standard
output and the exit status are compared. What ``info`` adds there, the node's metadata
(UUIDs, times, ...), is left out of the comparison: ``tests/executors/workflow/test_info.py``
checks it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rounding import assert_printed

PROGRAMS = Path(__file__).parent / "programs"
EXECUTORS = ("instant", "deferred")
CASES = sorted(PROGRAMS.rglob("*.vm"))
MODEL_UUID = re.compile(r"\b[0-9a-f]{32}\b")
"""A model's UUID in the table of a vary group's models after the frame, written as
``UUID`` and spaces."""
NODE_METADATA = re.compile(
    r", \('group UUID': .*?\('lost launch': (?:true|false)\)"
    r"(?:, \('runtime data': (?:null|\{[^}]*\})\))?"
)


def assert_output(program: Path, actual: str, expected: str) -> None:
    """Exactly what the expectation shows; the atomistic extension's simulations up to the
    rounding of the machine (``rounding``)."""
    if program.relative_to(PROGRAMS).parts[0] == "amml":
        assert_printed(actual, expected)
    else:
        assert actual == expected


def expected(path: Path, suffix: str) -> str:
    other = path.with_suffix(suffix)
    return other.read_text(encoding="utf-8") if other.exists() else ""


def copy_program(program: Path, directory: Path) -> Path:
    """The model and its input files in ``directory``; returns the model's path there."""
    inputs = program.with_suffix(".inputs")
    if inputs.is_dir():
        shutil.copytree(inputs, directory, dirs_exist_ok=True)
    model = directory / program.name
    shutil.copy(program, model)
    return model


def reports_error(stderr: str) -> bool:
    return any(line and not line.startswith("Warning: ") for line in stderr.splitlines())


@pytest.mark.parametrize("mode", EXECUTORS)
@pytest.mark.parametrize(
    "program", CASES, ids=lambda p: str(p.relative_to(PROGRAMS).with_suffix(""))
)
def test_program(program: Path, mode: str, run_texts, tmp_path: Path) -> None:
    model = copy_program(program, tmp_path)
    result = run_texts("script", "-f", str(model), "-m", mode)
    err = result.err.replace(str(model), "FILE").replace(str(tmp_path), "DIR")
    assert_output(program, result.out, expected(program, ".out"))
    assert_output(program, err, expected(program, ".err"))
    assert (result.status != 0) == reports_error(expected(program, ".err"))


@pytest.mark.parametrize(
    "program", CASES, ids=lambda p: str(p.relative_to(PROGRAMS).with_suffix(""))
)
def test_program_in_workflow_mode(program: Path, run_texts, tmp_path: Path) -> None:
    model = copy_program(program, tmp_path)
    result = run_texts("script", "-f", str(model), "-m", "workflow", "--autorun")
    own = program.with_suffix(".workflow.out").exists()
    out = expected(program, ".workflow.out" if own else ".out")
    err = expected(program, ".workflow.err" if own else ".err")
    header, _, rest = result.out.partition("\n")
    if out:
        assert header.startswith("program UUID: ")
        frame, end, group = NODE_METADATA.sub("", rest).partition("<<<\n")
        assert_output(program, frame + end + MODEL_UUID.sub("UUID".ljust(32), group), out)
    else:
        assert result.out == ""
    assert (result.status != 0) == reports_error(err)
