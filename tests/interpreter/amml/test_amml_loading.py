"""The extension is loaded only by models that use it: a core model imports neither the
extension's package nor ASE, and a model with a structure imports both."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

#: runs ``texts`` on the model named by the first argument, then prints the names of the
#: modules it imported that belong to the extension or to ASE
RUN_THEN_LIST = (
    "import sys; from texts.cli.main import main; status = main(['script', '-f', sys.argv[1]]);"
    " print(' '.join(sorted(n for n in sys.modules"
    " if n == 'ase' or n == 'texts.interpreter.amml')))"
)


def loaded(tmp_path: Path, text: str) -> tuple[str, set[str]]:
    model = tmp_path / "model.vm"
    model.write_text(text)
    completed = subprocess.run(
        [sys.executable, "-c", RUN_THEN_LIST, str(model)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    lines = completed.stdout.splitlines()
    return "\n".join(lines[:-1]), set(lines[-1].split())


def test_a_core_model_loads_neither_the_extension_nor_ase(tmp_path: Path) -> None:
    printed, modules = loaded(tmp_path, "x = (x: 1, 2) [m]\nprint(sum(x))\n")
    assert "3 [meter]" in printed
    assert modules == set()


def test_a_model_with_a_structure_loads_both(tmp_path: Path) -> None:
    text = (
        "h = Structure h ((atoms: ((symbols: 'H'), (x: 0.0) [angstrom], (y: 0.0) [angstrom],"
        " (z: 0.0) [angstrom])))\nprint(h.chemical_formula)\n"
    )
    printed, modules = loaded(tmp_path, text)
    assert "(chemical_formula: 'H')" in printed
    assert modules == {"ase", "texts.interpreter.amml"}
