"""Unit conversions into ASE's units give the same number whatever the process converted
before (pint's cache would round an equal unit expression met earlier in another order
the other way, and a simulation amplifies the difference)."""

from __future__ import annotations

import subprocess
import sys

from texts.interpreter.amml.specs import ASE_TIME
from texts.interpreter.units import converted, parse_units, quantity

MOMENTUM = ("amu*angstrom/fs", "eV ** 0.5 * amu ** 0.5")


def fresh_factor(src: str, dst: str) -> float:
    """pint's factor in a new process, where nothing was converted before."""
    code = (
        "from texts.interpreter.units import parse_units, quantity;"
        f" print(repr(quantity(1.0, parse_units({src!r})).to(parse_units({dst!r})).magnitude))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return float(result.stdout)


def test_the_factor_is_pints_fresh_one_after_an_equal_expression_was_converted() -> None:
    # 1/fs in inverse ASE time is the same unit expression as the momentum ratio, in
    # another order: pint caches it and would reuse its rounding
    quantity(0.01, parse_units("1/fs")).to(parse_units(f"1 / ({ASE_TIME})"))
    src, dst = (parse_units(text) for text in MOMENTUM)
    assert converted(1.0, src, dst) == fresh_factor(*MOMENTUM)


def test_offset_units_are_converted_as_values() -> None:
    assert converted(25.0, parse_units("degC"), parse_units("K")) == 298.15
    assert converted(2.0, parse_units("nm"), parse_units("angstrom")) == 20.0
