"""Run-time values that have no ready-made Python or library type.

Numbers are pint quantities, booleans ``bool``, strings ``str``, null ``None``, tuples
``tuple`` and dicts ``dict``; numeric arrays are pint quantities of NumPy arrays, other
arrays NumPy arrays. Series and tables are the small classes below, which keep the
language's own notion of a series (a name, elements, one unit for all numbers) and convert
to pandas where a library needs pandas objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class NotComputed:
    """A value that the workflow executor has not computed yet (printed ``n.c.``)."""

    _instance: NotComputed | None = None

    def __new__(cls) -> NotComputed:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "n.c."


NOT_COMPUTED = NotComputed()


@dataclass(eq=False)
class Series:
    """A named one-dimensional sequence.

    For a numeric series ``elements`` holds magnitudes (int, float or complex; ``None`` for
    null) and ``units`` the pint Unit of all of them; otherwise ``units`` is None and the
    elements are language values.
    """

    name: str
    elements: list[Any] = field(default_factory=list)
    units: Any = None
    numeric: bool = False

    def __len__(self) -> int:
        return len(self.elements)

    def renamed(self, name: str) -> Series:
        """The same series under another name."""
        return Series(name, self.elements, self.units, self.numeric)


@dataclass(eq=False)
class Table:
    """An ordered collection of equally long series."""

    columns: list[Series] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0
