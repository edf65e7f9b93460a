"""``texts session`` driven through its standard input, as a user types it."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest

from texts.cli.main import build_parser
from texts.cli.session import run_session
from texts.grammar.classify import is_statement
from texts.session.help import MAGIC_NAMES
from texts.session.magics import UNHANDLED
from texts.session.session import Session, SessionOptions, is_complete
from texts.store.embedded import EmbeddedStore

TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
UUID = re.compile(r"[0-9a-f]{32}")


def session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: str, *options: str
) -> tuple[int, str, str]:
    """Run a session in ``tmp_path`` on these input lines: (status, stdout, stderr)."""
    args = build_parser().parse_args(["session", *options])
    stdout = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        status = run_session(args, io.StringIO(lines), stdout)
    return status, stdout.getvalue(), capsys.readouterr().err


def test_statements_expressions_and_history(tmp_path, capsys) -> None:
    lines = "x = 37\nx * 2\nt = ((a: 1,\n2))\nprint(t)\ny = x / 0\nprint(y)\n%hist\n%exit\n"
    status, out, err = session(tmp_path, capsys, lines, "-r")
    assert status == 0
    assert TIME.sub("TIME", out) == (
        "Input > Input > Output > 74\n"
        "Input >       > Input > Output > ((a: 1, 2))\n"
        "Input > Input > Input > +---------------------+-----------+-------------+\n"
        "| Updated on          | State     | Statements  |\n"
        "+---------------------+-----------+-------------+\n"
        "| TIME | COMPLETED | x = 37      |\n"
        "| TIME | COMPLETED | t = ((a: 1, |\n"
        "|                     |           | 2))         |\n"
        "| TIME | FIZZLED   | y = x / 0   |\n"
        "+---------------------+-----------+-------------+\n"
        "Lost RESERVED: ()\n"
        "Lost RUNNING: ()\n"
        "Input > Exiting\n"
    )
    assert UUID.sub("UUID", err).splitlines() == [
        "Welcome to textS. Type %help for help, %exit to leave.",
        "Arithmetic error: <model UUID>:4:5 --> x / 0 <--",
        "division by zero",
        "    4 | y = x / 0",
        "      |     ^^^^^",
    ]


def test_without_autorun_values_are_not_computed_until_start(tmp_path, capsys) -> None:
    lines = "a = 2 [m]\nb = a * 3\nprint(a, b)\n%start\nb\n%stop\nc = b + a\nc\n"
    status, out, err = session(tmp_path, capsys, lines)
    assert out == (
        "Input > Input > Input > Output > n.c. n.c.\n"
        "Input > Evaluation on\n"
        "Input > Output > 6 [meter]\n"
        "Input > Evaluation off: new statements are only stored\n"
        "Input > Input > Output > n.c.\n"
        "Input > \nExiting\n"
    )
    assert status == 0 and err.count("\n") == 1  # only the banner


def test_settings_magics(tmp_path, capsys) -> None:
    lines = (
        "%uuid\n%warnings\n%warnings OFF\n%warnings\n%logging\n%logfile\n%qadapter\n"
        "%qadapter 'q.yaml'\n%qadapter\n%sleep\n%sleep 5\n%sleep\n%async\n%on_demand on\n"
        "%on_demand\n%detect_duplicates\n%unique_launchdir off\n%unique_launchdir\n"
        "%warnings maybe\n%nope\n%tag\n%quit\nx = 1\n"
    )
    _, out, err = session(tmp_path, capsys, lines)
    shown = [part.strip("\n") for part in out.split("Input > ")]
    assert [part for part in shown if part] == [
        "uuids: null (null,)",
        "on",
        "warnings: off",  # a magic that changes a setting says so
        "off",
        "Logging not activated.",
        "No logfile.",
        "No qadapter file.",
        "Current qadapter file: q.yaml",
        "Current qadapter file: q.yaml",
        "30",
        "Background evaluation every 5 seconds",
        "5",
        "off",
        "on_demand: on",
        "on",
        "on",
        "unique_launchdir: off",
        "off",
        "Exiting",
    ]
    assert err.splitlines()[1:] == [
        "Magic error: expected on or off, not 'maybe'",
        "Magic error: unknown magic %nope: see %help magics",
        "Session error: No model is currently loaded.",
    ]


def test_every_magic_with_help_has_a_handler() -> None:
    assert UNHANDLED == []
    assert {"exit", "quit", "bye", "close"} <= set(MAGIC_NAMES)


def test_help_and_version(tmp_path, capsys) -> None:
    _, out, _ = session(tmp_path, capsys, "%help find\n%version\n")
    assert "**help:magics:find**" in out
    assert "grammar version:" in out and "python version:" in out


def test_vary_tag_and_find(tmp_path, capsys) -> None:
    lines = (
        "vary ((x: 1, 2))\ntag {project: 'alpha', T: 300 [K]}\ny = x * 10\nprint(y)\n%vary\n%tag\n"
        "%find {tags: {'~project': 'alpha'}}\n%find {tags: {'~T': 300 [K]}}\n"
        "%find {tags: {'~project': {'$in': ('beta', 'gamma')}}}\n"
        "%find {data: {'~y': 20}} load one\n"
        "y\n%find {wrong: 1}\n"
    )
    _, out, err = session(tmp_path, capsys, lines, "-r")
    found = UUID.findall(out)
    first, second = found[0], found[1]
    assert f"((x: 1, 2), ('%uuid': '{first}', '{second}'))" in out
    assert "((project: 'alpha'), (T: 300) [kelvin])" in out
    tables = [block for block in out.split("Input > ") if block.startswith("+")]
    assert len(tables) == 2  # both finds by tag list the two models of the group
    assert all(first in table and second in table for table in tables)
    assert "No matching models." in out
    assert out.endswith("Input > Output > 20\nInput > Input > \nExiting\n")
    assert err.splitlines()[1:] == ["Query error: query must include tags, meta or data keys"]


def test_rerun_cancel_and_update(tmp_path, capsys) -> None:
    lines = (
        "a = 2\ne = 1 / (a - 2)\ng = e + 1\nprint(a)\n%cancel a\n%rerun g\n%cancel g\n%hist\n"
        "%rerun g\n%rerun nothing\ne := 1 / (a - 1)\nprint(g)\n%hist\n%rerun a\n%hist\n"
    )
    _, out, err = session(tmp_path, capsys, lines, "-r")
    assert "Output > 2" in out
    histories = [
        re.sub(" +", " ", TIME.sub("T", block))
        for block in out.split("Input > ")
        if block.startswith("+")
    ]
    assert "| T | PAUSED | g = e + 1 |" in histories[0]
    assert "| T | COMPLETED | g = e + 1 |" in histories[1]
    assert "| T | READY | a = 2 |" in histories[2]  # rerun resets dependants
    assert "| T | WAITING | g = e + 1 |" in histories[2]
    assert "Output > 2\n" in out and "Output > 2.0\n" in out  # a, then g once e is fixed
    assert err.splitlines()[1:] == [
        'Variable error: State of variable "a" not allowed: COMPLETED',
        'Variable error: State of variable "g" not allowed: WAITING',
        'Variable error: Variable "nothing" not found in the model.',
    ]


def test_new_load_and_reopen(tmp_path, capsys) -> None:
    (tmp_path / "base.vm").write_text("a = 5\nprint(a)\n", encoding="utf-8")
    (tmp_path / "more.vm").write_text("b = a + 1\nprint(b)\n", encoding="utf-8")
    _, out, _ = session(tmp_path, capsys, "%load 'more.vm'\n%uuid\n", "-r", "-f", "base.vm")
    uuid = UUID.findall(out)[0]
    assert out.startswith("Output > 5\nInput > Output > 6\n")
    _, again, _ = session(tmp_path, capsys, "a + b\n%new\n%uuid\n", "-r", "-u", uuid)
    assert again.splitlines()[:3] == [
        "Input > Output > 11",
        "Input > New model: the next statements start it",
        "Input > uuids: null (null,)",
    ]
    status, _, err = session(tmp_path, capsys, "", "-u", "0" * 32)
    assert (status, err.splitlines()[1]) == (1, f"Model not found: uuid {'0' * 32}")


def test_the_store_is_free_between_inputs(tmp_path, capsys) -> None:

    class Quiet:
        source = None
        show_warnings = True

        def warn(self, message: str) -> None: ...

        def error(self, error) -> None:
            raise AssertionError(error.render())

    written: list[str] = []
    shared = Session(SessionOptions(autorun=True, workdir=tmp_path), Quiet(), written.append)
    shared.handle("a = 1")
    with EmbeddedStore(tmp_path / ".texts") as launchpad:  # would wait if the session held it
        assert launchpad.workflows.count_documents({}) == 1
    shared.handle("a + 1")
    assert written == ["Output > 2"]


def test_background_evaluation(tmp_path, capsys) -> None:

    class Collect:
        source = None
        show_warnings = True

        def __init__(self) -> None:
            self.errors: list[str] = []

        def warn(self, message: str) -> None: ...

        def error(self, error) -> None:
            self.errors.append(error.render())

    written: list[str] = []
    options = SessionOptions(background=True, sleep_seconds=0.05, workdir=tmp_path)
    background = Session(options, Collect(), written.append)
    background.handle("a = 6 * 7")
    background.handle("%start")
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            background.handle("a")
            if written[-1] != "Output > n.c.":
                break
            time.sleep(0.05)
    finally:
        background.handle("%stop")
    assert written[-2:] == ["Output > 42", "Evaluation off: new statements are only stored"]
    assert background.background is not None and not background.background.running


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        ("x = 1", True),
        ("f(a, b) = a + b", True),
        ("x := 2", True),
        ("print(x)", True),
        ("use exp from math", True),
        ("x to file 'x.json'", True),
        ("x == 1", False),
        ("x * 2", False),
        ("(a: 1)", False),
    ],
)
def test_inputs_are_statements_or_expressions(text: str, statement: bool) -> None:
    assert is_statement(text) is statement


@pytest.mark.parametrize(
    ("text", "complete"),
    [("t = ((a: 1,", False), ("x = 1 +", False), ("s = 'a(", False), ("x = f(1)", True)],
)
def test_inputs_continue_while_incomplete(text: str, complete: bool) -> None:
    assert is_complete(text) is complete


def test_recover_cancel_and_reignite(tmp_path, capsys) -> None:
    lines = (
        "e = 1 / 0\nf = e + 1\n%recover e\n%hist\n%cancel e\n%hist\n%rerun e\n%hist\n%recover f\n"
    )
    _, out, err = session(tmp_path, capsys, lines, "-r")
    histories = [
        re.sub(" +", " ", TIME.sub("T", block))
        for block in out.split("Input > ")
        if block.startswith("+")
    ]
    assert [line for line in histories[0].splitlines() if "e = 1 / 0" in line] == [
        "| T | READY | e = 1 / 0 |"
    ]
    assert "| T | PAUSED | e = 1 / 0 |" in histories[1]  # cancelled before it ran again
    assert "| T | READY | e = 1 / 0 |" in histories[2]
    assert err.splitlines()[1:] == ['Variable error: State of variable "f" not allowed: WAITING']


def test_signature_mode_switches_duplicate_detection(tmp_path, capsys) -> None:
    lines = "%signature\n%signature force\n%signature\n%detect_duplicates\n%signature wrong\n"
    _, out, err = session(tmp_path, capsys, lines)
    shown = [part.strip("\n") for part in out.split("Input > ") if part.strip("\n")]
    assert shown == ["default", "signature: force", "force", "off", "Exiting"]
    assert err.splitlines()[1] == (
        "Magic error: the signature mode is one of ignore, default, assert, force, build"
    )
