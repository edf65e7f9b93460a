"""A conversion prints the same number whatever the process converted before.

pint rounds the factor of a unit expression by the order of its units and used to cache
it for every order: ``cm**2 / inch`` converted first made ``1/inch * cm**2`` print
3.937007874015749 mm instead of its own 3.937007874015748, so a long session, a Jupyter
kernel or the test suite printed differently from a fresh ``texts`` run.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pint
import pytest

from texts.interpreter.pintcompat import known_pint

#: pairs of statements whose unit expressions are equal with their units in another order
#: (pint rounds the two differently); each pair converts along another path
PAIRS = {
    "print target": (
        "a = 1 [cm**2] / 1 [inch]\nprint(a [mm])",
        "b = 1 [inch**-1] * 1 [cm**2]\nprint(b [mm])",
    ),
    "sum": (
        "a = 1 [cm**2] / 1 [inch]\nprint(0 [mm] + a)",
        "b = 1 [inch**-1] * 1 [cm**2]\nprint(0 [mm] + b)",
    ),
    "base units": (
        "a = 1 [hour**2] / 1 [day]\nprint(a [_base])",
        "b = 1 [day**-1] * 1 [hour**2]\nprint(b [_base])",
    ),
    "comparison": (
        "a = 1 [hour**2] / 1 [day]\nprint(a == 150 [s])",
        "b = 1 [day**-1] * 1 [hour**2]\nprint(b == 150 [s])",
    ),
}


#: every run computes its values (none is read back from an earlier run's results)
NO_RESULT_CACHE = ("--signature", "ignore")


@pytest.fixture(scope="module")
def fresh_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """What ``texts`` prints for each statement of ``PAIRS`` in a new process of its own
    (the processes run side by side)."""
    directory = tmp_path_factory.mktemp("fresh")
    started = {}
    for index, statement in enumerate(s for pair in PAIRS.values() for s in pair):
        path = directory / f"statement{index}.vm"
        path.write_text(statement + "\n")
        command = [sys.executable, "-m", "texts", str(path), *NO_RESULT_CACHE]
        started[statement] = subprocess.Popen(
            command, stdout=subprocess.PIPE, text=True, cwd=directory
        )
    return {statement: process.communicate()[0] for statement, process in started.items()}


@pytest.mark.parametrize("path", PAIRS)
def test_each_statement_prints_as_in_a_fresh_process_in_either_order(
    path: str, fresh_outputs: dict[str, str], tmp_path: Path, run_texts: Callable[..., Any]
) -> None:
    first, second = PAIRS[path]
    assert fresh_outputs[first] != fresh_outputs[second]  # pint rounds the orders apart
    model = tmp_path / "model.vm"
    for order in ([first, second], [second, first], [first, second]):
        for statement in order:  # one run after the other in this process
            model.write_text(statement + "\n")
            run = run_texts(str(model), *NO_RESULT_CACHE)
            assert (run.status, run.out) == (0, fresh_outputs[statement])


def test_the_installed_pint_is_one_whose_caches_are_keyed_by_written_order() -> None:
    """Another pint version keeps its own caches (and the differences above): this fails
    first, so that the compat module is checked against the new version."""
    assert known_pint(pint.__version__)
