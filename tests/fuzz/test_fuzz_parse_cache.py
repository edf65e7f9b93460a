"""Fuzzing the parse cache: a corpus program is parsed (filling the cache), then edited as a
user would (or mangled), and parsed again. The statements the cache supplies for the
edited text must be exactly what the parser reads from it, and a text the parser refuses
must be refused with the same message, wherever the unchanged statements now stand."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

import pytest
from fuzz_mutations import MAX_CHARS, TEXTS, _edit
from fuzz_oracle import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from texts.grammar import cache, loader
from texts.grammar.comments import blank_comments
from texts.interpreter.errors import TextsError
from texts.interpreter.source import Source

MODEL_PATH = "/fuzz/model.vm"


@st.composite
def edited_programs(draw: st.DrawFn) -> tuple[str, str]:
    """A corpus program and the same program after one to four edits."""
    original = text = draw(st.sampled_from(TEXTS))
    for edit in draw(st.lists(_edit(), min_size=1, max_size=4)):
        text = edit(text)[:MAX_CHARS]
    return original, text


@pytest.fixture(autouse=True, scope="module")
def _cache_of_its_own() -> Iterator[None]:
    with tempfile.TemporaryDirectory() as directory, pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache.DIRECTORY_VARIABLE, directory)
        yield


def read(text: str, parse: object) -> object:
    source = Source(text, MODEL_PATH)
    try:
        return parse(source, text)  # type: ignore[operator]
    except TextsError as error:
        return error.render(source)


def with_cache(source: Source, _text: str) -> object:
    return loader.parse_source(source).statements


def by_the_parser(source: Source, text: str) -> object:
    return loader._parse_whole(source, blank_comments(text)).statements


@fuzz_settings(0.05)
@given(programs=edited_programs())
def test_statements_from_the_cache_read_as_the_parser_reads_them(
    programs: tuple[str, str],
) -> None:
    original, edited = programs
    read(original, with_cache)
    cache._open.clear()  # what a new process would find: the cache file
    assert read(edited, with_cache) == read(edited, by_the_parser)
