"""Language values as ASE takes them: magnitudes in the units a parameter is given in."""

from __future__ import annotations

import math
from typing import Any

from texts.interpreter.amml.specs import Param
from texts.interpreter.units import converted, is_quantity, parse_units
from texts.interpreter.values import Series, Table


def to_ase(param: Param | None, value: Any, units: str | None = None) -> Any:
    """A parameter value for ASE: quantities in ``units`` (the parameter's by default),
    tables as the dict of their first row, structures as ``Atoms``; None stays None."""
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.values import AMMLStructure  # noqa: PLC0415

    if units is None and param is not None and param.units not in (None, "varies"):
        units = param.units
    if value is None:
        return None
    if is_quantity(value):
        magnitude = value.magnitude
        if units:
            magnitude = converted(magnitude, value.units, parse_units(units))
        if isinstance(magnitude, float) and math.isnan(magnitude):  # a null element
            return None
        return magnitude.tolist() if hasattr(magnitude, "tolist") else magnitude
    if isinstance(value, tuple):
        return tuple(to_ase(None, item) for item in value)
    if isinstance(value, dict):
        return {key: to_ase(None, item) for key, item in value.items()}
    if isinstance(value, Table):
        # lazily for start-up: ASE and the extension only when a model uses them
        from texts.interpreter.amml.params import first_row  # noqa: PLC0415

        return {key: to_ase(None, item) for key, item in first_row(value).items()}
    if isinstance(value, Series):
        return [to_ase(None, item) for item in value.elements]
    if isinstance(value, AMMLStructure):
        # lazily for start-up: ASE and the extension only when a model uses them
        from texts.interpreter.amml.atoms import to_atoms  # noqa: PLC0415

        return to_atoms(value, 0)
    if hasattr(value, "tolist"):
        return value.tolist()
    return value
