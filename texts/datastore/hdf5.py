"""The HDF5 format: numbers in native datasets, everything else in its serialised form.

A file holds the dataset ``document``, the value's serialised form (UTF-8 JSON bytes) with
every natively stored part left empty, and one dataset per such part: ``array`` for a
numeric array, ``series`` for a numeric series, ``column<i>`` for a table's numeric
columns. Decoding the document restores the exact type, units, names and dtype; the
datasets then supply the numbers. A series is stored natively only when its elements are
one array of numbers with nulls only as NaN of floats (an integer or complex series with
nulls keeps them in the document).

Datasets are chunked and, with ``compress``, use HDF5's own shuffle and deflate filters,
which any HDF5 tool can read, when a sample shows they pay off. Time stamps are left
out so equal values give equal files.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import numpy

from texts.datastore.payload import Payload, numeric_array, skeleton
from texts.interpreter.errors import TextsError
from texts.interpreter.units import quantity
from texts.interpreter.values import Series, Table
from texts.serialization import decode, encode

LAYOUT = 1
DEFLATE_LEVEL = 1
COMPRESSION_SAMPLE = 1 << 16
"""Elements of an array tried with deflate before it is stored compressed."""


class Hdf5Format:
    name = "hdf5"

    def suffix(self, compress: bool) -> str:
        return ".h5"

    def write(self, payload: Payload, path: Path, compress: bool) -> None:
        # lazily for start-up: it imports h5py
        import h5py  # noqa: PLC0415

        document, arrays = split(payload.value)
        text = numpy.frombuffer(json.dumps(document).encode(), dtype=numpy.uint8)
        with h5py.File(path, "w") as file:
            file.attrs["texts_layout"] = LAYOUT
            _dataset(file, "document", text, compress)
            for name, array in arrays.items():
                _dataset(file, name, array, compress)

    def read(self, path: Path, compress: bool) -> Any:
        # lazily for start-up: it imports h5py
        import h5py  # noqa: PLC0415

        with h5py.File(path, "r") as file:
            if file.attrs.get("texts_layout") != LAYOUT:
                raise TextsError("Data input error", f"{path.name}: not a textS HDF5 value")
            document = json.loads(file["document"][()].tobytes())
            arrays = {name: file[name][()] for name in file if name != "document"}
        return join(document, arrays)


def _dataset(file: Any, name: str, array: numpy.ndarray, compress: bool) -> None:
    options: dict[str, Any] = {"track_times": False}
    if array.ndim and array.size:
        options["chunks"] = True
        if compress and _compressible(array):
            options.update(compression="gzip", compression_opts=DEFLATE_LEVEL, shuffle=True)
    file.create_dataset(name, data=array, **options)


def _compressible(array: numpy.ndarray) -> bool:
    """Whether deflate is worth its time: a sample, byte-shuffled as HDF5's filter does,
    must shrink by a fifth. Random doubles barely shrink (about 14 %) and deflate would
    make writing them ten times slower than the disk; such arrays are stored plain."""
    flat = numpy.ascontiguousarray(array.reshape(-1)[:COMPRESSION_SAMPLE])
    planes = numpy.frombuffer(flat.tobytes(), dtype=numpy.uint8).reshape(-1, flat.itemsize)
    sample = planes.T.tobytes()
    return len(zlib.compress(sample, DEFLATE_LEVEL)) < 0.8 * len(sample)


def split(value: Any) -> tuple[Any, dict[str, numpy.ndarray]]:
    """The serialised form with the native parts left empty, and those parts."""
    if numeric_array(value):
        return skeleton(value), {"array": value.magnitude}
    if isinstance(value, Series):
        array = series_array(value)
        if array is not None:
            return encode(_emptied(value)), {"series": array}
    if isinstance(value, Table):
        columns, arrays = [], {}
        for index, column in enumerate(value.columns):
            array = series_array(column)
            if array is not None:
                arrays[f"column{index}"] = array
                column = _emptied(column)
            columns.append(column)
        return encode(Table(columns)), arrays
    return encode(value), {}


def join(document: Any, arrays: dict[str, numpy.ndarray]) -> Any:
    """The value :func:`split` took apart."""
    value = decode(document)
    if "array" in arrays:
        return quantity(arrays["array"], value.units)
    if "series" in arrays:
        return _filled(value, arrays["series"])
    if isinstance(value, Table):
        return Table(
            [
                _filled(column, arrays[f"column{index}"]) if f"column{index}" in arrays else column
                for index, column in enumerate(value.columns)
            ]
        )
    return value


def _filled(series: Series, array: numpy.ndarray) -> Series:
    return Series(series.name, array, series.units, numeric=True)


def series_array(series: Series) -> numpy.ndarray | None:
    """The elements of a numeric series as one array, when that loses nothing: numbers of
    one type, with nulls only as NaN of floats, and at least one that is not null."""
    if not (series.numeric and series.is_array and len(series)) or series.mask is not None:
        return None
    data = series.data
    if data.dtype.kind == "f" and numpy.isnan(data).all():
        return None
    return data


def _emptied(series: Series) -> Series:
    return Series(series.name, [], series.units, numeric=True)
