"""The parse cache: used when it may be, never trusted when it must not be, and never a
reason for a program to read or fail differently."""

from __future__ import annotations

import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from texts.grammar import cache, loader, parse_program
from texts.grammar.codec import encode
from texts.grammar.comments import blank_comments
from texts.grammar.statements import split_statements
from texts.interpreter.errors import TextsError
from texts.interpreter.source import Source

PROGRAMS = Path(__file__).parents[1] / "programs"
MODEL = """\
# a model with a little of everything the parser reads
distance = 42.195 [km]  # a comment
time = 2 [hour] + 1 [minute] +
    9 [second]
pace(d, t) = t / d
speed = distance / time
label = if(speed > 20 [km/hour], 'fast; (or not)', "slow")
print(speed [km/hour], pace(distance, time) [minute/km]); print(label)
"""
OUTPUT = "program output: >>>\n20.897234832851836 [kilometer / hour] \
2.8711932693447086 [minute / kilometer]\n'fast; (or not)'\n<<<\n"
#: runs ``texts`` in a Python where textX (and so the parser) cannot be imported
WITHOUT_PARSER = (
    "import sys; sys.modules['textx'] = None; from texts.cli.main import main; sys.exit(main())"
)


@pytest.fixture
def cache_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of the test's own, and no cache read before it."""
    directory = tmp_path / "cache"
    monkeypatch.setenv(cache.DIRECTORY_VARIABLE, str(directory))
    monkeypatch.setattr(cache, "_open", {})
    return directory


