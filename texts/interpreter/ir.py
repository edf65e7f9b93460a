"""The intermediate representation: what a program means, independent of the parser.

The grammar's textX objects are lowered into these immutable nodes once. Checks,
evaluation, signatures and the workflow executor all read the IR, never the parse tree.
Every node keeps the span of the text it came from, for error messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from texts.interpreter.source import Source, Span

# ---------------------------------------------------------------------------
# expressions


@dataclass(frozen=True, slots=True)
class Number:
    """A number literal with optional uncertainty and units (``2.5 +/- 0.1 [m]``).

    ``value`` is ``None`` for a ``null`` magnitude (``null [m]``).
    """

    span: Span
    value: int | float | complex | None
    uncertainty: float | None = None
    units: str | None = None
    units_span: Span | None = None


@dataclass(frozen=True, slots=True)
class String:
    span: Span
    value: str


@dataclass(frozen=True, slots=True)
class Bool:
    span: Span
    value: bool


@dataclass(frozen=True, slots=True)
class Null:
    span: Span


@dataclass(frozen=True, slots=True)
class Index:
    span: Span
    index: int


@dataclass(frozen=True, slots=True)
class Slice:
    span: Span
    start: int | None
    stop: int | None
    step: int | None


@dataclass(frozen=True, slots=True)
class Member:
    span: Span
    key: str


Accessor = Index | Slice | Member


@dataclass(frozen=True, slots=True)
class Ref:
    """A name, optionally followed by accessors (``t.b[1:]``)."""

    span: Span
    name: str
    name_span: Span
    accessors: tuple[Accessor, ...] = ()


@dataclass(frozen=True, slots=True)
class Unary:
    span: Span
    op: str  # '+' or '-'
    operand: Expr


@dataclass(frozen=True, slots=True)
class Arith:
    """A left-associative chain ``a op b op c ...`` of ``+ -`` or ``* /`` operations.

    Chains are kept flat (not nested pairs) so that a sum of 10 000 terms is one node.
    """

    span: Span
    operands: tuple[Expr, ...]
    ops: tuple[str, ...]

    def partial_span(self, index: int) -> Span:
        """The span of the chain up to and including operand ``index``."""
        return Span(self.span.start, self.operands[index].span.end)


@dataclass(frozen=True, slots=True)
class Power:
    """``base ** exponent`` (right-associative)."""

    span: Span
    base: Expr
    exponent: Expr


@dataclass(frozen=True, slots=True)
class Compare:
    span: Span
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class BoolOp:
    """``and`` / ``or`` over two or more operands, evaluated left to right."""

    span: Span
    op: str  # 'and' or 'or'
    operands: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Not:
    span: Span
    operand: Expr


@dataclass(frozen=True, slots=True)
class If:
    span: Span
    condition: Expr
    then: Expr
    otherwise: Expr


@dataclass(frozen=True, slots=True)
class Part:
    """``real(x)`` or ``imag(x)``."""

    span: Span
    which: str  # 'real' or 'imag'
    operand: Expr


@dataclass(frozen=True, slots=True)
class Call:
    span: Span
    name: str
    name_span: Span
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Lambda:
    span: Span
    params: tuple[str, ...]
    body: Expr


@dataclass(frozen=True, slots=True)
class TupleLit:
    span: Span
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class SeriesLit:
    """A series literal; ``units`` applies to all (number) elements."""

    span: Span
    name: str
    items: tuple[Expr, ...]
    units: str | None = None
    units_span: Span | None = None


@dataclass(frozen=True, slots=True)
class TableLit:
    """A table from series literals, or ``Table (tuple)`` when ``from_tuple``."""

    span: Span
    columns: tuple[Expr, ...]
    from_tuple: bool = False


@dataclass(frozen=True, slots=True)
class DictLit:
    span: Span
    keys: tuple[str, ...]
    values: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class ArrayLit:
    """An array literal: nested Python lists of int/float/complex/bool/str elements."""

    span: Span
    kind: str  # 'int', 'float', 'complex', 'bool', 'str'
    data: tuple
    units: str | None = None
    units_span: Span | None = None


@dataclass(frozen=True, slots=True)
class FromSource:
    """``Type from file "path"`` / ``Type from url ref``."""

    span: Span
    type_name: str
    kind: str  # 'file' or 'url'
    path: Expr
    source_span: Span


@dataclass(frozen=True, slots=True)
class Property:
    span: Span
    subject: Ref
    name: str  # 'array', 'columns', 'name'


@dataclass(frozen=True, slots=True)
class Condition:
    """One query condition; ``column`` names a column, ``value`` an expression."""

    span: Span
    kind: str  # 'in_list', 'in_iterable', 'columns', 'column_value', 'value_column'
    op: str | None
    column: str
    other_column: str | None = None
    value: Expr | None = None
    items: tuple[Expr, ...] = ()


@dataclass(frozen=True, slots=True)
class CondBool:
    span: Span
    op: str  # 'and', 'or', 'not'
    operands: tuple[Where, ...]


Where = Condition | CondBool


@dataclass(frozen=True, slots=True)
class Query:
    span: Span
    subject: Ref
    select: tuple[str, ...] | None
    where: Where | None


@dataclass(frozen=True, slots=True)
class FuncRef:
    """The name of a defined or imported function passed to map/filter/reduce."""

    span: Span
    name: str


@dataclass(frozen=True, slots=True)
class HigherOrder:
    """``map``, ``filter`` or ``reduce`` with a lambda or a function name."""

    span: Span
    kind: str  # 'map', 'filter', 'reduce'
    function: Lambda | FuncRef
    iterables: tuple[Expr, ...]
    chunks: int | None = None


@dataclass(frozen=True, slots=True)
class Aggregate:
    """``sum``, ``all`` or ``any`` over arguments or one iterable."""

    span: Span
    kind: str  # 'sum', 'all', 'any'
    args: tuple[Expr, ...]
    iterable: Expr | None = None


@dataclass(frozen=True, slots=True)
class In:
    span: Span
    element: Expr
    collection: Expr | None
    items: tuple[Expr, ...] = ()


@dataclass(frozen=True, slots=True)
class Range:
    span: Span
    start: Expr
    stop: Expr
    step: Expr


# ---------------------------------------------------------------------------
# atomistic modelling and chemistry (AMML.md): the objects of the extension


@dataclass(frozen=True, slots=True)
class StructureLit:
    """``Structure [name] (table)``; ``Structure from file`` is a :class:`FromSource`."""

    span: Span
    name: str | None
    table: Expr


@dataclass(frozen=True, slots=True)
class CalculatorLit:
    """``Calculator NAME [OP VERSION] (params) [, task: TASK]``; ``params`` is None for
    ``()`` and ``(default)``."""

    span: Span
    name: str
    params: Expr | None
    pinning: str | None = None
    version: str | None = None
    task: str | None = None


@dataclass(frozen=True, slots=True)
class AlgorithmLit:
    """``Algorithm NAME [, many_to_one] (params)``; ``params`` is None for ``()``."""

    span: Span
    name: str
    params: Expr | None
    many_to_one: bool = False


@dataclass(frozen=True, slots=True)
class PropertyLit:
    """``Property names ((structure: s), (calculator: c), ...)``: a simulation request."""

    span: Span
    names: tuple[str, ...]
    structure: Ref
    calculator: Ref | None = None
    algorithm: Ref | None = None
    constraints: tuple[Ref, ...] | None = None
    rng: String | None = None
    seed: String | None = None


@dataclass(frozen=True, slots=True)
class ConstraintLit:
    """``FixedAtoms where m``, ``FixedLine collinear to [i, j, k] where m``, ``FixedPlane
    normal to [i, j, k] where m`` or ``FixedCOM``."""

    span: Span
    kind: str
    fixed: Expr | None = None
    direction: tuple[int, ...] | None = None
    direction_span: Span | None = None


@dataclass(frozen=True, slots=True)
class SpeciesLit:
    """``Species NAME [, composition: c] [(table)]``."""

    span: Span
    name: str
    composition: Expr | None = None
    table: Expr | None = None


@dataclass(frozen=True, slots=True)
class SpeciesRef:
    """A reaction term's species, named by the name written after ``Species`` (not by the
    variable holding it): the model resolves it to that variable."""

    span: Span
    name: str


@dataclass(frozen=True, slots=True)
class ReactionTerm:
    """``[coefficient] SPECIES``; the coefficient as written (None when omitted)."""

    span: Span
    coefficient: int | float | None
    species: SpeciesRef
    left: bool


@dataclass(frozen=True, slots=True)
class ReactionLit:
    """``Reaction terms = terms [: (table)]`` (``->`` means the same as ``=``)."""

    span: Span
    terms: tuple[ReactionTerm, ...]
    table: Expr | None = None


DomainExpr = (
    StructureLit
    | CalculatorLit
    | AlgorithmLit
    | PropertyLit
    | ConstraintLit
    | SpeciesLit
    | ReactionLit
)

Expr = (
    Number
    | String
    | Bool
    | Null
    | Ref
    | Unary
    | Arith
    | Power
    | Compare
    | BoolOp
    | Not
    | If
    | Part
    | Call
    | Lambda
    | TupleLit
    | SeriesLit
    | TableLit
    | DictLit
    | ArrayLit
    | FromSource
    | Property
    | Query
    | HigherOrder
    | Aggregate
    | In
    | Range
    | DomainExpr
)

# ---------------------------------------------------------------------------
# statements


@dataclass(frozen=True, slots=True)
class Resources:
    span: Span
    walltime: Number | None
    ncores: int | None
    memory: Number | None


@dataclass(frozen=True, slots=True)
class VarDef:
    span: Span
    name: str
    value: Expr
    nonstrict: bool = False
    resources: Resources | None = None


@dataclass(frozen=True, slots=True)
class Update:
    span: Span
    name: str
    value: Expr
    resources: Resources | None = None


@dataclass(frozen=True, slots=True)
class FuncDef:
    span: Span
    name: str
    params: tuple[str, ...]
    body: Expr


@dataclass(frozen=True, slots=True)
class PrintItem:
    span: Span
    value: Expr
    units: str | None = None
    units_span: Span | None = None


@dataclass(frozen=True, slots=True)
class InfoItem:
    span: Span
    value: Expr
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Print:
    span: Span
    items: tuple[PrintItem | InfoItem, ...]


@dataclass(frozen=True, slots=True)
class View:
    span: Span
    mode: str
    items: tuple[PrintItem, ...]


@dataclass(frozen=True, slots=True)
class Vary:
    span: Span
    table: Expr


@dataclass(frozen=True, slots=True)
class Tag:
    span: Span
    value: Expr


@dataclass(frozen=True, slots=True)
class ImportedName:
    span: Span
    name: str


@dataclass(frozen=True, slots=True)
class Import:
    span: Span
    module: str
    names: tuple[ImportedName, ...]


@dataclass(frozen=True, slots=True)
class Export:
    span: Span
    value: Expr
    kind: str  # 'file' or 'url'
    path: str
    path_span: Span


Statement = VarDef | Update | FuncDef | Print | View | Vary | Tag | Import | Export


@dataclass(eq=False)
class Program:
    """A parsed program: its statements in source order and the text they came from."""

    source: Source
    statements: tuple[Statement, ...]
