"""A lambda or function body evaluated once for all elements, on whole arrays.

``map``, ``filter`` and ``reduce`` apply their function to every element. When the body
is element-wise (arithmetic, comparisons, ``and``/``or``/``not``, ``if``, ``real``/
``imag``, ``in``, ``sum``/``all``/``any`` of arguments, calls of program functions, dicts
of such values), :func:`apply_to_vectors` evaluates it once with each parameter bound to
a :class:`~texts.interpreter.evaluation.vectors.Vector` of all elements. The meaning is
the element loop's:

- a sub-expression that uses no parameter is evaluated by the ordinary rules, once, and
  kept for the statement, as the loop keeps it (see ``core``);
- a branch of an ``if``, a later operand of ``and``/``or`` and a function argument are
  evaluated only for the elements that need them (a subset of the elements), so what the
  loop would never evaluate is never evaluated;
- anything else, and every case where an element could behave differently from the
  others, raises :class:`Unsupported`: the caller then runs the element loop, which
  reuses whatever was computed here and raises any error where the loop reaches it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

import numpy

from texts.interpreter import ir
from texts.interpreter.evaluation.core import Scope, evaluate
from texts.interpreter.evaluation.limits import check_power
from texts.interpreter.evaluation.scalars import arithmetic as scalar_arithmetic
from texts.interpreter.evaluation.scalars import compare as scalar_compare
from texts.interpreter.evaluation.vectors import (
    BOOL,
    NUMBER,
    STR,
    Unsupported,
    Vector,
    arithmetic,
    compare,
    contains,
    contains_series,
    logical,
    negate,
    negation,
)
from texts.interpreter.units import is_quantity
from texts.interpreter.values import Series, Table

VRule = Callable[[Any, "VectorScope"], Any]
VECTOR_RULES: dict[type, VRule] = {}


def vector_rule(node_type: type) -> Callable[[VRule], VRule]:
    def register(function: VRule) -> VRule:
        VECTOR_RULES[node_type] = function
        return function

    return register


class Record:
    """A table row parameter for all rows: ``r.column`` is the column's vector."""

    __slots__ = ("positions", "table")

    def __init__(self, table: Table, positions: numpy.ndarray | None = None) -> None:
        self.table = table
        self.positions = positions

    def column(self, name: str) -> Vector:
        for column in self.table.columns:
            if column.name == name:
                found = vector_of(column)
                return found if self.positions is None else found.taken(self.positions)
        raise Unsupported  # the loop reports the unknown column

    def taken(self, positions: numpy.ndarray) -> Record:
        own = positions if self.positions is None else self.positions[positions]
        return Record(self.table, own)


class Argument:
    """A function argument in a body evaluated on vectors: evaluated, when first used, for
    the elements of the scope that uses it."""

    __slots__ = ("expr", "home", "values")

    def __init__(self, expr: ir.Expr, home: VectorScope) -> None:
        self.expr = expr
        self.home = home
        # weak: the scopes that use an argument hold it, and arrays must not wait for gc
        self.values: WeakKeyDictionary[VectorScope, Any] = WeakKeyDictionary()

    def force(self, user: VectorScope) -> Any:
        if user not in self.values:
            positions = user.positions_in(self.home)
            where = self.home if positions is None else self.home.subset(positions)
            self.values[user] = vevaluate(self.expr, where)
        return self.values[user]


class VectorScope:
    """Parameters bound to vectors for ``size`` elements.

    ``parent`` and ``positions`` say which elements of the parent scope these are (None:
    all of them, as in a function applied to the parent's elements).
    """

    __slots__ = ("__weakref__", "bound", "parent", "positions", "scope", "size")

    def __init__(
        self,
        scope: Scope,
        bound: dict[str, Any],
        size: int,
        parent: VectorScope | None = None,
        positions: numpy.ndarray | None = None,
    ) -> None:
        self.scope = scope
        self.bound = bound
        self.size = size
        self.parent = parent
        self.positions = positions

    def subset(self, positions: numpy.ndarray) -> VectorScope:
        """This scope for the elements at ``positions`` only."""
        if len(positions) == self.size:
            return self
        bound = {name: _taken(value, positions) for name, value in self.bound.items()}
        return VectorScope(self.scope, bound, len(positions), self, positions)

    def applied(self, bound: dict[str, Any]) -> VectorScope:
        """A function's parameters bound for the same elements."""
        return VectorScope(self.scope, bound, self.size, self)

    def positions_in(self, ancestor: VectorScope) -> numpy.ndarray | None:
        """Which of ``ancestor``'s elements this scope's elements are (None: all)."""
        positions = None
        current: VectorScope | None = self
        while current is not ancestor:
            if current is None:
                raise Unsupported
            if current.positions is not None:
                positions = current.positions if positions is None else current.positions[positions]
            current = current.parent
        return positions


def _taken(value: Any, positions: numpy.ndarray) -> Any:
    if isinstance(value, Vector | Record):
        return value.taken(positions)
    return value  # an Argument: taken when forced


