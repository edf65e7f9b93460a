"""What a print statement shows: items evaluated, converted, formatted, joined."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from texts.interpreter import ir
from texts.interpreter.errors import TextsError, from_exception
from texts.interpreter.evaluation.core import NotComputedError, Scope, evaluate
from texts.interpreter.evaluation.info import info_table
from texts.interpreter.evaluation.structures import convert_value
from texts.interpreter.format import format_value
from texts.interpreter.model import Model
from texts.interpreter.values import NOT_COMPUTED


def print_text(model: Model, statement: ir.Print, values: Mapping[str, Any]) -> str:
    """The line a print statement contributes: its items formatted and space-joined."""
    scope = Scope(model, values)
    parts = []
    for item in statement.items:
        if isinstance(item, ir.InfoItem):
            parts.append(format_value(info_table(model, item, scope)))
            continue
        try:
            value = evaluate(item.value, scope)
        except NotComputedError:
            parts.append(format_value(NOT_COMPUTED))
            continue
        if item.units is not None:
            value = convert_item(value, item)
        parts.append(format_value(value))
    return " ".join(parts)


def convert_item(value: Any, item: ir.PrintItem) -> Any:
    """Convert a printed value to the units of its ``[units]`` suffix."""
    try:
        return convert_value(value, item.units)
    except TextsError as error:
        error.span = error.span or item.span
        raise
    except Exception as exc:  # pint's conversion errors get their labels here
        raise from_exception(exc, item.span) from None
