"""Evaluation of queries: ``subject select columns where condition``."""

from __future__ import annotations

from typing import Any

from texts.interpreter import ir
from texts.interpreter.errors import TextsError, from_exception
from texts.interpreter.evaluation.builtins import contains, items_of
from texts.interpreter.evaluation.core import Scope, evaluate, rule
from texts.interpreter.evaluation.scalars import compare, three_valued
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


def _take(subject: Any, rows: list[int]) -> Any:
    if isinstance(subject, Series):
        return Series(
            subject.name, [subject.elements[i] for i in rows], subject.units, subject.numeric
        )
    return Table([_take(column, rows) for column in subject.columns])


@rule(ir.Query)
def _query(expr: ir.Query, scope: Scope) -> Any:
    subject = evaluate(expr.subject, scope)
    if not isinstance(subject, Series | Table):
        raise TextsError("Type error", "query subject must be a series or a table")
    result = subject
    if expr.where is not None:
        records = _records(subject)
        rows = [i for i, rec in enumerate(records) if _holds(expr.where, rec, subject, scope)]
        result = _take(subject, rows)
    if expr.select is not None and isinstance(result, Table):
        by_name = {column.name: column for column in result.columns}
        missing = [name for name in expr.select if name not in by_name]
        if missing:
            raise TextsError(
                "Invalid key", f"column {missing[0]} not found in Table {expr.subject.name}"
            )
        result = Table([by_name[name] for name in expr.select])
    return result
