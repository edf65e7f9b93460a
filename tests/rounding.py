"""What the atomistic extension prints, compared up to the rounding of the machine.

An optimiser, a molecular-dynamics run, a finite-difference Hessian or a fit computes with
BLAS and NumPy kernels chosen for the processor at run time, so the last digits of its
numbers differ from one machine to another (on any one machine the reference prints the
same digits as textS). Such output is compared with its expectation number by number: the
text around the numbers, and every integer, must be the same; each number with a decimal
point or an exponent must agree to a relative 1e-6, or to an absolute 1e-8 for the
numerical noise around zero (the rigid-body modes of a vibration analysis).
"""

from __future__ import annotations

import math
import re

NUMBER = re.compile(r"(?<![\w.])-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")
RELATIVE = 1e-6
ABSOLUTE = 1e-8


def _is_integer(token: str) -> bool:
    return not any(mark in token for mark in ".eE")


def _agree(expected: str, actual: str) -> bool:
    if expected == actual:
        return True
    if _is_integer(expected) or _is_integer(actual):
        return False
    return math.isclose(float(expected), float(actual), rel_tol=RELATIVE, abs_tol=ABSOLUTE)


def same_up_to_rounding(expected: str, actual: str) -> bool:
    """The same text, but for the last digits of its floating-point numbers."""
    if expected == actual:
        return True
    if NUMBER.sub("#", expected) != NUMBER.sub("#", actual):
        return False
    return all(map(_agree, NUMBER.findall(expected), NUMBER.findall(actual)))


def assert_printed(actual: str, expected: str) -> None:
    """``actual == expected`` up to rounding; pytest's diff of the two when they differ."""
    if not same_up_to_rounding(expected, actual):
        assert actual == expected
