"""Plots of ``view`` statements: every argument form drawn to PNG, bad views reported, and
the command line writing PNG files next to the model when there is no display."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from texts.executors import EXECUTORS
from texts.grammar import parse_source
from texts.interpreter.checks import check_program
from texts.interpreter.errors import TextsError
from texts.interpreter.evaluation.printing import ShownView
from texts.interpreter.source import Source
from texts.views.data import plot_data
from texts.views.display import show_views
from texts.views.render import DPI, FIGURE_SIZE, png

PROGRAMS = Path(__file__).parents[1] / "programs"
DATA = """
x = (x: 1, 2, 3)
y = (y: 1, 4, 9) [m]
t = ((x: 1, 2, 3), (y: 1, 4, 9) [m], (z: 2, 3, 4))
a = [1.0, 2.0, 3.0] [s]
w = [[1, 2], [3, 4], [5, 6]] [m]
rows = (rows: [1, 2] [m], [3, 4] [m], [5, 6] [m])
"""
VIEWS = {
    "series": ("y [cm], x", "y [centimeter]", "x"),
    "table": ("t, 'x', 'y'", "y [meter]", "x"),
    "table with units": ("t, 'x', 'y', (units: null, 'km', null)", "y [kilometer]", "x"),
    "arrays": ("a, x", "a [second]", "x"),
    "wide array": ("w, x, ('p', 'q')", "w [meter]", "x"),
    "wide series": ("rows, x, (c: 'p', 'q')", "rows [meter]", "x"),
}


class Recorder:
    """A console that keeps what it is told."""

    def __init__(self, source: Source | None = None) -> None:
        self.source = source
        self.warnings: list[str] = []
        self.errors: list[TextsError] = []

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def error(self, error: TextsError) -> None:
        self.errors.append(error)


def shown(*views: str) -> tuple[list[ShownView], Recorder]:
    """The evaluated views of the data above followed by these statements (instant mode)."""
    source = Source(DATA + "\n".join(views), "views.vm")
    console = Recorder(source)
    model = check_program(parse_source(source), "instant", console.warn)
    result = EXECUTORS["instant"](model, console.error).run()
    assert not console.errors
    return result.views, console


@pytest.mark.parametrize("mode", ["lineplot", "scatterplot"])
@pytest.mark.parametrize("form", VIEWS)
def test_every_form_renders_to_a_png_of_the_figure_size(mode: str, form: str) -> None:
    arguments, y_label, x_label = VIEWS[form]
    (view,), _ = shown(f"view {mode}({arguments})")
    plot = plot_data(view)
    assert (plot.mode, plot.y_label, plot.x.label) == (mode, y_label, x_label)
    image = Image.open(io.BytesIO(png(plot)))
    assert image.format == "PNG"
    assert image.size == tuple(round(inches * DPI) for inches in FIGURE_SIZE)
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 10  # axes, labels, lines: not blank


def test_wide_form_draws_one_line_per_column() -> None:
    (view,), _ = shown("view lineplot(w, x, ('p', 'q'))")
    plot = plot_data(view)
    assert [(line.label, line.values) for line in plot.lines] == [
        ("p", [1, 3, 5]),
        ("q", [2, 4, 6]),
    ]


def test_wide_form_given_one_row_per_column_is_turned() -> None:
    (view,), _ = shown("view lineplot([[1, 3, 5], [2, 4, 6]] [m], x, ('p', 'q'))")
    plot = plot_data(view)
    assert [(line.label, line.values) for line in plot.lines] == [
        ("p", [1, 3, 5]),
        ("q", [2, 4, 6]),
    ]


def test_wide_form_columns_with_units_label_each_line() -> None:
    (view,), _ = shown("view lineplot(w, x, (pressure: 1, 2) [bar])")
    assert [line.label for line in plot_data(view).lines] == ["1 [bar]", "2 [bar]"]


def test_long_form_units_convert_the_columns_drawn() -> None:
    (view,), _ = shown("view lineplot(t, 'y', 'x', (units: null, 'cm', null))")
    plot = plot_data(view)
    assert (plot.x.label, plot.x.values) == ("y [centimeter]", [100, 400, 900])
    assert plot.lines[0].values == [1, 2, 3]


@pytest.mark.parametrize(
    ("arguments", "label"),
    [
        ("x", "Value error"),
        ("t, 'x', 'nope'", "Value error"),
        ("w, x, ('p', 'q', 'r')", "Type error"),
        ("t, x", "Type error"),
    ],
)
def test_a_bad_view_is_reported_and_the_others_are_shown(arguments: str, label: str) -> None:
    views, console = shown(f"view lineplot({arguments})", "view lineplot(y, x)")
    drawn: list = []
    assert show_views(views, drawn.extend, console) == 1
    assert [error.label for error in console.errors] == [label]
    assert console.errors[0].span is not None  # located at the view
    assert len(drawn) == 1


def test_atomistic_modes_draw_with_ase() -> None:
    structure = (
        "h2 = Structure h2 ((atoms: ((symbols: 'H', 'H'), (x: 0.0, 0.74) [angstrom], "
        "(y: 0.0, 0.0) [angstrom], (z: 0.0, 0.0) [angstrom])))"
    )
    views, console = shown(structure, "view structure(h2)", "view eos(x, x)")
    drawn: list = []
    assert show_views(views, drawn.extend, console) == 1  # numbers are no volumes
    assert [plot.mode for plot in drawn] == ["structure"]
    assert Image.open(io.BytesIO(png(drawn[0]))).size == (640, 480)
    assert console.errors[0].label == "Dimensionality error"


def test_the_command_line_writes_a_png_next_to_the_model_without_a_display(
    run_texts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTS_VIEWS", "auto")
    monkeypatch.setattr("texts.views.terminal.has_display", lambda: False)
    model = tmp_path / "st_view.vm"
    shutil.copy(PROGRAMS / "spec" / "st_view.vm", model)
    result = run_texts("script", "-f", str(model))
    picture = tmp_path / "st_view_view1.png"
    assert result.status == 0
    assert result.out == (PROGRAMS / "spec" / "st_view.out").read_text()
    assert result.err == "View written to st_view_view1.png\n"  # where the user is
    assert Image.open(picture).size == (640, 480)



def test_a_view_of_a_model_in_a_subdirectory_is_named_from_the_working_directory(
    run_texts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTS_VIEWS", "png")
    (tmp_path / "models").mkdir()
    shutil.copy(PROGRAMS / "spec" / "st_view.vm", tmp_path / "models" / "st_view.vm")
    result = run_texts("script", "-f", "models/st_view.vm")
    assert result.err == "View written to models/st_view_view1.png\n"
    assert (tmp_path / "models" / "st_view_view1.png").stat().st_size > 0

def test_views_off_draws_nothing(run_texts, tmp_path: Path) -> None:
    model = tmp_path / "st_view.vm"
    shutil.copy(PROGRAMS / "spec" / "st_view.vm", model)
    result = run_texts("script", "-f", str(model))
    assert (result.status, result.err) == (0, "")
    assert not list(tmp_path.glob("*.png"))
