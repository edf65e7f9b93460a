"""Record documents checked against their kind's fields: types, required keys, no others.

Records are only ever added, so one of the wrong shape would break every later question
(``texts runs``, ``texts log``) for good. Every document that comes from outside (an
import, a pull) is checked before anything is added, and every document read back is
checked before it is used: a record is data, never trusted.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from typing import Any

from texts.provenance.records import KINDS, Attempt, Record
from texts.typefit import fits

_RESERVED = frozenset({"_id", "kind"})


class InvalidRecord(ValueError):
    """A record document does not have the shape of its kind."""


def validate(document: Any) -> type[Record]:
    """The kind of a record document whose fields have the kind's types (and no others)."""
    if not isinstance(document, dict):
        raise InvalidRecord("a record is a JSON object")
    name = document.get("kind", "")
    kind = KINDS.get(name) if isinstance(name, str) else None
    if kind is None:
        raise InvalidRecord("not a run record")
    _check_fields(kind, {k: v for k, v in document.items() if k not in _RESERVED}, kind.kind)
    return kind


def _check_fields(cls: type, values: dict[str, Any], where: str) -> None:
    hints = _hints(cls)
    unknown = sorted(set(values) - set(hints))
    if unknown:
        raise InvalidRecord(f"{where}: unknown field {unknown[0]!r}")
    for spec in dataclasses.fields(cls):
        if spec.name not in values:
            if spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
                raise InvalidRecord(f"{where}: the field {spec.name!r} is missing")
            continue
        if not _fits(values[spec.name], hints[spec.name]):
            raise InvalidRecord(
                f"{where}: the field {spec.name!r} is not of type {_name(hints[spec.name])}"
            )


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    names = {spec.name for spec in dataclasses.fields(cls)}
    return {name: hint for name, hint in hints.items() if name in names}


def _fits(value: Any, hint: Any) -> bool:
    return fits(value, hint, _attempt_fits)


def _attempt_fits(value: Any, hint: Any) -> bool | None:
    """An attempt of a node record: a mapping of its fields."""
    if hint is not Attempt:
        return None
    if not isinstance(value, dict):
        return False
    try:
        _check_fields(Attempt, value, "attempt")
    except InvalidRecord:
        return False
    return True


def _name(hint: Any) -> str:
    if typing.get_origin(hint) is None and hasattr(hint, "__name__"):
        return str(hint.__name__)
    return str(hint).replace("typing.", "").replace("texts.provenance.records.", "")
