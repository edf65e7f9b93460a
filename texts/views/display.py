"""Showing the views of a run: each front end passes a ``Display`` (where plots go) and the
console its errors and warnings go to.

A bad view is reported like a failed print and the others are still shown; a view of
values not computed yet (workflow mode) is skipped with a warning. Plots of the atomistic
modes are drawn by :mod:`texts.views.atomistic`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from texts.cli.running import Output
from texts.interpreter.errors import TextsError
from texts.interpreter.evaluation.printing import ShownView
from texts.interpreter.values import NOT_COMPUTED
from texts.views.data import PLOT_MODES, PlotData, plot_data

if TYPE_CHECKING:
    from texts.views.atomistic import AtomisticPlot

Display = Callable[[Sequence["PlotData | AtomisticPlot"]], None]
"""Shows the plots of one run (all at once: a window display blocks until they close)."""


def show_views(views: Sequence[ShownView], display: Display | None, console: Output) -> int:
    """Show what can be shown; return the number of errors reported."""
    plots: list[PlotData | AtomisticPlot] = []
    errors = 0
    for view in views:
        where = _where(view, console)
        if any(value is NOT_COMPUTED for value in view.values):
            console.warn(f"{where}: not shown, its data are not computed yet")
            continue
        try:
            if view.mode in PLOT_MODES:
                plots.append(plot_data(view))
            else:
                # lazily for start-up: matplotlib only when a plot is drawn
                from texts.views.atomistic import atomistic_plot  # noqa: PLC0415

                plots.append(atomistic_plot(view))
        except TextsError as error:
            errors += 1
            console.error(error)
    if plots and display is not None:
        display(plots)
    return errors


def _where(view: ShownView, console: Output) -> str:
    if console.source is None:
        return f"view {view.mode}"
    return f"view {view.mode} at {console.source.location(view.statement.span)}"
