"""Evaluation of queries: ``subject select columns where condition``.

A condition is decided for all rows at once on the columns' arrays; the row loop below
gives the meaning and runs where that is not possible (as for ``map``, see
``vectorize``). As in the loop, each part of an ``and``/``or`` is evaluated only for the
rows the earlier parts left undecided, and a value in a condition only if a row needs it.
"""

from __future__ import annotations

from typing import Any

import numpy

from texts.interpreter import ir
from texts.interpreter.errors import TextsError, from_exception
from texts.interpreter.evaluation.builtins import contains
from texts.interpreter.evaluation.core import Scope, evaluate, rule
from texts.interpreter.evaluation.higher_order import items_of
from texts.interpreter.evaluation.scalars import compare, three_valued
from texts.interpreter.evaluation.vectorize import vector_of
from texts.interpreter.evaluation.vectors import (
    Unsupported,
    Vector,
    contains_series,
    logical,
    negation,
    truth,
)
from texts.interpreter.evaluation.vectors import compare as compare_vectors
from texts.interpreter.evaluation.vectors import contains as contains_vectors
from texts.interpreter.values import Series, Table


def _records(subject: Any) -> list[dict]:
    if isinstance(subject, Series):
        return [{subject.name: value} for value in items_of(subject)]
    return items_of(subject)


def _column(record: dict, name: str, subject: Any) -> Any:
    if isinstance(subject, Series) and name != subject.name:
        raise TextsError("Value error", f'column name must be "{subject.name}" but is "{name}"')
    return record[name]


def _holds(where: Any, record: dict, subject: Any, scope: Scope) -> bool | None:
    if isinstance(where, ir.CondBool):
        if where.op == "not":
            value = _holds(where.operands[0], record, subject, scope)
            return None if value is None else not value
        return three_valued(where.op, where.operands, lambda c: _holds(c, record, subject, scope))
    try:
        column = _column(record, where.column, subject)
        if where.kind == "columns":
            return compare(where.op, column, _column(record, where.other_column, subject))
        if where.kind == "column_value":
            return compare(where.op, column, evaluate(where.value, scope))
        if where.kind == "value_column":
            return compare(where.op, evaluate(where.value, scope), column)
        if where.kind == "in_list":
            return contains(column, [evaluate(item, scope) for item in where.items])
        return contains(column, items_of(evaluate(where.value, scope)))
    except TextsError as error:
        error.span = error.span or where.span
        raise
    except Exception as exc:  # unit and type errors of a condition point at it
        raise from_exception(exc, where.span) from None


class _Rows:
    """The subject's columns for some of its rows (``positions``; None: all)."""

    def __init__(self, subject: Any, positions: numpy.ndarray | None = None) -> None:
        self.subject = subject
        self.positions = positions
        self.size = len(subject) if positions is None else len(positions)

    def column(self, name: str) -> Vector:
        columns = [self.subject] if isinstance(self.subject, Series) else self.subject.columns
        for column in columns:
            if column.name == name:
                found = vector_of(column)
                return found if self.positions is None else found.taken(self.positions)
        raise Unsupported  # the row loop reports it

    def subset(self, positions: numpy.ndarray) -> _Rows:
        if len(positions) == self.size:
            return self
        own = positions if self.positions is None else self.positions[positions]
        return _Rows(self.subject, own)


def _decided(where: Any, rows: _Rows, scope: Scope) -> Any:
    """The condition for the rows at once: a boolean vector or one value."""
    if isinstance(where, ir.CondBool):
        if where.op == "not":
            return negation(_decided(where.operands[0], rows, scope))
        return logical(
            where.op,
            where.operands,
            rows.size,
            lambda operand, positions: _decided(operand, rows.subset(positions), scope),
        )
    column = rows.column(where.column)
    if where.kind == "columns":
        return compare_vectors(where.op, column, rows.column(where.other_column))
    if where.kind == "column_value":
        return compare_vectors(where.op, column, evaluate(where.value, scope))
    if where.kind == "value_column":
        return compare_vectors(where.op, evaluate(where.value, scope), column)
    if where.kind == "in_list":
        return contains_vectors(column, [evaluate(item, scope) for item in where.items])
    collection = evaluate(where.value, scope)
    if not isinstance(collection, Series):
        raise Unsupported
    return contains_series(column, collection)


def _holding_rows(where: Any, subject: Any, scope: Scope) -> numpy.ndarray:
    """Which rows the condition holds for: flags, or positions from the row loop."""
    size = len(subject)
    if not size:
        return numpy.empty(0, dtype=numpy.intp)
    try:
        flags, nulls = truth(_decided(where, _Rows(subject), scope), size)
        return flags & ~nulls
    except Exception:  # Unsupported, or an error the row loop raises where it arises
        records = _records(subject)
        rows = [i for i, rec in enumerate(records) if _holds(where, rec, subject, scope)]
        return numpy.array(rows, dtype=numpy.intp)


@rule(ir.Query)
def _query(expr: ir.Query, scope: Scope) -> Any:
    subject = evaluate(expr.subject, scope)
    if not isinstance(subject, Series | Table):
        raise TextsError("Type error", "query subject must be a series or a table")
    rows = _holding_rows(expr.where, subject, scope) if expr.where is not None else None
    if isinstance(subject, Series):
        return subject if rows is None else subject.taken(rows)
    columns = subject.columns
    if expr.select is not None:
        by_name = {column.name: column for column in columns}
        missing = [name for name in expr.select if name not in by_name]
        if missing:
            raise TextsError(
                "Invalid key", f"column {missing[0]} not found in Table {expr.subject.name}"
            )
        columns = [by_name[name] for name in expr.select]
    if rows is None:
        return subject if expr.select is None else Table(columns)
    return Table([column.taken(rows) for column in columns])
