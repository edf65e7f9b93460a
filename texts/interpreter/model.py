"""The checked model of a program: its definitions and the dependency graph between them.

A model has one node per variable. A node's inputs are the variables its value uses,
directly or through the bodies of the functions it calls; evaluation order is a
topological order of these nodes, computed without recursion.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from texts.interpreter import ir
from texts.interpreter.source import Source, Span
from texts.interpreter.types import Type
from texts.interpreter.walk import NameUse, children, free_names


@dataclass(frozen=True)
class ImportedObject:
    """A Python object imported with ``use``: its name in the program and dotted path."""

    name: str
    dotted: str
    span: Span
    obj: Any = None

    @property
    def is_callable(self) -> bool:
        return callable(self.obj)


@dataclass(eq=False)
class Model:
    """Everything the executors need: definitions, graph, order and static types."""

    program: ir.Program
    variables: dict[str, ir.VarDef] = field(default_factory=dict)
    functions: dict[str, ir.FuncDef] = field(default_factory=dict)
    imports: dict[str, ImportedObject] = field(default_factory=dict)
    vary_names: set[str] = field(default_factory=set)
    updated: set[str] = field(default_factory=set)  # variables redefined with ':='
    #: species name (as written after ``Species``) -> the first variable holding it
    species: dict[str, str] = field(default_factory=dict)

    inputs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    types: dict[str, Type] = field(default_factory=dict)
    _strict: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _uses: dict[int, list[NameUse]] = field(default_factory=dict, repr=False)
    _free: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)

    @property
    def source(self) -> Source:
        return self.program.source

    @property
    def prints(self) -> list[ir.Print]:
        return [s for s in self.program.statements if isinstance(s, ir.Print)]

    @property
    def exports(self) -> list[ir.Export]:
        return [s for s in self.program.statements if isinstance(s, ir.Export)]

    @property
    def views(self) -> list[ir.View]:
        return [s for s in self.program.statements if isinstance(s, ir.View)]

    def uses(self, node: object) -> list[NameUse]:
        """The global names a statement or function uses (computed once per node)."""
        found = self._uses.get(id(node))
        if found is None:
            found = self._uses[id(node)] = [self._species_variable(u) for u in free_names(node)]
        return found

    def _species_variable(self, use: NameUse) -> NameUse:
        """A reaction term names a species: it uses the variable that holds it."""
        if use.kind == "species" and use.name in self.species:
            return NameUse(self.species[use.name], use.span, "ref", use.node)
        return use

    def free_names(self, node: object) -> frozenset[str]:
        """The names an expression uses that nothing inside it binds (computed once per
        node): whether it depends on the parameters of the function applied around it."""
        found = self._free.get(id(node))
        if found is None:
            found = self._free[id(node)] = frozenset(use.name for use in free_names(node))
        return found

    def variable_uses(self, node: object) -> list[NameUse]:
        """Uses of variables by a statement, also inside the bodies of the functions it
        calls (a function body may use global variables)."""
        found: list[NameUse] = []
        seen_functions: set[str] = set()
        pending = [node]
        while pending:
            for use in self.uses(pending.pop()):
                if use.name in self.variables:
                    found.append(use)
                elif use.name in self.functions and use.name not in seen_functions:
                    seen_functions.add(use.name)
                    pending.append(self.functions[use.name])
        return found

    def definitions_used(self, node: object) -> list[str]:
        """The functions and imports a statement needs, through the functions it calls, in
        the order they are reached (each once)."""
        found: dict[str, None] = {}
        pending = [node]
        while pending:
            for use in self.uses(pending.pop()):
                if use.name in found:
                    continue
                if use.name in self.functions:
                    found[use.name] = None
                    pending.append(self.functions[use.name])
                elif use.name in self.imports:
                    found[use.name] = None
        return list(found)

    def variables_used_by(self, node: object) -> tuple[str, ...]:
        """The variables a statement needs, through function bodies too."""
        return tuple(dict.fromkeys(use.name for use in self.variable_uses(node)))

    def strict_inputs(self, name: str) -> tuple[str, ...]:
        """The variables a variable needs on every evaluation path (computed first)."""
        found = self._strict.get(name)
        if found is None:
            found = self._strict[name] = tuple(self.strict_uses(self.variables[name]))
        return found

    def strict_uses(self, node: object) -> list[str]:
        """Variables used where they are always evaluated: not inside an ``if`` branch,
        after the first operand of ``and``/``or``/``all``/``any``, in a function argument
        or in a lambda or function body."""
        found: dict[str, None] = {}
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, ir.Ref) and current.name in self.variables:
                found.setdefault(current.name)
            elif isinstance(current, ir.SpeciesRef) and current.name in self.species:
                found.setdefault(self.species[current.name])
            stack.extend(_strict_children(current, self))
        return list(found)

    def dependants(self, names: Iterable[str]) -> list[str]:
        """``names`` and every variable that uses one of them, directly or through others:
        what a changed definition changes."""
        users: dict[str, list[str]] = {}
        for user, inputs in self.inputs.items():
            for name in inputs:
                users.setdefault(name, []).append(user)
        found = dict.fromkeys(names)
        stack = list(found)
        while stack:
            for user in users.get(stack.pop(), ()):
                if user not in found:
                    found[user] = None
                    stack.append(user)
        return list(found)

    def closure(self, roots: Iterable[str], strict: bool = False) -> list[str]:
        """The variables needed for ``roots``, in an order where inputs come first.

        With ``strict``, only the inputs needed on every path are followed.
        """
        edges = self.strict_inputs if strict else (lambda name: self.inputs.get(name, ()))
        order: list[str] = []
        state: dict[str, int] = {}  # 1 = on the stack, 2 = done
        for root in roots:
            if state.get(root) == 2:
                continue
            stack: list[tuple[str, int]] = [(root, 0)]
            state[root] = 1
            while stack:
                name, index = stack[-1]
                inputs = edges(name)
                if index < len(inputs):
                    stack[-1] = (name, index + 1)
                    child = inputs[index]
                    if child not in state:
                        state[child] = 1
                        stack.append((child, 0))
                else:
                    stack.pop()
                    state[name] = 2
                    order.append(name)
        return order


def _strict_children(node: object, model: Model) -> tuple:
    """The sub-expressions of ``node`` that are evaluated whenever ``node`` is."""
    match node:
        case ir.If():
            return (node.condition,)
        case ir.BoolOp():
            return node.operands[:1]
        case ir.Aggregate() if node.kind in ("all", "any") and node.iterable is None:
            return node.args[:1]
        case ir.Call() if node.name in model.functions:
            return ()
        case ir.Lambda() | ir.FuncDef():
            return ()
        case ir.HigherOrder():
            return node.iterables
        case ir.Query():
            return (node.subject,)
    return children(node)
