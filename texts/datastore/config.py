"""The datastore settings: where large values go, in which format, from which file.

Two files may hold them, both YAML. The dedicated file (``$DATASTORE_CONFIG``, else
``~/.fireworks/datastore_config.yaml``) has the keys ``type``, ``inline-threshold``,
``path``, ``name``, ``launchpad``, ``format`` and ``compress``. The resource configuration
of the reference (``$RESCONFIG_LOC``, else ``~/.fireworks/res_config.yaml``, as its
``resconfig`` tool writes it) is read too, so that its users' files work unchanged: its
``datastore`` section with the spellings ``type_``, ``format_``, ``inline_threshold`` and
``paths``. The dedicated file wins key by key.

The resource configuration is only read as data: its ``_fw_name`` entries name the
reference's classes and are skipped, nothing is built from them. Of the rest textS uses the
datastore section; the other sections (``workers``, ``default_worker``: the reference's
batch queues, modules and launch directories) and the datastore settings textS has no use
for (values are always hashed, never replicated) are named in one warning. A null or an
empty list is the default, as the ``resconfig`` tool writes unset settings. Every error
names the file and the key that hold the offending value.

Nothing is created or read at import time: :func:`current_config` reads the files when a
value is stored, and again only after one of them changed, so a new configuration applies
to the next value without restarting anything.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from texts.interpreter.errors import TextsError

BACKENDS = ("file", "gridfs")
FORMATS = ("json", "yaml", "hdf5")
DEFAULT_THRESHOLD = 100_000
DEFAULT_BUCKET = "vre_language_datastore"
DEDICATED_KEYS = ("type", "inline-threshold", "path", "name", "launchpad", "format", "compress")
RESOURCE_KEYS = {
    "type_": "type",
    "format_": "format",
    "inline_threshold": "inline-threshold",
    "paths": "path",
    "compress": "compress",
    "name": "name",
    "launchpad": "launchpad",
}
"""The reference's spellings in the resource configuration, and the dedicated file's key
each one stands for (its own spellings are accepted there too)."""
UNUSED_DEFAULTS = {
    "use_sha256": True,
    "replica_targets": [],
    "replica_strategy": "first",
    "replica_timeout": 30.0,
}
"""Reference settings with no meaning here, and the value at which they change nothing."""
MIDDLEWARE_BUCKET = "datastore"
"""The bucket name the reference's configuration classes write for an unset name; the
reference then uses ``vre_language_datastore``, as textS does."""
FW_NAME = "_fw_name"


@dataclass(frozen=True)
class Setting:
    """One value of a configuration file: its key as spelled there (for messages) and
    the file, so that an error names what the user must edit."""

    value: Any
    key: str
    origin: Path


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
    """The resource configuration's datastore section, overridden key by key by the
    dedicated file, checked."""
    settings = resource_settings(resource)
    settings.update(dedicated_settings(dedicated))
    return _validated(settings)


def resource_settings(path: Path) -> dict[str, Setting]:
    """The datastore settings of the reference's resource configuration, by the dedicated
    file's key; one warning names what textS does not use."""
    data = _read(path, "the resource configuration")
    unused = [key for key in data if key not in (FW_NAME, "datastore")]
    section = data.get("datastore") or {}
    if not isinstance(section, dict):
        raise config_error(f"{path}: the datastore section must be a mapping")
    settings = _settings(section, path, "datastore.", unused)
    if settings.get("name", Setting(None, "", path)).value == MIDDLEWARE_BUCKET:
        del settings["name"]
    if unused:
        # lazily for start-up: only this path needs it (the configuration check stays light)
        from texts.fireworks_config import warn_once  # noqa: PLC0415

        warn_once(f"{path}: not used by textS: {', '.join(unused)}")
    return settings


def dedicated_settings(path: Path) -> dict[str, Setting]:
    """The settings of the dedicated datastore file."""
    unused: list[str] = []
    settings = _settings(_read(path, "the datastore configuration"), path, "", unused)
    if unused:
        # lazily for start-up: only this path needs it (the configuration check stays light)
        from texts.fireworks_config import warn_once  # noqa: PLC0415

        warn_once(f"{path}: not used by textS: {', '.join(unused)}")
    return settings


def _settings(
    section: dict[str, Any], path: Path, prefix: str, unused: list[str]
) -> dict[str, Setting]:
    """The settings of a mapping, by the dedicated file's key (the reference's spellings
    accepted); names of settings without effect here go to ``unused``."""
    settings = {}
    for key, value in section.items():
        if key == FW_NAME:
            continue
        if key in UNUSED_DEFAULTS:
            if value is not None and value != UNUSED_DEFAULTS[key]:
                unused.append(f"{prefix}{key}")
            continue
        canonical = RESOURCE_KEYS.get(key, key)
        if canonical not in DEDICATED_KEYS:
            raise config_error(f"{path}: unknown datastore setting {prefix + key!r}")
        if (value is None and canonical != "type") or value == []:
            continue  # unset, as the reference's resconfig tool writes it
        settings[canonical] = Setting(value, f"{prefix}{key}", path)
    return settings


def _read(path: Path, what: str) -> dict[str, Any]:
    if not path.exists():
        return {}
    # lazily for start-up: only this path needs it (the configuration check stays light)
    from texts.fireworks_config import read_yaml_mapping  # noqa: PLC0415

    return read_yaml_mapping(path, what)


def _validated(settings: dict[str, Setting]) -> DatastoreConfig:
    def value(key: str, default: Any) -> Any:
        return settings[key].value if key in settings else default

    def refuse(key: str, expected: str) -> TextsError:
        setting = settings[key]
        return config_error(
            f"{setting.origin}: {setting.key} must be {expected}, not {setting.value!r}"
        )

    kind = value("type", "file")
    if kind is not None and kind not in BACKENDS:
        raise refuse("type", "file, gridfs or null")
    threshold = value("inline-threshold", DEFAULT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
        raise refuse("inline-threshold", "a number of bytes")
    fmt = value("format", "json")
    if fmt not in FORMATS:
        raise refuse("format", "json, yaml or hdf5")
    compress = value("compress", True)
    if not isinstance(compress, bool):
        raise refuse("compress", "true or false")
    for key in ("name", "launchpad"):
        if value(key, None) is not None and not isinstance(settings[key].value, str):
            raise refuse(key, "a string")
    return DatastoreConfig(
        type=kind,
        inline_threshold=threshold,
        paths=_paths(settings.get("path"), refuse),
        name=value("name", None) or DEFAULT_BUCKET,
        launchpad=value("launchpad", None),
        format=fmt,
        compress=compress,
    )


def _paths(setting: Setting | None, refuse: Callable[[str, str], TextsError]) -> tuple[Path, ...]:
    """The directories of ``path`` (one or a list) or the reference's ``paths``, absolute."""
    if setting is None or setting.value is None:
        return (default_path(),)
    given = setting.value
    entries = [given] if isinstance(given, str) else given
    if not isinstance(entries, list) or not entries or not all(isinstance(p, str) for p in entries):
        raise refuse("path", "a directory or a list of directories")
    return tuple(Path(os.path.expanduser(p)).absolute() for p in entries)
