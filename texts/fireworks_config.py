"""FireWorks' own configuration files, found where FireWorks finds them and read as data.

FireWorks reads its settings when it is imported: the first ``FW_config.yaml`` of the
working directory, ``~/.fireworks`` and the directory FireWorks is installed in, else the
file ``FW_CONFIG_FILE`` names. Its ``LAUNCHPAD_LOC`` names the launchpad file; without one,
the first ``my_launchpad.yaml`` of its ``CONFIG_FILE_DIR``, the working directory,
``~/.fireworks`` and the installation directory is used. ``lpad`` and ``rlaunch`` open that
database when they are given no file, and so does textS.

textS repeats this search instead of asking the imported FireWorks, for three reasons: an
instant run must learn that there is no configuration without paying for the import; a
session must see a file that appears while it runs (FireWorks reads once per process); and
FireWorks' own reading does what a textS user must not meet. It prints on standard output
when it finds two candidate files (into the program's output), ends in a traceback for a
file it refuses, and turns ``@module``/``@class`` mappings into objects of the classes they
name. So the files are read here with a safe YAML loader, only as data, and the command
line imports FireWorks through :func:`check_fireworks_imports`, which checks the file first
and turns FireWorks' refusals into a configuration error naming it.
"""

from __future__ import annotations

import contextlib
import importlib.machinery
import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import ModuleType

    from texts.interpreter.errors import TextsError

FW_CONFIG_NAME = "FW_config.yaml"
LAUNCHPAD_NAME = "my_launchpad.yaml"
MONGOMOCK_FILE = "MONGOMOCK_SERVERSTORE_FILE"
_CLASS_KEYS = ("@module", "@class")
"""Keys with which monty's decoder (FireWorks' reader) builds an object of a named class."""
_warned: set[str] = set()


def configuration_error(message: str) -> TextsError:
    # lazily for start-up: only this path needs it (the configuration check stays light)
    from texts.interpreter.errors import TextsError  # noqa: PLC0415

    return TextsError("Configuration error", message)


def warn_once(message: str) -> None:
    """A warning on standard error, the first time this process meets it."""
    if message not in _warned:
        _warned.add(message)
        print(f"Warning: {message}", file=sys.stderr, flush=True)


class LaunchpadLocation:
    """The launchpad file FireWorks' configuration names, and how it was found (for
    messages about the file: the user may not know that FireWorks chose it)."""

    def __init__(self, path: str, origin: str) -> None:
        self.path = path
        self.origin = origin


def _installation_directory() -> Path | None:
    # lazily for start-up: only this path needs it (the configuration check stays light)
    import importlib.util  # noqa: PLC0415

    spec = importlib.util.find_spec("fireworks")
    return Path(spec.origin).parent.parent if spec and spec.origin else None


def _search_directories() -> list[Path]:
    installed = _installation_directory()
    return [Path.cwd(), Path.home() / ".fireworks", *([installed] if installed else [])]


def fw_config_file() -> Path | None:
    """The ``FW_config.yaml`` FireWorks would read (``None``: none exists)."""
    found = [place / FW_CONFIG_NAME for place in _search_directories()]
    candidates = [path for path in found if path.is_file()]
    named = os.environ.get("FW_CONFIG_FILE")
    if named and Path(named) not in candidates:
        candidates.append(Path(named))
    if len(candidates) > 1:
        others = ", ".join(str(path) for path in candidates[1:])
        warn_once(f"FireWorks' configuration is read from {candidates[0]}, not from {others}")
    return candidates[0] if candidates and candidates[0].is_file() else None


def read_fw_config(path: Path) -> dict[str, Any]:
    """The settings of a FireWorks configuration file, checked to be plain data."""
    settings = read_yaml_mapping(path, "FireWorks' configuration")
    for key, value in settings.items():
        if _names_a_class(value):
            raise configuration_error(
                f"{path}: {key} names a Python class ({'/'.join(_CLASS_KEYS)}); textS reads"
                " configuration files as data only"
            )
    return settings


