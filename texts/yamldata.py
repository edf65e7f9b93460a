"""YAML that is data, never trusted: safe tags only, and no alias bomb.

YAML aliases let a few hundred bytes describe a document of billions of nodes (each level
of aliases multiplies the one below); PyYAML builds the shared structure cheaply, and the
first walk over it (decoding a value, checking a configuration) never ends. Every YAML the
project reads from data (data files, the datastore's YAML files, its configuration) is
loaded here: the document's node graph is composed first, and a document whose aliases
expand it to more than ``EXPANSION_FACTOR`` times its own nodes and more than
``EXPANSION_FLOOR`` nodes in all, or that refers to itself, is refused before anything
is built from it.
"""

from __future__ import annotations

from typing import Any

EXPANSION_FACTOR = 10
EXPANSION_FLOOR = 1_000_000


class AliasBomb(ValueError):
    """A YAML document whose aliases expand it beyond the budget."""


def load_yaml(text: str | bytes, fast: bool = True) -> Any:
    """The data of a YAML document, safely (``yaml.YAMLError`` for malformed text). With
    ``fast``, libyaml's parser when it is there; else PyYAML's own, whose messages say
    where and what is wrong in the words users are shown."""
    # lazily for start-up: PyYAML only when YAML is read
    import yaml  # noqa: PLC0415

    safe = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if fast else yaml.SafeLoader
    loader = safe(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_expansion(root: Any) -> None:
    """Refuse a node graph whose expansion (aliases repeated) exceeds the budget."""
    sizes: dict[int, int] = {}
    distinct = 0
    budget = EXPANSION_FLOOR
    stack: list[tuple[Any, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            budget = max(budget, EXPANSION_FACTOR * distinct)
            if sizes[key] > budget:
                raise AliasBomb(
                    f"the YAML document's aliases expand it beyond {budget} nodes; refused"
                )
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise AliasBomb("the YAML document refers to itself through an alias; refused")
        open_nodes.add(key)
        distinct += 1
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def _children(node: Any) -> list[Any]:
    value = node.value
    if not isinstance(value, list):
        return []
    children: list[Any] = []
    for item in value:
        if isinstance(item, tuple):  # a mapping's (key, value) pair
            children.extend(item)
        else:
            children.append(item)
    return children
