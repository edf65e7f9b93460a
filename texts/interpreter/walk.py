"""Generic traversal of IR expressions, without recursion.

Every pass that needs "all sub-expressions" or "all names used" goes through here, so the
knowledge of which fields of a node hold expressions lives in one table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from texts.interpreter import ir
from texts.interpreter.source import Span


def children(node: object) -> tuple:
    """The direct sub-expressions of an IR node (statements included)."""
    match node:
        case ir.Unary() | ir.Not() | ir.Part():
            return (node.operand,)
        case ir.Arith():
            return node.operands
        case ir.Power():
            return (node.base, node.exponent)
        case ir.Compare():
            return (node.left, node.right)
        case ir.BoolOp():
            return node.operands
        case ir.If():
            return (node.condition, node.then, node.otherwise)
        case ir.Call():
            return node.args
        case ir.Lambda():
            return (node.body,)
        case ir.TupleLit():
            return node.items
        case ir.SeriesLit():
            return node.items
        case ir.TableLit():
            return node.columns
        case ir.DictLit():
            return node.values
        case ir.FromSource():
            return (node.path,)
        case ir.Property():
            return (node.subject,)
        case ir.Query():
            return (node.subject, node.where) if node.where is not None else (node.subject,)
        case ir.CondBool():
            return node.operands
        case ir.Condition():
            value = (node.value,) if node.value is not None else ()
            return value + node.items
        case ir.HigherOrder():
            return (node.function, *node.iterables)
        case ir.Aggregate():
            return node.args + ((node.iterable,) if node.iterable is not None else ())
        case ir.In():
            collection = (node.collection,) if node.collection is not None else ()
            return (node.element, *collection, *node.items)
        case ir.Range():
            return (node.start, node.stop, node.step)
        case ir.VarDef() | ir.Update():
            return (node.value,)
        case ir.FuncDef():
            return (node.body,)
        case ir.Print():
            return node.items
        case ir.PrintItem() | ir.InfoItem():
            return (node.value,)
        case ir.View():
            return node.items
        case ir.Vary():
            return (node.table,)
        case ir.Tag():
            return (node.value,)
        case ir.Export():
            return (node.value,)
    return ()


def descendants(node: object) -> Iterator[object]:
    """All nodes below and including ``node``, parents before children."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


@dataclass(frozen=True)
class NameUse:
    """A use of a global name: a reference, a call, or a function passed by name."""

    name: str
    span: Span
    kind: str  # 'ref', 'call', 'funcref'
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
        if isinstance(current, ir.Lambda | ir.FuncDef):
            names = names | frozenset(current.params)
        stack.extend((child, names) for child in reversed(children(current)))
