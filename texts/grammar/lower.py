"""Lowering: turn the textX model of a program into the IR of :mod:`texts.interpreter.ir`.

One function per grammar rule, chosen by the class name of the textX object. Operator
chains become nested binary nodes here (left-associative, ``**`` right-associative), so
nothing after this module needs to know how the grammar spells precedence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.source import Span


def _join(first: Span, last: Span) -> Span:
    return Span(first.start, last.end)


def parse_number(text: str) -> int | float | complex:
    """Convert the text of a NUMBER token to a Python number.

    Imaginary and complex literals (``3 j``, ``1 + 2 j``) have float parts; a literal with a
    decimal point or an exponent is a float, anything else an integer.
    """
    text = text.strip()
    if text[-1] in "jJ":
        body = text[:-1].rstrip()
        # split 'R [+-] I' at the sign that follows the real part
        for index in range(len(body) - 1, 0, -1):
            if body[index] in "+-" and body[index - 1] not in "eE+-" and body[:index].strip():
                real, imag = _part(body[:index]), _part(body[index:])
                return complex(real, imag)  # an integer zero has no sign: 1 - 0 j is 1.0+0.0 j
        return complex(0.0, _part(body))
    if any(ch in text for ch in ".eE"):
        return float(text)
    return _integer(text)


def _part(text: str) -> float:
    """A part of a complex literal as a float; an integer part has no negative zero."""
    number = "".join(text.split())
    value = float(number)
    return value if any(ch in number for ch in ".eE") else value + 0.0


def _integer(text: str) -> int:
    """An integer literal of any length up to the language's limit.

    Python refuses to convert more than 4300 digits at once (``int(text)`` raises); the
    digits are converted in pieces instead, and a literal longer than the limit on integer
    results is refused before any work.
    """
    # lazily for start-up: the evaluation package (NumPy) only for a long literal's check
    from texts.interpreter.evaluation.limits import MAX_INTEGER_DIGITS  # noqa: PLC0415

    digits = text.lstrip("+-")
    if len(digits) > MAX_INTEGER_DIGITS:
        raise TextsError(
            "Value error",
            f"integer literal of {len(digits)} digits: more than the {MAX_INTEGER_DIGITS} allowed",
        )
    value = 0
    for start in range(0, len(digits), _DIGITS_AT_ONCE):
        piece = digits[start : start + _DIGITS_AT_ONCE]
        value = value * 10 ** len(piece) + int(piece)
    return -value if text.startswith("-") else value


_DIGITS_AT_ONCE = 4000


def unquote(text: str) -> str:
    """The value of a string literal: quotes removed, only ``\\'`` and ``\\"`` unescaped."""
    return text[1:-1].replace("\\'", "'").replace('\\"', '"')


