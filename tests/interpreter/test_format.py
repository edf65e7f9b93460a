"""The printed form of values (section 12 of the language reference)."""

from __future__ import annotations

import numpy
import pytest

from texts.interpreter.format import format_number, format_value
from texts.interpreter.units import quantity
from texts.interpreter.values import NOT_COMPUTED, Series, Table


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (42, "42"),
        (-7, "-7"),
        (1.0, "1.0"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e-5, "1e-05"),
        (1e16, "1e+16"),
        (-0.0, "-0.0"),
        (float("inf"), "inf"),
        (float("nan"), "null"),
        (1 + 2j, "1.0+2.0 j"),
        (complex(1.0, -0.0), "1.0+-0.0 j"),
        (complex(0, -2), "0.0-2.0 j"),
        (numpy.float64(3.0), "3.0"),
        (numpy.int64(5), "5"),
        (2**70, "1180591620717411303424"),
    ],
)
def test_numbers(number: object, text: str) -> None:
    assert format_number(number) == text


def test_scalars_and_containers() -> None:
    value = (1, "a", quantity(2.5, "m"), None, True, (1,), {"a": 1, "b c": "x"}, NOT_COMPUTED)
    assert format_value(value) == "(1, 'a', 2.5 [meter], null, true, (1,), {a: 1, b c: 'x'}, n.c.)"


def test_series_and_tables() -> None:
    metre = quantity(1, "m").units
    numbers = Series("x", [1.5, None], metre, numeric=True)
    names = Series("2nd col", ["a", None])
    assert format_value(numbers) == "(x: 1.5, null) [meter]"
    assert format_value(names) == "('2nd col': 'a', null)"
    assert format_value(Series("e", [], metre, numeric=True)) == "(e:) [meter]"
    assert (
        format_value(Table([numbers, names])) == "((x: 1.5, null) [meter], ('2nd col': 'a', null))"
    )


def test_arrays() -> None:
    assert (
        format_value(quantity(numpy.array([[1, 2], [3, 4]]), "cm"))
        == "[[1, 2], [3, 4]] [centimeter]"
    )
    assert format_value(numpy.array([True, False])) == "[true, false]"
    assert format_value(numpy.array([["a", "b"]])) == "[['a', 'b']]"


def test_deeply_nested_value_does_not_recurse() -> None:
    value: object = 1
    for _ in range(20000):
        value = (value,)
    text = format_value(value)
    assert text == "(" * 20000 + "1" + ",)" * 20000
