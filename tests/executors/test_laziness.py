"""Values are computed only when needed, and at most once per run, in every executor."""

from __future__ import annotations

import sys
import types

import pytest

from texts.executors import EXECUTORS
from texts.grammar import parse_program
from texts.interpreter.checks import check_program

CALLS: list[float] = []


@pytest.fixture(autouse=True)
def counting_module() -> types.ModuleType:
    """An importable module whose function records every call."""
    module = types.ModuleType("texts_test_counter")

    def count(x: object) -> object:
        CALLS.append(float(x.magnitude))  # type: ignore[attr-defined]
        return x

    module.count = count  # type: ignore[attr-defined]
    sys.modules["texts_test_counter"] = module
    CALLS.clear()
    yield module
    del sys.modules["texts_test_counter"]


def run(text: str, mode: str) -> tuple[list[str], list[str]]:
    model = check_program(parse_program(text, "model.vm"), mode)
    errors: list[str] = []
    result = EXECUTORS[mode](model, lambda e: errors.append(e.render(model.source))).run()
    return result.lines, errors


MODES = ["instant", "deferred"]


@pytest.mark.parametrize("mode", MODES)
def test_shared_dependency_is_computed_once(mode: str) -> None:
    text = "use texts_test_counter.count\na = count(1)\nb = a + 1\nc = a * 2\nprint(b)\nprint(c, a)"
    assert run(text, mode) == (["2", "2 1"], [])
    assert CALLS == [1.0]


@pytest.mark.parametrize("mode", MODES)
def test_unselected_branch_is_never_computed(mode: str) -> None:
    text = (
        "use texts_test_counter.count\n"
        "cheap = count(1)\nexpensive = count(2)\nflag = true\n"
        "pick = if(flag, cheap, expensive)\nprint(pick)"
    )
    assert run(text, mode) == (["1"], [])
    assert CALLS == [1.0]


@pytest.mark.parametrize("mode", MODES)
def test_unused_failing_variable_is_harmless(mode: str) -> None:
    text = "unused = 1 / 0\nbad = (1 / 0) > 0\nq = (true or bad)\nprint(q)"
    assert run(text, mode) == (["true"], [])


@pytest.mark.parametrize("mode", MODES)
def test_failure_is_reported_by_every_print_that_needs_it(mode: str) -> None:
    text = "a = 1 / 0\nb = a + 1\nprint(b)\nprint(3)\nprint(a)"
    lines, errors = run(text, mode)
    assert lines == ["3"]
    assert (
        errors
        == [
            "Arithmetic error: model.vm:1:5 --> 1 / 0 <--\ndivision by zero\n"
            "    1 | a = 1 / 0\n"
            "      |     ^^^^^"
        ]
        * 2
    )


@pytest.mark.parametrize("mode", MODES)
def test_function_arguments_are_lazy(mode: str) -> None:
    text = "f(x, y) = if(x > 0, x, y)\nprint(f(1, 1 / 0))"
    assert run(text, mode) == (["1"], [])