class Lowering:
    """Lowers one program, or a piece of one: ``text`` is what was parsed and ``offset``
    where it starts in the program, so spans count from the program's start."""

    def __init__(self, text: str, offset: int = 0) -> None:
        self.text = text
        self.offset = offset
        self._rules: dict[str, Callable[[Any], Any]] = {
            name[len("_lower_") :]: getattr(self, name)
            for name in dir(self)
            if name.startswith("_lower_")
        }

    def __call__(self, obj: Any) -> Any:
        rule = self._rules.get(type(obj).__name__)
        if rule is None:  # a grammar rule without a lowering is a bug, not a user error
            raise TypeError(f"no lowering for grammar rule {type(obj).__name__}")
        return rule(obj)

    def _span(self, obj: Any) -> Span:
        """The span of a textX object."""
        return Span(obj._tx_position + self.offset, obj._tx_position_end + self.offset)

    def _name_span(self, obj: Any, name: str) -> Span:
        start = obj._tx_position + self.offset
        return Span(start, start + len(name))

    def _units_span(self, obj: Any) -> Span:
        """The span of a trailing ``[units]`` of an object (from its last ``[``)."""
        end = obj._tx_position_end
        start = self.text.rfind("[", obj._tx_position, end)
        return Span(start + self.offset, end + self.offset)

    # ---- statements

    def _lower_Variable(self, obj: Any) -> ir.VarDef:
        resources = self(obj.resources) if obj.resources else None
        return ir.VarDef(self._span(obj), obj.name, self(obj.value), bool(obj.nonstrict), resources)

    def _lower_VariableUpdate(self, obj: Any) -> ir.Update:
        resources = self(obj.resources) if obj.resources else None
        return ir.Update(self._span(obj), obj.name, self(obj.value), resources)

    def _lower_Resources(self, obj: Any) -> ir.Resources:
        walltime = self(obj.walltime) if obj.walltime else None
        memory = self(obj.memory) if obj.memory else None
        ncores = int(obj.ncores) if obj.ncores else None
        return ir.Resources(self._span(obj), walltime, ncores, memory)

    def _lower_FunctionDefinition(self, obj: Any) -> ir.FuncDef:
        params = tuple(param.name for param in obj.params)
        return ir.FuncDef(self._span(obj), obj.name, params, self(obj.body))

    def _lower_Print(self, obj: Any) -> ir.Print:
        return ir.Print(self._span(obj), tuple(self(item) for item in obj.items))

    def _lower_PrintArg(self, obj: Any) -> ir.PrintItem:
        units = obj.units.strip() if obj.units else None
        units_span = self._units_span(obj) if units else None
        return ir.PrintItem(self._span(obj), self(obj.value), units, units_span)

    def _lower_InfoItem(self, obj: Any) -> ir.InfoItem:
        return ir.InfoItem(self._span(obj), self(obj.value), obj.detail or None)

    def _lower_View(self, obj: Any) -> ir.View:
        return ir.View(self._span(obj), obj.mode, tuple(self(item) for item in obj.items))

    def _lower_Vary(self, obj: Any) -> ir.Vary:
        return ir.Vary(self._span(obj), self(obj.table))

    def _lower_Tag(self, obj: Any) -> ir.Tag:
        return ir.Tag(self._span(obj), self(obj.tag))

    def _lower_TagDict(self, obj: Any) -> ir.DictLit:
        keys = tuple(self(item.key) for item in obj.items)
        return ir.DictLit(self._span(obj), keys, tuple(self(item.value) for item in obj.items))

    def _lower_ImportedName(self, obj: Any) -> ir.ImportedName:
        return ir.ImportedName(self._span(obj), obj.name)

    def _lower_ImportDotted(self, obj: Any) -> ir.Import:
        return ir.Import(self._span(obj), obj.module, (self(obj.name),))

    def _lower_ImportUseFrom(self, obj: Any) -> ir.Import:
        names = tuple(self(name) for name in obj.names)
        return ir.Import(self._span(obj), ".".join(obj.module), names)

    _lower_ImportFromUse = _lower_ImportUseFrom

    def _lower_Export(self, obj: Any) -> ir.Export:
        path = self(obj.path)
        return ir.Export(self._span(obj), self(obj.subject), obj.kind, path.value, path.span)

    # ---- literals

    def _lower_QuantityLit(self, obj: Any) -> ir.Expr:
        if obj.source:
            return self._source("Quantity", obj)
        value = None if obj.null else parse_number(obj.number)
        uncertainty = None
        if obj.uncertainty or obj.uncnull:
            uncertainty = None if obj.uncnull else parse_number(obj.uncertainty)
            value, uncertainty = self._check_uncertain(obj, value, uncertainty)
        units = obj.units.strip() if obj.units else None
        units_span = self._units_span(obj) if units else None
        return ir.Number(self._span(obj), value, uncertainty, units, units_span)

    def _check_uncertain(self, obj: Any, value: Any, uncertainty: Any) -> tuple[Any, Any]:
        for part in (value, uncertainty):
            if isinstance(part, complex):
                raise TextsError("Type error", "uncertain numbers must be real", self._span(obj))
        if uncertainty is not None and uncertainty < 0:
            raise TextsError("Value error", "uncertainty cannot be negative", self._span(obj))
        return _to_float(value), _to_float(uncertainty)

    def _lower_BoolLit(self, obj: Any) -> ir.Expr:
        if obj.source:
            return self._source("Bool", obj)
        return ir.Bool(self._span(obj), obj.value in ("true", "True"))

    def _lower_StringLit(self, obj: Any) -> ir.Expr:
        if obj.source:
            return self._source("String", obj)
        return ir.String(self._span(obj), unquote(obj.value))

    def _lower_NullLit(self, obj: Any) -> ir.Null:
        return ir.Null(self._span(obj))

    def _source(self, type_name: str, obj: Any) -> ir.FromSource:
        source = obj.source
        path = self(source.path) if source.path else self(source.ref)
        return ir.FromSource(self._span(obj), type_name, source.kind, path, self._span(source))

    def _lower_ArraySource(self, obj: Any) -> ir.FromSource:
        return self._source(obj.kind, obj)

    # ---- operators

    def _chain(self, obj: Any) -> ir.Expr:
        operands = [self(obj.first)]
        if not obj.rest:
            return operands[0]
        operands.extend(self(tail.operand) for tail in obj.rest)
        ops = tuple(tail.operator for tail in obj.rest)
        return ir.Arith(self._span(obj), tuple(operands), ops)

    def _lower_Arithmetic(self, obj: Any) -> ir.Expr:
        return self._chain(obj)

    def _lower_Term(self, obj: Any) -> ir.Expr:
        return self._chain(obj)

    def _lower_Factor(self, obj: Any) -> ir.Expr:
        operands = [self(operand) for operand in obj.operands]
        result = operands[-1]
        for index in range(len(operands) - 2, -1, -1):
            left = operands[index]
            span = self._span(obj) if index == 0 else _join(left.span, result.span)
            result = ir.Power(span, left, result)
        return result

    def _lower_Signed(self, obj: Any) -> ir.Expr:
        operand = self(obj.operand)
        if not obj.sign:
            return operand
        return ir.Unary(self._span(obj), obj.sign, operand)

    def _lower_Comparison(self, obj: Any) -> ir.Compare:
        return ir.Compare(self._span(obj), obj.operator, self(obj.left), self(obj.right))

    def _bool_chain(self, obj: Any, op: str) -> ir.Expr:
        operands = tuple(self(operand) for operand in obj.operands)
        if len(operands) == 1:
            return operands[0]
        return ir.BoolOp(self._span(obj), op, operands)

    def _lower_OrExpr(self, obj: Any) -> ir.Expr:
        return self._bool_chain(obj, "or")

    def _lower_AndExpr(self, obj: Any) -> ir.Expr:
        return self._bool_chain(obj, "and")

    def _lower_NotExpr(self, obj: Any) -> ir.Expr:
        operand = self(obj.operand)
        return ir.Not(self._span(obj), operand) if obj.negate else operand

    def _lower_IfFunction(self, obj: Any) -> ir.If:
        return ir.If(self._span(obj), self(obj.condition), self(obj.then), self(obj.otherwise))

    _lower_IfExpression = _lower_IfFunction

    def _lower_RealPart(self, obj: Any) -> ir.Part:
        return ir.Part(self._span(obj), "real", self(obj.argument))

    def _lower_ImagPart(self, obj: Any) -> ir.Part:
        return ir.Part(self._span(obj), "imag", self(obj.argument))

    # ---- names, calls, accessors

    def _lower_Call(self, obj: Any) -> ir.Call:
        args = tuple(self(arg) for arg in obj.arguments)
        return ir.Call(self._span(obj), obj.function, self._name_span(obj, obj.function), args)

    def _lower_Lambda(self, obj: Any) -> ir.Lambda:
        return ir.Lambda(self._span(obj), tuple(p.name for p in obj.params), self(obj.body))

    def _lower_Reference(self, obj: Any) -> ir.Ref:
        accessors = tuple(self(accessor) for accessor in obj.accessors)
        return ir.Ref(self._span(obj), obj.name, self._name_span(obj, obj.name), accessors)

    def _lower_MemberAccessor(self, obj: Any) -> ir.Member:
        return ir.Member(self._span(obj), self(obj.key))

    def _lower_IndexAccessor(self, obj: Any) -> ir.Index:
        return ir.Index(self._span(obj), int(obj.index))

    def _lower_SliceAccessor(self, obj: Any) -> ir.Slice:
        def bound(text: str) -> int | None:
            return int(text) if text else None

        return ir.Slice(self._span(obj), bound(obj.start), bound(obj.stop), bound(obj.step))

    def _lower_KeyName(self, obj: Any) -> str:
        return obj.name

    def _lower_KeyString(self, obj: Any) -> str:
        return unquote(obj.name)

    def _lower_PropertyAccess(self, obj: Any) -> ir.Property:
        return ir.Property(self._span(obj), self(obj.subject), obj.name)

    def _lower_Query(self, obj: Any) -> ir.Query:
        select = tuple(self(key) for key in obj.columns) if obj.columns else None
        where = self(obj.where) if obj.where else None
        return ir.Query(self._span(obj), self(obj.subject), select, where)

    # ---- query conditions

    def _lower_WhereAll(self, obj: Any) -> ir.CondBool:
        return ir.CondBool(self._span(obj), "and", tuple(self(c) for c in obj.conditions))

    def _lower_WhereAny(self, obj: Any) -> ir.CondBool:
        return ir.CondBool(self._span(obj), "or", tuple(self(c) for c in obj.conditions))

    def _cond_chain(self, obj: Any, op: str) -> ir.Where:
        operands = tuple(self(operand) for operand in obj.operands)
        return operands[0] if len(operands) == 1 else ir.CondBool(self._span(obj), op, operands)

    def _lower_ConditionOr(self, obj: Any) -> ir.Where:
        return self._cond_chain(obj, "or")

    def _lower_ConditionAnd(self, obj: Any) -> ir.Where:
        return self._cond_chain(obj, "and")

    def _lower_ConditionNot(self, obj: Any) -> ir.Where:
        inner = self(obj.inner)
        return ir.CondBool(self._span(obj), "not", (inner,)) if obj.negate else inner

    def _lower_ConditionIn(self, obj: Any) -> ir.Condition:
        column = self(obj.column)
        if obj.items:
            items = tuple(self(item) for item in obj.items)
            return ir.Condition(self._span(obj), "in_list", None, column, items=items)
        return ir.Condition(self._span(obj), "in_iterable", None, column, value=self(obj.iterable))

    def _lower_ConditionColumns(self, obj: Any) -> ir.Condition:
        return ir.Condition(
            self._span(obj), "columns", obj.operator, self(obj.left), other_column=self(obj.right)
        )

    def _lower_ConditionColumnValue(self, obj: Any) -> ir.Condition:
        return ir.Condition(
            self._span(obj), "column_value", obj.operator, self(obj.left), value=self(obj.right)
        )

    def _lower_ConditionValueColumn(self, obj: Any) -> ir.Condition:
        return ir.Condition(
            self._span(obj), "value_column", obj.operator, self(obj.right), value=self(obj.left)
        )

    # ---- built-in functions

    def _higher_order(self, obj: Any, kind: str, iterables: list[Any]) -> ir.HigherOrder:
        if obj.lambda_fn:
            function: ir.Lambda | ir.FuncRef = self(obj.lambda_fn)
        else:
            start = self.text.index(obj.function, obj._tx_position) + self.offset
            function = ir.FuncRef(Span(start, start + len(obj.function)), obj.function)
        chunks = int(obj.chunks) if obj.chunks else None
        return ir.HigherOrder(
            self._span(obj), kind, function, tuple(self(i) for i in iterables), chunks
        )

    def _lower_Map(self, obj: Any) -> ir.HigherOrder:
        return self._higher_order(obj, "map", obj.iterables)

    def _lower_Filter(self, obj: Any) -> ir.HigherOrder:
        return self._higher_order(obj, "filter", [obj.iterables])

    def _lower_Reduce(self, obj: Any) -> ir.HigherOrder:
        return self._higher_order(obj, "reduce", [obj.iterables])

    def _aggregate(self, obj: Any, kind: str) -> ir.Aggregate:
        if obj.iterable:
            return ir.Aggregate(self._span(obj), kind, (), self(obj.iterable))
        args = (self(obj.first), *(self(arg) for arg in obj.rest))
        return ir.Aggregate(self._span(obj), kind, args)

    def _lower_Sum(self, obj: Any) -> ir.Aggregate:
        return self._aggregate(obj, "sum")

    def _lower_All(self, obj: Any) -> ir.Aggregate:
        return self._aggregate(obj, "all")

    def _lower_Any(self, obj: Any) -> ir.Aggregate:
        return self._aggregate(obj, "any")

    def _lower_In(self, obj: Any) -> ir.In:
        element = self(obj.element)
        if obj.iterable:
            return ir.In(self._span(obj), element, self(obj.iterable))
        return ir.In(self._span(obj), element, None, tuple(self(item) for item in obj.items))

    def _lower_Range(self, obj: Any) -> ir.Range:
        return ir.Range(self._span(obj), self(obj.start), self(obj.stop), self(obj.step))

    # ---- data structures

    def _lower_Tuple(self, obj: Any) -> ir.TupleLit:
        return ir.TupleLit(self._span(obj), tuple(self(item) for item in obj.items))

    def _lower_Series(self, obj: Any) -> ir.Expr:
        if obj.source:
            return self._source("Series", obj)
        units = obj.units.strip() if obj.units else None
        units_span = self._units_span(obj) if units else None
        items = tuple(self(element) for element in obj.elements)
        return ir.SeriesLit(self._span(obj), self(obj.name), items, units, units_span)

    def _lower_NumberElement(self, obj: Any) -> ir.Number:
        return ir.Number(self._span(obj), parse_number(obj.number))

    def _lower_Table(self, obj: Any) -> ir.Expr:
        if obj.source:
            return self._source("Table", obj)
        if obj.tuple:
            items = self(obj.tuple).items
            return ir.TableLit(self._span(obj), items, from_tuple=True)
        return ir.TableLit(self._span(obj), tuple(self(column) for column in obj.columns))

    def _lower_Dict(self, obj: Any) -> ir.DictLit:
        keys = tuple(self(item.key) for item in obj.items)
        return ir.DictLit(self._span(obj), keys, tuple(self(item.value) for item in obj.items))

    def _lower_BoolArrayLit(self, obj: Any) -> ir.ArrayLit:
        return ir.ArrayLit(self._span(obj), "bool", self._nested(obj, _bool_word))

    def _lower_StrArrayLit(self, obj: Any) -> ir.ArrayLit:
        return ir.ArrayLit(self._span(obj), "str", self._nested(obj, lambda e: unquote(e.value)))

    def _lower_NumArrayLit(self, obj: Any) -> ir.ArrayLit:
        data = self._nested(obj, lambda e: parse_number(e.number))
        kinds = set(_leaf_kinds(data))
        kind = "complex" if complex in kinds else "float" if float in kinds else "int"
        units = obj.units.strip() if obj.units else None
        units_span = self._units_span(obj) if units else None
        return ir.ArrayLit(self._span(obj), kind, data, units, units_span)

    def _nested(self, obj: Any, leaf: Callable[[Any], Any]) -> tuple:
        return tuple(
            self._nested(element, leaf) if hasattr(element, "elements") else leaf(element)
            for element in obj.elements
        )

    # ---- atomistic modelling and chemistry (AMML.md)

    def _lower_AmmlStructure(self, obj: Any) -> ir.Expr:
        if obj.source:
            return self._source("Structure", obj)
        return ir.StructureLit(self._span(obj), obj.name or None, self(obj.table))

    def _lower_AmmlCalculator(self, obj: Any) -> ir.CalculatorLit:
        params = self(obj.params) if obj.params else None
        version = _semver(obj.version) if obj.version else None
        return ir.CalculatorLit(
            self._span(obj), obj.name, params, obj.pinning or None, version, obj.task or None
        )

    def _lower_AmmlAlgorithm(self, obj: Any) -> ir.AlgorithmLit:
        params = self(obj.params) if obj.params else None
        return ir.AlgorithmLit(self._span(obj), obj.name, params, bool(obj.many_to_one))

    def _lower_AmmlProperty(self, obj: Any) -> ir.PropertyLit:
        def clause(found: Any) -> Any:
            return self(found.ref) if found else None

        constraints = tuple(self(ref) for ref in obj.constraints.refs) if obj.constraints else None
        return ir.PropertyLit(
            self._span(obj),
            tuple(obj.names),
            self(obj.structure.ref),
            clause(obj.calculator),
            clause(obj.algorithm),
            constraints,
            self(obj.rng.value) if obj.rng else None,
            self(obj.seed.value) if obj.seed else None,
        )

    def _lower_AmmlConstraint(self, obj: Any) -> ir.ConstraintLit:
        fixed = self(obj.fixed) if obj.fixed else None
        if not obj.direction:
            return ir.ConstraintLit(self._span(obj), obj.kind, fixed)
        direction = tuple(int(element) for element in obj.direction.elements)
        where = self._span(obj.direction)
        return ir.ConstraintLit(self._span(obj), obj.kind, fixed, direction, where)

    def _lower_ChemSpecies(self, obj: Any) -> ir.SpeciesLit:
        composition = self(obj.composition) if obj.composition else None
        table = self(obj.table) if obj.table else None
        return ir.SpeciesLit(self._span(obj), obj.name, composition, table)

    def _lower_ChemReaction(self, obj: Any) -> ir.ReactionLit:
        terms = [self._term(term, True) for term in obj.left]
        terms.extend(self._term(term, False) for term in obj.right)
        table = self(obj.table) if obj.table else None
        return ir.ReactionLit(self._span(obj), tuple(terms), table)

    def _term(self, obj: Any, left: bool) -> ir.ReactionTerm:
        coefficient = parse_number(obj.coefficient) if obj.coefficient else None
        species = ir.SpeciesRef(self._span(obj.species), obj.species.name)
        return ir.ReactionTerm(self._span(obj), coefficient, species, left)


def _semver(obj: Any) -> str:
    """A semantic version as written: ``MAJOR.MINOR.PATCH[-PRE][+BUILD]``."""
    text = f"{obj.major}.{obj.minor}.{obj.patch}"
    if obj.pre:
        text += f"-{obj.pre}"
    if obj.build:
        text += f"+{obj.build}"
    return text


def _to_float(number: Any) -> float | None:
    return None if number is None else float(number)


def _bool_word(element: Any) -> bool:
    return element.value in ("true", "True")


def _leaf_kinds(data: tuple) -> list[type]:
    kinds: list[type] = []
    stack = [data]
    while stack:
        for element in stack.pop():
            if isinstance(element, tuple):
                stack.append(element)
            else:
                kinds.append(type(element))
    return kinds
