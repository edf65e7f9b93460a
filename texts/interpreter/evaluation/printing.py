"""What a print statement shows: items evaluated, converted, formatted, joined; and what a
view statement hands to a plot: its items evaluated and converted, not formatted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from texts.interpreter import ir
from texts.interpreter.errors import TextsError, from_exception
from texts.interpreter.evaluation.core import Memo, NotComputedError, Scope, evaluate
from texts.interpreter.evaluation.info import info_table
from texts.interpreter.evaluation.structures import convert_value
from texts.interpreter.format import format_value
from texts.interpreter.model import Model
from texts.interpreter.values import NOT_COMPUTED


def print_text(
    model: Model, statement: ir.Print, values: Mapping[str, Any], memo: Memo | None = None
) -> str:
    """The line a print statement contributes: its items formatted and space-joined
    (``memo``: that of a suspended evaluation of the same print).

    All items are evaluated before any is formatted: a value may show what evaluating a
    later item added to it (a reaction keeps the properties computed from its species).
    """
    scope = Scope(model, values, memo=memo)
    shown = []
    for item in statement.items:
        if isinstance(item, ir.InfoItem):
            shown.append(info_table(model, item, scope))
            continue
        try:
            value = evaluate(item.value, scope)
        except NotComputedError:
            shown.append(NOT_COMPUTED)
            continue
        if item.units is not None:
            value = convert_item(value, item)
        shown.append(value)
    return " ".join(format_value(value) for value in shown)


@dataclass(frozen=True)
class ShownView:
    """The data of one ``view`` statement, ready for a front end to draw.

    ``names`` are the items' source texts (``y [cm]`` gives ``y``): a plot labels an axis
    with them where the value carries no name of its own (an array). An item that depends
    on a value not computed yet (workflow mode) is ``NOT_COMPUTED``.
    """

    statement: ir.View
    values: tuple[Any, ...]
    names: tuple[str, ...]

    @property
    def mode(self) -> str:
        return self.statement.mode


def view_values(
    model: Model, statement: ir.View, values: Mapping[str, Any], memo: Memo | None = None
) -> ShownView:
    """Evaluate a view's items (converted to their ``[units]``), as prints evaluate theirs."""
    scope = Scope(model, values, memo=memo)
    shown = []
    for item in statement.items:
        try:
            value = evaluate(item.value, scope)
        except NotComputedError:
            value = NOT_COMPUTED
        if item.units is not None and value is not NOT_COMPUTED:
            value = convert_item(value, item)
        shown.append(value)
    names = tuple(model.source.excerpt(item.value.span) for item in statement.items)
    return ShownView(statement, tuple(shown), names)


def convert_item(value: Any, item: ir.PrintItem) -> Any:
    """Convert a printed value to the units of its ``[units]`` suffix."""
    try:
        return convert_value(value, item.units)
    except TextsError as error:
        error.span = error.span or item.span
        raise
    except Exception as exc:  # pint's conversion errors get their labels here
        raise from_exception(exc, item.span) from None
