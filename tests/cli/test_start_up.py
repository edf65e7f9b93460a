"""What ``texts`` imports to start: only what the model or the command needs. A one-line
model needs NumPy and pint, not the workflow engine, pandas, plotting, HDF5 or (once its
statement is in the parse cache) the parser; ``--help`` and ``--version`` need none of them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

#: runs ``texts`` with the arguments after the first; at exit, writes the names of the
#: top-level packages it imported to the file named by the first
TEXTS_THEN_MODULES = (
    "import atexit, sys; atexit.register(lambda: open(sys.argv[1], 'w').write("
    "' '.join(name for name in sys.modules if '.' not in name)));"
    " from texts.cli.main import main; sys.exit(main(sys.argv[2:]))"
)
HEAVY = {
    "pandas", "fireworks", "mongomock", "pymongo", "matplotlib", "h5py", "IPython", "ase", "scipy",
}  # fmt: skip


def imported(tmp_path: Path, *args: str) -> set[str]:
    listing = tmp_path / "modules.txt"
    completed = subprocess.run(
        [sys.executable, "-c", TEXTS_THEN_MODULES, str(listing), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return set(listing.read_text().split())


@pytest.mark.parametrize("mode", ["instant", "deferred"])
def test_a_one_line_model_imports_only_numpy_and_pint(tmp_path: Path, mode: str) -> None:
    (tmp_path / "one.vm").write_text("print(1 [m])\n")
    first = imported(tmp_path, "one.vm", "-m", mode)  # a new directory, a new statement
    again = imported(tmp_path, "one.vm", "-m", mode)
    assert {"numpy", "pint"} <= again
    assert not first & HEAVY
    assert not again & (HEAVY | {"textx", "arpeggio"})


@pytest.mark.parametrize("command", [["--help"], ["--version"], ["script", "--help"]])
def test_commands_that_run_no_model_import_no_numerical_library(
    tmp_path: Path, command: list[str]
) -> None:
    found = imported(tmp_path, *command)
    assert not found & (HEAVY | {"numpy", "pint", "textx"})
