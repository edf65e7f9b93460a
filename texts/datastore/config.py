"""The datastore settings: where large values go, in which format, from which file.

Two files may hold them, both YAML. The dedicated file (``$DATASTORE_CONFIG``, else
``~/.fireworks/datastore_config.yaml``) has the keys ``type``, ``inline-threshold``,
``path``, ``name``, ``launchpad``, ``format`` and ``compress``. The ``datastore`` section of
the resource configuration (``$RESCONFIG_LOC``, else ``~/.fireworks/res_config.yaml``) is
read too, for users who come from the reference, which reads only that section (with the
key spellings ``type_``, ``format_``, ``inline_threshold`` and ``paths``); the dedicated
file wins key by key.

Nothing is created or read at import time: :func:`current_config` reads the files when a
value is stored, and again only after one of them changed, so a new configuration applies
to the next value without restarting anything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from texts.interpreter.errors import TextsError
from texts.yamldata import AliasBomb, load_yaml

BACKENDS = ("file", "gridfs")
FORMATS = ("json", "yaml", "hdf5")
DEFAULT_THRESHOLD = 100_000
DEFAULT_BUCKET = "vre_language_datastore"
_ALIASES = {"type_": "type", "format_": "format", "inline_threshold": "inline-threshold"}
"""The reference's resource-configuration spellings of the dedicated file's keys."""
_KNOWN = {"type", "inline-threshold", "path", "paths", "name", "launchpad", "format", "compress"}
_IGNORED = {"use_sha256", "replica_targets", "replica_strategy", "replica_timeout"}
"""Reference settings with no meaning here (values are always hashed, never replicated)."""


@dataclass(frozen=True)
class DatastoreConfig:
    """Where and how values past ``inline_threshold`` bytes are offloaded.

    ``type`` is ``None`` when offloading is off. ``paths`` are the directories of the file
    backend: new values are written to the first, values are read from any of them.
    """

    type: str | None = "file"
    inline_threshold: int = DEFAULT_THRESHOLD
    paths: tuple[Path, ...] = ()
    name: str = DEFAULT_BUCKET
    launchpad: str | None = None
    format: str = "json"
    compress: bool = True

    @property
    def path(self) -> Path:
        """The directory new files are written to."""
        return self.paths[0]


def config_error(message: str) -> TextsError:
    return TextsError("Configuration error", message)


def dedicated_file() -> Path:
    named = os.environ.get("DATASTORE_CONFIG")
    return Path(named) if named else Path.home() / ".fireworks" / "datastore_config.yaml"


def resource_file() -> Path:
    named = os.environ.get("RESCONFIG_LOC")
    return Path(named) if named else Path.home() / ".fireworks" / "res_config.yaml"


def default_path() -> Path:
    return Path.home() / ".fireworks" / "vre-language-datastore"


_cache: dict[tuple[Any, ...], DatastoreConfig] = {}


def current_config() -> DatastoreConfig:
    """The configuration as the files say now (parsed again only when they changed)."""
    files = (dedicated_file(), resource_file())
    key = (*(_stamp(path) for path in files), str(default_path()))
    if key not in _cache:
        _cache.clear()
        _cache[key] = load_config(*files)
    return _cache[key]


def _stamp(path: Path) -> tuple[str, float, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return str(path), status.st_mtime, status.st_size


def load_config(dedicated: Path, resource: Path) -> DatastoreConfig:
    """Merge the resource configuration's section with the dedicated file and check it."""
    section = _read(resource).get("datastore") or {}
    if not isinstance(section, dict):
        raise config_error(f"{resource}: the datastore section must be a mapping")
    settings = {_ALIASES.get(k, k): v for k, v in section.items() if k not in _IGNORED}
    settings.update(_read(dedicated))
    return _validated(settings, dedicated if dedicated.exists() else resource)


def _read(path: Path) -> dict[str, Any]:
    # lazily for start-up: it imports yaml
    import yaml  # noqa: PLC0415

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise config_error(f"{path}: {error.strerror}") from None
    try:
        data = load_yaml(text)
    except (yaml.YAMLError, AliasBomb) as error:
        raise config_error(f"{path}: not valid YAML: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise config_error(f"{path}: the datastore configuration must be a mapping")
    return data


def _validated(settings: dict[str, Any], origin: Path) -> DatastoreConfig:
    def refuse(key: str, expected: str) -> TextsError:
        return config_error(f"{origin}: {key} must be {expected}, not {settings[key]!r}")

    unknown = sorted(set(settings) - _KNOWN)
    if unknown:
        raise config_error(f"{origin}: unknown datastore setting {unknown[0]!r}")
    kind = settings.get("type", "file")
    if kind is not None and kind not in BACKENDS:
        raise refuse("type", "file, gridfs or null")
    threshold = settings.get("inline-threshold", DEFAULT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
        raise refuse("inline-threshold", "a number of bytes")
    fmt = settings.get("format", "json")
    if fmt not in FORMATS:
        raise refuse("format", "json, yaml or hdf5")
    compress = settings.get("compress", True)
    if not isinstance(compress, bool):
        raise refuse("compress", "true or false")
    for key in ("name", "launchpad"):
        if settings.get(key) is not None and not isinstance(settings[key], str):
            raise refuse(key, "a string")
    return DatastoreConfig(
        type=kind,
        inline_threshold=threshold,
        paths=_paths(settings, refuse),
        name=settings.get("name") or DEFAULT_BUCKET,
        launchpad=settings.get("launchpad"),
        format=fmt,
        compress=compress,
    )


def _paths(settings: dict[str, Any], refuse: Any) -> tuple[Path, ...]:
    """``path`` (one directory or a list) before the reference's ``paths``; absolute."""
    key = "path" if settings.get("path") is not None else "paths"
    given = settings.get(key)
    if given is None:
        return (default_path(),)
    entries = [given] if isinstance(given, str) else given
    if not isinstance(entries, list) or not entries or not all(isinstance(p, str) for p in entries):
        raise refuse(key, "a directory or a list of directories")
    return tuple(Path(os.path.expanduser(p)).absolute() for p in entries)
