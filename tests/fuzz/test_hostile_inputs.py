"""Inputs that are not a program at all get a labelled error (or nothing to do), never a
traceback: what the fuzz tests draw at random, here once each by name."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from fuzz_oracle import run_cli, run_model

CONTENTS = {
    "empty": b"",
    "only blanks": b" \n\t\n",
    "not UTF-8": b"x = 1\nprint(x)\n\xff\xfe\n",
    "UTF-16": "x = 1\nprint(x)\n".encode("utf-16"),
    "NUL byte": b"x = 1\x00\nprint(x)\n",
    "byte order mark": b"\xef\xbb\xbfx = 1\nprint(x)\n",
    "lone CR": b"x = 1\rprint(x)\r",
    "very long line": b"x = " + b"1 + " * 2_000 + b"1\nprint(x)\n",
    "many statements": b"x = 1\n" + b"print(x)\n" * 1_000,
    "deep brackets": b"x = " + b"(" * 5_000 + b"1" + b")" * 5_000 + b"\nprint(x)\n",
    "deep unclosed": b"print(" + b"[" * 5_000,
    "long power chain": b"x = 1" + b" ** 1" * 5_000 + b"\nprint(x)\n",
    # found by the long fuzz run: a literal past Python's 4300-digit conversion limit
    "long integer literal": b"z = 1 + 2 j\nprint(z + " + b"1" * 4_941 + b", z / 2)\n",
    "huge integer literal": b"a = " + b"7" * 30_000 + b"\nprint(a - a)\n",
    "long complex literal": b"c = " + b"1" * 500 + b" + 2 j\nprint(c)\n",
}


def test_long_integer_literals_are_exact(run_texts, tmp_path: Path) -> None:
    digits = "7" * 5_000
    model = tmp_path / "long.vm"
    model.write_text(f"a = {digits}\nprint(a - {digits[:-1]}0)\n", encoding="utf-8")
    result = run_texts(str(model))
    assert (result.status, result.out) == (0, "program output: >>>\n7\n<<<\n")


@pytest.mark.parametrize("mode", ["instant", "deferred"])
@pytest.mark.parametrize("name", sorted(CONTENTS))
def test_content(name: str, mode: str) -> None:
    run_model(CONTENTS[name], mode)


def test_not_utf8_is_reported_with_the_offending_byte() -> None:
    outcome = run_model(CONTENTS["not UTF-8"], "instant")
    assert outcome.status == 1
    assert outcome.err.startswith("Operating system error: ")
    assert "is not UTF-8 text (byte 15: invalid start byte)" in outcome.err


def test_deep_brackets_name_the_statement() -> None:
    outcome = run_model(CONTENTS["deep brackets"], "instant")
    assert outcome.err.splitlines() == [
        f"Syntax error: {_model_path(outcome.err)}:1:1 --> *x = (((((( <--",
        "the statement is nested too deeply to be parsed",
        "    1 | x = " + "(" * 96 + "...",  # a long line is shown around the position
        "      | ^",
    ]


def _model_path(err: str) -> str:
    return err.split(": ", 1)[1].split(":", 1)[0]


@pytest.mark.parametrize("target", ["directory", "missing.vm"])
def test_model_path_that_is_not_a_file(target: str) -> None:
    with tempfile.TemporaryDirectory() as name:
        workdir = Path(name)
        (workdir / "directory").mkdir()
        outcome = run_cli(["script", "-f", target], workdir)
    assert outcome.status == 1
    assert outcome.out == ""
    reason = "Is a directory" if target == "directory" else "No such file or directory"
    assert outcome.err.startswith("Operating system error: [Errno ")
    assert reason in outcome.err
