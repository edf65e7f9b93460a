"""Benchmark a Property's overhead above the bare ASE call, side by side in one process.

For each workload one process times the same simulation twice:

- textS: a model (a structure, a calculator, maybe an algorithm, a Property and a print of
  its energy) run by the instant executor without the result cache. Parsing and checking
  are done before the clock starts and one untimed run comes first (ASE's imports), so
  the time is what evaluating the model costs.
- ASE: the same structure, calculator and algorithm written directly with ASE, ending
  with the same energy.

It prints the best of ``--repeat`` runs of each (the run least disturbed by other work on
the machine) and their difference, the Property's overhead, against the target of 10 ms.

    python bench/property.py               # 20 runs each
    python bench/property.py --repeat 50
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from in_process import TextsRunner, best_time, print_footer

TARGET_MS = 10.0
CU4 = (
    "cu4 = Structure cu4 ((atoms: ((symbols: 'Cu', 'Cu', 'Cu', 'Cu'),"
    " (x: 0.0, 2.5, 0.0, 1.25) [angstrom], (y: 0.0, 0.0, 2.5, 1.25) [angstrom],"
    " (z: 0.0, 0.0, 0.0, 2.0) [angstrom])))\nemt = Calculator emt ()\n"
)
H2 = (
    "h2 = Structure h2 ((atoms: ((symbols: 'H', 'H'), (x: 0.0, 1.0) [angstrom],"
    " (y: 0.0, 0.0) [angstrom], (z: 0.0, 0.0) [angstrom])))\n"
    "lj = Calculator lj ((sigma: 1.0) [angstrom], (epsilon: 0.1) [eV])\n"
)
POSITIONS = [(0.0, 0.0, 0.0), (2.5, 0.0, 0.0), (0.0, 2.5, 0.0), (1.25, 1.25, 2.0)]


@dataclass(frozen=True)
class Workload:
    """A model for textS and the same simulation written with ASE (returning the energy)."""

    name: str
    model: str
    bare: Callable[[], float]


def _cu4() -> Any:
    from ase import Atoms
    from ase.calculators.emt import EMT

    atoms = Atoms("Cu4", positions=POSITIONS)
    atoms.calc = EMT()
    return atoms


def _h2() -> Any:
    from ase import Atoms
    from ase.calculators.lj import LennardJones

    atoms = Atoms("H2", positions=[(0.0, 0.0, 0.0), (1.0, 0.0, 0.0)])
    atoms.calc = LennardJones(sigma=1.0, epsilon=0.1)
    return atoms


def _single_point_emt() -> float:
    return float(_cu4().get_potential_energy())


def _single_point_lj() -> float:
    return float(_h2().get_potential_energy())


def _relaxation() -> float:
    from ase.optimize import BFGS

    atoms = _cu4()
    BFGS(atoms, logfile=None).run(fmax=0.05, steps=100000000)
    return float(atoms.get_potential_energy())


def _dynamics() -> float:
    from ase.md.verlet import VelocityVerlet

    atoms = _cu4()
    VelocityVerlet(atoms, timestep=_femtosecond(), logfile=None).run(steps=20)
    return float(atoms.get_potential_energy())


def _femtosecond() -> float:
    """1 fs in ASE's unit of time, converted as textS converts it (pint's constants, which
    differ from ase.units in the last digits)."""
    from texts.interpreter.amml.specs import ASE_TIME
    from texts.interpreter.units import converted, parse_units

    return converted(1.0, parse_units("fs"), parse_units(ASE_TIME))


def _relaxation_with_trajectory() -> float:
    from ase.io import read
    from ase.optimize import BFGS

    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "relax.traj")
        atoms = _h2()
        BFGS(atoms, logfile=None, trajectory=path).run(fmax=0.001, steps=100000000)
        read(path, index=":")  # textS reads the recorded steps back into the result
        return float(atoms.get_potential_energy())


WORKLOADS = [
    Workload(
        "single point, EMT, 4 atoms",
        CU4 + "p = Property energy ((structure: cu4), (calculator: emt))\nprint(p.energy)",
        _single_point_emt,
    ),
    Workload(
        "single point, LJ, 2 atoms",
        H2 + "p = Property energy ((structure: h2), (calculator: lj))\nprint(p.energy)",
        _single_point_lj,
    ),
    Workload(
        "BFGS relaxation, EMT, 4 atoms",
        CU4
        + "a = Algorithm BFGS ((fmax: 0.05) [eV/angstrom])\n"
        + "p = Property energy ((structure: cu4), (calculator: emt), (algorithm: a))\n"
        + "print(p.energy)",
        _relaxation,
    ),
    Workload(
        "VelocityVerlet, 20 steps, EMT",
        CU4
        + "a = Algorithm VelocityVerlet ((timestep: 1.0) [fs], (steps: 20))\n"
        + "p = Property energy ((structure: cu4), (calculator: emt), (algorithm: a))\n"
        + "print(p.energy)",
        _dynamics,
    ),
    Workload(
        "BFGS with trajectory, LJ",
        H2
        + "a = Algorithm BFGS ((fmax: 0.001) [eV/angstrom], (trajectory: true))\n"
        + "p = Property energy, trajectory ((structure: h2), (calculator: lj),"
        + " (algorithm: a))\nprint(p.energy)",
        _relaxation_with_trajectory,
    ),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args(argv)
    runner = TextsRunner()
    header = f"{'workload':32} {'textS ms':>9} {'ASE ms':>8} {'overhead ms':>12} target"
    print(header)
    print("-" * len(header))
    missed = []
    with tempfile.TemporaryDirectory() as directory:
        os.chdir(directory)  # trajectory files are written under the working directory
        for workload in WORKLOADS:
            model = runner.prepare(workload.model)
            expected = f"(energy: {workload.bare()!r}) [electron_volt]"
            _, printed = runner.run(model)
            if printed != [expected]:
                raise SystemExit(f"{workload.name}: printed {printed}, expected {expected}")
            texts_ms = best_time(lambda m=model: runner.run(m), options.repeat) * 1000
            ase_ms = best_time(workload.bare, options.repeat) * 1000
            overhead = texts_ms - ase_ms
            mark = "ok" if overhead < TARGET_MS else "MISSED"
            if overhead >= TARGET_MS:
                missed.append(workload.name)
            print(
                f"{workload.name:32} {texts_ms:>9.2f} {ase_ms:>8.2f} {overhead:>12.2f} "
                f"< {TARGET_MS:g} {mark}"
            )
    import ase

    print_footer(missed, f", ASE {ase.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
