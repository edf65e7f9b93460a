"""Fuzzing ``texts session``: whatever one types, ``Session.handle`` reports it with a
label and the session goes on, also after an input that hits a limit."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path

from fuzz_mutations import mutated_programs
from fuzz_oracle import assert_labelled, fuzz_settings, watchdog
from fuzz_programs import expressions, programs
from hypothesis import given
from hypothesis import strategies as st

from texts.cli.main import build_parser
from texts.cli.script import Console
from texts.session.session import Session, SessionOptions

MAGICS = st.sampled_from(["%history", "%uuid", "%vary", "%rerun a", "%cancel b", "%find {}", "%"])
INPUTS = st.one_of(
    programs,
    expressions(),
    mutated_programs().map(lambda p: p.decode("utf-8", "replace") if isinstance(p, bytes) else p),
    MAGICS,
)


@contextlib.contextmanager
def session() -> Iterator[tuple[Session, io.StringIO, list[str]]]:
    """A session with autorun on a fresh embedded store: (session, stderr, output lines)."""
    err, shown = io.StringIO(), []
    with tempfile.TemporaryDirectory() as name, contextlib.redirect_stderr(err):
        previous = os.getcwd()
        os.chdir(name)
        try:
            console = Console(build_parser().parse_args(["session"]))
            yield (
                Session(SessionOptions(autorun=True, workdir=Path(name)), console, shown.append),
                err,
                shown,
            )
        finally:
            os.chdir(previous)


def handle(active: Session, text: str) -> None:
    """One input; it must not raise, nor end the session."""
    try:
        with watchdog():
            going_on = active.handle(text)
    except BaseException:
        raise AssertionError(f"the session raised:\n{traceback.format_exc()}") from None
    assert going_on


@fuzz_settings(0.01)
@given(texts=st.lists(INPUTS, min_size=1, max_size=3))
def test_session_inputs(texts: list[str]) -> None:
    with session() as (active, err, _):
        for text in texts:
            handle(active, text)
        assert_labelled(err.getvalue())


def test_session_goes_on_after_limits() -> None:
    with session() as (active, err, shown):
        for text in [
            "x = 10 ** 10 ** 10",
            "x",
            "r = range(0, 1e12, 1)",
            "r",
            "d = " + "(" * 3000 + "1" + ")" * 3000,
            "c = " + " ** ".join(["1"] * 500),
            "z = 2",
            "z * 3",
        ]:
            handle(active, text)
    assert shown == ["Output > 6"]
    labels = [line.split(": <")[0] for line in err.getvalue().splitlines() if " --> " in line]
    assert labels == ["Arithmetic error", "Memory error", "Syntax error", "Syntax error"]
