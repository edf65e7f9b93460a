"""What imported Python functions receive and what their results become."""

from __future__ import annotations

import sys
import types

import pandas
import pytest

from texts.executors import EXECUTORS
from texts.grammar import parse_program
from texts.interpreter.checks import check_program

RECEIVED: list[object] = []


@pytest.fixture(autouse=True)
def probe() -> None:
    module = types.ModuleType("texts_test_probe")

    def keep(value: object) -> object:
        RECEIVED.append(value)
        return value

    def scaled_frame(frame: pandas.DataFrame) -> pandas.DataFrame:
        return frame * 2

    module.keep = keep  # type: ignore[attr-defined]
    module.scaled_frame = scaled_frame  # type: ignore[attr-defined]
    sys.modules["texts_test_probe"] = module
    RECEIVED.clear()
    yield
    del sys.modules["texts_test_probe"]


def run(text: str) -> list[str]:
    model = check_program(parse_program(text, "model.vm"))
    errors: list[object] = []
    lines = EXECUTORS["instant"](model, errors.append).run().lines
    assert errors == []
    return lines


def test_series_and_tables_arrive_as_pandas_objects_with_quantities() -> None:
    text = (
        "use keep, scaled_frame from texts_test_probe\n"
        "s = (d: 1, 2) [m]\nt = ((a: 1.5, 2.5), (b: 3, 4))\n"
        "print(keep(s), keep(t))\nprint(scaled_frame(t))"
    )
    assert run(text) == [
        "(d: 1, 2) [meter] ((a: 1.5, 2.5), (b: 3, 4))",
        "((a: 3.0, 5.0), (b: 6, 8))",
    ]
    series, frame = RECEIVED
    assert isinstance(series, pandas.Series) and series.name == "d"
    assert str(series.iloc[0].units) == "meter"
    assert isinstance(frame, pandas.DataFrame) and list(frame.columns) == ["a", "b"]
