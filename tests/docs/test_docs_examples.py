"""Every marked example of the docs is true: models print what the page shows, in every
executor the page names, and terminal sessions print what the page shows.

How a block is marked is described in ``docsite/blocks.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rounding import assert_printed

from docsite import blocks, transcript
from docsite.running import run_command

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
PAGE_BLOCKS = {page: blocks.page_blocks(page) for page in PAGES}
RUNS = [
    (page, block, executor)
    for page, found in PAGE_BLOCKS.items()
    for block in found
    if isinstance(block, blocks.RunBlock)
    for executor in block.executors
]
CONSOLE_PAGES = [
    page
    for page, found in PAGE_BLOCKS.items()
    if any(isinstance(b, blocks.ConsoleBlock) for b in found)
]


def _name(page: Path) -> str:
    return str(page.relative_to(DOCS))


def _write_files(page: Path, until_line: int, directory: Path) -> None:
    for block in PAGE_BLOCKS[page]:
        if isinstance(block, blocks.FileBlock) and block.line < until_line:
            (directory / block.name).write_text(block.text, encoding="utf-8")


def _assert_shown(page: Path, actual: str, expected: str) -> None:
    """What the page shows; the atomistic page's simulations up to the rounding of the
    machine (see ``rounding``)."""
    if _name(page).startswith("language/atomistic"):
        assert_printed(actual, expected)
    else:
        assert actual == expected


def _frame(text: str) -> str:
    """The output frame: what workflow mode is compared on (its errors are reported
    where they arise, see the corpus tests)."""
    start = text.find("program output: >>>")
    return text[start:] if start >= 0 else ""


def test_the_docs_have_runnable_examples() -> None:
    assert len(RUNS) > 50
    assert CONSOLE_PAGES


@pytest.mark.parametrize(
    ("page", "block", "executor"),
    RUNS,
    ids=[f"{_name(p)}:{b.line}:{e}" for p, b, e in RUNS],
)
def test_model_prints_what_the_page_shows(
    page: Path, block: blocks.RunBlock, executor: str, run_texts: Callable, tmp_path: Path
) -> None:
    _write_files(page, block.line, tmp_path)
    model = tmp_path / block.name
    model.write_text(block.source, encoding="utf-8")
    arguments = ["script", "-f", str(model), "-m", executor]
    if executor == "workflow":
        arguments.append("--autorun")
    result = run_texts(*arguments)
    shown = (result.err + result.out).replace(str(model), block.name)
    if executor == "workflow":
        header, _, rest = result.out.partition("\n")
        assert header.startswith("program UUID: ")
        _assert_shown(page, rest, _frame(block.expected))
    else:
        _assert_shown(page, shown, block.expected)


@pytest.mark.parametrize("page", CONSOLE_PAGES, ids=_name)
def test_terminal_sessions_print_what_the_page_shows(page: Path, tmp_path: Path) -> None:
    bindings: dict[str, str] = {}
    for block in PAGE_BLOCKS[page]:
        if isinstance(block, blocks.FileBlock):
            (tmp_path / block.name).write_text(block.text, encoding="utf-8")
        elif isinstance(block, blocks.ConsoleBlock):
            for command, expected in block.commands:
                outcome = run_command(transcript.substitute(command, bindings), tmp_path)
                transcript.bind(expected, outcome.text, bindings)
                assert transcript.same(expected, outcome.text), (
                    f"{_name(page)}:{block.line}: $ {command}\n{outcome.text}"
                )
