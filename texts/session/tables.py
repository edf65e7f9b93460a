"""Text tables with ruled borders, for the session's overviews (``%history``, ``%find``)."""

from __future__ import annotations

from collections.abc import Sequence


def ruled_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table with ``+---+`` rules around the header and the body; a cell may span lines."""
    cells = [[str(cell).split("\n") for cell in row] for row in [list(header), *rows]]
    widths = [
        max((len(line) for row in cells for line in row[index]), default=0)
        for index in range(len(header))
    ]
    rule = "+" + "+".join("-" * (width + 2) for width in widths) + "+"
    lines = [rule]
    for number, row in enumerate(cells):
        for line in range(max((len(cell) for cell in row), default=1)):
            parts = [
                f" {(cell[line] if line < len(cell) else ''):<{width}} "
                for cell, width in zip(row, widths, strict=True)
            ]
            lines.append("|" + "|".join(parts) + "|")
        if number == 0:
            lines.append(rule)
    lines.append(rule)
    return "\n".join(lines)
