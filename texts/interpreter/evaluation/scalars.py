"""Evaluation rules of numbers, strings, booleans, null, names and operators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from texts.interpreter import ir
from texts.interpreter.errors import TextsError, from_exception
from texts.interpreter.evaluation.construction import is_nan
from texts.interpreter.evaluation.core import Scope, evaluate, rule
from texts.interpreter.evaluation.limits import check_integer, check_power
from texts.interpreter.evaluation.sources import kind_of, type_mismatch
from texts.interpreter.evaluation.structures import access
from texts.interpreter.hints import map_hint, with_hint
from texts.interpreter.operators import ARITHMETIC, COMPARISON
from texts.interpreter.source import Span
from texts.interpreter.units import is_quantity, quantity, uncertain, units_at


@rule(ir.Number)
def _number(expr: ir.Number, scope: Scope) -> Any:
    value = expr.value
    if value is None:
        return None
    if expr.uncertainty is not None:
        value = uncertain(value, expr.uncertainty)
    units = units_at(expr.units, expr.span) if expr.units else None
    return quantity(value, units)


@rule(ir.String)
def _string(expr: ir.String, scope: Scope) -> str:
    return expr.value


@rule(ir.Bool)
def _bool(expr: ir.Bool, scope: Scope) -> bool:
    return expr.value


@rule(ir.Null)
def _null(expr: ir.Null, scope: Scope) -> None:
    return None


@rule(ir.Ref)
def _ref(expr: ir.Ref, scope: Scope) -> Any:
    value = scope.lookup(expr.name)
    if expr.accessors:
        for accessor in expr.accessors:
            value = access(value, accessor, expr)
    return value


@rule(ir.Unary)
def _unary(expr: ir.Unary, scope: Scope) -> Any:
    value = evaluate(expr.operand, scope)
    if value is None:
        return None
    check_number(value, expr.span, expr.span, scope)
    return -value if expr.op == "-" else +value


def check_number(value: Any, at: Span, whole: Span, scope: Scope) -> None:
    """Arithmetic is on numbers only. A value of another kind that the static checks could
    not see (returned by Python, read from a file) is a ``Type error`` at ``at``; for a
    series, the hint maps the arithmetic ``whole`` over its elements."""
    if value is None or is_quantity(value):
        return
    kind = kind_of(value)
    source = scope.model.source
    hint = None
    if kind == "Series" and source is not None:
        hint = map_hint(source.text, whole, [at])
    message = with_hint(type_mismatch("Quantity", kind), hint)
    raise TextsError("Type error", message, at)


def arithmetic(op: str, left: Any, right: Any) -> Any:
    """One arithmetic step with the language's null and division-by-zero rules."""
    if left is None or right is None:
        if op in "+-":  # the reference's behaviour, kept for compatibility
            raise TextsError("Unknown error: TypeError", "boolean value of NA is ambiguous")
        return None
    if op == "/" and right.magnitude == 0:
        integers = isinstance(left.magnitude, int) and isinstance(right.magnitude, int)
        raise ZeroDivisionError("division by zero" if integers else "float division by zero")
    result = ARITHMETIC[op](left, right)
    magnitude = getattr(result, "magnitude", None)
    if isinstance(magnitude, int):
        check_integer(magnitude)
    return result


@rule(ir.Arith)
def _arith(expr: ir.Arith, scope: Scope) -> Any:
    result = evaluate(expr.operands[0], scope)
    check_number(result, expr.operands[0].span, expr.span, scope)
    for index, op in enumerate(expr.ops, start=1):
        right = evaluate(expr.operands[index], scope)
        check_number(right, expr.operands[index].span, expr.span, scope)
        try:
            result = arithmetic(op, result, right)
        except TextsError as error:
            error.span = error.span or expr.partial_span(index)
            raise
        except Exception as exc:  # the failing step is the chain up to this operand
            raise from_exception(exc, expr.partial_span(index)) from None
    return result


@rule(ir.Power)
def _power(expr: ir.Power, scope: Scope) -> Any:
    base = evaluate(expr.base, scope)
    exponent = evaluate(expr.exponent, scope)
    if base is None or exponent is None:
        return None
    check_number(base, expr.base.span, expr.span, scope)
    check_number(exponent, expr.exponent.span, expr.span, scope)
    check_power(getattr(base, "magnitude", None), getattr(exponent, "magnitude", None))
    result = base**exponent
    if isinstance(result.magnitude, complex) and not any(
        isinstance(operand.magnitude, complex) for operand in (base, exponent)
    ):  # a real power that Python would silently make complex, e.g. (-8.0) ** 0.5
        raise TextsError("Type error", "datatype must be Float but is Complex")
    return result


def compare(op: str, left: Any, right: Any) -> bool | None:
    """Compare two scalars; null gives null, quantities compare after conversion."""
    if left is None or right is None:
        return None
    if (
        op in ("==", "!=")
        and is_quantity(left)
        and is_quantity(right)
        and left.dimensionality != right.dimensionality
    ):
        return op == "!="
    if is_nan(left) or is_nan(right):
        return None
    try:
        return bool(COMPARISON[op](left, right))
    except TypeError as error:
        labelled = from_exception(error, None)
        if labelled.label != "Type error":  # pint's: incompatible units are no type error
            raise labelled from None
        kinds = ("Boolean" if k == "Bool" else k for k in (kind_of(left), kind_of(right)))
        message = "values of types {} and {} cannot be compared with {}".format(*kinds, op)
        raise TextsError("Type error", message) from None


@rule(ir.Compare)
def _compare(expr: ir.Compare, scope: Scope) -> bool | None:
    return compare(expr.op, evaluate(expr.left, scope), evaluate(expr.right, scope))


def three_valued(op: str, operands: Any, value_of: Callable[[Any], Any]) -> bool | None:
    """``and``/``or`` with null as unknown, stopping as soon as the result is decided."""
    decisive = op == "or"
    result: bool | None = not decisive
    for operand in operands:
        value = value_of(operand)
        if value is None:
            result = None
        elif bool(value) is decisive:
            return decisive
    return result


@rule(ir.BoolOp)
def _bool_op(expr: ir.BoolOp, scope: Scope) -> bool | None:
    return three_valued(expr.op, expr.operands, lambda operand: evaluate(operand, scope))


@rule(ir.Not)
def _not(expr: ir.Not, scope: Scope) -> bool | None:
    value = evaluate(expr.operand, scope)
    return None if value is None else not value


@rule(ir.If)
def _if(expr: ir.If, scope: Scope) -> Any:
    condition = evaluate(expr.condition, scope)
    if condition is None:
        return None
    return evaluate(expr.then if condition else expr.otherwise, scope)


@rule(ir.Part)
def _part(expr: ir.Part, scope: Scope) -> Any:
    value = evaluate(expr.operand, scope)
    if value is None:
        return None
    magnitude = value.magnitude
    if isinstance(magnitude, complex):
        part = magnitude.real if expr.which == "real" else magnitude.imag
    elif expr.which == "real":
        part = magnitude
    else:
        part = type(magnitude)(0)
    return quantity(part, value.units)
