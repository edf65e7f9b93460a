"""The calculators that need an external program are set up through ASE, which finds the
program through its own configuration: environment variables, ASE's configuration file,
the ``PATH``. Where something is missing, the Property fails with a ``Calculator setup
error`` that says what ASE looked for."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from processes import TEXTS, finished

PERIODIC_H2 = (
    "h = Structure h ((atoms: ((symbols: 'H', 'H'), (x: 0.0, 0.74) [angstrom],"
    " (y: 0.0, 0.0) [angstrom], (z: 0.0, 0.0) [angstrom])),"
    " (cell: [[5., 0., 0.], [0., 5., 0.], [0., 0., 5.]] [angstrom]), (pbc: [true, true, true]))\n"
)
CALCULATORS = {
    "vasp": "Calculator vasp ((encut: 300.) [eV]), task: single point",
    "elk": "Calculator elk ((tasks: (0,)))",
    "turbomole": "Calculator turbomole ((multiplicity: 1), (task: 'energy'))",
}


def setup_error(tmp_path: Path, name: str, **environment: str) -> list[str]:
    """The message of the error, from a run in a process of its own (ASE reads its
    configuration when it is imported) with only the given settings of ASE and VASP."""
    model = tmp_path / "model.vm"
    model.write_text(
        PERIODIC_H2
        + f"c = {CALCULATORS[name]}\n"
        + "p = Property energy ((structure: h), (calculator: c))\nprint(p.energy)\n"
    )
    (tmp_path / "empty.ini").write_text("")
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env["ASE_CONFIG_PATH"] = str(tmp_path / "empty.ini")
    env.update(environment)
    result = finished([*TEXTS, "script", "-f", str(model)], tmp_path, env)
    assert result.returncode == 1
    assert result.stdout == "program output: >>>\n\n<<<\n"
    head, *message, line, carets = result.stderr.splitlines()
    assert head == f"Calculator setup error: {model}:3:5 --> " + (
        "Property energy ((structure: h), (calculator: c)) <--"
    )
    assert line == "    3 | p = Property energy ((structure: h), (calculator: c))"
    assert carets.startswith("      |     ^^^")
    return message


SETTINGS = ("ASE_VASP_COMMAND", "VASP_COMMAND", "VASP_SCRIPT", "VASP_PP_PATH", "ASE_CONFIG_PATH")


def test_vasp_without_a_command_names_the_variables_ase_reads(tmp_path: Path) -> None:
    assert setup_error(tmp_path, "vasp") == [
        "Please set either command in calculator or one of the following environment "
        "variables (prioritized as follows): ASE_VASP_COMMAND, VASP_COMMAND, VASP_SCRIPT"
    ]


def test_vasp_with_a_command_but_no_pseudopotentials(tmp_path: Path) -> None:
    message = setup_error(tmp_path, "vasp", ASE_VASP_COMMAND="vasp_std")
    assert message[0] == "Looking for potpaw/H/POTCAR"
    assert message[-1] == "No pseudopotential for H!"


def test_elk_without_a_section_in_the_ase_configuration(tmp_path: Path) -> None:
    assert setup_error(tmp_path, "elk")[0].startswith("No configuration of 'elk'.")


def test_elk_configured_without_its_program(tmp_path: Path) -> None:
    configuration = tmp_path / "ase.ini"
    configuration.write_text("[elk]\nsppath = species\n")
    assert setup_error(tmp_path, "elk", ASE_CONFIG_PATH=str(configuration)) == [
        "Failed to load section [elk]: it sets no 'command'"
    ]
    configuration.write_text("[elk]\ncommand = elk-not-installed\nsppath = species\n")
    assert setup_error(tmp_path, "elk", ASE_CONFIG_PATH=str(configuration)) == [
        "program 'elk-not-installed' of elk not found: No such file or directory"
    ]


def test_turbomole_without_its_programs_on_the_path(tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent  # Python, without TURBOMOLE's programs
    assert setup_error(tmp_path, "turbomole", PATH=str(bin_dir)) == [
        "program 'define' of turbomole not found: No such file or directory"
    ]