def vector_of(series: Series) -> Vector:
    """A series' elements as a vector (numbers, booleans or strings)."""
    if series.is_array:
        kind = NUMBER if series.numeric else BOOL
        return Vector(kind, series.data, series.units if series.numeric else None, series.mask)
    if series.numeric or not all(type(v) is str or v is None for v in series.data):
        raise Unsupported
    data = numpy.array(series.data, dtype=object)
    return Vector(STR, data, None, numpy.equal(data, None))


def bind(value: Any) -> Vector | Record:
    """An iterable's elements bound to a parameter: a series' vector or a table's rows."""
    if isinstance(value, Series):
        return vector_of(value)
    if isinstance(value, Table):
        return Record(value)
    raise Unsupported


def apply_to_vectors(
    function: ir.Lambda | ir.FuncRef, inputs: list[Any], size: int, scope: Scope
) -> Any:
    """The function's result for all ``size`` elements of ``inputs`` at once: a vector, a
    value shared by all elements, or a dict of those (for a table). Raises
    :class:`Unsupported` where the element loop is needed."""
    if isinstance(function, ir.Lambda):
        params, body = function.params, function.body
    else:
        program_function = scope.model.functions.get(function.name)
        if program_function is None:  # an imported callable: called per element
            raise Unsupported
        params, body = program_function.params, program_function.body
    bound = {param: bind(value) for param, value in zip(params, inputs)}
    return vevaluate(body, VectorScope(scope.child({}), bound, size))


def vevaluate(expr: Any, vs: VectorScope) -> Any:
    """The value of ``expr`` for the elements of ``vs``."""
    if vs.scope.model.free_names(expr).isdisjoint(vs.bound):
        return evaluate(expr, vs.scope)
    rule = VECTOR_RULES.get(type(expr))
    if rule is None:
        raise Unsupported
    return rule(expr, vs)


# ---------------------------------------------------------------------------
# rules


@vector_rule(ir.Ref)
def _ref(expr: ir.Ref, vs: VectorScope) -> Any:
    value = vs.bound.get(expr.name)
    if value is None:
        raise Unsupported
    if isinstance(value, Argument):
        value = value.force(vs)
    for accessor in expr.accessors:
        if not (isinstance(accessor, ir.Member) and isinstance(value, Record)):
            raise Unsupported
        value = value.column(accessor.key)
    if isinstance(value, Record):
        raise Unsupported  # a whole row as a value
    return value


@vector_rule(ir.Unary)
def _unary(expr: ir.Unary, vs: VectorScope) -> Any:
    value = vevaluate(expr.operand, vs)
    if value is None:
        return None
    if not isinstance(value, Vector):
        return -value if expr.op == "-" else +value
    return negate(value) if expr.op == "-" else value


@vector_rule(ir.Arith)
def _arith(expr: ir.Arith, vs: VectorScope) -> Any:
    result = vevaluate(expr.operands[0], vs)
    for index, op in enumerate(expr.ops, start=1):
        right = vevaluate(expr.operands[index], vs)
        if isinstance(result, Vector) or isinstance(right, Vector):
            result = arithmetic(op, result, right)
        else:
            result = scalar_arithmetic(op, result, right)
    return result


@vector_rule(ir.Power)
def _power(expr: ir.Power, vs: VectorScope) -> Any:
    base = vevaluate(expr.base, vs)
    exponent = vevaluate(expr.exponent, vs)
    if not isinstance(base, Vector) or not is_quantity(exponent):
        raise Unsupported
    if base.nulls is not None or base.nones is not None or exponent.magnitude == 0:
        raise Unsupported  # NaN ** 0 is 1, and x ** 0.0 the integer 1: element by element
    if base.data.dtype.kind == "i" and base.data.size:
        check_power(int(numpy.abs(base.data).max()), exponent.magnitude)
    return arithmetic("**", base, exponent)


@vector_rule(ir.Compare)
def _compare(expr: ir.Compare, vs: VectorScope) -> Any:
    left = vevaluate(expr.left, vs)
    right = vevaluate(expr.right, vs)
    if isinstance(left, Vector) or isinstance(right, Vector):
        return compare(expr.op, left, right)
    return scalar_compare(expr.op, left, right)


def _logical(op: str, operands: Any, vs: VectorScope) -> Vector:
    return logical(
        op, operands, vs.size, lambda operand, positions: vevaluate(operand, vs.subset(positions))
    )


@vector_rule(ir.BoolOp)
def _bool_op(expr: ir.BoolOp, vs: VectorScope) -> Any:
    return _logical(expr.op, expr.operands, vs)


@vector_rule(ir.Not)
def _not(expr: ir.Not, vs: VectorScope) -> Any:
    return negation(vevaluate(expr.operand, vs))


