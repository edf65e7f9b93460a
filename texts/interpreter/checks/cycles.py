"""Cycle detection for recursive functions and for variables that depend on themselves.

Strongly connected components are found iteratively (Tarjan without recursion), so a
model of any depth is checked in linear time; a cycle is then reported the way the
reference reports it: the first definition on the cycle and the reference closing it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence

from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.model import Model
from texts.interpreter.source import Span

# graph: node -> list of (target node, span of the use that creates the edge)
Graph = Mapping[str, Sequence[tuple[str, Span]]]


def _cyclic_nodes(order: Sequence[str], graph: Graph) -> set[str]:
    """Nodes that lie on a cycle (in a component of size > 1 or with a self-loop)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cyclic: set[str] = set()
    counter = 0
    for root in order:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, edge = work[-1]
            if edge == 0 and node not in index:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            edges = graph.get(node, ())
            if edge < len(edges):
                work[-1] = (node, edge + 1)
                target = edges[edge][0]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or any(t == node for t, _ in graph.get(node, ())):
                    cyclic.update(component)
    return cyclic


def _closing_use(start: str, graph: Graph, members: set[str]) -> Span:
    """The span of the use that closes a shortest cycle through ``start``."""
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for target, span in graph.get(node, ()):
            if target == start:
                return span
            if target in members and target not in seen:
                seen.add(target)
                queue.append(target)
    raise AssertionError("start is on a cycle")


def find_cycle(order: Sequence[str], graph: Graph) -> tuple[str, Span] | None:
    """The first node in ``order`` that lies on a cycle, with the closing use."""
    cyclic = _cyclic_nodes(order, graph)
    for node in order:
        if node in cyclic:
            return node, _closing_use(node, graph, cyclic)
    return None


def _report(kind: str, definition: ir.VarDef | ir.FuncDef, closing: Span, model: Model) -> None:
    location = model.source.location
    message = (
        f"Cycle detected:\n    {kind}: {location(definition.span)}\n"
        f"    Reference: {location(closing)}"
    )
    raise TextsError("Cyclic dependency", message, closing)


def check_recursive_functions(model: Model) -> None:
    """Functions may not call themselves, directly or through other functions."""
    graph = {
        name: [
            (use.name, use.node.span if use.kind == "call" else use.span)
            for use in model.uses(function)
            if use.name in model.functions and use.kind in ("call", "funcref")
        ]
        for name, function in model.functions.items()
    }
    found = find_cycle(list(model.functions), graph)
    if found:
        start, closing = found
        _report("FunctionDefinition", model.functions[start], closing, model)


def variable_graph(model: Model) -> dict[str, list[tuple[str, Span]]]:
    """Edges from each variable to the variables it uses (through function bodies too)."""
    return {
        name: [(use.name, use.span) for use in model.variable_uses(variable)]
        for name, variable in model.variables.items()
    }


def check_variable_cycles(model: Model) -> None:
    """Record each variable's inputs; a variable may not depend on itself."""
    graph = variable_graph(model)
    found = find_cycle(list(model.variables), graph)
    if found:
        start, closing = found
        _report("Variable", model.variables[start], closing, model)
    model.inputs = {
        name: tuple(dict.fromkeys(t for t, _ in edges)) for name, edges in graph.items()
    }
