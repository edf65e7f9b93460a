"""Static type inference: types, units and dimensions of every expression.

Units are inferred with pint itself, applied to unit-carrying sample quantities, so a
static dimensionality error has exactly the message the run-time error would have had.
Variables are typed in topological order; function bodies are typed once per distinct
tuple of argument types.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from texts.interpreter import ir
from texts.interpreter.checks import structures
from texts.interpreter.errors import TextsError, from_exception, stack_guard
from texts.interpreter.hints import map_call_hint, map_hint, with_hint
from texts.interpreter.model import Model
from texts.interpreter.operators import ARITHMETIC, COMPARISON
from texts.interpreter.source import Span
from texts.interpreter.types import (
    ANY,
    BOOLEAN,
    FUNCTION,
    STRING,
    Type,
    quantity,
    type_name,
    wider_numeric,
)
from texts.interpreter.units import SPECIAL_TARGETS, registry, units_at

Env = Mapping[str, Type]

_ORDERING = ("<", "<=", ">", ">=")
_UNIT_LABELS = ("Dimensionality error", "Offset unit calculus error", "Units error")


def _number_datatype(value: Any, uncertainty: Any) -> str:
    if uncertainty is not None or isinstance(value, float):
        return "Float"
    if isinstance(value, complex):
        return "Complex"
    return "Integer" if isinstance(value, int) else "Float"


def _sample(units: Any) -> Any:
    return registry().Quantity(1, units)


def _pint_step(op: str, left: Any, right: Any) -> Any:
    """Result units of one operation, or the labelled error pint's failure maps to."""
    try:
        if op == "to":
            return _sample(left).to(right).units
        step = COMPARISON[op] if op in COMPARISON else ARITHMETIC[op]
        result = step(_sample(left), _sample(right))
        return getattr(result, "units", None)
    except ZeroDivisionError:  # sample magnitudes are never zero; units only matter
        return None
    except Exception as exc:  # pint's unit errors become the language's labels
        error = from_exception(exc, None)
        return error if error.label in _UNIT_LABELS else None


def _is_negative_literal(expr: ir.Expr) -> bool:
    if isinstance(expr, ir.Number) and isinstance(expr.value, int | float):
        return expr.value < 0
    return isinstance(expr, ir.Unary) and expr.op == "-" and isinstance(expr.operand, ir.Number)


def _literal_exponent(expr: ir.Expr) -> float | int | None:
    """The value of a literal exponent (``2``, ``-1``, ``0.5``), else None."""
    if isinstance(expr, ir.Number) and expr.units is None and isinstance(expr.value, int | float):
        return expr.value
    if isinstance(expr, ir.Unary) and isinstance(expr.operand, ir.Number):
        inner = _literal_exponent(expr.operand)
        if inner is not None:
            return -inner if expr.op == "-" else inner
    return None


class _SeriesOperand(TextsError):
    """A series as an operand of arithmetic; ``series`` are the spans of all of them."""

    def __init__(self, span: Span, series: list[Span], hint: str) -> None:
        message = with_hint("Invalid type in expression", hint)
        super().__init__("Expression type error", message, span)
        self.series = series

    def hinted(self, hint: str) -> _SeriesOperand:
        """The same error with another hint (for the call that passed the series)."""
        return _SeriesOperand(self.span or Span(0, 0), self.series, hint)


