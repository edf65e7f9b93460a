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


class Series:
    """A named one-dimensional sequence.

    A numeric series has one pint Unit, ``units``, for all its numbers; otherwise
    ``units`` is None. ``data`` holds the elements as :mod:`texts.interpreter.elements`
    describes: a NumPy array of numbers or booleans (with ``mask`` marking nulls where
    there are any) or a list of values. ``elements`` gives them as Python values.
    """

    __slots__ = ("data", "mask", "name", "numeric", "units")

    def __init__(
        self,
        name: str,
        elements: Any = (),
        units: Any = None,
        numeric: bool = False,
        mask: Any = None,
    ) -> None:
        # lazily for start-up: elements imports NumPy
        from texts.interpreter.elements import store  # noqa: PLC0415

        self.name = name
        self.units = units
        self.numeric = numeric
        self.data, self.mask = store(elements, numeric, mask)

    @property
    def elements(self) -> list[Any]:
        """The elements as Python values: magnitudes of a numeric series, ``None`` for null."""
        # lazily for start-up: elements imports NumPy
        from texts.interpreter.elements import as_list  # noqa: PLC0415

        return as_list(self.data, self.mask)

    @property
    def is_array(self) -> bool:
        """Whether the elements are one NumPy array (numbers or booleans)."""
        return not isinstance(self.data, list)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"Series({self.name!r}, {self.elements!r}, {self.units!r}, {self.numeric})"

    def renamed(self, name: str) -> Series:
        """The same series under another name."""
        return self.taken(slice(None), name)

    def taken(self, rows: Any, name: str | None = None) -> Series:
        """The elements at ``rows`` (a slice, or an array of positions or flags)."""
        # lazily for start-up: elements imports NumPy
        from texts.interpreter.elements import take  # noqa: PLC0415

        data, mask = take(self.data, self.mask, rows)
        return Series(self.name if name is None else name, data, self.units, self.numeric, mask)


@dataclass(eq=False)
class Table:
    """An ordered collection of equally long series."""

    columns: list[Series] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0
