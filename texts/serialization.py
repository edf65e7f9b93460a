"""Values to and from the reference's JSON/YAML shapes (data schema version 17).

One codec for everything that stores values: ``to file`` exports, ``from file`` imports,
and later the workflow executor and the datastore. Decoding accepts only the value types
of the language: a document naming any other class is refused, nothing is instantiated
from a name found in a file.
"""

from __future__ import annotations

import json
import math
from typing import Any

from texts.interpreter.errors import TextsError
from texts.interpreter.units import is_quantity, parse_units, quantity, registry, uncertain
from texts.interpreter.values import Series, Table
from texts.yamldata import AliasBomb, load_yaml

SCHEMA_VERSION = 17
#: the stored kinds of the atomistic and chemistry extension (decoded by it)
_DOMAIN_KINDS = frozenset(
    (
        "FWAMMLStructure",
        "FWCalculator",
        "FWAlgorithm",
        "FWProperty",
        "FWConstraint",
        "FWTrajectory",
        "FWChemSpecies",
        "FWChemReaction",
    )
)
READABLE_VERSIONS = range(6, 18)
_PREFIX = "{{virtmat.language.utilities.serializable."
#: JSON and YAML readers in Python refuse integers of more digits (``str`` limit)
MAX_STORED_DIGITS = 4300
_TOO_LARGE = 10**MAX_STORED_DIGITS


def _tag(kind: str) -> str:
    return f"{_PREFIX}{kind}}}}}"


