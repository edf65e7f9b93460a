"""``%load_ext texts`` in a real IPython shell: ``%%texts`` cells and the ``%texts`` value."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy
import pandas
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

from texts.interpreter.units import is_quantity


@pytest.fixture
def shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[InteractiveShell]:
    """A new shell for each test, working in a directory of its own (the workflow store):
    a test sees only the cells it runs itself."""
    monkeypatch.chdir(tmp_path)
    InteractiveShell.clear_instance()
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "texts")
    yield shell
    InteractiveShell.clear_instance()


def cell(shell: InteractiveShell, capsys: pytest.CaptureFixture[str], flags: str, code: str):
    shell.run_cell_magic("texts", flags, code)
    return capsys.readouterr()


def test_cells_grow_one_model_in_instant_mode(shell, capsys) -> None:
    assert cell(shell, capsys, "", "a = 2 [m]\nb = a * 3").out == ""
    shown = cell(shell, capsys, "", "print(b)\nb + 1 [m]\ns = (s: 1, 2)")
    assert (shown.out, shown.err) == ("6 [meter]\n7 [meter]\n", "")
    assert cell(shell, capsys, "-m deferred", "print(s)").out == "(s: 1, 2)\n"


def test_errors_go_to_stderr_and_do_not_stop_the_cell(shell, capsys) -> None:
    shown = cell(shell, capsys, "", "z = 1 / 0\nprint(z)\n'after'")
    assert shown.out == "'after'\n"
    assert shown.err.startswith("Arithmetic error: <cell ")
    assert "division by zero" in shown.err


def test_texts_returns_python_objects(shell, capsys) -> None:
    cell(shell, capsys, "", "a = 2 [m]\ns = (s: 1, 2)")
    value = shell.run_line_magic("texts", "a * 2")
    assert is_quantity(value) and (value.magnitude, str(value.units)) == (4, "meter")
    array = shell.run_line_magic("texts", "v = [1, 2, 3] [s]")
    assert numpy.array_equal(array.magnitude, [1, 2, 3]) and str(array.units) == "second"
    series = shell.run_line_magic("texts", "s")
    assert isinstance(series, pandas.Series) and series.name == "s"
    table = shell.run_line_magic("texts", "((p: 1, 2), (q: 'x', 'y'))")
    assert isinstance(table, pandas.DataFrame) and list(table.columns) == ["p", "q"]
    assert shell.run_line_magic("texts", "'text'") == "text"
    assert shell.run_line_magic("texts", "unknown_name") is None
    assert "Unknown object" in capsys.readouterr().err


def test_workflow_cells_form_a_session_with_magics(shell, capsys) -> None:
    shown = cell(shell, capsys, "-m workflow", "w = 5\nu = w + 1\nprint(u)\n%uuid")
    out, uuid_line = shown.out.splitlines()
    assert out == "n.c."  # as texts script -m workflow without --autorun
    assert uuid_line.startswith("uuids: '")
    assert cell(shell, capsys, "-m workflow --autorun", "u * 2").out == "12\n"
    assert shell.run_line_magic("texts", "u") == 6
    history = cell(shell, capsys, "-m workflow", "%hist").out
    assert "u = w + 1" in history and "COMPLETED" in history


def test_a_bad_flag_is_a_usage_error(shell) -> None:
    with pytest.raises(UsageError, match="invalid choice"):
        shell.run_cell_magic("texts", "-m nowhere", "print(1)")


def test_views_in_a_terminal_shell_follow_the_command_line(shell, capsys, monkeypatch) -> None:
    monkeypatch.setenv("TEXTS_VIEWS", "png")
    shown = cell(shell, capsys, "", "s = (s: 1, 2)\nview scatterplot(s, s)")
    written = Path(shown.err.removeprefix("View written to ").strip())
    assert written.name == "texts_view1.png" and written.stat().st_size > 0


def test_texts_returns_series_and_columns_of_the_pint_pandas_dtype(shell, capsys) -> None:
    series = shell.run_line_magic("texts", "(length: 1, 2, 3) [m]")
    assert str(series.dtype) == "pint[meter][Int64]"  # not object: a pint-pandas column
    assert series.pint.magnitude.tolist() == [1, 2, 3] and series.name == "length"
    table = shell.run_line_magic("texts", "((t: 1.5, 2.5) [s], (n: 1, 2), (w: 'a', 'b'))")
    assert {name: str(dtype) for name, dtype in table.dtypes.items()} == {
        "t": "pint[second][Float64]",
        "n": "pint[dimensionless][Int64]",
        "w": "object",
    }
    cell(shell, capsys, "-m workflow --autorun", "stored = (d: 4, 5) [km]")
    stored = shell.run_line_magic("texts", "stored")  # read back from the workflow store
    assert str(stored.dtype) == "pint[kilometer][Int64]"
    assert stored.pint.magnitude.tolist() == [4, 5]
