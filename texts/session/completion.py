"""Completion of an input, the same in the terminal session and in a notebook cell: names
the model defines, the input's own definitions, the language's keywords, ``%`` magics and
the arguments of magics (``on``/``off``, help topics, signature modes, logging levels,
variables for ``%rerun``, model files for ``%load``).

Keywords are read from the grammar (the words a name may not be), so they never drift
from what the parser accepts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

from texts.session.help import MAGIC_NAMES, ROOT

_DEFINED = re.compile(
    r"""^[ \t]*(?:
        ([^\d\W]\w*)\s*(?:\([^()]*\))?\s*:?=(?!=)      # a variable or function definition
        | use\s+[\w.]*?(\w+)\s*$                         # use module.name
        | from\s+[\w.]+\s+use\s+([\w, \t]+)              # from module use a, b
    )""",
    re.MULTILINE | re.VERBOSE,
)
_TOKEN = re.compile(r"%?[^\d\W]\w*$|%$")
_RESERVED = re.compile(r"Name:\s*/\(\?!\(([^)]*)\)")
_MAGIC_LINE = re.compile(r"^\s*%(\w+)\s+(.*)$", re.DOTALL)
_ARGUMENT = re.compile(r"""['"]?([^\s,'"]*)$""")

_SWITCHES = ("on", "off")
_LEVELS = ("on", "off", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_VARIABLE_MAGICS = ("rerun", "cancel", "recover", "log")
_FILE_MAGICS = {"load": ".vm", "new": ".vm", "launchpad": ".yaml", "qadapter": ".yaml"}


@functools.cache
def keywords() -> tuple[str, ...]:
    """The reserved words of the grammar (statements, operators, built-ins, types)."""
    # lazily for start-up: an input or a cell imports only what it runs
    from texts.grammar.loader import GRAMMAR_FILE  # noqa: PLC0415

    found = _RESERVED.search(GRAMMAR_FILE.read_text(encoding="utf-8"))
    return tuple(found.group(1).split("|")) if found else ()


@functools.cache
def _help_topics() -> tuple[str, ...]:
    stack, names = [ROOT], []
    while stack:
        topic = stack.pop()
        names.extend(child.name for child in topic.children)
        stack.extend(topic.children)
    return tuple(sorted(set(names)))


def defined_names(texts: Iterable[str]) -> set[str]:
    """The names that statements define (variables, functions, imported objects)."""
    names: set[str] = set()
    for text in texts:
        for match in _DEFINED.finditer(text):
            single = match.group(1) or match.group(2)
            listed = match.group(3)
            names.update([single] if single else [n.strip() for n in listed.split(",")])
    names.discard("")
    return names


def complete(
    code: str, cursor: int, model_names: Iterable[str], workdir: Path | None = None
) -> tuple[list[str], int]:
    """The completions of the word before ``cursor`` and where that word starts."""
    before = code[:cursor]
    magic = _MAGIC_LINE.match(before)
    if magic is not None:
        return _magic_argument(magic.group(1), magic.group(2), cursor, model_names, workdir)
    token = _TOKEN.search(before)
    if token is None:
        return [], cursor
    word = token.group()
    if word.startswith("%"):
        candidates: Iterable[str] = (f"%{name}" for name in MAGIC_NAMES)
    else:
        candidates = {*model_names, *defined_names([code]), *keywords()}
    return _matching(candidates, word), token.start()


def _magic_argument(
    name: str, argument: str, cursor: int, model_names: Iterable[str], workdir: Path | None
) -> tuple[list[str], int]:
    """Completions of the argument of ``%name`` being typed."""
    typed = _ARGUMENT.search(argument)
    word = typed.group(1) if typed else ""
    start = cursor - len(word)
    candidates: Iterable[str] = ()
    if name in ("async", "on_demand", "unique_launchdir", "detect_duplicates", "warnings"):
        candidates = _SWITCHES
    elif name == "logging":
        candidates = _LEVELS
    elif name == "signature":
        # lazily for start-up: an input or a cell imports only what it runs
        from texts.provenance.reuse import MODES  # noqa: PLC0415

        candidates = MODES
    elif name == "help":
        candidates = (*_help_topics(), *MAGIC_NAMES)
    elif name in _VARIABLE_MAGICS:
        candidates = model_names
    elif name in _FILE_MAGICS:
        candidates = _files(word, _FILE_MAGICS[name], workdir or Path.cwd())
    return _matching(candidates, word), start


def _files(prefix: str, suffix: str, workdir: Path) -> list[str]:
    """Paths below ``workdir`` that start with ``prefix``: directories and files ending in
    ``suffix``."""
    folder, _, _ = prefix.rpartition("/")
    directory = workdir / folder if folder else workdir
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        shown = f"{folder}/{path.name}" if folder else path.name
        if path.is_dir() and not path.name.startswith("."):
            found.append(f"{shown}/")
        elif path.name.endswith(suffix):
            found.append(shown)
    return found


def _matching(candidates: Iterable[str], word: str) -> list[str]:
    return sorted(c for c in set(candidates) if c.startswith(word) and c != word)
