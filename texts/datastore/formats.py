"""The file formats of offloaded values: JSON, YAML (both gzip-compressed on request), HDF5.

A format writes a value to a file and reads it back; the datastore around it names,
hashes and places the file. JSON and YAML hold the reference's serialised form, so an
offloaded JSON file is what ``to file`` would write. Compression is the standard gzip
container (readable by ``gunzip``), produced by ISA-L, which writes and reads it several
times faster than zlib; the header carries no time stamp, so equal values give equal
files and are stored once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, Protocol

from texts.datastore.hdf5 import Hdf5Format
from texts.datastore.payload import Payload, value_from_data, value_from_json
from texts.yamldata import load_yaml

GZIP_LEVEL = 1
"""ISA-L's fast level: large values are mostly numbers, which compress little more at
higher levels but take far longer."""


class Format(Protocol):
    name: str

    def suffix(self, compress: bool) -> str: ...

    def write(self, payload: Payload, path: Path, compress: bool) -> None: ...

    def read(self, path: Path, compress: bool) -> Any: ...


class _TextFormat(ABC):
    """A format whose file is a text, optionally gzip-compressed."""

    name = ""
    extension = ""

    def suffix(self, compress: bool) -> str:
        return self.extension + (".gz" if compress else "")

    def write(self, payload: Payload, path: Path, compress: bool) -> None:
        text = self.dumps(payload)
        if compress:
            # lazily for start-up: it imports isal
            from isal import igzip  # noqa: PLC0415

            text = igzip.compress(text, GZIP_LEVEL, mtime=0)
        path.write_bytes(text)

    def read(self, path: Path, compress: bool) -> Any:
        text = path.read_bytes()
        if compress:
            # lazily for start-up: it imports isal
            from isal import igzip  # noqa: PLC0415

            text = igzip.decompress(text)
        return self.loads(text)

    @abstractmethod
    def dumps(self, payload: Payload) -> bytes:
        """The value as the format's text."""

    @abstractmethod
    def loads(self, text: bytes) -> Any:
        """The value of the format's text."""


class JsonFormat(_TextFormat):
    name = "json"
    extension = ".json"

    def dumps(self, payload: Payload) -> bytes:
        return payload.json

    def loads(self, text: bytes) -> Any:
        return value_from_json(text)


class YamlFormat(_TextFormat):
    """YAML through libyaml's C emitter and parser when PyYAML has them."""

    name = "yaml"
    extension = ".yaml"

    def dumps(self, payload: Payload) -> bytes:
        # lazily for start-up: it imports yaml
        import yaml  # noqa: PLC0415

        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        return yaml.dump(payload.data, Dumper=dumper, sort_keys=True).encode()

    def loads(self, text: bytes) -> Any:
        return value_from_data(load_yaml(text))


def format_named(name: str) -> Format:
    """The format of a configuration or a reference record (``json``, ``yaml``, ``hdf5``)."""
    if name == "hdf5":
        return Hdf5Format()
    return {"json": JsonFormat, "yaml": YamlFormat}[name]()
