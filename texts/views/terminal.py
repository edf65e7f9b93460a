"""Views from the command line (``texts script``, ``texts session``): a window when a
display is present, otherwise PNG files next to the model, named on standard error so that
standard output stays the program's output.

The environment variable ``TEXTS_VIEWS`` overrides the choice: ``window``, ``png``, ``off``
(nothing is drawn, e.g. for tests or batch jobs) or ``auto`` (the default).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from texts.interpreter.source import Source
from texts.paths import shown_path
from texts.views.data import PlotData

if TYPE_CHECKING:
    from texts.views.atomistic import AtomisticPlot

VIEWS_VARIABLE = "TEXTS_VIEWS"


class TerminalDisplay:
    """Shows plots in windows or writes ``<stem>_view<n>.png`` files in ``directory``.

    Numbers count on across calls, so a session's plots do not overwrite each other; a
    model run again overwrites its own. The choice is made at the first plot, so a model
    without views never imports matplotlib.
    """

    def __init__(self, directory: Path, stem: str) -> None:
        self.directory = directory
        self.stem = stem
        self.written = 0

    def __call__(self, plots: Sequence[PlotData | AtomisticPlot]) -> None:
        choice = os.environ.get(VIEWS_VARIABLE, "auto").lower()
        if choice == "off":
            return
        if choice == "window" or (choice != "png" and has_display()):
            show_windows(plots)
        else:
            self.write_files(plots)

    def write_files(self, plots: Sequence[PlotData | AtomisticPlot]) -> None:
        # lazily for start-up: matplotlib only when a plot is drawn
        from texts.views.render import png  # noqa: PLC0415

        for plot in plots:
            self.written += 1
            path = self.directory / f"{self.stem}_view{self.written}.png"
            path.write_bytes(png(plot))
            print(f"View written to {shown_path(path)}", file=sys.stderr, flush=True)


def model_display(source: Source | None) -> TerminalDisplay:
    """Plots of a model file go next to it (``model.vm``: ``model_view1.png``, ...)."""
    if source is None or source.path is None:
        return TerminalDisplay(Path.cwd(), "texts")
    path = Path(source.path)
    return TerminalDisplay(path.parent, path.stem)


def has_display() -> bool:
    """Whether matplotlib's backend (chosen by matplotlib: ``MPLBACKEND``, the platform,
    a ``DISPLAY``) can open windows."""
    # lazily for start-up: matplotlib only when a plot is drawn
    import matplotlib  # noqa: PLC0415
    from matplotlib.backends import BackendFilter, backend_registry  # noqa: PLC0415

    interactive = backend_registry.list_builtin(BackendFilter.INTERACTIVE)
    return matplotlib.get_backend().lower() in interactive


def show_windows(plots: Sequence[PlotData | AtomisticPlot]) -> None:
    """One window per plot; returns when the user has closed them."""
    # lazily for start-up: matplotlib only when a plot is drawn
    from matplotlib import pyplot  # noqa: PLC0415

    # lazily for start-up: matplotlib only when a plot is drawn
    from texts.views.render import draw  # noqa: PLC0415

    for plot in plots:
        draw(plot, pyplot.figure)
    pyplot.show()