def _tagged(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {**fields, "_version": SCHEMA_VERSION, "_fw_name": _tag(kind)}


# ---------------------------------------------------------------------------
# encoding


def _units_list(units: Any) -> list[list[Any]]:
    return [[name, exponent] for name, exponent in units._units.items()]


def _magnitude(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, int) and not -_TOO_LARGE < value < _TOO_LARGE:
        message = f"integers of more than {MAX_STORED_DIGITS} digits cannot be stored"
        raise TextsError("Value error", message)
    if isinstance(value, complex):
        return _tagged("FWComplex", {"real": value.real, "imag": value.imag})
    if hasattr(value, "nominal_value"):
        return _tagged("FWUFloat", {"n": value.nominal_value, "s": value.std_dev})
    if isinstance(value, float) and math.isnan(value):  # NaN is a null value
        return None
    item = getattr(value, "item", None)
    return item() if item is not None and not isinstance(value, int | float) else value


def _datatype(elements: list[Any]) -> str:
    kinds = {type(e) for e in elements if e is not None}
    if complex in kinds:
        return "complex"
    if float in kinds:
        return "float"
    return "int"


def _series_datatype(series: Series, elements: list[Any]) -> str:
    """``_datatype`` of the elements, read from the array's type where there is one."""
    if not series.is_array:
        return _datatype(elements)
    kind = series.data.dtype.kind
    if kind == "i" or not any(element is not None for element in elements):
        return "int"
    return "float" if kind == "f" else "complex"


def encode(value: Any) -> Any:
    """A language value as JSON-compatible data in the reference's format."""
    if value is None or isinstance(value, bool | str):
        return value
    if is_quantity(value):
        magnitude = value.magnitude
        if type(magnitude).__name__ == "ndarray":
            values = magnitude.tolist()
            nested = _complex_texts(values) if magnitude.dtype.kind == "c" else _nested(values)
            data = [nested, _units_list(value.units)]
            return _tagged("FWNumArray", {"data": data, "dtype": str(magnitude.dtype)})
        return _tagged("FWQuantity", {"data": [_magnitude(magnitude), _units_list(value.units)]})
    if isinstance(value, tuple):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return _tagged("FWDict", {key: encode(item) for key, item in value.items()})
    if isinstance(value, Series):
        return _encode_series(value)
    if isinstance(value, Table):
        return _tagged("FWDataFrame", {"data": [_encode_series(c) for c in value.columns]})
    if type(value).__name__ == "ndarray":
        kind = "FWBoolArray" if value.dtype.kind == "b" else "FWStrArray"
        return _tagged(kind, {"data": value.tolist()})
    if hasattr(value, "printed_parts"):  # the extension's values (structures, properties, ...)
        # kept local as the evaluation core has it (listed in the note for its rewrite)
        from texts.interpreter.amml.serialize import encode_value  # noqa: PLC0415

        return encode_value(value, encode, _tagged)
    raise TextsError("Type error", f"values of type {type(value).__name__} cannot be stored")


def _nested(data: Any) -> Any:
    if isinstance(data, list):
        return [_nested(item) for item in data]
    return _magnitude(data)


def _complex_texts(data: Any) -> Any:
    """The elements of a complex array as Python writes complex numbers (``(1+2j)``): the
    reference's form in an array, where a scalar is an ``FWComplex``."""
    if isinstance(data, list):
        return [_complex_texts(item) for item in data]
    return str(data)


def _encode_series(series: Series) -> dict[str, Any]:
    elements = series.elements
    if series.numeric:
        if series.is_array and series.data.dtype.kind in "if":  # numbers and None already
            data = elements
        else:
            data = [
                _nested(e.tolist()) if type(e).__name__ == "ndarray" else _magnitude(e)
                for e in elements
            ]
        fields = {
            "name": series.name,
            "data": data,
            "units": str(series.units) if series.units is not None else "dimensionless",
            "datatype": _series_datatype(series, elements),
        }
        return _tagged("FWSeries", fields)
    if series.is_array:  # booleans
        has_value = series.mask is None or not series.mask.all()
        return _tagged(
            "FWSeries",
            {"name": series.name, "data": elements, "datatype": "bool" if has_value else "object"},
        )
    kinds = {type(e) for e in elements if e is not None}
    datatype = "bool" if kinds == {bool} else "object"
    data = [encode(element) for element in elements]
    return _tagged("FWSeries", {"name": series.name, "data": data, "datatype": datatype})


# ---------------------------------------------------------------------------
# decoding


def _refuse(message: str) -> TextsError:
    return TextsError("Data input error", message)


def _kind(document: dict[str, Any]) -> str:
    name = document.get("_fw_name")
    if not isinstance(name, str) or not name.startswith(_PREFIX) or not name.endswith("}}"):
        raise _refuse(f"unsupported value type in data file: {name!r}")
    foreign = [key for key in document if isinstance(key, str) and key.startswith("py/")]
    if foreign:  # jsonpickle's instructions to build Python objects
        raise _refuse(f"unsupported object in data file: {foreign[0]!r}")
    version = document.get("_version", SCHEMA_VERSION)
    if version not in READABLE_VERSIONS:
        raise TextsError("Compatibility error", f"data schema version {version} is not supported")
    return name[len(_PREFIX) : -2]


def _decode_magnitude(data: Any) -> Any:
    if data is None:
        return None
    if isinstance(data, dict):
        kind = _kind(data)
        if kind == "FWComplex":
            return complex(data["real"], data["imag"])
        if kind == "FWUFloat":
            return uncertain(data["n"], data["s"])
        raise _refuse(f"a number was expected, found {kind}")
    if isinstance(data, list) and len(data) == 2 and all(isinstance(x, int | float) for x in data):
        return complex(data[0], data[1])
    if isinstance(data, bool) or not isinstance(data, int | float):
        raise _refuse(f"a number was expected, found {data!r}")
    return data


def _units_from_list(pairs: Any) -> Any:
    units = registry().dimensionless
    for name, exponent in pairs:
        if not isinstance(exponent, int | float) or isinstance(exponent, bool):
            raise _refuse(f"invalid unit exponent in data file: {exponent!r}")
        units = units * parse_units(str(name)) ** exponent
    return units


def decode(data: Any) -> Any:
    """A language value from data in the reference's format (only known types)."""
    if data is None or isinstance(data, bool | str):
        return data
    if isinstance(data, int | float):
        return quantity(data)
    if isinstance(data, list):
        return tuple(decode(item) for item in data)
    if not isinstance(data, dict):
        raise _refuse(f"unsupported data: {type(data).__name__}")
    kind = _kind(data)
    try:
        return _decode_document(kind, data)
    except (KeyError, TypeError, ValueError, IndexError):
        raise _refuse(f"malformed {kind}: {_SHAPES.get(kind, 'unexpected layout')}") from None


_SHAPES = {
    "FWQuantity": "'data' must be [magnitude, units]",
    "FWNumArray": "'data' must be [values, units] and 'dtype' a numeric type",
    "FWSeries": "it must have a 'name' and a list 'data'",
    "FWDataFrame": "'data' must be a list of series",
    "FWBoolArray": "'data' must be a list",
    "FWStrArray": "'data' must be a list",
    "FWDict": "its entries must be values",
}
"""What a document of each kind looks like, for the message about one that does not
(units are a list of [name, exponent] pairs)."""


def _decode_document(kind: str, data: dict[str, Any]) -> Any:
    if kind == "FWQuantity":
        magnitude, units = data["data"]
        if magnitude is None:  # a null with units (a sum over a null), as it was written
            magnitude = math.nan
        return quantity(_decode_magnitude(magnitude), _units_from_list(units))
    if kind == "FWDict":
        return {k: decode(v) for k, v in data.items() if k not in ("_fw_name", "_version")}
    if kind == "FWSeries":
        return _decode_series(data)
    if kind == "FWDataFrame":
        return Table([_decode_series(column) for column in data["data"]])
    if kind in ("FWNumArray", "FWBoolArray", "FWStrArray"):
        return _decode_array(kind, data)
    if kind in _DOMAIN_KINDS:
        # kept local as the evaluation core has it (listed in the note for its rewrite)
        from texts.interpreter.amml.serialize import decode_value  # noqa: PLC0415

        return decode_value(kind, data, decode)
    raise _refuse(f"unsupported value type in data file: {kind}")


def _decode_series(data: Any) -> Series:
    if not isinstance(data, dict) or _kind(data) != "FWSeries":
        raise _refuse("a table column must be a series")
    name = str(data["name"])
    if "units" in data:
        pairs_are_complex = data.get("datatype") == "complex"

        def element(item: Any) -> Any:
            if isinstance(item, list) and not pairs_are_complex:
                # lazily for start-up: it imports numpy
                import numpy  # noqa: PLC0415

                return numpy.array(_complex_nested(item))
            return _decode_magnitude(item)

        elements = [element(item) for item in data["data"]]
        if data.get("datatype") == "int":
            elements = [int(e) if isinstance(e, float) and e.is_integer() else e for e in elements]
        return Series(name, elements, parse_units(data["units"]), numeric=True)
    return _series_of_values(name, [decode(element) for element in data["data"]])


def _series_of_values(name: str, elements: list[Any]) -> Series:
    """A series written as a list of values: quantities (arrays among them) that all have
    the same units make a numeric series in those units, as the reference reads it."""
    present = [e for e in elements if e is not None]
    if present and all(is_quantity(e) for e in present):
        units = present[0].units
        if all(e.units == units for e in present):
            magnitudes = [None if e is None else e.magnitude for e in elements]
            return Series(name, magnitudes, units, numeric=True)
    return Series(name, elements)


def _decode_array(kind: str, data: Any) -> Any:
    # lazily for start-up: it imports numpy
    import numpy  # noqa: PLC0415

    if kind == "FWNumArray":
        values, units = data["data"]
        dtype = data.get("dtype", "float64")
        if dtype not in ("int64", "float64", "complex128", "int32", "float32"):
            raise _refuse(f"unsupported array dtype {dtype!r}")
        array = numpy.array(_complex_nested(values), dtype=dtype)
        return quantity(array, _units_from_list(units))
    dtype = "bool" if kind == "FWBoolArray" else "str"
    return numpy.array(data["data"], dtype=dtype)


def _complex_nested(values: Any) -> Any:
    if isinstance(values, list):
        return [_complex_nested(v) for v in values]
    if isinstance(values, str):  # a complex number as the reference writes one in an array
        try:
            return complex(values)
        except ValueError:
            raise _refuse(f"a number was expected, found {values!r}") from None
    return _decode_magnitude(values)


# ---------------------------------------------------------------------------
# text formats


def dumps(value: Any, fmt: str) -> str:
    """A value as JSON (one line) or YAML (sorted keys), the reference's layout."""
    data = encode(value)
    if fmt == "json":
        return json.dumps(data)
    # lazily for start-up: it imports yaml
    import yaml  # noqa: PLC0415

    return yaml.safe_dump(data, sort_keys=True)


def loads(text: str, fmt: str) -> Any:
    """Parse JSON or YAML safely and decode the value it holds. A mapping without a type
    tag is read as a dict, as the reference reads it (so a data file of plain settings is
    the wrong type, not an unknown one)."""
    data = _parsed(text, fmt)
    if isinstance(data, dict) and "_fw_name" not in data:
        return {str(key): decode(item) for key, item in data.items()}
    return decode(data)


def _parsed(text: str, fmt: str) -> Any:
    """The data of a JSON or YAML text; what is wrong with it, and where, otherwise."""
    if fmt == "json":
        try:
            return json.loads(text)
        except ValueError as exc:  # json.JSONDecodeError, or a number too long to read
            where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
            reason = getattr(exc, "msg", str(exc))
            raise TextsError("Data input error", f"not valid JSON: {reason}{where}") from None
    # lazily for start-up: a file format's library only when a file of it is read
    import yaml  # noqa: PLC0415

    try:
        return load_yaml(text, fast=False)
    except AliasBomb as exc:
        raise TextsError("Data input error", str(exc)) from None
    except yaml.MarkedYAMLError as exc:  # malformed text, or a tag safe loading refuses
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        reason = exc.problem or exc.context or "malformed text"
        if exc.context and reason.startswith("but "):  # the problem continues the context
            reason = f"{exc.context}, {reason}"
        raise TextsError("Data input error", f"not valid YAML: {reason}{where}") from None
    except (yaml.YAMLError, ValueError) as exc:
        raise TextsError("Data input error", f"not valid YAML: {exc}") from None
