"""``texts session`` on a terminal, typed into a pseudo-terminal: history across
sessions, Tab completion, multi-line input, highlighting, Ctrl-C and Ctrl-D."""

from __future__ import annotations

import re

import pexpect
import pytest

# an empty prompt: prompt_toolkit draws it, then moves the cursor after it (a prompt drawn
# again with the accepted input on it has text there instead)
FRESH_PROMPT = r"Input >\x1b\[7D"
COLOURED = re.compile(r"\x1b\[[0-9;]*m")


def completed(typed: str, completion: str) -> str:
    """The typed text and the completion Tab added, as the terminal draws them: the whole
    word again, or the completion after the typed part (escape sequences between)."""
    return re.escape(typed) + r"(?:\x1b\[[0-9;?]*[A-Za-z])*" + re.escape(completion)


@pytest.fixture
def session(terminal):
    def start(*options: str):
        child = terminal("session", "-r", *options)
        child.expect(FRESH_PROMPT)
        return child

    return start


def leave(child) -> None:
    """Ctrl-D at the next empty prompt (keys typed before it reach the terminal, not it)."""
    child.expect(FRESH_PROMPT)
    child.sendcontrol("d")
    child.expect("Exiting")
    child.expect(pexpect.EOF)


def test_tab_completes_names_keywords_magics_and_magic_arguments(session) -> None:
    child = session()
    child.send("alpha = 3 [m]\r")
    child.expect(FRESH_PROMPT)
    child.send("alp\t")  # a name of the model
    child.expect(completed("alp", "ha"))
    child.send(" * 2\r")
    child.expect(r"Output > 6 \[meter\]")
    child.expect(FRESH_PROMPT)
    child.send("%on_d\t")  # a magic
    child.expect(completed("on_d", "emand"))
    child.send(" of\t")  # its argument
    child.expect(completed("of", "f"))
    child.send("\r")
    child.expect("on_demand: off")
    child.expect(FRESH_PROMPT)
    child.send("prin\t")  # a keyword
    child.expect(completed("prin", "t"))
    child.send("(alpha)\r")
    child.expect(r"Output > 3 \[meter\]")
    leave(child)


def test_input_continues_until_complete_and_is_highlighted(session) -> None:
    child = session()
    child.send("t = ((a: 1,\r")
    child.expect("      >")  # the continuation prompt
    child.send("2))\r")
    child.expect(FRESH_PROMPT)
    child.send("print(t)\r")
    child.expect(r"Output > \(\(a: 1, 2\)\)")
    drawn = child.before
    keyword = re.search(r"\x1b\[[0-9;]*m(print)\x1b\[", drawn)  # the lexer coloured print
    assert keyword is not None, COLOURED.sub("", drawn)
    leave(child)


def test_history_is_kept_across_sessions_outside_the_working_directory(session, tmp_path) -> None:
    child = session()
    child.send("beta = 41 + 1\r")
    leave(child)
    child = session()
    child.send("\x1b[A")  # up arrow
    child.expect(r"beta \x1b\[[0-9;]*m=")  # the previous session's input, back (coloured)
    child.send("\r")
    child.expect(FRESH_PROMPT)
    child.send("beta\r")
    child.expect("Output > 42")
    leave(child)
    assert "+beta = 41 + 1" in (tmp_path / "history").read_text()
    assert not (tmp_path / ".texts" / "history").exists()


def test_ctrl_c_drops_the_line_and_keeps_the_model(session) -> None:
    child = session()
    child.send("gamma = 7\r")
    child.expect(FRESH_PROMPT)
    child.send("gamma = 8 + ")
    child.sendintr()  # Ctrl-C: the half-typed input is dropped
    child.expect(FRESH_PROMPT)
    child.send("gamma\r")
    child.expect("Output > 7")
    child.expect(FRESH_PROMPT)
    child.send("%uuid\r")
    child.expect(r"uuids: '[0-9a-f]{32}'")
    leave(child)


def test_ctrl_c_during_an_evaluation_stops_it_and_keeps_the_session(session, slow_chain) -> None:
    child = session()
    child.send("%load 'slow.vm'\r")
    child.expect("now: b")
    child.sendintr()
    child.expect("Stopping: no further node is started")
    child.expect(FRESH_PROMPT)  # the session goes on
    child.send("a + 10\r")
    child.expect("Output > 11")  # what was computed is kept
    leave(child)