class Inferencer:
    """Types the expressions of one model; raises the first static error found."""

    def __init__(
        self,
        model: Model,
        warn: Callable[[str], None] | None = None,
        vary_columns: Mapping[str, ir.Expr] | None = None,
    ) -> None:
        self.model = model
        self.warn = warn  # static warnings (a skipped balance check of a reaction)
        # outside workflow mode a vary column is no variable, but it is typed (as the series
        # it is) before its use is refused: the reference's type errors come first
        self.vary_columns = vary_columns or {}
        self._calls: dict[tuple[str, tuple[Type, ...]], Type] = {}
        self._spellings: dict[str, frozenset[str]] = {}
        self._unit_steps: dict[tuple[str, Any, Any], Any] = {}

    # ---- entry points

    def type_variables(self, order: list[str]) -> None:
        for name in order:
            variable = self.model.variables[name]
            with stack_guard(variable.span):
                self.model.types[name] = self.infer(variable.value, {})
            self._spellings[name] = self._spelled_units(variable.value)

    def infer(self, expr: Any, env: Env) -> Type:
        """The static type of an expression; raises the first static error in it."""
        rules = _rules()
        name = type(expr).__name__
        if name not in rules:  # the extension's objects: their rules are loaded on first use
            # kept local as the evaluation core has it (listed in the note for its rewrite)
            from texts.interpreter.amml import checks  # noqa: PLC0415

            rules[name] = getattr(checks, f"infer_{name}")
        return rules[name](self, expr, env)

    def location(self, span: Span) -> str:
        return self.model.source.location(span)

    # ---- literals and names

    def _Number(self, expr: ir.Number, env: Env) -> Type:
        units = units_at(expr.units, expr.span) if expr.units else None
        if expr.value is None:
            return quantity("Float", units)
        return quantity(_number_datatype(expr.value, expr.uncertainty), units or _dimensionless())

    def _String(self, expr: ir.String, env: Env) -> Type:
        return STRING

    def _Bool(self, expr: ir.Bool, env: Env) -> Type:
        return BOOLEAN

    def _Null(self, expr: ir.Null, env: Env) -> Type:
        return ANY

    def _Ref(self, expr: ir.Ref, env: Env) -> Type:
        base = self._name_type(expr.name, env)
        for accessor in expr.accessors:
            base = self._access(base, accessor, expr)
        return base

    def _name_type(self, name: str, env: Env) -> Type:
        if name in env:
            return env[name]
        if name in self.model.types:
            return self.model.types[name]
        imported = self.model.imports.get(name)
        if imported is not None:
            return FUNCTION if imported.is_callable else value_type(imported.obj)
        if name in self.vary_columns:
            return self.infer(self.vary_columns[name], {})
        return ANY

    def _access(self, base: Type, accessor: Any, ref: ir.Ref) -> Type:
        return structures.access_type(self, base, accessor, ref)

    # ---- arithmetic

    def _operand(self, expr: ir.Expr, env: Env) -> Type:
        type_ = self.infer(expr, env)
        if type_.kind not in ("Quantity", "Any"):
            raise TextsError("Expression type error", "Invalid type in expression", expr.span)
        return type_

    def _operands(
        self, within: ir.Expr, operands: list[ir.Expr], env: Env, at: Span | None = None
    ) -> list[Type]:
        """The types of the operands of ``within``, all numbers; an invalid one is reported
        at ``at`` (default: at itself), a series with the hint to ``map`` the arithmetic
        around it over its elements."""
        types: list[Type] = []
        for operand in operands:
            try:
                types.append(self.infer(operand, env))
            except _SeriesOperand as error:  # in arithmetic inside this one: widen the hint
                if not within.span.start <= error.span.start < within.span.end:
                    raise  # in the body of a function this expression calls
                raise self._series_operand(within, operands, env, error.span, error) from None
            if types[-1].kind == "Series":
                raise self._series_operand(within, operands, env, at or operand.span, None)
            if types[-1].kind not in ("Quantity", "Any"):
                message = "Invalid type in expression"
                raise TextsError("Expression type error", message, at or operand.span)
        return types

    def _series_operand(
        self,
        within: ir.Expr,
        operands: list[ir.Expr],
        env: Env,
        at: Span,
        inner: _SeriesOperand | None,
    ) -> _SeriesOperand:
        """The error at ``at``, its hint naming every series operand of ``within`` (and
        those ``inner``, from an expression inside it, named)."""
        series = list(inner.series) if inner is not None else []
        for operand in operands:
            if not any(operand.span.start <= each.start < operand.span.end for each in series):
                type_ = self._type_if_valid(operand, env)
                if type_ is not None and type_.kind == "Series":
                    series.append(operand.span)
        return _SeriesOperand(at, series, map_hint(self.model.source.text, within.span, series))

    def _type_if_valid(self, expr: ir.Expr, env: Env) -> Type | None:
        try:
            return self.infer(expr, env)
        except TextsError:
            return None

    def _Unary(self, expr: ir.Unary, env: Env) -> Type:
        (type_,) = self._operands(expr, [expr.operand], env, at=expr.span)
        return type_

    def _Arith(self, expr: ir.Arith, env: Env) -> Type:
        types = self._operands(expr, expr.operands, env)
        units = types[0].units
        for index, op in enumerate(expr.ops, start=1):
            right = types[index].units
            if units is None or right is None:
                units = None
                continue
            units = self.unit_step(expr.partial_span(index), op, units, right)
        return quantity(self._arith_datatype(expr, types), units)

    def _Power(self, expr: ir.Power, env: Env) -> Type:
        base, exponent = self._operands(expr, [expr.base, expr.exponent], env)
        if exponent.units is not None:
            self.unit_step(expr.span, "**", None, exponent.units)
        datatype = wider_numeric(base.datatype, exponent.datatype) or "Number"
        if datatype == "Integer" and _is_negative_literal(expr.exponent):
            datatype = "Float"
        if base.is_any or exponent.is_any:
            datatype = "Number"
        return quantity(datatype, self._power_units(expr, base))

    def _power_units(self, expr: ir.Power, base: Type) -> Any:
        if base.units is None or base.units.dimensionless:
            return base.units
        exponent = _literal_exponent(expr.exponent)
        return None if exponent is None else base.units**exponent

    def unit_step(self, span: Span, op: str, left: Any, right: Any) -> Any:
        """The units of ``left op right``, computed by pint on sample quantities.

        A unit error (incompatible dimensions, offset units) is a static error at ``span``;
        results are memoised, a model repeats the same few unit combinations.
        """
        key = (op, left, right)
        if key not in self._unit_steps:
            self._unit_steps[key] = _pint_step(op, left, right)
        result = self._unit_steps[key]
        if isinstance(result, TextsError):
            raise TextsError(result.label, result.message, span)
        return result

    def _arith_datatype(self, expr: ir.Arith, types: list[Type]) -> str:
        """The coarse static datatype the reference reports for an arithmetic chain."""
        kinds = {t.datatype for t in types}
        if "Complex" in kinds:
            return "Complex"
        if any(t.is_any for t in types) or "Number" in kinds or None in kinds:
            return "Number"
        if "/" in expr.ops or "Float" in kinds:
            return "Float"
        unknown_units = (ir.Call, ir.If, ir.Aggregate, ir.HigherOrder)
        if any(isinstance(operand, unknown_units) for operand in expr.operands):
            return "Float"
        return "Float" if len(self._spelled_units(expr)) > 1 else "Integer"

    def _spelled_units(self, expr: Any) -> frozenset[str]:
        """Unit spellings of the literal operands of an arithmetic expression."""
        found: set[str] = set()
        stack = [expr]
        while stack:
            node = stack.pop()
            if isinstance(node, ir.Number) and node.units:
                found.add(node.units.replace(" ", ""))
            elif isinstance(node, ir.Ref) and not node.accessors:
                found |= self._spellings.get(node.name, frozenset())
            elif isinstance(node, ir.Arith):
                stack.extend(node.operands)
            elif isinstance(node, ir.Power):
                stack.append(node.base)
            elif isinstance(node, ir.Unary):
                stack.append(node.operand)
        return frozenset(found)

    # ---- comparisons and booleans

    def _Compare(self, expr: ir.Compare, env: Env) -> Type:
        """Each operand in turn must be a number, a string or a boolean, and a number for
        an ordering; then both must be of one kind (the reference's order of checks)."""
        left = self.infer(expr.left, env)
        right = self.infer(expr.right, env)
        for side in (left, right):
            if side.is_any:
                continue
            if side.kind not in ("Quantity", "String", "Boolean"):
                name = type_name(side) if side.kind == "Array" else side.kind
                raise TextsError(
                    "Type error", f"invalid type used in comparison: {name}", expr.span
                )
            if expr.op in _ORDERING:
                self._check_ordering(expr, side)
        if not (left.is_any or right.is_any):
            if left.kind != right.kind:
                raise self.mismatch(expr.left, left, expr.right, right)
            if expr.op in _ORDERING and left.units is not None and right.units is not None:
                self.check_ordering_units(expr.span, left.units, right.units)
        return BOOLEAN

    def check_ordering_units(self, span: Span, left: Any, right: Any) -> None:
        """Ordering comparisons need compatible units (equality of any two is allowed)."""
        self.unit_step(span, "<", left, right)

    def _check_ordering(self, expr: ir.Compare, side: Type) -> None:
        kind = None
        if side.kind == "String":
            kind = "String"
        elif side.kind == "Boolean":
            kind = "Boolean"
        elif side.datatype == "Complex":
            kind = "Complex Quantity"
        if kind:
            raise TextsError(
                "Type error",
                f'comparison of {kind} not possible with "{expr.op}" operator',
                expr.span,
            )

    def mismatch(self, first: Any, first_type: Type, second: Any, second_type: Type) -> TextsError:
        message = (
            "Type mismatch:\n"
            f"    {type_name(first_type)}: {self.location(first.span)}\n"
            f"    {type_name(second_type)}: {self.location(second.span)}"
        )
        return TextsError("Type mismatch error", message, first.span)

    def _boolean_operand(self, expr: ir.Expr, env: Env) -> Type:
        type_ = self.infer(expr, env)
        if type_.kind not in ("Boolean", "Any"):
            raise TextsError("Expression type error", "Invalid type in expression", expr.span)
        return type_

    def _BoolOp(self, expr: ir.BoolOp, env: Env) -> Type:
        for operand in expr.operands:
            self._boolean_operand(operand, env)
        return BOOLEAN

    def _Not(self, expr: ir.Not, env: Env) -> Type:
        self._boolean_operand(expr.operand, env)
        return BOOLEAN

    def _If(self, expr: ir.If, env: Env) -> Type:
        try:
            self._boolean_operand(expr.condition, env)
        except TextsError as error:
            error.in_condition = True
            raise
        then = self.infer(expr.then, env)
        otherwise = self.infer(expr.otherwise, env)
        return self.join(expr.then, then, expr.otherwise, otherwise)

    def join(self, first: Any, a: Type, second: Any, b: Type) -> Type:
        """The type of a value that is either ``a`` or ``b`` (branches of an ``if``)."""
        if a.is_any:
            return b
        if b.is_any:
            return a
        if a.kind != b.kind:
            raise self.mismatch(first, a, second, b)
        if a.kind in ("Quantity", "Series", "Array"):
            datatype = wider_numeric(a.datatype, b.datatype)
            if datatype is None:
                if a.datatype != b.datatype:
                    raise self.mismatch(first, a, second, b)
                datatype = a.datatype
            units = a.units if a.units == b.units else None
            datalen = a.datalen if a.datalen == b.datalen else None
            return Type(a.kind, datatype, units, a.elements, a.keys, datalen, a.element)
        return a if a == b else Type(a.kind, a.datatype)

    def _Part(self, expr: ir.Part, env: Env) -> Type:
        type_ = self._operand(expr.operand, env)
        datatype = type_.datatype
        if datatype == "Complex":
            datatype = "Float"
        return quantity(datatype or "Number", type_.units)

    # ---- functions

    def _Call(self, expr: ir.Call, env: Env) -> Type:
        arg_types = tuple(self.infer(arg, env) for arg in expr.args)
        function = self.model.functions.get(expr.name)
        if function is None or expr.name in env:
            imported = self.model.imports.get(expr.name)
            kind = getattr(imported.obj, "result_kind", None) if imported else None
            return Type(kind) if kind and expr.name not in env else ANY
        try:
            return self.type_body(function, arg_types)
        except _SeriesOperand as error:  # a series argument: map the function over it
            series = [
                arg.span
                for arg, type_ in zip(expr.args, arg_types, strict=True)
                if type_.kind == "Series"
            ]
            text = self.model.source.text
            if series:
                error = error.hinted(map_call_hint(text, expr.name, expr.span, expr.args, series))
            raise self._used_here(error, function, expr) from None
        except TextsError as error:
            raise self._used_here(error, function, expr) from None

    @staticmethod
    def _used_here(error: TextsError, function: ir.FuncDef, call: ir.Call) -> TextsError:
        """The reference types a body per call: an operand of the wrong type there is a
        "Type error" used here; other errors, and the condition of an if (which it checks
        on its own), keep their label and get no note."""
        inside = error.span is not None and (
            function.span.start <= error.span.start < function.span.end
        )
        if not inside or error.label != "Expression type error" or error.in_condition:
            return error
        error.label = "Type error"
        return error.with_note("used here", call.span)

    def type_body(self, function: ir.FuncDef, arg_types: tuple[Type, ...]) -> Type:
        """The type of a function's body for these argument types (typed once per tuple)."""
        key = (function.name, arg_types)
        if key not in self._calls:
            self._calls[key] = self.infer(function.body, dict(zip(function.params, arg_types)))
        return self._calls[key]

    def _Lambda(self, expr: ir.Lambda, env: Env) -> Type:
        return FUNCTION

    def _FuncRef(self, expr: ir.FuncRef, env: Env) -> Type:
        return FUNCTION

    # ---- print items

    def check_print_item(self, item: ir.PrintItem | ir.InfoItem) -> Type:
        type_ = self.infer(item.value, {})
        if isinstance(item, ir.InfoItem) or item.units is None:
            return type_
        if type_.kind not in ("Quantity", "Any") and not (
            type_.kind in ("Series", "Array")
            and type_.datatype in ("Integer", "Float", "Complex", "Number", None)
        ):
            name = (
                item.value.name
                if isinstance(item.value, ir.Ref) and not item.value.accessors
                else ""
            )
            raise TextsError("Type error", f"Print parameter {name} is non-numeric type", item.span)
        if item.units in SPECIAL_TARGETS:
            return type_
        target = units_at(item.units, item.span)
        if type_.units is not None:
            self.unit_step(item.span, "to", type_.units, target)
        return type_


@functools.cache
def _rules() -> dict[str, Callable[[Inferencer, Any, Env], Type]]:
    """Typing rules by IR class name: scalar rules here, data structures in ``structures``."""
    table: dict[str, Callable[[Inferencer, Any, Env], Type]] = {
        name[1:]: getattr(Inferencer, name)
        for name in dir(Inferencer)
        if name.startswith("_") and name[1:2].isupper()
    }
    table.update(
        (name[len("infer_") :], rule)
        for name, rule in vars(structures).items()
        if name.startswith("infer_")
    )
    return table


def _dimensionless() -> Any:
    return registry().dimensionless


def value_type(value: Any) -> Type:
    """The static type of a known Python value (imported non-callable objects)."""
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, str):
        return STRING
    if isinstance(value, int):
        return quantity("Integer", _dimensionless())
    if isinstance(value, float):
        return quantity("Float", _dimensionless())
    if isinstance(value, complex):
        return quantity("Complex", _dimensionless())
    return ANY
