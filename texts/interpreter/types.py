"""Static types: what the checker knows about a value before anything runs.

A type records its kind (as ``info`` shows it), the element datatype of numbers, series
and arrays, and, where they can be known, the physical units: dimensions are part of the
static type, so unit mistakes are found before evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# datatypes of numbers, ordered by containment: Integer within Float within Complex
NUMERIC_ORDER = ("Integer", "Float", "Complex")


@dataclass(frozen=True)
class Type:
    """The static type of an expression.

    ``units`` is a pint Unit when the units are known statically, else None.
    ``elements`` holds the element types of tuples, the value types of dicts and the
    column types of tables; ``keys`` the dict keys or column names.
    """

    kind: str
    datatype: str | None = None
    units: Any = None
    elements: tuple[Type, ...] | None = None
    keys: tuple[str, ...] | None = None
    datalen: int | tuple[int, ...] | None = None
    element: Type | None = None

    @property
    def is_any(self) -> bool:
        return self.kind == "Any"


ANY = Type("Any")
#: the kinds of the atomistic and chemistry extension, and their names in type errors
DOMAIN_NAMES = {
    "Structure": "AMMLStructure",
    "Calculator": "AMMLCalculator",
    "Algorithm": "AMMLAlgorithm",
    "Property": "AMMLProperty",
    "Constraint": "AMMLConstraint",
    "Trajectory": "AMMLTrajectory",
    "ChemSpecies": "ChemSpecies",
    "ChemReaction": "ChemReaction",
}
DOMAIN_KINDS = frozenset(DOMAIN_NAMES)
BOOLEAN = Type("Boolean", "Boolean")
STRING = Type("String", "String")
FUNCTION = Type("Function")


def quantity(datatype: str, units: Any = None) -> Type:
    return Type("Quantity", datatype, units)


def wider_numeric(first: str | None, second: str | None) -> str | None:
    """The datatype that contains both, or None if either is not a known number kind."""
    if first == "Number" or second == "Number":
        return "Number"
    if first in NUMERIC_ORDER and second in NUMERIC_ORDER:
        return NUMERIC_ORDER[max(NUMERIC_ORDER.index(first), NUMERIC_ORDER.index(second))]
    return None


_QUANTITY_NAMES = {
    "Integer": "IntQuantity",
    "Float": "FloatQuantity",
    "Complex": "ComplexQuantity",
}
_ELEMENT_PREFIX = {
    "Integer": "Int",
    "Float": "Float",
    "Complex": "Complex",
    "String": "Str",
    "Boolean": "Bool",
}


def type_name(type_: Type) -> str:
    """The name of a type in error messages (``IntQuantity``, ``str``, ``object``...)."""
    if type_.kind == "Quantity":
        return _QUANTITY_NAMES.get(type_.datatype or "", "NumericQuantity")
    if type_.kind == "Boolean":
        return "bool"
    if type_.kind == "String":
        return "str"
    if type_.kind == "Any":
        return "object"
    if type_.kind in ("Series", "Array"):
        prefix = _ELEMENT_PREFIX.get(type_.datatype or "", "Any")
        return prefix + type_.kind
    return DOMAIN_NAMES.get(type_.kind, type_.kind)
