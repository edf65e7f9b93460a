"""Unit text: parsing, the scaling-factor rule and printed names."""

from __future__ import annotations

import pytest

from texts.interpreter.errors import TextsError
from texts.interpreter.units import convert, format_units, parse_units, quantity


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("m", "meter"),
        ("km / h", "kilometer / hour"),
        ("kg*m**2/s**2", "kilogram * meter ** 2 / second ** 2"),
        ("1/s", "1 / second"),
        ("s**-1", "1 / second"),
        ("m**0.5", "meter ** 0.5"),
        ("eV", "electron_volt"),
        ("degC", "degree_Celsius"),
        ("hbar", "dirac_constant"),
    ],
)
def test_units_print_with_long_names(text: str, printed: str) -> None:
    assert format_units(parse_units(text)) == printed


@pytest.mark.parametrize("text", ["2*m", "m*2", "10/s"])
def test_scaling_factors_are_rejected(text: str) -> None:
    with pytest.raises(TextsError) as raised:
        parse_units(text)
    assert (raised.value.label, raised.value.message) == (
        "Invalid units error",
        "Unit expression cannot have a scaling factor.",
    )


def test_unknown_unit() -> None:
    with pytest.raises(TextsError) as raised:
        parse_units("parsec_per_fortnight")
    assert raised.value.label == "Undefined unit"
    assert raised.value.message == "'parsec_per_fortnight' is not defined in the unit registry"


def test_conversion_keeps_integers_when_no_factor_applies() -> None:
    assert convert(quantity(3, "m"), "m").magnitude == 3
    assert convert(quantity(1, "m"), "cm").magnitude == 100.0
    assert str(convert(quantity(1500, "m"), "_compact").units) == "kilometer"
