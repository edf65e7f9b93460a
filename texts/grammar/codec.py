"""Statements as plain data for the parse cache, with positions relative to their start.

:func:`encode` turns the IR of one statement into lists, tuples, strings and numbers,
which :mod:`marshal` writes and reads quickly; :func:`decode` builds the IR back with its
spans moved to where the statement stands now, so the same statement text found at
another place in another file gets its own lines and columns.

An encoded node is a list ``[class number, span start, span end, *other fields]``; a
span is ``[SPAN, start, end]``; a tuple holding nodes is ``[TUPLE, *items]``. Anything
else (names, numbers, ``None``, tuples of plain values) is kept as it is.
"""

from __future__ import annotations

import dataclasses

from texts.interpreter import ir
from texts.interpreter.source import Span

SPAN = -1
TUPLE = -2
#: the IR classes, numbered by name (the cache's fingerprint covers ir.py, so a number
#: always means the class it meant when the entry was written)
CLASSES: tuple[type, ...] = tuple(
    sorted(
        (
            value
            for value in vars(ir).values()
            if isinstance(value, type)
            and dataclasses.is_dataclass(value)
            and value.__module__ == ir.__name__
            and value is not ir.Program
        ),
        key=lambda cls: cls.__name__,
    )
)
_NUMBERS = {cls: number for number, cls in enumerate(CLASSES)}
_FIELDS = {cls: tuple(field.name for field in dataclasses.fields(cls))[1:] for cls in CLASSES}

Encoded = list | tuple | str | int | float | complex | bool | None


def encode(value: object, base: int) -> Encoded:
    """``value`` as plain data, its spans counted from ``base``."""
    number = _NUMBERS.get(type(value))
    if number is not None:
        span = value.span  # type: ignore[attr-defined]
        fields = (encode(getattr(value, name), base) for name in _FIELDS[type(value)])
        return [number, span.start - base, span.end - base, *fields]
    if type(value) is Span:
        return [SPAN, value.start - base, value.end - base]
    if type(value) is tuple:
        items = [encode(item, base) for item in value]
        return [TUPLE, *items] if any(type(item) is list for item in items) else value
    return value  # type: ignore[return-value]


def decode(data: Encoded, offset: int) -> object:
    """The IR of encoded ``data``, its spans moved by ``offset``. Data not made by
    :func:`encode` raises an exception (``IndexError``, ``TypeError``, ...)."""
    if type(data) is not list:
        return data
    code = data[0]
    if code >= 0:
        fields = [decode(item, offset) for item in data[3:]]
        return CLASSES[code](Span(data[1] + offset, data[2] + offset), *fields)
    if code == SPAN:
        return Span(data[1] + offset, data[2] + offset)
    if code == TUPLE:
        return tuple([decode(item, offset) for item in data[1:]])
    raise ValueError(f"not an encoded value: {code!r}")


def decode_statement(data: Encoded, offset: int) -> ir.Statement:
    """A statement's IR from its encoded form; ``ValueError`` if it is something else."""
    statement = decode(data, offset)
    if not isinstance(statement, ir.Statement):
        raise ValueError("not an encoded statement")
    return statement
