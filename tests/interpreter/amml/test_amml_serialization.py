"""Stored forms of the extension's values: the reference's JSON file forms, exactly, and
every kind read back unchanged (files, and the workflow database's documents)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from texts.datastore.documents import from_document, to_document
from texts.grammar import parse_program
from texts.interpreter.checks import check_program
from texts.interpreter.evaluation import evaluate_variable
from texts.interpreter.format import format_value
from texts.serialization import dumps, loads

FORMS = json.loads((Path(__file__).parents[2] / "data" / "amml_file_forms.json").read_text())
MODEL = """
h2 = Structure h2 ((atoms: ((symbols: 'H', 'H'), (x: 0.0, 0.74) [angstrom],
                            (y: 0.0, 0.0) [angstrom], (z: 0.0, 0.0) [angstrom])))
lj = Calculator lj ((sigma: 2.0) [angstrom]), task: single point
bfgs = Algorithm BFGS ((fmax: 0.02) [eV/angstrom])
fix = FixedLine collinear to [0, 0, 1] where (fixed: true, false)
A = Species A, composition: 'N2' ((energy: -16.0) [eV])
B = Species B, composition: 'N' ((energy: -3.0) [eV])
r = Reaction A = 2 B
com = FixedCOM
vasp = Calculator vasp >= 5.4.4 ((encut: 400.) [eV]), task: single point
eos = Algorithm EquationOfState, many_to_one ((eos: 'vinet'))
opt = Algorithm BFGS ((trajectory: true))
p = Property energy, trajectory ((structure: h2), (calculator: lj), (algorithm: opt),
                                (constraints: (fix, com)))
"""
FILE_NAMES = {"h2.json": "h2", "lj.json": "lj", "bfgs.json": "bfgs", "fix.json": "fix",
              "B.json": "B", "r.json": "r"}  # fmt: skip


@pytest.fixture(scope="module")
def values(tmp_path_factory: pytest.TempPathFactory) -> dict:
    # lazily for start-up: ASE and the extension only when a model uses them
    import os  # noqa: PLC0415

    model = check_program(parse_program(MODEL))
    computed: dict = {}
    previous = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("run"))  # trajectories are written here
    try:
        for name in model.variables:
            computed[name] = evaluate_variable(model, name, computed)
    finally:
        os.chdir(previous)
    return computed


@pytest.mark.parametrize("file_name", sorted(FILE_NAMES))
def test_values_are_written_in_the_references_json_form(values: dict, file_name: str) -> None:
    assert dumps(values[FILE_NAMES[file_name]], "json") == FORMS[file_name]


KINDS = ["h2", "lj", "bfgs", "fix", "A", "r", "com", "vasp", "eos", "p"]


@pytest.mark.parametrize("name", KINDS)
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_every_kind_reads_back_as_it_prints(values: dict, name: str, fmt: str) -> None:
    value = values[name]
    back = loads(dumps(value, fmt), fmt)
    assert type(back) is type(value)
    assert format_value(back) == format_value(value)


def test_a_property_keeps_its_results_in_the_workflow_database(values: dict) -> None:
    back = from_document(to_document(values["p"]))
    assert format_value(back.member("energy")) == format_value(values["p"].member("energy"))
    trajectory = back.member("trajectory").elements[0]
    assert format_value(trajectory.properties) == format_value(
        values["p"].member("trajectory").elements[0].properties
    )
    assert back.algorithm.many_to_one is False and back.constraints[1].name == "FixedCOM"


def test_a_reaction_keeps_its_coefficients_and_species(values: dict) -> None:
    back = loads(dumps(values["r"], "json"), "json")
    assert format_value(back) == "Reaction 1.0 A = 2 B"
    assert format_value(back.member("energy")) == "(energy: 10.0) [electron_volt]"
