"""Source text and positions: every error points at the user's own text."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

POINTED_WIDTH = 100
"""How much of a long line an error shows around the offending element."""


@dataclass(frozen=True)
class Span:
    """A half-open range of character offsets into a source text."""

    start: int
    end: int


@dataclass(eq=False)
class Source:
    """A program text with the path it was read from (``None`` when not from a file).

    A text may be made of parts from several origins (the statements of a stored model
    followed by a user's new file): ``parts`` lists ``(offset, path)`` of each part, and
    positions are reported relative to the part that holds them.
    """

    text: str
    path: str | None = None
    parts: tuple[tuple[int, str | None], ...] = ()
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        starts = [0]
        index = self.text.find("\n")
        while index != -1:
            starts.append(index + 1)
            index = self.text.find("\n", index + 1)
        self._line_starts = starts
        if not self.parts:
            self.parts = ((0, self.path),)

    def _global_line(self, offset: int) -> int:
        return bisect.bisect_right(self._line_starts, offset) - 1

    def part(self, offset: int) -> tuple[int, str | None]:
        """The ``(offset, path)`` of the part holding a position."""
        starts = [start for start, _ in self.parts]
        return self.parts[max(bisect.bisect_right(starts, offset) - 1, 0)]

    def line_col(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column of an offset within its part."""
        line = self._global_line(offset)
        first_line = self._global_line(self.part(offset)[0])
        return line - first_line + 1, offset - self._line_starts[line] + 1

    def excerpt(self, span: Span) -> str:
        """The source text of a span as written, trailing white space removed."""
        return self.text[span.start : span.end].rstrip()

    def pointed(self, span: Span) -> list[str]:
        """The line that holds the start of a span, with carets under the span (to the end
        of that line): two lines indented by four spaces, numbered as in its part."""
        line = self._global_line(span.start)
        start = self._line_starts[line]
        end = self.text.find("\n", start)
        end = len(self.text) if end == -1 else end
        text = self.text[start:end].rstrip("\r")
        column = span.start - start
        if len(text) > POINTED_WIDTH:  # a window of a long line around the element
            first = max(0, min(column - POINTED_WIDTH // 4, len(text) - POINTED_WIDTH))
            shown = text[first : first + POINTED_WIDTH]
            text = (
                ("..." if first else "")
                + shown
                + ("..." if first + POINTED_WIDTH < len(text) else "")
            )
            column = column - first + (3 if first else 0)
        number = str(self.line_col(span.start)[0])
        indent = "".join(c if c == "\t" else " " for c in text[:column])
        width = max(1, min(span.end - span.start, len(text) - column))
        return [f"    {number} | {text}", f"    {' ' * len(number)} | {indent}{'^' * width}"]

    def location(self, span: Span) -> str:
        """``path:line:col --> excerpt <--``, the shape every located message uses."""
        line, col = self.line_col(span.start)
        return f"{self.part(span.start)[1]}:{line}:{col} --> {self.excerpt(span)} <--"
