"""Depth never touches the Python stack: long chains and wide fan-ins run in every executor.

The models here are deeper than Python's default recursion limit (1000); ``bench/run.py``
runs the 10 000-statement versions.
"""

from __future__ import annotations

import pytest

from texts.executors import EXECUTORS
from texts.grammar import parse_program
from texts.interpreter.checks import check_program

SIZE = 1500


def run(text: str, mode: str) -> list[str]:
    model = check_program(parse_program(text, "model.vm"), mode)
    errors: list[object] = []
    result = EXECUTORS[mode](model, errors.append).run()
    assert errors == []
    return result.lines


@pytest.mark.parametrize("mode", ["instant", "deferred"])
def test_chain(mode: str) -> None:
    lines = [f"a{i} = a{i - 1} + 1" for i in range(1, SIZE)]
    text = "\n".join(["a0 = 1", *lines, f"print(a{SIZE - 1})"])
    assert run(text, mode) == [str(SIZE)]


@pytest.mark.parametrize("mode", ["instant", "deferred"])
def test_fan_in(mode: str) -> None:
    leaves = [f"x{i} = {i}" for i in range(SIZE)]
    total = "total = " + " +\n  ".join(f"x{i}" for i in range(SIZE))
    text = "\n".join([*leaves, total, "print(total)"])
    assert run(text, mode) == [str(SIZE * (SIZE - 1) // 2)]


@pytest.mark.parametrize("mode", ["instant", "deferred"])
def test_chain_through_function_calls_of_variables(mode: str) -> None:
    lines = [f"a{i} = f(a{i - 1})" for i in range(1, SIZE)]
    text = "\n".join(["f(x) = x + 1", "a0 = 1", *lines, f"print(a{SIZE - 1})"])
    assert run(text, mode) == [str(SIZE)]
