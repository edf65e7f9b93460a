"""The value codec shared by file I/O and (later) the workflow store and the datastore."""

from __future__ import annotations

import json

import numpy
import pytest

from texts.interpreter.errors import TextsError
from texts.interpreter.format import format_value
from texts.interpreter.units import quantity
from texts.interpreter.values import Series, Table
from texts.serialization import decode, dumps, encode, loads

METRE = quantity(1, "m").units
VALUES = [
    quantity(2.5, "m/s"),
    quantity(1 + 2j),
    quantity(7, "kg"),
    True,
    "text",
    None,
    (quantity(1), "x", (True, None)),
    {"k": quantity(1), "l": "z"},
    Series("n", [1, None, 3], quantity(1, "s").units, numeric=True),
    Series("w", ["a", "b"]),
    Series("c", [1 + 1j, 2j], quantity(1).units, numeric=True),
    Series("v", [numpy.array([1.0, 2.0]), numpy.array([3.0, 4.0])], METRE, numeric=True),
    Table([Series("x", [1.5, 2.5], METRE, numeric=True), Series("label", ["p", "q"])]),
    quantity(numpy.array([[1.0, 2.0]]), "cm"),
    quantity(numpy.array([1, 2])),
    numpy.array([True, False]),
    numpy.array(["a", "b"]),
]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize("value", VALUES, ids=format_value)
def test_round_trip_prints_the_same(value: object, fmt: str) -> None:
    assert format_value(loads(dumps(value, fmt), fmt)) == format_value(value)


def test_reference_layout_of_a_quantity() -> None:
    assert json.loads(dumps(quantity(2.5, "m/s"), "json")) == {
        "data": [2.5, [["meter", 1], ["second", -1]]],
        "_version": 17,
        "_fw_name": "{{virtmat.language.utilities.serializable.FWQuantity}}",
    }


@pytest.mark.parametrize(
    "document",
    [
        {"_fw_name": "{{os.system}}", "cmd": "true"},
        {"_fw_name": "{{virtmat.language.utilities.serializable.Evil}}", "_version": 17},
        {"_fw_name": "not a tag"},
        {"plain": "dict without a type"},
    ],
)
def test_foreign_types_are_refused(document: dict) -> None:
    with pytest.raises(TextsError) as raised:
        decode(document)
    assert raised.value.label == "Data input error"


def test_unsupported_schema_version() -> None:
    document = encode(quantity(1))
    document["_version"] = 99
    with pytest.raises(TextsError) as raised:
        decode(document)
    assert raised.value.label == "Compatibility error"


def test_yaml_is_loaded_safely() -> None:
    with pytest.raises(TextsError):
        loads("!!python/object/apply:os.system ['true']\n", "yaml")
