"""Structure builders and tools (AMML.md 12), imported with ``use ... from virtmat.builders``.

Each function takes language values (structures, a parameter table with units) and
returns a Structure: every row of the table makes one configuration, and a tool applies
every row to every configuration. Parameters are checked when the function runs, with
messages that name the builder.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from texts.interpreter.amml import data
from texts.interpreter.amml.convert import to_ase
from texts.interpreter.amml.params import first_row, runtime_columns
from texts.interpreter.amml.specs import MANDATORY, Param
from texts.interpreter.amml.values import AMMLStructure
from texts.interpreter.errors import TextsError
from texts.interpreter.values import Table

_CRYSTALS = (
    "sc",
    "fcc",
    "bcc",
    "tetragonal",
    "bct",
    "hcp",
    "rhombohedral",
    "orthorhombic",
    "mcl",
    "diamond",
    "zincblende",
    "rocksalt",
    "cesiumchloride",
    "fluorite",
    "wurtzite",
)
_A = Param("a", "float", "angstrom")
_VACUUM = Param("vacuum", "float", "angstrom")
_SLAB = (
    Param("symbol", "str", default=MANDATORY),
    Param("size", "array/tuple", default=MANDATORY),
    _A,
    _VACUUM,
    Param("orthogonal", "bool"),
    Param("periodic", "bool"),
)
_HCP_SLAB = (*_SLAB[:3], Param("c", "float", "angstrom"), *_SLAB[3:])

BUILDERS: dict[str, tuple[Param, ...]] = {
    "bulk": (
        Param("name", "str", default=MANDATORY),
        Param("crystalstructure", "str", default=MANDATORY, choices=_CRYSTALS),
        _A,
        Param("b", "float", "angstrom"),
        Param("c", "float", "angstrom"),
        Param("alpha", "float", "degree"),
        Param("covera", "float"),
        Param("u", "float"),
        Param("orthorhombic", "bool"),
        Param("cubic", "bool"),
    ),
    "molecule": (Param("name", "str", default=MANDATORY), _VACUUM),
    **dict.fromkeys(
        ("fcc100", "fcc110", "fcc111", "bcc100", "bcc110", "bcc111", "diamond100", "diamond111"),
        _SLAB,
    ),
    "fcc211": _SLAB[:5],
    "hcp10m10": _HCP_SLAB,
    "hcp0001": _HCP_SLAB,
    "mx2": (
        Param("formula", "str"),
        Param("kind", "str", choices=("2H", "1T")),
        _A,
        Param("thickness", "float", "angstrom"),
        Param("size", "array/tuple"),
        _VACUUM,
    ),
    "graphene": (
        Param("formula", "str"),
        _A,
        Param("thickness", "float", "angstrom"),
        Param("size", "array/tuple"),
        _VACUUM,
    ),
    "nanotube": (
        Param("n", "int", default=MANDATORY),
        Param("m", "int", default=MANDATORY),
        Param("length", "int"),
        Param("bond", "float", "angstrom"),
        Param("symbol", "str"),
        _VACUUM,
    ),
    "graphene_nanoribbon": (
        Param("n", "int", default=MANDATORY),
        Param("m", "int", default=MANDATORY),
        Param("type", "str", choices=("zigzag", "armchair")),
        Param("saturated", "bool"),
        Param("C_H", "float", "angstrom"),
        Param("C_C", "float", "angstrom"),
        _VACUUM,
        Param("magnetic", "bool"),
        Param("initial_mag", "float"),
        Param("sheet", "bool"),
        Param("main_element", "str"),
        Param("saturate_element", "str"),
    ),
    "surface_from_string": (
        Param("lattice", "str", default=MANDATORY),
        Param("indices", "array/tuple", default=MANDATORY),
        Param("layers", "int", default=MANDATORY),
        _VACUUM,
        Param("periodic", "bool"),
    ),
}

TOOLS: dict[str, tuple[Param, ...]] = {
    "repeat": (Param("rep", "array/tuple", default=MANDATORY),),
    "center": (_VACUUM, Param("axis", "array/tuple"), Param("about", "array", "angstrom")),
    "translate": (Param("displacement", "array", "angstrom", MANDATORY),),
    "rotate": (
        Param("a", "float", "degree", MANDATORY),
        Param("v", "str/array", default=MANDATORY),
        Param("center", "array", "angstrom"),
        Param("rotate_cell", "bool"),
    ),
    "euler_rotate": (
        Param("phi", "float", "degree"),
        Param("theta", "float", "degree"),
        Param("psi", "float", "degree"),
        Param("center", "array", "angstrom"),
    ),
    "rattle": (Param("stdev", "float", "angstrom"), Param("rng", "str"), Param("seed", "str")),
    "wrap": (Param("pbc", "array"), Param("center", "array")),
    "cut": (
        Param("a", "array/tuple"),
        Param("b", "array/tuple"),
        Param("c", "array/tuple"),
        Param("clength", "float", "angstrom"),
        Param("origo", "array/tuple"),
        Param("nlayers", "int"),
        Param("extend", "float"),
        Param("tolerance", "float", "angstrom"),
        Param("maxatoms", "int"),
    ),
    "sort": (Param("tags", "array"),),
    "niggli_reduce": (),
    "minimize_tilt": (Param("fold_atoms", "bool"),),
    "add_vacuum": (Param("vacuum", "float", "angstrom", MANDATORY),),
    "surface_from_bulk": (
        Param("indices", "array/tuple", default=MANDATORY),
        Param("layers", "int", default=MANDATORY),
        _VACUUM,
        Param("periodic", "bool"),
    ),
    "make_supercell": (Param("P", "array", default=MANDATORY), Param("wrap", "bool")),
}

PAIR_TOOLS: dict[str, tuple[Param, ...]] = {
    "stack": (
        Param("axis", "int"),
        Param("fix", "float"),
        Param("maxstrain", "float"),
        Param("distance", "float", "angstrom"),
        Param("reorder", "bool"),
    ),
    "minimize_rotation_and_translation": (),
    "add_adsorbate_at_site": (
        Param("height", "float", "angstrom", MANDATORY),
        Param("site", "str", default=MANDATORY),
        Param("mol_index", "int"),
    ),
    "add_adsorbate_at_position": (
        Param("height", "float", "angstrom", MANDATORY),
        Param("position", "array", "angstrom", MANDATORY),
        Param("mol_index", "int"),
    ),
}


# ---------------------------------------------------------------------------
# parameters


def _rows(name: str, specs: tuple[Param, ...], table: Any) -> list[dict[str, Any]]:
    """The parameter rows of a call, checked and converted for ASE."""
    if table is None:
        table = Table([])
    if not isinstance(table, Table):
        raise TextsError("Type error", f"parameters of builder '{name}' must be a table")
    by_name = {param.name: param for param in specs}
    unknown = tuple(column for column in table.names if column not in by_name)
    if unknown:
        raise TextsError("Value error", f"Invalid parameters used in builder '{name}': {unknown!r}")
    missing = tuple(p.name for p in specs if p.mandatory and p.name not in table.names)
    if missing:
        raise TextsError(
            "Value error", f"Mandatory parameters missing in builder '{name}': {missing!r}"
        )
    for column in runtime_columns(table):
        param = by_name[column.name]
        for value in column.values or ():
            if param.choices is not None and value is not None and value not in param.choices:
                raise TextsError(
                    "Value error",
                    f"Parameter '{param.name}' in builder '{name}' should be one of "
                    f"{param.choices!r} but is {value!r}",
                )
    count = max(len(table), 1)
    rows = []
    for index in range(count):
        row = first_row(data.sliced(table, slice(index, index + 1))) if table.columns else {}
        rows.append({key: to_ase(by_name[key], value) for key, value in row.items()})
    return [{k: v for k, v in row.items() if v is not None} for row in rows]


def _structure(value: Any, name: str) -> AMMLStructure:
    if not isinstance(value, AMMLStructure):
        raise TextsError("Type error", f"builder '{name}' needs a Structure")
    return value


# ---------------------------------------------------------------------------
# the functions


def _builder(name: str, make: Callable[..., Any]) -> Callable[..., AMMLStructure]:
    def build(table: Any = None, title: Any = None) -> AMMLStructure:
        # lazily for start-up: ASE and the extension only when a model uses them
        from texts.interpreter.amml.atoms import from_atoms  # noqa: PLC0415

        frames = [make(**row) for row in _rows(name, BUILDERS[name], table)]
        return from_atoms(title if isinstance(title, str) else name, frames)

    build.__name__ = name
    build.__doc__ = f"``{name}(table[, 'name'])``: structures built with ASE."
    return _language_function(build)


def _tool(name: str, apply: Callable[..., Any]) -> Callable[..., AMMLStructure]:
    def tool(structure: Any, table: Any = None) -> AMMLStructure:
        # lazily for start-up: ASE and the extension only when a model uses them
        from texts.interpreter.amml.atoms import configurations, from_atoms  # noqa: PLC0415

        source = _structure(structure, name)
        rows = _rows(name, TOOLS[name], table)
        frames = [apply(atoms.copy(), **row) for row in rows for atoms in configurations(source)]
        return from_atoms(source.name, frames)

    tool.__name__ = name
    tool.__doc__ = f"``{name}(structure[, table])``: every row applied to every configuration."
    return _language_function(tool)


def _pair_tool(name: str, apply: Callable[..., Any]) -> Callable[..., AMMLStructure]:
    def tool(first: Any, second: Any, table: Any = None) -> AMMLStructure:
        # lazily for start-up: ASE and the extension only when a model uses them
        from texts.interpreter.amml.atoms import configurations, from_atoms  # noqa: PLC0415

        one, other = _structure(first, name), _structure(second, name)
        rows = _rows(name, PAIR_TOOLS[name], table)
        partner = configurations(other)[0]
        frames = [
            apply(atoms.copy(), partner.copy(), **row)
            for row in rows
            for atoms in configurations(one)
        ]
        return from_atoms(one.name, frames)

    tool.__name__ = name
    tool.__doc__ = f"``{name}(structure, structure[, table])``."
    return _language_function(tool)


def _language_function(function: Callable[..., Any]) -> Callable[..., Any]:
    """Marks a function that takes and returns language values and makes Structures."""
    function.takes_language_values = True  # type: ignore[attr-defined]
    function.result_kind = "Structure"  # type: ignore[attr-defined]
    return function


def _changed(method: str) -> Callable[..., Any]:
    """An ``Atoms`` method that changes the atoms in place, as a function returning them."""

    def apply(atoms: Any, **kwargs: Any) -> Any:
        getattr(atoms, method)(**kwargs)
        return atoms

    return apply


def _rattle(
    atoms: Any, stdev: float = 0.001, rng: str | None = None, seed: str | None = None
) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.simulation import generator  # noqa: PLC0415

    atoms.rattle(stdev=stdev, rng=generator(rng, seed, None))
    return atoms


def _from_ase(name: str) -> Callable[..., Any]:
    def make(**kwargs: Any) -> Any:
        # lazily for start-up: ASE and the extension only when a model uses them
        import ase.build  # noqa: PLC0415

        return getattr(ase.build, name)(**kwargs)

    return make


def _in_place(name: str) -> Callable[..., Any]:
    def apply(atoms: Any, **kwargs: Any) -> Any:
        # lazily for start-up: ASE and the extension only when a model uses them
        import ase.build  # noqa: PLC0415

        result = getattr(ase.build, name)(atoms, **kwargs)
        return atoms if result is None else result

    return apply


def _repeat(atoms: Any, rep: Any) -> Any:
    return atoms.repeat(tuple(rep))


def _surface_from_string(**kwargs: Any) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    import ase.build  # noqa: PLC0415

    return ase.build.surface(**kwargs)


def _surface_from_bulk(atoms: Any, **kwargs: Any) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    import ase.build  # noqa: PLC0415

    return ase.build.surface(atoms, **kwargs)


def _make_supercell(atoms: Any, P: Any, **kwargs: Any) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    import ase.build  # noqa: PLC0415

    return ase.build.make_supercell(atoms, P, **kwargs)


def _stack(first: Any, second: Any, **kwargs: Any) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    import ase.build  # noqa: PLC0415

    return ase.build.stack(first, second, **kwargs)


def _minimize(first: Any, second: Any) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    import ase.build  # noqa: PLC0415

    ase.build.minimize_rotation_and_translation(second, first)
    return first


def _adsorb_at_site(slab: Any, adsorbate: Any, height: float, site: str, **kwargs: Any) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    import ase.build  # noqa: PLC0415

    ase.build.add_adsorbate(slab, adsorbate, height, position=site, **kwargs)
    return slab


def _adsorb_at_position(
    slab: Any, adsorbate: Any, height: float, position: Any, **kwargs: Any
) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    import ase.build  # noqa: PLC0415

    ase.build.add_adsorbate(slab, adsorbate, height, position=tuple(position[:2]), **kwargs)
    return slab


for _name in BUILDERS:
    _make = _surface_from_string if _name == "surface_from_string" else _from_ase(_name)
    globals()[_name] = _builder(_name, _make)

_TOOL_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "repeat": _repeat,
    "center": _changed("center"),
    "translate": _changed("translate"),
    "rotate": _changed("rotate"),
    "euler_rotate": _changed("euler_rotate"),
    "rattle": _rattle,
    "wrap": _changed("wrap"),
    "cut": _in_place("cut"),
    "sort": _in_place("sort"),
    "niggli_reduce": _in_place("niggli_reduce"),
    "minimize_tilt": _in_place("minimize_tilt"),
    "add_vacuum": _in_place("add_vacuum"),
    "surface_from_bulk": _surface_from_bulk,
    "make_supercell": _make_supercell,
}
for _name, _apply in _TOOL_FUNCTIONS.items():
    globals()[_name] = _tool(_name, _apply)

_PAIR_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "stack": _stack,
    "minimize_rotation_and_translation": _minimize,
    "add_adsorbate_at_site": _adsorb_at_site,
    "add_adsorbate_at_position": _adsorb_at_position,
}
for _name, _apply in _PAIR_FUNCTIONS.items():
    globals()[_name] = _pair_tool(_name, _apply)
