"""Plots in a notebook: each view becomes a ``display_data`` message with a PNG image."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any

from texts.views.atomistic import AtomisticPlot
from texts.views.data import PlotData
from texts.views.display import Display
from texts.views.render import DPI, FIGURE_SIZE, png

Publish = Callable[[dict[str, Any], dict[str, Any]], None]
"""Publishes one MIME bundle with its metadata in the cell's output."""


def mime_bundle(plot: PlotData | AtomisticPlot) -> tuple[dict[str, Any], dict[str, Any]]:
    """The data and metadata of a ``display_data`` message showing the plot."""
    width, height = (round(inches * DPI) for inches in FIGURE_SIZE)
    data = {
        "image/png": base64.b64encode(png(plot)).decode("ascii"),
        "text/plain": _text(plot),
    }
    return data, {"image/png": {"width": width, "height": height}}


def _text(plot: PlotData | AtomisticPlot) -> str:
    if isinstance(plot, AtomisticPlot):
        return plot.description
    return f"<{plot.mode}: {plot.y_label} over {plot.x.label}>"


def notebook_display(publish: Publish) -> Display:
    def display(plots: Sequence[PlotData | AtomisticPlot]) -> None:
        for plot in plots:
            publish(*mime_bundle(plot))

    return display
