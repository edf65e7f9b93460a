"""Source text and positions: every error points at the user's own text."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A half-open range of character offsets into a source text."""

    start: int
    end: int


@dataclass(eq=False)
class Source:
    """A program text with the path it was read from (``None`` when not from a file)."""

    text: str
    path: str | None = None
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        starts = [0]
        index = self.text.find("\n")
        while index != -1:
            starts.append(index + 1)
            index = self.text.find("\n", index + 1)
        self._line_starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column of an offset."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def excerpt(self, span: Span) -> str:
        """The source text of a span as written, trailing white space removed."""
        return self.text[span.start : span.end].rstrip()

    def location(self, span: Span) -> str:
        """``path:line:col --> excerpt <--``, the shape every located message uses."""
        line, col = self.line_col(span.start)
        return f"{self.path}:{line}:{col} --> {self.excerpt(span)} <--"
