"""Generic traversal of IR expressions, without recursion.

Every pass that needs "all sub-expressions" or "all names used" goes through here, so the
knowledge of which fields of a node hold expressions lives in one table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from texts.interpreter import ir
from texts.interpreter.source import Span


def _fields(*names: str) -> Callable[[Any], tuple]:
    """A getter of the sub-expressions held in the named fields (tuples are spread)."""

    def get(node: Any) -> tuple:
        found: list[Any] = []
        for name in names:
            value = getattr(node, name)
            if isinstance(value, tuple):
                found.extend(value)
            elif value is not None:
                found.append(value)
        return tuple(found)

    return get


_CHILDREN: dict[type, Callable[[Any], tuple]] = {
    ir.Unary: _fields("operand"),
    ir.Not: _fields("operand"),
    ir.Part: _fields("operand"),
    ir.Arith: _fields("operands"),
    ir.Power: _fields("base", "exponent"),
    ir.Compare: _fields("left", "right"),
    ir.BoolOp: _fields("operands"),
    ir.If: _fields("condition", "then", "otherwise"),
    ir.Call: _fields("args"),
    ir.Lambda: _fields("body"),
    ir.TupleLit: _fields("items"),
    ir.SeriesLit: _fields("items"),
    ir.TableLit: _fields("columns"),
    ir.DictLit: _fields("values"),
    ir.FromSource: _fields("path"),
    ir.Property: _fields("subject"),
    ir.Query: _fields("subject", "where"),
    ir.CondBool: _fields("operands"),
    ir.Condition: _fields("value", "items"),
    ir.HigherOrder: _fields("function", "iterables"),
    ir.Aggregate: _fields("args", "iterable"),
    ir.In: _fields("element", "collection", "items"),
    ir.Range: _fields("start", "stop", "step"),
    ir.VarDef: _fields("value"),
    ir.Update: _fields("value"),
    ir.FuncDef: _fields("body"),
    ir.Print: _fields("items"),
    ir.PrintItem: _fields("value"),
    ir.InfoItem: _fields("value"),
    ir.View: _fields("items"),
    ir.Vary: _fields("table"),
    ir.Tag: _fields("value"),
    ir.Export: _fields("value"),
    # atomistic modelling and chemistry
    ir.StructureLit: _fields("table"),
    ir.CalculatorLit: _fields("params"),
    ir.AlgorithmLit: _fields("params"),
    ir.PropertyLit: _fields("structure", "calculator", "algorithm", "constraints", "rng", "seed"),
    ir.ConstraintLit: _fields("fixed"),
    ir.SpeciesLit: _fields("composition", "table"),
    ir.ReactionLit: _fields("terms", "table"),
    ir.ReactionTerm: _fields("species"),
}


def _no_children(node: Any) -> tuple:
    return ()


def children(node: object) -> tuple:
    """The direct sub-expressions of an IR node (statements included)."""
    return _CHILDREN.get(type(node), _no_children)(node)


def descendants(node: object) -> Iterator[object]:
    """All nodes below and including ``node``, parents before children."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def deepest(node: object) -> tuple[int, object]:
    """The number of levels of the tree below ``node``, and a node on the deepest level."""
    found = (1, node)
    stack = [(node, 1)]
    while stack:
        current, level = stack.pop()
        if level > found[0]:
            found = (level, current)
        stack.extend((child, level + 1) for child in children(current))
    return found


@dataclass(frozen=True)
class NameUse:
    """A use of a global name: a reference, a call, or a function passed by name."""

    name: str
    span: Span
    kind: str  # 'ref', 'call', 'funcref', 'species' (a reaction term's species name)
    node: object


def free_names(node: object, bound: frozenset[str] = frozenset()) -> Iterator[NameUse]:
    """Uses of names in ``node`` that are not bound by a parameter or lambda around them."""
    stack: list[tuple[object, frozenset[str]]] = [(node, bound)]
    while stack:
        current, names = stack.pop()
        if isinstance(current, ir.Ref) and current.name not in names:
            yield NameUse(current.name, current.name_span, "ref", current)
        elif isinstance(current, ir.Call) and current.name not in names:
            yield NameUse(current.name, current.name_span, "call", current)
        elif isinstance(current, ir.FuncRef) and current.name not in names:
            yield NameUse(current.name, current.span, "funcref", current)
        elif isinstance(current, ir.SpeciesRef):
            yield NameUse(current.name, current.span, "species", current)
        if isinstance(current, ir.Lambda | ir.FuncDef):
            names = names | frozenset(current.params)
        stack.extend((child, names) for child in reversed(children(current)))
