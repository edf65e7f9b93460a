"""The bytes of a data file for ``to file``/``from file``, by what its name says.

The name decides, as in the reference: a ``.yaml`` or ``.yml`` suffix anywhere in it means
YAML, else ``.json`` means JSON, else an HDF5 suffix (``.h5``, ``.hdf5``, ...) means HDF5;
any other name has no format. ``.zz`` among the suffixes means compressed: the JSON or YAML
text as a zlib stream (the reference's choice), an HDF5 dataset with HDF5's gzip filter.
A name ending in ``.gz`` is compressed too, as a gzip file (the reference writes plain
text there; textS writes what the name promises and reads both).

An HDF5 file holds the value's JSON text in a one-element string dataset ``value``, the
reference's layout, so files go both ways between the two tools. (The datastore's own
HDF5 format, with numbers in native datasets, is another thing: ``texts.datastore.hdf5``.)
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from pathlib import PurePath
from typing import Any

from texts.interpreter.errors import TextsError
from texts.serialization import dumps, encode, loads

_HDF5_SUFFIXES = {".hdf", ".h4", ".hdf4", ".he2", ".h5", ".hdf5", ".he5"}
_GZIP_MAGIC = b"\x1f\x8b"
HDF5_DATASET = "value"


class FileFormat:
    """The format (``json``, ``yaml``, ``hdf5``; ``None``: none) and the compression
    (``zlib``, ``gzip``; ``None``: plain) a file name asks for."""

    def __init__(self, name: str) -> None:
        suffixes = [suffix.lower() for suffix in PurePath(name).suffixes]
        self.format: str | None = None
        if ".yaml" in suffixes or ".yml" in suffixes:
            self.format = "yaml"
        elif ".json" in suffixes:
            self.format = "json"
        elif _HDF5_SUFFIXES.intersection(suffixes):
            self.format = "hdf5"
        self.compression: str | None = None
        if ".zz" in suffixes:
            self.compression = "zlib"
        elif suffixes and suffixes[-1] == ".gz":
            self.compression = "gzip"


def to_bytes(value: Any, name: str) -> bytes:
    """The content of a file of this name holding ``value``."""
    kind = FileFormat(name)
    if kind.format is None:
        raise TextsError(
            "Unknown error: ValueError", "does not support export to custom file format"
        )
    if kind.format == "hdf5":
        return _hdf5_bytes(json.dumps(encode(value)), compressed=kind.compression is not None)
    content = dumps(value, kind.format).encode("utf-8")
    if kind.compression == "zlib":
        return zlib.compress(content)
    if kind.compression == "gzip":
        return gzip.compress(content, mtime=0)
    return content


def from_bytes(content: bytes, name: str) -> Any:
    """The value in the content of a file of this name; a ``Data input error`` without
    the name (the caller adds it) for content that is not what the name says."""
    kind = FileFormat(name)
    if kind.format is None:
        raise TextsError("Not implemented", "datastore with custom format not implemented")
    if kind.format == "hdf5":
        return loads(_hdf5_text(content), "json")
    if kind.compression == "zlib":
        try:
            content = zlib.decompress(content)
        except zlib.error:
            raise _refuse("not zlib-compressed data, as the suffix .zz says") from None
    elif kind.compression == "gzip" and content.startswith(_GZIP_MAGIC):
        try:
            content = gzip.decompress(content)
        except (OSError, EOFError) as error:
            raise _refuse(f"not a valid gzip file: {error}") from None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _refuse(f"not UTF-8 text: {error.reason}") from None
    return loads(text, kind.format)


def _refuse(message: str) -> TextsError:
    return TextsError("Data input error", message)


def _hdf5_bytes(text: str, compressed: bool) -> bytes:
    # lazily for start-up: a file format's library only when a file of it is read
    import h5py  # noqa: PLC0415
    import numpy  # noqa: PLC0415

    string = h5py.string_dtype(encoding="utf-8")
    options: dict[str, Any] = {"compression": "gzip", "chunks": True} if compressed else {}
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as file:
        file.create_dataset(HDF5_DATASET, data=numpy.array([text], dtype=string), **options)
    return buffer.getvalue()


def _hdf5_text(content: bytes) -> str:
    # lazily for start-up: a file format's library only when a file of it is read
    import h5py  # noqa: PLC0415

    try:
        with h5py.File(io.BytesIO(content), "r") as file:
            if HDF5_DATASET not in file:
                raise _refuse(f"an HDF5 file of a value has a dataset '{HDF5_DATASET}'")
            data = file[HDF5_DATASET][()]
    except OSError as error:
        raise _refuse(f"not a valid HDF5 file: {error}") from None
    item = data.item() if hasattr(data, "item") and getattr(data, "size", 1) == 1 else data
    if isinstance(item, bytes):
        item = item.decode("utf-8")
    if not isinstance(item, str):
        raise _refuse(f"the dataset '{HDF5_DATASET}' must hold one text")
    return item
