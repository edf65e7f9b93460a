"""Trajectories (the steps an algorithm recorded) and constraints, to and from ASE."""

from __future__ import annotations

from typing import Any

from texts.interpreter.amml import data
from texts.interpreter.amml.specs import ASE_TIME
from texts.interpreter.amml.values import AMMLConstraint, AMMLTrajectory
from texts.interpreter.errors import TextsError
from texts.interpreter.values import Series, Table

#: units of the numbers in a trajectory's description (the algorithm's settings)
_DESCRIPTION_UNITS = {
    "maxstep": "angstrom",
    "alpha": "eV / angstrom ** 2",
    "fmax": "eV / angstrom",
    "timestep": ASE_TIME,
    "dt": ASE_TIME,
    "dtmax": ASE_TIME,
    "temperature_K": "K",
}
_DESCRIPTION_SKIPPED = ("restart", "max_steps")
#: units of the per-step calculator results kept in a trajectory
_PROPERTY_UNITS = {
    "energy": "eV",
    "natoms": "dimensionless",
    "forces": "eV / angstrom",
    "free_energy": "eV",
    "energies": "eV",
    "stress": "eV / angstrom ** 3",
    "stresses": "eV / angstrom ** 3",
    "dipole": "elementary_charge * angstrom",
    "charges": "elementary_charge",
    "magmom": "dimensionless",
    "magmoms": "dimensionless",
}


def read_trajectory(path: str) -> AMMLTrajectory:
    """The frames, results and settings an ASE trajectory file holds."""
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.io import read  # noqa: PLC0415
    from ase.io.trajectory import Trajectory  # noqa: PLC0415

    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.atoms import from_atoms  # noqa: PLC0415

    with Trajectory(path) as opened:
        description = dict(opened.description)
    frames = read(path, index=":")
    structure = from_atoms(None, frames)
    constraints = data.objects(
        "constraints", [tuple(from_ase(c, len(f)) for c in f.constraints) for f in frames]
    )
    return AMMLTrajectory(
        _description(description), structure, _properties(frames), constraints, path
    )


def _description(description: dict[str, Any]) -> Table:
    columns = []
    for key, value in description.items():
        if key in _DESCRIPTION_SKIPPED or value is None:
            continue
        if isinstance(value, bool | str):
            columns.append(data.objects(key, [value]))
        elif isinstance(value, int | float):
            columns.append(data.numbers(key, [value], _DESCRIPTION_UNITS.get(key, "dimensionless")))
    return data.table(columns)


def _properties(frames: list[Any]) -> Table:
    """One column per calculator result found in the frames (``natoms`` after ``energy``)."""
    names: list[str] = []
    for frame in frames:
        results = frame.calc.results if frame.calc is not None else {}
        for name in results:
            if name not in names and name in _PROPERTY_UNITS:
                names.append(name)
    if "energy" in names:
        names.insert(names.index("energy") + 1, "natoms")
    columns = []
    for name in names:
        values = [_result(frame, name) for frame in frames]
        columns.append(data.numbers(name, values, _PROPERTY_UNITS[name]))
    return data.table(columns)


def _result(frame: Any, name: str) -> Any:
    if name == "natoms":
        return len(frame)
    results = frame.calc.results if frame.calc is not None else {}
    value = results.get(name)
    if value is None:
        return None
    return float(value) if getattr(value, "ndim", 0) == 0 else value


# ---------------------------------------------------------------------------
# constraints


def to_ase(constraint: AMMLConstraint, natoms: int) -> Any:
    """The ASE constraint of a constraint value, for a configuration of ``natoms`` atoms."""
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.constraints import FixAtoms, FixCom, FixedLine, FixedPlane  # noqa: PLC0415

    if constraint.name == "FixedCOM":
        return FixCom()
    mask = [bool(flag) for flag in constraint.fixed.elements]  # type: ignore[union-attr]
    if len(mask) != natoms:
        raise TextsError(
            "Value error",
            "The list of fixed/non-fixed atoms in constraints and atoms in structure have "
            "different lengths",
        )
    if constraint.name == "FixedAtoms":
        return FixAtoms(mask=mask)
    indices = [index for index, flag in enumerate(mask) if flag]
    direction = constraint.direction.magnitude.tolist()
    if constraint.name == "FixedLine":
        return FixedLine(indices, direction)
    return FixedPlane(indices, direction)


def from_ase(constraint: Any, natoms: int) -> AMMLConstraint:
    """A constraint value from an ASE constraint (as a trajectory stores it)."""
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.units import quantity  # noqa: PLC0415

    kind = type(constraint).__name__
    if kind == "FixCom":
        return AMMLConstraint("FixedCOM")
    mask = numpy.zeros(natoms, dtype=bool)
    indices = getattr(constraint, "index", [])
    mask[numpy.asarray(indices, dtype=int)] = True
    fixed = Series("fixed", mask.tolist())
    if kind == "FixAtoms":
        return AMMLConstraint("FixedAtoms", fixed)
    direction = quantity(numpy.rint(constraint.dir).astype("int64"))
    name = "FixedLine" if kind == "FixedLine" else "FixedPlane"
    return AMMLConstraint(name, fixed, direction)
