"""The code blocks of a docs page that are checked by running them.

A fenced block is marked by an HTML comment right above it (invisible on the site):

``<!-- file: NAME -->``
    the block is the content of a file ``NAME`` that later blocks of the page use;
``<!-- run: MODE ... [as NAME] -->``
    the block is a model, run in every named executor (``instant``, ``deferred``,
    ``workflow``); the next block is what it prints (standard error first, then the
    output frame). ``as NAME`` names the model file (``model.vm`` by default);
``<!-- console -->``
    a terminal session: each ``$ `` line is a command run in the page's directory, the
    lines below it its output.

Only blocks at the left margin are read; a block inside an admonition or a tab is
shown, not run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(r"^(`{3,})([^`\n]*)\n(.*?)^\1[ \t]*$", re.MULTILINE | re.DOTALL)
MARK = re.compile(r"<!--\s*(file|run|console)\b:?\s*(.*?)\s*-->\s*$")
EXECUTORS = ("instant", "deferred", "workflow")


@dataclass(frozen=True)
class FileBlock:
    name: str
    text: str
    line: int


@dataclass(frozen=True)
class RunBlock:
    executors: tuple[str, ...]
    name: str
    source: str
    expected: str
    line: int


@dataclass(frozen=True)
class ConsoleBlock:
    commands: tuple[tuple[str, str], ...]
    line: int


Block = FileBlock | RunBlock | ConsoleBlock


@dataclass(frozen=True)
class _Fence:
    info: str
    text: str
    line: int
    mark: tuple[str, str] | None


def _fences(markdown: str) -> list[_Fence]:
    found = []
    for match in FENCE.finditer(markdown):
        before = markdown[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        mark = MARK.fullmatch(before.strip())
        found.append(
            _Fence(
                info=match.group(2).strip(),
                text=match.group(3),
                line=markdown.count("\n", 0, match.start()) + 1,
                mark=(mark.group(1), mark.group(2)) if mark else None,
            )
        )
    return found


def _console(text: str) -> tuple[tuple[str, str], ...]:
    commands: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
        elif line.strip():
            raise ValueError(f"console output before the first command: {line!r}")
    return tuple((command, "\n".join(out)) for command, out in commands)


def _run_arguments(arguments: str, line: int) -> tuple[tuple[str, ...], str]:
    words = arguments.split()
    name = "model.vm"
    if "as" in words:
        at = words.index("as")
        name = words[at + 1]
        words = words[:at] + words[at + 2 :]
    unknown = set(words) - set(EXECUTORS)
    if not words or unknown:
        raise ValueError(f"line {line}: 'run:' names executors of {EXECUTORS}, not {words}")
    return tuple(words), name


def blocks(markdown: str) -> list[Block]:
    """The marked blocks of a page, in page order."""
    fences = _fences(markdown)
    found: list[Block] = []
    for index, fence in enumerate(fences):
        if fence.mark is None:
            continue
        kind, arguments = fence.mark
        if kind == "file":
            found.append(FileBlock(arguments, fence.text, fence.line))
        elif kind == "console":
            found.append(ConsoleBlock(_console(fence.text), fence.line))
        else:
            executors, name = _run_arguments(arguments, fence.line)
            if index + 1 == len(fences) or fences[index + 1].mark is not None:
                raise ValueError(f"line {fence.line}: a 'run:' block needs its output below")
            expected = fences[index + 1].text
            found.append(RunBlock(executors, name, fence.text, expected, fence.line))
    return found


def page_blocks(path: Path) -> list[Block]:
    return blocks(path.read_text(encoding="utf-8"))
