"""Drawing plots with matplotlib, through its object API: no pyplot state unless a window
is wanted, so rendering is safe in a kernel, a thread or a test."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from texts.views.atomistic import AtomisticPlot
from texts.views.data import PlotData

FIGURE_SIZE = (6.4, 4.8)
"""Inches; with ``DPI`` a PNG of 640 x 480 pixels, matplotlib's default."""
DPI = 100


def draw(plot: PlotData | AtomisticPlot, new_figure: Callable[..., Any] | None = None) -> Any:
    """A matplotlib figure of the plot; ``new_figure`` makes the figure (``pyplot.figure``
    for a window), by default a figure that belongs to no backend."""
    if new_figure is None:
        # lazily for start-up: matplotlib only when a plot is drawn
        from matplotlib.figure import Figure  # noqa: PLC0415

        new_figure = Figure
    figure = new_figure(figsize=FIGURE_SIZE, dpi=DPI, layout="constrained")
    if isinstance(plot, AtomisticPlot):  # structures, bands, ... drawn with ASE
        plot.draw_on(figure)
        return figure
    axes = figure.add_subplot()
    for line in plot.lines:
        if plot.mode == "scatterplot":
            axes.scatter(plot.x.values, line.values, label=line.label)
        else:
            axes.plot(plot.x.values, line.values, label=line.label)
    axes.set_xlabel(plot.x.label)
    axes.set_ylabel(plot.y_label)
    if len(plot.lines) > 1:
        axes.legend()
    return figure


def png(plot: PlotData | AtomisticPlot) -> bytes:
    """The plot as a PNG image of ``FIGURE_SIZE`` at ``DPI``."""
    buffer = io.BytesIO()
    draw(plot).savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