@vector_rule(ir.If)
def _if(expr: ir.If, vs: VectorScope) -> Any:
    condition = vevaluate(expr.condition, vs)
    if not isinstance(condition, Vector):
        if condition is None:
            return None
        if not isinstance(condition, bool):
            raise Unsupported
        return vevaluate(expr.then if condition else expr.otherwise, vs)
    if condition.kind != BOOL:
        raise Unsupported
    known = numpy.ones(vs.size, dtype=bool) if condition.nulls is None else ~condition.nulls
    parts = []
    for branch, flags in (
        (expr.then, condition.data & known),
        (expr.otherwise, ~condition.data & known),
    ):
        positions = numpy.flatnonzero(flags)
        if len(positions):
            parts.append((positions, vevaluate(branch, vs.subset(positions))))
    return merge(vs.size, parts)


def merge(size: int, parts: list[tuple[numpy.ndarray, Any]]) -> Any:
    """One vector from the values of parts of the elements (the rest are ``None``), where
    all parts are of one kind (numbers of one unit and type, booleans or strings)."""
    values = [value for _, value in parts if value is not None]
    if not values:
        return None
    kind, dtype, units = _shape(values[0])
    if any(_shape(value) != (kind, dtype, units) for value in values[1:]):
        raise Unsupported
    data = numpy.zeros(size, dtype=dtype)
    nulls = numpy.zeros(size, dtype=bool)
    nones = numpy.ones(size, dtype=bool)
    for positions, value in parts:
        if value is None:
            continue
        nones[positions] = False
        if isinstance(value, Vector):
            data[positions] = value.data
            if value.nulls is not None:
                nulls[positions] = value.nulls
            if value.nones is not None:
                nones[positions] = value.nones
        else:
            data[positions] = value.magnitude if kind == NUMBER else value
    if kind == NUMBER:
        return Vector(NUMBER, data, units, nulls, nones)
    return Vector(kind, data, None, nulls | nones)


def _shape(value: Any) -> tuple[str, Any, Any]:
    """The kind, NumPy type and units of a vector or of one value of a branch."""
    if isinstance(value, Vector):
        return value.kind, value.data.dtype, value.units
    if isinstance(value, bool):
        return BOOL, numpy.dtype(bool), None
    if isinstance(value, str):
        return STR, numpy.dtype(object), None
    if is_quantity(value):
        kinds = {int: numpy.int64, float: numpy.float64, complex: numpy.complex128}
        magnitude_type = kinds.get(type(value.magnitude))
        if magnitude_type is None or (
            magnitude_type is numpy.int64 and not -(2**63) <= value.magnitude < 2**63
        ):
            raise Unsupported
        return NUMBER, numpy.dtype(magnitude_type), value.units
    raise Unsupported


@vector_rule(ir.Part)
def _part(expr: ir.Part, vs: VectorScope) -> Any:
    value = vevaluate(expr.operand, vs)
    if not isinstance(value, Vector) or value.kind != NUMBER:
        raise Unsupported
    if value.nulls is not None or value.nones is not None or value.data.dtype == object:
        raise Unsupported  # a null's imaginary part is 0.0: element by element
    data = value.data
    if data.dtype.kind == "c":
        part = data.real if expr.which == "real" else data.imag
    else:
        part = data if expr.which == "real" else numpy.zeros_like(data)
    return Vector(NUMBER, part, value.units)


@vector_rule(ir.Call)
def _call(expr: ir.Call, vs: VectorScope) -> Any:
    function = vs.scope.model.functions.get(expr.name)
    if function is None or expr.name in vs.bound:
        raise Unsupported  # an imported function is called per element
    bound = {param: Argument(arg, vs) for param, arg in zip(function.params, expr.args)}
    return vevaluate(function.body, vs.applied(bound))


@vector_rule(ir.DictLit)
def _dict(expr: ir.DictLit, vs: VectorScope) -> Any:
    return {key: vevaluate(value, vs) for key, value in zip(expr.keys, expr.values)}


@vector_rule(ir.In)
def _in(expr: ir.In, vs: VectorScope) -> Any:
    element = vevaluate(expr.element, vs)
    if not isinstance(element, Vector):
        raise Unsupported
    if expr.collection is not None:
        collection = vevaluate(expr.collection, vs)
        if not isinstance(collection, Series):
            raise Unsupported
        return contains_series(element, collection)
    items = [vevaluate(item, vs) for item in expr.items]
    if any(isinstance(item, Vector) for item in items):
        raise Unsupported
    return contains(element, items)


@vector_rule(ir.Aggregate)
def _aggregate(expr: ir.Aggregate, vs: VectorScope) -> Any:
    if expr.iterable is not None:
        raise Unsupported
    if expr.kind != "sum":
        return _logical("and" if expr.kind == "all" else "or", expr.args, vs)
    values = [vevaluate(arg, vs) for arg in expr.args]
    if any(value is None for value in values):
        return None
    total = values[0]
    for value in values[1:]:
        vectors = isinstance(total, Vector) or isinstance(value, Vector)
        total = arithmetic("+", total, value) if vectors else total + value
    return total