def read_yaml_mapping(path: Path, what: str) -> dict[str, Any]:
    """A YAML file of settings as plain data (an empty file has none); every problem is a
    configuration error naming the file."""
    # lazily for start-up: only this path needs them (the configuration check stays light)
    import yaml  # noqa: PLC0415

    from texts.yamldata import AliasBomb, load_yaml  # noqa: PLC0415

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise configuration_error(f"{path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise configuration_error(f"{path}: not a UTF-8 text file") from None
    try:
        data = load_yaml(text, fast=False)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise configuration_error(f"{path}: not valid YAML: {error.problem}{where}") from None
    except (yaml.YAMLError, AliasBomb) as error:
        raise configuration_error(f"{path}: not valid YAML: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise configuration_error(f"{path}: {what} must be a mapping of settings")
    return data


def _names_a_class(value: Any) -> bool:
    if isinstance(value, dict):
        return any(key in value for key in _CLASS_KEYS) or any(
            _names_a_class(item) for item in value.values()
        )
    if isinstance(value, list):
        return any(_names_a_class(item) for item in value)
    return False


def launchpad_location() -> LaunchpadLocation | None:
    """The launchpad file of FireWorks' configuration (``None``: there is none), found as
    FireWorks finds it."""
    config = fw_config_file()
    settings = read_fw_config(config) if config else {}
    named = settings.get("LAUNCHPAD_LOC")
    if named is not None:
        if not isinstance(named, str):
            raise configuration_error(f"{config}: LAUNCHPAD_LOC must be a file name")
        return LaunchpadLocation(named, f"the LAUNCHPAD_LOC of {config}")
    places = _search_directories()
    config_dir = settings.get("CONFIG_FILE_DIR", ".")
    if not isinstance(config_dir, str):
        raise configuration_error(f"{config}: CONFIG_FILE_DIR must be a directory name")
    if os.path.realpath(config_dir) not in [str(place) for place in places]:
        places.insert(0, Path(config_dir))
    candidates = dict.fromkeys(place / LAUNCHPAD_NAME for place in places)
    found = [path for path in candidates if path.is_file()]
    if not found:
        return None
    if len(found) > 1:
        others = ", ".join(str(path) for path in found[1:])
        warn_once(f"FireWorks' launchpad file is {found[0]}, not {others}")
    return LaunchpadLocation(str(found[0]), "found by FireWorks' configuration search")


def warn_unused_mongomock_file() -> None:
    """The reference keeps its models in FireWorks' mongomock file when no launchpad file
    is configured; textS keeps them in its embedded store instead: say so."""
    config = fw_config_file()  # FireWorks copies the file's setting into the environment
    where = f"in {config}" if config and read_fw_config(config).get(MONGOMOCK_FILE) else None
    if where is None and os.environ.get(MONGOMOCK_FILE):
        where = "in the environment"
    if where is not None:
        warn_once(
            f"{MONGOMOCK_FILE} ({where}) is not used: without a launchpad file textS"
            " keeps workflows in its embedded store, .texts in the working directory"
        )


def check_fireworks_imports() -> None:
    """From now on in this process, importing FireWorks (wherever that happens) first
    checks its configuration file as data, keeps FireWorks' remarks off standard output and
    turns its refusal of the file into a configuration error that names it. For the command
    line only: a program that imports textS as a library keeps FireWorks as it is."""
    if "fireworks.fw_config" not in sys.modules and not any(
        isinstance(finder, _ConfigurationCheck) for finder in sys.meta_path
    ):
        sys.meta_path.insert(0, _ConfigurationCheck())


class _ConfigurationCheck:
    """An import finder (``sys.meta_path``) that finds ``fireworks.fw_config`` as the other
    finders do, with a loader that checks the configuration file around FireWorks' own
    reading of it; once: it then leaves."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "fireworks.fw_config":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _CheckedLoader(spec.loader)
        return spec


class _CheckedLoader:
    """The module's own loader, run with the check (an import loader: ``create_module``
    and ``exec_module``)."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        config = fw_config_file()
        if config is not None:
            read_fw_config(config)
        with contextlib.redirect_stdout(io.StringIO()):  # remarks made by fw_config_file
            try:
                self.loader.exec_module(module)
            except Exception as error:  # FireWorks' refusal of a setting, or a missing extra
                reason = " ".join(str(error).split())
                where = config or "FireWorks' configuration"
                raise configuration_error(f"{where}: {reason}") from None