@pytest.fixture
def new_process(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Forget the cache files this process has read, as a new ``texts`` process would."""
    return lambda: monkeypatch.setattr(cache, "_open", {})


def cache_files(directory: Path) -> list[Path]:
    return sorted((directory / "statements").iterdir())


def run_process(model: Path, *python: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, *(python or ("-m", "texts")), "script", "-f", str(model)]
    return subprocess.run(command, capture_output=True, text=True, cwd=model.parent, check=False)


def test_a_warm_run_does_not_build_the_parser(tmp_path: Path, cache_directory: Path) -> None:
    model = tmp_path / "model.vm"
    model.write_text(MODEL)
    without_cache = run_process(model, "-c", WITHOUT_PARSER)
    assert without_cache.returncode != 0  # the parser is needed, and cannot be had
    cold = run_process(model)
    warm = run_process(model, "-c", WITHOUT_PARSER)
    assert (cold.stdout, cold.stderr, cold.returncode) == (OUTPUT, "", 0)
    assert (warm.stdout, warm.stderr, warm.returncode) == (OUTPUT, "", 0)
    assert len(cache_files(cache_directory)) == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == [".texts", "cache", "model.vm"]


def test_an_edited_model_parses_only_what_changed(
    run_texts: Callable[..., object],
    tmp_path: Path,
    cache_directory: Path,
    new_process: Callable[[], None],
) -> None:
    model = tmp_path / "model.vm"
    model.write_text("a = 1\nb = a + 1\nprint(b)\n")
    run_texts("model.vm")
    (file,) = cache_files(cache_directory)
    before = cache.read_entries(file)
    model.write_text("a = 1\nb = a + 2\nprint(b)\n")
    new_process()
    assert run_texts("model.vm").out == "program output: >>>\n3\n<<<\n"
    after = cache.read_entries(file)
    assert set(after) == {*before, "b = a + 2"}
    assert after["a = 1"] == before["a = 1"]


def tampered(file: Path, change: Callable[[bytes], bytes]) -> None:
    file.write_bytes(change(file.read_bytes()))


def header() -> bytes:
    return cache.MAGIC + cache.fingerprint()


def replace_digest(data: bytes) -> bytes:
    start = len(header())
    return data[:start] + bytes(cache.DIGEST_SIZE) + data[start + cache.DIGEST_SIZE :]


def replace_fingerprint(data: bytes) -> bytes:
    return cache.MAGIC + bytes(len(cache.fingerprint())) + data[len(header()) :]


@pytest.mark.parametrize(
    "change",
    [
        lambda data: data[:-7],  # torn: a writer died
        lambda data: data[: len(cache.MAGIC) + 3],
        lambda data: b"",
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped
        replace_digest,  # content that does not match its hash
        replace_fingerprint,  # written by another version of the parser
        lambda data: b"\x00" * 200,  # not a cache file at all
    ],
    ids=["torn", "header only", "empty", "flipped bit", "wrong hash", "foreign", "foreign file"],
)
def test_a_damaged_or_foreign_cache_file_is_ignored_and_written_anew(
    change: Callable[[bytes], bytes],
    run_texts: Callable[..., object],
    tmp_path: Path,
    cache_directory: Path,
    new_process: Callable[[], None],
) -> None:
    (tmp_path / "model.vm").write_text("x = 1\nprint(x)\n")
    run_texts("model.vm")
    (file,) = cache_files(cache_directory)
    # a file saying that 'x = 1' means 'x = 2': followed if trusted
    entries = cache.read_entries(file)
    entries["x = 1"] = encode(parse_program("x = 2").statements[0], 0)
    cache.write_entries(file, entries)
    new_process()
    assert run_texts("model.vm").out == "program output: >>>\n2\n<<<\n"  # it is read
    tampered(file, change)
    new_process()
    assert run_texts("model.vm").out == "program output: >>>\n1\n<<<\n"
    assert cache.read_entries(file)["x = 1"] == encode(parse_program("x = 1").statements[0], 0)


def test_a_cache_directory_that_cannot_be_made_changes_nothing(
    run_texts: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "not a directory").write_text("")
    monkeypatch.setenv(cache.DIRECTORY_VARIABLE, str(tmp_path / "not a directory"))
    (tmp_path / "model.vm").write_text(MODEL)
    result = run_texts("model.vm")
    assert (result.out, result.err, result.status) == (OUTPUT, "", 0)


@pytest.fixture
def read_only(cache_directory: Path) -> Iterator[Callable[[], None]]:
    """Makes the cache directory and its files read-only (and writable again after)."""
    paths: list[Path] = []

    def make() -> None:
        paths.extend([cache_directory / "statements", *cache_files(cache_directory)])
        for path in paths:
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))

    yield make
    for path in paths:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_a_read_only_cache_is_read_and_not_written(
    run_texts: Callable[..., object],
    tmp_path: Path,
    cache_directory: Path,
    read_only: Callable[[], None],
    new_process: Callable[[], None],
) -> None:
    model = tmp_path / "model.vm"
    model.write_text(MODEL)
    run_texts("model.vm")
    read_only()
    new_process()
    model.write_text(MODEL + "print(pace(1 [km], 4 [minute]) [minute/km])\n")
    result = run_texts("model.vm")
    assert result.out == OUTPUT.replace("<<<", "4.0 [minute / kilometer]\n<<<")
    assert (result.err, result.status) == ("", 0)


def test_a_statement_found_elsewhere_is_reported_where_it_stands_now(
    run_texts: Callable[..., object],
    tmp_path: Path,
    cache_directory: Path,
    new_process: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = tmp_path / "model.vm"
    model.write_text("a = 1\nb = a + 2 [m]\nprint(b)\n")
    first = run_texts("model.vm")
    assert first.err.startswith(f"Dimensionality error: {model}:2:5 --> a + 2 [m] <--")
    moved = "c = 2\n\nd = 3;    b = a + 2 [m]\na = 1\nprint(b)\n"
    model.write_text(moved)
    new_process()
    warm = run_texts("model.vm")
    assert warm.err.startswith(f"Dimensionality error: {model}:3:15 --> a + 2 [m] <--")
    cold_cache = tmp_path / "another cache"
    monkeypatch.setenv(cache.DIRECTORY_VARIABLE, str(cold_cache))
    new_process()
    cold = run_texts("model.vm")
    assert (warm.out, warm.err, warm.status) == (cold.out, cold.err, cold.status)


PARSER_NEEDED = "the parser was needed"


def parsed(path: Path) -> object:
    """A corpus program's statements, or the syntax error it reports."""
    source = Source(path.read_text(encoding="utf-8"), str(path))
    try:
        return loader.parse_source(source).statements
    except TextsError as error:
        return error.render(source)
    except LookupError:
        return PARSER_NEEDED


def no_parser() -> None:
    raise LookupError(PARSER_NEEDED)


def test_every_corpus_program_reads_the_same_from_the_cache(
    cache_directory: Path, new_process: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The statements read back equal those parsed, spans included: the checks and the
    evaluation, which see nothing else, report the same errors at the same places. Only
    a program with a syntax error, or one that cannot be cut into statements without the
    parser, needs the parser again."""
    monkeypatch.setattr(cache, "MAX_FILES", 10_000)  # one cache file per program
    programs = sorted(PROGRAMS.rglob("*.vm"))
    cold = [parsed(path) for path in programs]
    new_process()
    monkeypatch.setattr(loader, "metamodel", no_parser)
    warm = [parsed(path) for path in programs]
    for path, before, after in zip(programs, cold, warm):
        cut = split_statements(blank_comments(path.read_text(encoding="utf-8")))
        if after == PARSER_NEEDED:
            assert isinstance(before, str) or cut is None, path
        else:
            assert after == before, path
    assert sum(isinstance(found, tuple) for found in warm) > 400
