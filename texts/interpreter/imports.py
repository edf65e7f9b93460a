"""Import the Python object a ``use`` statement names, looking first beside the model.

Python puts a script's directory first on the module path; a model is a script, so a
module next to the model file (``slowmod.py`` beside ``model.vm``) is found without
``PYTHONPATH``, then one in the working directory, then the installed ones. When nothing
is found, the error says where it looked.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path


class ImportFailure(Exception):
    """Why an object could not be imported, in words for the user."""


def search_directories(paths: Iterable[str | None]) -> list[str]:
    """The directories of the model's files, then the working directory, each once."""
    found: list[str] = []
    for path in paths:
        if path and not path.startswith("<"):
            directory = str(Path(path).absolute().parent)
            if directory not in found:
                found.append(directory)
    working = os.getcwd()
    if working not in found:
        found.append(working)
    return found


def import_object(dotted: str, directories: list[str]) -> object:
    """The object ``module.attribute``, the module searched in ``directories`` first."""
    module_name, _, attribute = dotted.rpartition(".")
    try:
        with _searched(directories):
            module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            places = ", ".join(directories)
            raise ImportFailure(
                f'No module "{module_name}" in {places} or the installed packages'
            ) from None
        raise ImportFailure(f'Importing "{module_name}" failed: {error}') from None
    except Exception as error:  # the module's own code failed
        raise ImportFailure(
            f'Importing "{module_name}" failed: {type(error).__name__}: {error}'
        ) from None
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise ImportFailure(f'Module "{module_name}" has no "{attribute}"') from None


@contextlib.contextmanager
def _searched(directories: list[str]) -> Iterator[None]:
    """``directories`` first on the module path while importing."""
    added = [directory for directory in directories if directory not in sys.path]
    sys.path[:0] = added
    importlib.invalidate_caches()
    try:
        yield
    finally:
        for directory in added:
            with contextlib.suppress(ValueError):
                sys.path.remove(directory)
