"""Checking parameter tables of calculators and algorithms against their specifications.

The same checks run statically, on the columns of a literal table, and at run time, on the
evaluated table (when the table or some of its values are references). A column whose kind
or values are not known statically is left to the run-time check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from texts.interpreter.amml import data
from texts.interpreter.amml.specs import MANDATORY, Method, Param
from texts.interpreter.errors import TextsError
from texts.interpreter.source import Span
from texts.interpreter.units import is_quantity, parse_units
from texts.interpreter.values import Series, Table

_KIND_NAMES = {
    "int": "Integer",
    "float": "Float",
    "bool": "Boolean",
    "str": "String",
    "array": "Array",
    "table": "Table",
    "tuple": "Tuple",
    "dict": "Dict",
    "structure": "Structure",
}
_ACCEPTS = {
    "int": ("Integer",),
    "float": ("Integer", "Float"),
    "bool": ("Boolean",),
    "str": ("String",),
    "array": ("Array",),
    "table": ("Table",),
    "tuple": ("Tuple",),
    "dict": ("Dict",),
    "structure": ("Structure",),
}
_NUMERIC = ("Integer", "Float", "Array")


@dataclass
class Column:
    """What is known of one parameter column: ``kind`` None means not known statically."""

    name: str
    span: Span | None
    kind: str | None = None
    units: Any = None
    values: list[Any] | None = None


def check(
    method: Method,
    owner: str,
    columns: list[Column] | None,
    table_span: Span | None,
    whole_span: Span,
) -> None:
    """Raise the first problem of a parameter table (``columns`` None: ``()``)."""
    if columns is None:
        if method.mandatory:
            raise _missing(method, whole_span)
        return
    names = [column.name for column in columns]
    unknown = tuple(name for name in names if name not in method.by_name)
    if unknown:
        where = "calculator" if owner == "calculator" else f'algorithm "{method.name}"'
        raise TextsError(
            "Value error", f"Invalid parameters used in {where}: {unknown!r}", table_span
        )
    if any(name not in names for name in method.mandatory):
        raise _missing(method, table_span, names)
    given = {column.name: column for column in columns}
    for column in columns:
        param = method.by_name[column.name]
        if column.kind is not None:
            _check_kind(method, owner, param, column, table_span)
            _check_units(param, column, given, table_span)
        if column.values is not None and param.choices is not None:
            _check_choices(param, column)


def _missing(method: Method, span: Span | None, names: list[str] | None = None) -> TextsError:
    missing = tuple(name for name in method.mandatory if names is None or name not in names)
    return TextsError(
        "Value error", f'Mandatory parameters missing in method "{method.name}": {missing!r}', span
    )


def _check_kind(method: Method, owner: str, param: Param, column: Column, span: Any) -> None:
    if column.kind in ("Null", "Any"):
        return
    kinds = param.kind.split("/")
    if any(column.kind in _ACCEPTS.get(kind, ()) for kind in kinds):
        return
    expected = " or ".join(_KIND_NAMES.get(kind, kind) for kind in kinds)
    raise TextsError(
        "Type error",
        f"Invalid parameter type in {owner} '{method.name}': '{param.name}' must be {expected}",
        span,
    )


def _check_units(param: Param, column: Column, given: dict[str, Column], span: Any) -> None:
    if column.kind not in _NUMERIC or column.units is None:
        return
    required = required_units(param, column, given)
    if required is None:
        return
    target = parse_units(required)
    if column.units.dimensionality != target.dimensionality:
        raise TextsError(
            "Invalid units error",
            f'error with units of parameter "{param.name}": must be [{required}] instead of '
            f"[{column.units}]",
            span,
        )


def required_units(param: Param, column: Column, given: dict[str, Column]) -> str | None:
    """The units a column must have; ``varies``: VASP's ``ediffg`` and ``potim``."""
    if param.units != "varies":
        return param.units or "dimensionless"
    if param.name == "ediffg":
        value = _first(column)
        if value is None:
            return None
        return "eV / angstrom" if value < 0 else "eV"
    if "ibrion" in given and given["ibrion"].values is None:
        return None  # decided at run time, when ibrion is known
    ibrion = _first(given["ibrion"]) if "ibrion" in given else None
    nsw = _first(given["nsw"]) if "nsw" in given else None
    if ibrion == 0 or (ibrion is None and nsw not in (None, 0, -1)):
        return "fs"
    if ibrion in (5, 6):
        return "angstrom"
    return "dimensionless"


def _first(column: Column) -> Any:
    values = [v for v in column.values or () if v is not None]
    return values[0] if values else None


def _check_choices(param: Param, column: Column) -> None:
    for value in column.values or ():
        if value is None or value in param.choices:  # type: ignore[operator]
            continue
        shown = value if not isinstance(value, bool) else str(value).lower()
        raise TextsError(
            "Value error",
            f'Parameter "{param.name}" should be one of {list(param.choices or ())} but is {shown}',
            column.span,
        )


# ---------------------------------------------------------------------------
# run-time columns


def value_kind(value: Any) -> str:
    """The language kind of one parameter value, as the checks name it."""
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.values import AMMLStructure  # noqa: PLC0415

    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, str):
        return "String"
    if is_quantity(value):
        magnitude = value.magnitude
        if hasattr(magnitude, "ndim") and magnitude.ndim > 0:
            return "Array"
        return "Integer" if isinstance(magnitude, int) else "Float"
    if isinstance(value, tuple):
        return "Tuple"
    if isinstance(value, dict):
        return "Dict"
    if isinstance(value, Table):
        return "Table"
    if isinstance(value, AMMLStructure):
        return "Structure"
    if type(value).__name__ == "ndarray":
        return "Array"
    return "Any"


def runtime_columns(table: Table) -> list[Column]:
    """The columns of an evaluated parameter table, with everything known."""
    columns = []
    for series in table.columns:
        cells = data.cells(series)
        kinds = {value_kind(value) for value in cells} - {"Null"}
        if kinds == {"Integer", "Float"}:
            kinds = {"Float"}
        kind = kinds.pop() if len(kinds) == 1 else ("Null" if not kinds else "Any")
        units = series.units if series.numeric else None
        values = [_plain(value) for value in cells]
        columns.append(Column(series.name, None, kind, units, values))
    return columns


def _plain(value: Any) -> Any:
    if is_quantity(value):
        magnitude = value.magnitude
        return magnitude if not hasattr(magnitude, "ndim") or magnitude.ndim == 0 else None
    return value if isinstance(value, bool | str | int | float) or value is None else None


def first_row(table: Table) -> dict[str, Any]:
    """The first row of a parameter table as language values by name."""
    if not len(table):
        return {}
    return dict(zip(table.names, data.table_row(table, 0)))


def default_table(method: Method) -> Table:
    """All parameters that have a default, in specification order (the ``()`` form)."""
    columns: list[Series] = []
    for param in method.params:
        if param.default is MANDATORY:
            continue
        columns.append(default_column(param))
    return data.table(columns)


def default_column(param: Param) -> Series:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    default = param.default
    if default is None or isinstance(default, bool | str):
        return data.objects(param.name, [default])
    if isinstance(default, tuple):
        return data.numbers(param.name, [numpy.array(default)], "dimensionless")
    units = param.default_units or param.units or "dimensionless"
    return data.numbers(param.name, [default], units)
