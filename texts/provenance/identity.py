"""The identity of the code that computed a result: the model file's repository state and
the versions of textS, Python and the libraries.

A value is reproducible only with the code that made it: the git commit of the model
file's repository (and whether its tree had uncommitted changes), and the versions of the
libraries the evaluation used. Versions come from the installed distributions' metadata,
so a module imported by a model is named by the package that ships it.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from texts import __version__
from texts.provenance.records import CodeIdentity

CORE_LIBRARIES = ("numpy", "pint", "pandas", "textX", "h5py", "fireworks")
"""The libraries every evaluation may use: arrays, units, series and tables, the grammar,
HDF5 files and the workflow engine."""
GIT_TIMEOUT_SECONDS = 10


def code_identity(model_file: str | None, imported_modules: Iterable[str] = ()) -> CodeIdentity:
    """The code identity of a run of ``model_file`` whose model imports ``imported_modules``."""
    libraries = {name: version for name in CORE_LIBRARIES if (version := distribution(name))}
    libraries.update(package_versions(imported_modules))
    directory = Path(model_file).resolve().parent if model_file else Path.cwd()
    python = sys.version.split()[0]
    return CodeIdentity(__version__, python, dict(sorted(libraries.items())), git_state(directory))


def package_versions(modules: Iterable[str]) -> dict[str, str]:
    """The distributions (and versions) that ship the top-level packages of ``modules``;
    modules of no installed distribution (the model's own Python files) are left out."""
    found = {}
    for module in modules:
        top = module.split(".")[0]
        for name in _distributions_of().get(top, ()):
            if version := distribution(name):
                found[name] = version
    return found


@functools.cache
def _distributions_of() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


@functools.cache
def distribution(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def git_state(directory: Path) -> dict[str, Any] | None:
    """The commit checked out in the repository holding ``directory`` and whether its tree
    is clean; ``None`` outside a repository or without git."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(directory), *args],
                capture_output=True,
                text=True,
                check=False,
                timeout=GIT_TIMEOUT_SECONDS,
                env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},  # a query never locks the index
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    repository = git("rev-parse", "--show-toplevel")
    if repository is None:
        return None
    # one call for both: the commit is the header line "# branch.oid <sha>" ("(initial)"
    # before the first commit), every other line a change
    status = git("status", "--porcelain=v2", "--branch")
    if status is None:
        return {"repository": repository, "commit": None, "clean": None}
    lines = status.splitlines()
    oid = next((line.split()[2] for line in lines if line.startswith("# branch.oid ")), None)
    clean = not any(not line.startswith("#") for line in lines)
    return {"repository": repository, "commit": None if oid == "(initial)" else oid, "clean": clean}
