"""Reading and writing data files and URLs for ``from file|url`` and ``to file|url``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from texts.atomic import write_atomically
from texts.fileformats import FileFormat, from_bytes, to_bytes
from texts.interpreter.errors import TextsError
from texts.provenance.files import note_file


def _display(path: str) -> str:
    return path if os.path.isabs(path) else os.path.join(".", path)


def read_file(path: str) -> Any:
    """The value stored in a data file (its format and compression by its name)."""
    if FileFormat(path).format is None:
        raise TextsError("Not implemented", "datastore with custom format not implemented")
    try:
        content = Path(path).read_bytes()
    except OSError as exc:
        raise TextsError(
            "Data input error",
            f"builtins.{type(exc).__name__}: {path}\n"
            f"[Errno {exc.errno}] {exc.strerror}: '{_display(path)}'",
        ) from None
    note_file(path, "r", content)
    return _decoded(content, path, path)


def _decoded(content: bytes, name: str, where: str) -> Any:
    try:
        return from_bytes(content, name)
    except TextsError as error:
        if error.label == "Data input error":
            raise TextsError(error.label, f"{where}: {error.message}") from None
        raise


def read_url(url: str) -> Any:
    """The value stored at a URL (format and compression by the URL's path)."""
    # lazily for start-up: only this path needs it
    from urllib.parse import urlparse  # noqa: PLC0415
    from urllib.request import urlopen  # noqa: PLC0415

    name = urlparse(url).path
    if FileFormat(name).format is None:
        raise TextsError("Not implemented", "datastore with custom format not implemented")
    try:
        with urlopen(url, timeout=30) as response:
            content = response.read()
    except (OSError, ValueError) as exc:
        raise TextsError("Operating system error", str(exc)) from None
    note_file(url, "r", content)
    return _decoded(content, name, url)


def write_file(value: Any, path: str, replace: bool = False) -> None:
    """Write a value to a new file. An existing file is never overwritten, except with
    ``replace`` (a file this tool wrote and recorded), atomically: a crash leaves the old
    or the new content."""
    if FileFormat(path).format is None and getattr(value, "kind", None) == "Structure":
        # lazily for start-up: a file format's library only when a file of it is read
        from texts.interpreter.amml.atoms import write_structure  # any format ASE writes  # noqa: PLC0415

        write_structure(value, path)
        return
    content = to_bytes(value, path)
    try:
        if replace:
            write_atomically(Path(path).absolute(), content)
        else:
            with open(path, "xb") as stream:
                stream.write(content)
    except FileExistsError:
        raise TextsError(
            "File exists error",
            f"[Errno 17] File exists: '{_display(path)}'\n"
            "textS did not write this file and never overwrites it: remove it or export "
            "to another file",
        ) from None
    except OSError as exc:
        raise TextsError("Operating system error", str(exc)) from None
    note_file(path, "w", content)


def write_url(value: Any, url: str) -> None:
    """Upload a value to a URL with an HTTP PUT."""
    # lazily for start-up: it imports urllib
    from urllib.request import Request, urlopen  # noqa: PLC0415

    name = urlparse(url).path
    content = to_bytes(value, name if FileFormat(name).format else name + ".json")
    request = Request(url, data=content, method="PUT")
    try:
        with urlopen(request, timeout=30):
            pass
    except (OSError, ValueError) as exc:
        raise TextsError("Operating system error", str(exc)) from None
    note_file(url, "w", content)
