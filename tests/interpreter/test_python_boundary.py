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

    def integers(_: object) -> pandas.Series:
        return pandas.Series([1, 2, 3], name="counts")

    def with_nulls(_: object) -> pandas.Series:
        # lazily for start-up: NumPy, pandas only when a value needs them
        import pint_pandas  # noqa: PLC0415

        values = pandas.array([1, None], dtype="Int64")
        return pandas.Series(pint_pandas.PintArray(values, dtype="kg"), name="w")

    module.keep = keep  # type: ignore[attr-defined]
    module.integers = integers  # type: ignore[attr-defined]
    module.with_nulls = with_nulls  # type: ignore[attr-defined]
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


def test_numeric_series_arrive_with_the_pint_pandas_dtype() -> None:
    text = (
        "use keep from texts_test_probe\n"
        "s = (d: 1, null, 3) [m]\nf = (v: 1.5, null) [s]\nt = ((a: 1.5, 2.5), (b: 'x', 'y'))\n"
        "print(keep(s), keep(f), keep(t))"
    )
    assert run(text) == [
        "(d: 1.0, null, 3.0) [meter] (v: 1.5, null) [second] ((a: 1.5, 2.5), (b: 'x', 'y'))"
    ]
    series, floats, frame = RECEIVED
    assert str(series.dtype).startswith("pint[meter]") and series.isna().tolist() == [
        False,
        True,
        False,
    ]
    assert str(floats.dtype).startswith("pint[second]")
    assert str(frame["a"].dtype).startswith("pint[dimensionless]")
    assert frame["b"].dtype == object


def test_returned_arrays_and_columns_keep_their_numbers() -> None:
    text = (
        "use keep, integers, with_nulls from texts_test_probe\n"
        "print(integers(1), with_nulls(1), keep((n: 1, 2)))"
    )
    assert run(text) == ["(counts: 1, 2, 3) (w: 1, null) [kilogram] (n: 1, 2)"]
