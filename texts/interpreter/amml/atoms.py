"""Structures and ASE ``Atoms``: conversion both ways, derived members, files.

ASE is imported here, and only when a structure is converted. Values built from ASE
objects carry every atoms column, in the units the reference uses (AMML.md 2.2).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from texts.interpreter.amml import data
from texts.interpreter.amml.values import AMMLStructure
from texts.interpreter.errors import TextsError
from texts.interpreter.values import Series, Table

if TYPE_CHECKING:
    from ase import Atoms

ANGSTROM = "angstrom"
MOMENTUM = "eV ** 0.5 * amu ** 0.5"  # ASE's unit of momentum, amu·Å per ASE time unit
MASS = "amu"


# ---------------------------------------------------------------------------
# structure -> Atoms


def configurations(structure: AMMLStructure) -> list[Atoms]:
    """Every configuration of a structure as an ASE ``Atoms`` object."""
    return [to_atoms(structure, index) for index in range(len(structure.table))]


def to_atoms(structure: AMMLStructure, index: int) -> Atoms:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415
    from ase import Atoms  # noqa: PLC0415

    table = structure.table
    atoms_column = data.column(table, "atoms")
    if atoms_column is None:
        raise TextsError("Value error", "'atoms' missing in 'structure'")
    atoms_table = data.item(atoms_column, index)
    if not isinstance(atoms_table, Table):
        raise TextsError("Type error", "the atoms of a configuration must be a table")
    symbols = _symbols(atoms_table)
    positions = numpy.column_stack([_numbers(atoms_table, axis, ANGSTROM) for axis in "xyz"])
    cell = _cell(table, index)
    pbc = _pbc(table, index)
    if numpy.any(pbc) and cell is None:
        raise TextsError("Value error", "cell must be specified with pbc")
    atoms = Atoms(symbols=symbols, positions=positions, cell=cell, pbc=pbc)
    if data.has_column(atoms_table, "px"):
        momenta = [_numbers(atoms_table, axis, MOMENTUM) for axis in ("px", "py", "pz")]
        atoms.set_momenta(numpy.column_stack(momenta))
    if data.has_column(atoms_table, "masses"):
        atoms.set_masses(_numbers(atoms_table, "masses", MASS))
    if data.has_column(atoms_table, "tags"):
        atoms.set_tags(_numbers(atoms_table, "tags", "dimensionless").astype(int))
    if index < len(structure.info):
        atoms.info.update(structure.info[index])
    return atoms


def _symbols(atoms_table: Table) -> list[str]:
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.data import chemical_symbols  # noqa: PLC0415

    found = data.column(atoms_table, "symbols")
    if found is None:
        raise TextsError("Value error", "missing chemical symbols")
    for symbol in found.elements:
        if symbol not in chemical_symbols:
            raise TextsError("Value error", f"invalid chemical symbol {symbol} in 'symbols'")
    return list(found.elements)


def _numbers(atoms_table: Table, name: str, units: str) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    found = data.column(atoms_table, name)
    if found is None:
        raise TextsError("Value error", "missing atomic coordinates")
    if not found.numeric:
        raise TextsError("Type error", f"'{name}' must be numeric")
    if found.units.dimensionality != _dimensionality(units):
        message = f"object must have dimensionality of {_dimensionality(units)}"
        raise TextsError("Invalid units error", message)
    return numpy.array(data.magnitudes_in(found, units), dtype=float)


def _dimensionality(units: str) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.units import parse_units  # noqa: PLC0415

    return parse_units(units).dimensionality


def _cell(table: Table, index: int) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.units import converted  # noqa: PLC0415

    found = data.column(table, "cell")
    cell = None if found is None else data.item(found, index)
    if cell is None:
        return None
    return numpy.asarray(converted(cell, found.units, data.units_of(ANGSTROM)), dtype=float)


def _pbc(table: Table, index: int) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    found = data.column(table, "pbc")
    flags = None if found is None else data.item(found, index)
    if flags is None:
        return False
    return numpy.asarray(flags, dtype=bool)


# ---------------------------------------------------------------------------
# Atoms -> structure


def from_atoms(name: str | None, frames: Sequence[Atoms]) -> AMMLStructure:
    """A structure with all atoms columns from ASE configurations."""
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    atoms_tables = [_atoms_table(atoms) for atoms in frames]
    cells = [numpy.array(atoms.cell.array, dtype=float) for atoms in frames]
    pbcs = [numpy.array(atoms.pbc, dtype=bool) for atoms in frames]
    table = data.table(
        [
            data.objects("atoms", atoms_tables),
            data.numbers("cell", cells, ANGSTROM),
            data.objects("pbc", pbcs),
        ]
    )
    return AMMLStructure(name, table, [dict(atoms.info) for atoms in frames])


def _atoms_table(atoms: Atoms) -> Table:
    positions = atoms.positions
    momenta = atoms.get_momenta()
    return data.table(
        [
            data.objects("symbols", atoms.get_chemical_symbols()),
            data.numbers("x", positions[:, 0].copy(), ANGSTROM),
            data.numbers("y", positions[:, 1].copy(), ANGSTROM),
            data.numbers("z", positions[:, 2].copy(), ANGSTROM),
            data.numbers("px", momenta[:, 0].copy(), MOMENTUM),
            data.numbers("py", momenta[:, 1].copy(), MOMENTUM),
            data.numbers("pz", momenta[:, 2].copy(), MOMENTUM),
            data.numbers("masses", atoms.get_masses(), MASS),
            data.numbers("tags", atoms.get_tags(), "dimensionless"),
        ]
    )


# ---------------------------------------------------------------------------
# derived members


def _radius_of_gyration(atoms: Atoms) -> float:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    positions = atoms.positions
    centred = positions - positions.mean(axis=0)
    return float(numpy.sqrt((centred**2).sum(axis=1).mean()))


_DERIVED: dict[str, tuple[Callable[[Any], Any], str]] = {
    "chemical_formula": (lambda a: a.get_chemical_formula(mode="hill"), ""),
    "number_of_atoms": (len, "dimensionless"),
    "cell_volume": (lambda a: float(a.get_volume()), "angstrom ** 3"),
    "center_of_mass": (lambda a: a.get_center_of_mass(), ANGSTROM),
    "radius_of_gyration": (_radius_of_gyration, ANGSTROM),
    "moments_of_inertia": (lambda a: a.get_moments_of_inertia(), "angstrom ** 2 * amu"),
    "angular_momentum": (lambda a: a.get_angular_momentum(), "angstrom * " + MOMENTUM),
    "kinetic_energy": (lambda a: float(a.get_kinetic_energy()), "eV"),
    "temperature": (lambda a: float(a.get_temperature()), "K"),
    "distance_matrix": (lambda a: a.get_all_distances(mic=bool(a.pbc.any())), ANGSTROM),
}


def derived_member(structure: AMMLStructure, key: str) -> Series:
    """A derived member: one element per configuration, named like the member."""
    if key not in _DERIVED:
        raise TextsError("Invalid key", f'property "{key}" not available')
    # lazily for start-up: ASE and the extension only when a model uses them
    import warnings  # noqa: PLC0415

    compute, units = _DERIVED[key]
    try:
        with warnings.catch_warnings():  # ASE's notes (periodicity ignored for inertia)
            warnings.simplefilter("ignore", UserWarning)
            results = [compute(atoms) for atoms in configurations(structure)]
    except ValueError as exc:  # ASE's refusals (a zero cell has no volume)
        raise TextsError("Value error", str(exc)) from None
    if not units:
        return data.objects(key, results)
    return data.numbers(key, results, units)


# ---------------------------------------------------------------------------
# files

_SERIALISED = (".yaml", ".yml", ".json")


def read_structure(path: str) -> AMMLStructure:
    """``Structure from file``: the serialised form, or any format ASE reads."""
    # lazily for start-up: ASE and the extension only when a model uses them
    from pathlib import Path  # noqa: PLC0415

    if Path(path).suffix.lower() in _SERIALISED:
        # lazily for start-up: ASE and the extension only when a model uses them
        from texts.datafiles import read_file  # noqa: PLC0415
        from texts.interpreter.evaluation.sources import kind_of  # noqa: PLC0415

        if _untagged_mapping(path):  # an ASE database or other JSON: not a language value
            raise TextsError("Type error", "type must be Structure but is Dict")
        value = read_file(path)
        if not isinstance(value, AMMLStructure):
            raise TextsError("Type error", f"type must be Structure but is {kind_of(value)}")
        return value
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.io import read  # noqa: PLC0415

    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.provenance.files import note_file  # noqa: PLC0415

    try:
        frames = read(path, index=":")
        content = Path(path).read_bytes()
    except Exception as exc:  # ASE raises many kinds of errors for unreadable files
        raise TextsError("Structure input error", f"{type(exc).__name__}: {exc}") from None
    note_file(path, "r", content)
    return from_atoms(None, frames)


def _untagged_mapping(path: str) -> bool:
    """Whether a JSON or YAML file holds a mapping that is not a stored value."""
    # lazily for start-up: ASE and the extension only when a model uses them
    import json  # noqa: PLC0415

    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
        document = json.loads(text) if path.lower().endswith(".json") else _yaml(text)
    except Exception:  # unreadable: the reader reports it with its own label
        return False
    return isinstance(document, dict) and "_fw_name" not in document


def _yaml(text: str) -> object:
    # lazily for start-up: ASE and the extension only when a model uses them
    import yaml  # noqa: PLC0415

    return yaml.safe_load(text)


def write_structure(structure: AMMLStructure, path: str) -> None:
    """``s to file`` with a name ASE knows the format of."""
    # lazily for start-up: ASE and the extension only when a model uses them
    from pathlib import Path  # noqa: PLC0415

    if Path(path).exists():
        display = path if Path(path).is_absolute() else f"./{path}"
        raise TextsError("File exists error", f"[Errno 17] File exists: '{display}'")
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.io import write  # noqa: PLC0415

    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.provenance.files import note_file  # noqa: PLC0415

    try:
        write(path, configurations(structure))
        content = Path(path).read_bytes()
    except TextsError:
        raise
    except OSError as exc:
        display = path if Path(path).is_absolute() else f"./{path}"
        message = f"[Errno {exc.errno}] {exc.strerror}: '{display}'" if exc.errno else str(exc)
        raise TextsError("Operating system error", message) from None
    except Exception as exc:  # ASE cannot write this format or this structure
        raise TextsError(f"Unknown error: {type(exc).__name__}", str(exc)) from None
    note_file(path, "w", content)
