"""Reading and writing data files and URLs for ``from file|url`` and ``to file|url``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from texts.interpreter.errors import TextsError
from texts.provenance.files import note_file
from texts.serialization import dumps, loads

_FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


def _format(path: str) -> str | None:
    return _FORMATS.get(Path(path).suffix.lower())


def _display(path: str) -> str:
    return path if os.path.isabs(path) else os.path.join(".", path)


def read_file(path: str) -> Any:
    """The value stored in a JSON or YAML file."""
    fmt = _format(path)
    if fmt is None:
        raise TextsError("Not implemented", "datastore with custom format not implemented")
    try:
        content = Path(path).read_bytes()
        text = content.decode("utf-8")
    except OSError as exc:
        raise TextsError(
            "Data input error",
            f"builtins.{type(exc).__name__}: {path}\n"
            f"[Errno {exc.errno}] {exc.strerror}: '{_display(path)}'",
        ) from None
    except UnicodeDecodeError as exc:
        raise TextsError("Data input error", f"{path} is not UTF-8 text: {exc.reason}") from None
    note_file(path, "r", content)
    return _parse(text, fmt, path)


def _parse(text: str, fmt: str, where: str) -> Any:
    try:
        return loads(text, fmt)
    except TextsError as error:
        if error.label == "Data input error":
            raise TextsError(error.label, f"{where}: {error.message}") from None
        raise


def read_url(url: str) -> Any:
    """The value stored at a URL (JSON or YAML by the URL's suffix)."""
    from urllib.parse import urlparse
    from urllib.request import urlopen

    fmt = _format(urlparse(url).path)
    if fmt is None:
        raise TextsError("Not implemented", "datastore with custom format not implemented")
    try:
        with urlopen(url, timeout=30) as response:
            content = response.read()
        text = content.decode("utf-8")
    except (OSError, ValueError) as exc:
        raise TextsError("Operating system error", str(exc)) from None
    note_file(url, "r", content)
    return _parse(text, fmt, url)


def write_file(value: Any, path: str, replace: bool = False) -> None:
    """Write a value to a new file. An existing file is never overwritten, except with
    ``replace`` (a file this tool wrote and recorded), atomically: a crash leaves the old
    or the new content."""
    fmt = _format(path)
    if fmt is None and getattr(value, "kind", None) == "Structure":  # any format ASE writes
        from texts.interpreter.amml.atoms import write_structure

        write_structure(value, path)
        return
    if fmt is None:
        raise TextsError(
            "Unknown error: ValueError",
            "does not support export to custom file format",
        )
    text = dumps(value, fmt)
    try:
        if replace:
            from texts.atomic import write_atomically

            write_atomically(Path(path).absolute(), text.encode("utf-8"))
        else:
            with open(path, "x", encoding="utf-8") as stream:
                stream.write(text)
    except FileExistsError:
        raise TextsError(
            "File exists error",
            f"[Errno 17] File exists: '{_display(path)}'\n"
            "textS did not write this file and never overwrites it: remove it or export "
            "to another file",
        ) from None
    except OSError as exc:
        raise TextsError("Operating system error", str(exc)) from None
    note_file(path, "w", text.encode("utf-8"))


def write_url(value: Any, url: str) -> None:
    """Upload a value to a URL with an HTTP PUT."""
    from urllib.parse import urlparse
    from urllib.request import Request, urlopen

    fmt = _format(urlparse(url).path) or "json"
    content = dumps(value, fmt).encode("utf-8")
    request = Request(url, data=content, method="PUT")
    try:
        with urlopen(request, timeout=30):
            pass
    except (OSError, ValueError) as exc:
        raise TextsError("Operating system error", str(exc)) from None
    note_file(url, "w", content)
