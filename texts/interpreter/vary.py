"""``vary``: one input becomes one model per combination of parameters.

Every column of a ``vary`` table names a parameter and every row is one combination; the
rows of several ``vary`` statements (and of the group's earlier ones) are crossed. A model
of the group gets each parameter as an ordinary statement ``name = value``, written from
the literal's own source text, so a varied parameter is stored, printed and reloaded like
any other variable. The models share the group UUID (``metadata.g_uuid``) and each keeps
its row (``metadata.texts.vary``) for ``%vary``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from texts.grammar.statements import RESERVED
from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.source import Source

Row = dict[str, str]
"""A parameter combination: name → the source text of its value."""

_LITERALS = (ir.Number, ir.String, ir.Bool, ir.Null)


@dataclass(frozen=True)
class VaryTable:
    """The parameter combinations one input asks for (one empty row when it has none)."""

    rows: tuple[Row, ...] = ({},)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.rows[0])


def vary_table(statements: Iterable[Any], source: Source) -> VaryTable:
    """The cross product of the rows of ``vary`` statements; only literals may be varied."""
    tables = [
        _rows(statement, source) for statement in statements if isinstance(statement, ir.Vary)
    ]
    if not tables:
        return VaryTable()
    rows: list[Row] = []
    for combination in itertools.product(*tables):
        row: Row = {}
        for part in combination:
            row.update(part)
        if row not in rows:  # the same combination twice is one model
            rows.append(row)
    return VaryTable(tuple(rows))


def _rows(statement: ir.Vary, source: Source) -> list[Row]:
    table = statement.table
    if not isinstance(table, ir.TableLit) or not all(
        isinstance(column, ir.SeriesLit) for column in table.columns
    ):
        raise TextsError("Vary error", "only literals may be used in vary statements")
    columns: list[tuple[str, list[str]]] = []
    for column in table.columns:
        assert isinstance(column, ir.SeriesLit)
        columns.append(
            (_parameter(column), [_literal_text(item, column, source) for item in column.items])
        )
    length = max((len(values) for _, values in columns), default=0)
    if any(len(values) != length for _, values in columns):
        raise TextsError("Vary error", "all columns of a vary table must have the same length")
    return [{name: values[index] for name, values in columns} for index in range(length)]


def _parameter(column: ir.SeriesLit) -> str:
    """The column's name, which becomes a variable of each model: a quoted name must be
    one a variable could have (the reference would build an unparsable statement)."""
    if column.name.isidentifier() and column.name not in RESERVED:
        return column.name
    raise TextsError(
        "Vary error", f"vary parameter {column.name!r} is not a variable name", column.span
    )


def _literal_text(item: Any, column: ir.SeriesLit, source: Source) -> str:
    """The value as written, with the column's units when it has them."""
    number = _literal(item)
    if number is None:
        raise TextsError("Vary error", "only literals may be used in vary statements")
    text = source.excerpt(item.span)
    if column.units and isinstance(number, ir.Number) and number.units is None:
        return f"{text} [{column.units}]"
    return text


def _literal(item: Any) -> Any:
    """The literal an expression is (a negative number's number), ``None`` if it is not one."""
    number = item.operand if isinstance(item, ir.Unary) and item.op == "-" else item
    return number if isinstance(number, _LITERALS) else None


def definition_value(statement: ir.VarDef, source: Source) -> str:
    """The row value of a stored definition ``name = literal`` that a ``vary`` of that name
    makes a parameter (as the reference does). Only a plain literal can be one: a row is a
    literal as written and is the model's definition (the reference records the computed
    value of an expression beside a definition that still says the expression)."""
    if statement.nonstrict or statement.resources is not None or _literal(statement.value) is None:
        raise TextsError(
            "Vary error",
            f'"{statement.name}" cannot be varied: its definition '
            f"{source.excerpt(statement.span)} is not a plain literal",
        )
    return source.excerpt(statement.value.span)


def assignments(row: Row) -> str:
    """The statements that give a model its parameters."""
    return "\n".join(f"{name} = {value}" for name, value in row.items())


def crossed(existing: Row, new: VaryTable) -> list[Row]:
    """A model's row followed by every new combination: the rows of the models it becomes."""
    return [{**existing, **row} for row in new.rows]
