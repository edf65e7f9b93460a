"""A real MongoDB named by a FireWorks launchpad file, and where texts looks for one.

``-l FILE`` names a launchpad file in FireWorks' own format (YAML or JSON: ``host``,
``port``, ``name``, ``username``, ``password``, ``uri_mode``, ``mongoclient_kwargs``, ...),
read by ``LaunchPad.from_file`` exactly as ``lpad -l FILE`` reads it.

Without ``-l`` texts follows FireWorks' usual configuration, the lookup that ``lpad`` and
``rlaunch`` do when they are given no file: the ``LAUNCHPAD_LOC`` of an ``FW_config.yaml``
(in the working directory, in ``~/.fireworks`` or named by ``FW_CONFIG_FILE``), else a
``my_launchpad.yaml`` in the ``CONFIG_FILE_DIR`` of that configuration, the working
directory or ``~/.fireworks``. ``texts.fireworks_config`` finds it the same way, reading
the files as data (see there why FireWorks' own reading is not used). With no such
configuration at all the workflow executor keeps its embedded store in ``.texts/`` (see
``store``).

Where the file is silent, texts chooses two settings differently from FireWorks' defaults:

* ``mongoclient_kwargs.serverSelectionTimeoutMS`` is 5 s rather than pymongo's 30 s, so an
  unreachable server is reported while the user still waits for it;
* ``strm_lvl`` is ``ERROR`` rather than ``INFO``: FireWorks logs every insertion on standard
  output, where it would mix with the program's output.

Opening checks the server at once, and a file or server that cannot be used gives a
:class:`LaunchpadError` with a one-line message. A database without FireWorks' id counter
is initialised as ``lpad reset`` does, but only while it holds no workflows: a database
that has some is never cleared.
"""

from __future__ import annotations

import os
from typing import Any

from fireworks import LaunchPad
from fireworks.utilities.exceptions import FWError
from pymongo.errors import PyMongoError
from pymongo.uri_parser import parse_uri
from ruamel.yaml.error import YAMLError

from texts import fireworks_config
from texts.store.compat import launchpad_from_file
from texts.store.errors import LaunchpadError

SERVER_SELECTION_TIMEOUT_MS = 5000
STREAM_LOG_LEVEL = "ERROR"
_NOISE = (", Timeout: ", " (configured timeouts", ", full error: ")
"""Where pymongo's messages turn from the reason into connection diagnostics."""


def configured_launchpad_file() -> str | None:
    """The launchpad file of FireWorks' configuration (what ``lpad`` uses without ``-l``)."""
    location = fireworks_config.launchpad_location()
    return location.path if location else None


def open_configured_mongodb(launchpad_file: str | os.PathLike[str] | None) -> LaunchPad | None:
    """The MongoDB of ``launchpad_file``, else of FireWorks' configuration (``None``: there
    is none). Errors about a configured file also say which configuration named it."""
    if launchpad_file:
        return open_mongodb(launchpad_file)
    location = fireworks_config.launchpad_location()
    if location is None:
        return None
    try:
        return open_mongodb(location.path)
    except LaunchpadError as error:
        raise LaunchpadError(f"{error} ({location.path} is {location.origin})") from None


def open_mongodb(path: str | os.PathLike[str]) -> LaunchPad:
    """A LaunchPad on the MongoDB of a launchpad file, checked and initialised if new."""
    path = os.fspath(path)
    launchpad = read_launchpad_file(path)
    try:
        _initialise(launchpad, path)
    except BaseException as error:
        launchpad.connection.close()
        if isinstance(error, PyMongoError):
            raise LaunchpadError(
                f"The MongoDB of the launchpad file {path} cannot be used: {_one_line(error)}"
            ) from None
        raise
    return launchpad


def read_launchpad_file(path: str | os.PathLike[str]) -> LaunchPad:
    """A LaunchPad with the settings of a launchpad file, not yet connected or checked."""
    path = os.fspath(path)
    try:
        launchpad: LaunchPad = launchpad_from_file(path, _with_texts_defaults)
        return launchpad
    except OSError as error:
        raise LaunchpadError(f"Cannot read the launchpad file {path}: {error.strerror}") from None
    except KeyError as error:  # FireWorks requires 'host'
        raise LaunchpadError(f"The launchpad file {path} has no {error} setting.") from None
    except (ValueError, TypeError, YAMLError, FWError, PyMongoError) as error:
        raise LaunchpadError(
            f"The launchpad file {path} is not valid: {_one_line(error)}"
        ) from None


def _with_texts_defaults(d: dict[str, Any]) -> dict[str, Any]:
    """A launchpad file's settings with texts' defaults where it is silent (applied before
    any connection or logger is made: FireWorks' loggers keep a stream handler once it
    exists, so the level must be right from the start)."""
    kwargs = dict(d.get("mongoclient_kwargs") or {})
    if "serverselectiontimeoutms" not in f"{list(kwargs)} {d.get('host')}".lower():
        kwargs["serverSelectionTimeoutMS"] = SERVER_SELECTION_TIMEOUT_MS
    return {"strm_lvl": STREAM_LOG_LEVEL, **d, "mongoclient_kwargs": kwargs}


def _initialise(launchpad: LaunchPad, path: str) -> None:
    """Reset a database without FireWorks' id counter, as ``lpad reset`` would, unless it
    holds workflows: then it was written by something else and is not ours to clear."""
    if launchpad.fw_id_assigner.count_documents({}):
        return
    if launchpad.workflows.count_documents({}):
        raise LaunchpadError(
            f"The database {launchpad.name} of the launchpad file {path} has workflows but no"
            " FireWorks id counter; it is not initialised."
        )
    launchpad.reset(password=None, require_password=False, max_reset_wo_password=0)


def _one_line(error: BaseException) -> str:
    """The reason an error gives, on one line, without pymongo's connection diagnostics."""
    text = str(error)
    for noise in _NOISE:
        text = text.split(noise, maxsplit=1)[0]
    return " ".join(text.split())


def database_label(launchpad: LaunchPad) -> str:
    """``host:port,.../name`` of a LaunchPad's database, without user or password."""
    if launchpad.uri_mode:
        nodes = parse_uri(launchpad.host)["nodelist"]
    else:
        nodes = [(launchpad.host, launchpad.port)]
    return ",".join(f"{host}:{port}" for host, port in sorted(nodes)) + f"/{launchpad.db.name}"
