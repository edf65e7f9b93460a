"""The atomistic view modes (AMML.md 8): structures, trajectories, normal modes, NEB bands,
band structures, equations of state and free-energy diagrams, drawn with ASE and matplotlib.

:func:`atomistic_plot` checks a view's values and returns what to draw; drawing happens
only when a front end shows the plot (a PNG, a window, a notebook cell), on a figure that
belongs to no backend.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from texts.interpreter.errors import TextsError, from_exception
from texts.interpreter.evaluation.printing import ShownView
from texts.interpreter.units import is_quantity
from texts.interpreter.values import Series, Table

ATOMISTIC_MODES = ("structure", "trajectory", "vibration", "neb", "bs", "eos", "waterfall")
_MAX_PANELS = 12  # configurations drawn side by side before the rest are left out
_AMPLITUDE = 0.4  # Å: the largest displacement drawn of a normal mode


@dataclass(frozen=True)
class AtomisticPlot:
    """A view to draw: ``draw_on`` fills a matplotlib figure."""

    mode: str
    description: str
    draw_on: Callable[[Any], None]


def atomistic_plot(view: ShownView) -> AtomisticPlot:
    """What an atomistic view draws; a labelled error for arguments it cannot show."""
    # lazily for start-up: ASE and the extension only when a model uses them
    import warnings  # noqa: PLC0415

    build = _BUILDERS[view.mode]
    try:
        with warnings.catch_warnings():  # ASE's notes to programmers (renamed EOS forms)
            warnings.simplefilter("ignore")
            return build(view.values)
    except TextsError as error:
        error.span = error.span or view.statement.span
        raise
    except Exception as exc:  # a library's refusal of the data, pint's unit errors
        raise from_exception(exc, view.statement.span) from None


def _kind(value: Any, kind: str, position: str) -> None:
    if getattr(value, "kind", None) != kind:
        found = getattr(value, "kind", None) or type(value).__name__
        raise TextsError("Type error", f"{position} parameter must be type {kind} but is {found}")


# ---------------------------------------------------------------------------
# structures and trajectories


def _structure(values: tuple[Any, ...]) -> AtomisticPlot:
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.atoms import configurations  # noqa: PLC0415
    from texts.interpreter.amml.trajectory import to_ase  # noqa: PLC0415

    structure = values[0]
    _kind(structure, "Structure", "first")
    frames = configurations(structure)
    if len(values) > 1:
        for frame in frames:
            frame.set_constraint([to_ase(c, len(frame)) for c in values[1]])
    title = structure.name or "structure"
    count = f"{len(frames)} configuration" + ("s" if len(frames) != 1 else "")
    return AtomisticPlot(
        "structure", f"<structure {title}: {count}>", lambda f: _draw_frames(f, frames, title)
    )


def _draw_frames(figure: Any, frames: list[Any], title: str) -> None:
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.visualize.plot import plot_atoms  # noqa: PLC0415

    shown = frames[:_MAX_PANELS]
    columns = min(len(shown), 4)
    rows = -(-len(shown) // columns)
    for index, atoms in enumerate(shown):
        axes = figure.add_subplot(rows, columns, index + 1)
        plot_atoms(atoms, axes, rotation="10x,-10y", colors=_colors(atoms))
        axes.set_axis_off()
        axes.set_title(title if len(shown) == 1 else f"{title} [{index}]", fontsize=9)


def _colors(atoms: Any) -> list[Any] | None:
    """Fixed atoms drawn grey, the others in their element's colour (ASE's jmol colours)."""
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.data.colors import jmol_colors  # noqa: PLC0415

    fixed: set[int] = set()
    for constraint in atoms.constraints:
        if type(constraint).__name__ == "FixAtoms":
            fixed.update(int(i) for i in constraint.index)
    if not fixed:
        return None
    return [
        (0.6, 0.6, 0.6) if index in fixed else tuple(jmol_colors[number])
        for index, number in enumerate(atoms.numbers)
    ]


def _trajectory(values: tuple[Any, ...]) -> AtomisticPlot:
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.atoms import configurations  # noqa: PLC0415

    trajectory = values[0]
    _kind(trajectory, "Trajectory", "first")
    frames = configurations(trajectory.structure)
    energies = _column_values(trajectory.properties, "energy")

    def draw(figure: Any) -> None:
        # lazily for start-up: ASE and the extension only when a model uses them
        from ase.visualize.plot import plot_atoms  # noqa: PLC0415

        axes = figure.add_subplot(1, 2 if energies else 1, 1)
        plot_atoms(frames[-1], axes, rotation="10x,-10y")
        axes.set_axis_off()
        axes.set_title(f"step {len(frames) - 1} of {len(frames) - 1}", fontsize=9)
        if energies:
            curve = figure.add_subplot(1, 2, 2)
            curve.plot(range(len(energies)), energies, marker="o")
            curve.set_xlabel("step")
            curve.set_ylabel("energy [eV]")

    return AtomisticPlot("trajectory", f"<trajectory of {len(frames)} steps>", draw)


def _column_values(table: Table, name: str) -> list[float]:
    for column in table.columns:
        if column.name == name and column.numeric:
            return [float("nan") if m is None else float(m) for m in column.elements]
    return []


# ---------------------------------------------------------------------------
# normal modes


def _vibration(values: tuple[Any, ...]) -> AtomisticPlot:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415
    from ase.vibrations import VibrationsData  # noqa: PLC0415

    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.atoms import to_atoms  # noqa: PLC0415
    from texts.interpreter.amml.trajectory import to_ase  # noqa: PLC0415

    if len(values) < 2:
        raise TextsError("Type error", "view vibration needs a structure and a hessian")
    structure, hessian = values[0], values[1]
    _kind(structure, "Structure", "first")
    options = _options(values[2] if len(values) > 2 else None)
    atoms = to_atoms(structure, 0)
    for constraint in options.get("constraints") or ():
        atoms.set_constraint(to_ase(constraint, len(atoms)))
    matrix = _magnitude(hessian.elements[0] if isinstance(hessian, Series) else hessian)
    matrix = numpy.asarray(matrix, dtype=float)
    free = [i for i in range(len(atoms)) if i not in _fixed(atoms)]
    size = len(free)
    data = VibrationsData.from_2d(atoms, matrix.reshape(3 * size, 3 * size), indices=free)
    modes = data.get_modes()
    index = int(options.get("mode", -1))
    energies = data.get_energies()
    mode = modes[index]

    energy = energies[index]
    label = f"mode {index}: {abs(energy) * 1000:.3f} meV"
    if energy.imag > abs(energy.real):
        label += " (imaginary)"
    frames = []
    scale = _AMPLITUDE / max(float(numpy.abs(mode).max()), 1e-12)
    for sign in (-1, 0, 1):
        displaced = atoms.copy()
        displaced.positions = atoms.positions + sign * scale * mode
        frames.append(displaced)

    def draw(figure: Any) -> None:
        _draw_frames(figure, frames, label)

    return AtomisticPlot("vibration", f"<normal mode {index} of {len(modes)}>", draw)


def _fixed(atoms: Any) -> set[int]:
    found: set[int] = set()
    for constraint in atoms.constraints:
        if type(constraint).__name__ == "FixAtoms":
            found.update(int(i) for i in constraint.index)
    return found


def _options(value: Any) -> dict[str, Any]:
    """A one-row table of options as plain values (``mode``, ``constraints``, ``emin``...)."""
    if value is None:
        return {}
    if not isinstance(value, Table):
        raise TextsError("Type error", "options must be a one-row table")
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.params import first_row  # noqa: PLC0415

    options = {}
    for key, item in first_row(value).items():
        options[key] = _magnitude(item) if is_quantity(item) else item
    return options


def _magnitude(value: Any) -> Any:
    return value.magnitude if is_quantity(value) else value


# ---------------------------------------------------------------------------
# transition paths, band structures, equations of state


def _neb(values: tuple[Any, ...]) -> AtomisticPlot:
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.calculators.singlepoint import SinglePointCalculator  # noqa: PLC0415
    from ase.mep import NEBTools  # noqa: PLC0415

    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.atoms import configurations  # noqa: PLC0415

    trajectory = values[0]
    _kind(trajectory, "Trajectory", "first")
    frames = configurations(trajectory.structure)
    energies = _column_values(trajectory.properties, "energy")
    forces = _column_arrays(trajectory.properties, "forces")
    if len(energies) != len(frames) or len(forces) != len(frames):
        raise TextsError("Value error", "the trajectory holds no energies and forces of a band")
    for frame, energy, force in zip(frames, energies, forces):
        frame.calc = SinglePointCalculator(frame, energy=energy, forces=force)
    images = _images_per_band(frames)

    def draw(figure: Any) -> None:
        axes = figure.add_subplot()
        with contextlib.redirect_stdout(io.StringIO()):  # ASE reports its progress
            NEBTools(frames[-images:]).plot_band(ax=axes)

    return AtomisticPlot("neb", f"<NEB band of {images} images>", draw)


def _images_per_band(frames: list[Any]) -> int:
    """A band's first image (an end point) does not move: the next frame equal to the first
    one starts the second band."""
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    first = frames[0]
    for index in range(1, len(frames)):
        if numpy.allclose(frames[index].positions, first.positions):
            return index
    return len(frames)


def _column_arrays(table: Table, name: str) -> list[Any]:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    for column in table.columns:
        if column.name == name and column.numeric:
            return [numpy.asarray(m, dtype=float) for m in column.elements]
    return []


def _band_structure(values: tuple[Any, ...]) -> AtomisticPlot:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415
    from ase.cell import Cell  # noqa: PLC0415
    from ase.dft.kpoints import BandPath  # noqa: PLC0415
    from ase.spectrum.band_structure import BandStructure  # noqa: PLC0415

    table = values[0]
    if not isinstance(table, Table):
        raise TextsError("Type error", "first parameter must be a band structure table")
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.params import first_row  # noqa: PLC0415

    row = first_row(table)
    path = first_row(row["band_path"])
    special = {k: _magnitude(v) for k, v in first_row(path["special_points"]).items()}
    band_path = BandPath(
        Cell(numpy.asarray(_magnitude(path["cell"]))),
        numpy.asarray(_magnitude(path["kpts"])),
        special,
        path["path"],
    )
    structure = BandStructure(
        band_path, numpy.asarray(_magnitude(row["energies"])), float(_magnitude(row["reference"]))
    )
    options = _options(values[1] if len(values) > 1 else None)

    def draw(figure: Any) -> None:
        axes = figure.add_subplot()
        structure.plot(ax=axes, emin=options.get("emin"), emax=options.get("emax"), show=False)

    return AtomisticPlot("bs", f"<band structure along {path['path']}>", draw)


def _eos(values: tuple[Any, ...]) -> AtomisticPlot:
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.eos import EquationOfState  # noqa: PLC0415

    if len(values) < 2:
        raise TextsError("Type error", "view eos needs volumes and energies")
    volumes = _numbers(values[0], "angstrom ** 3")
    energies = _numbers(values[1], "eV")
    form = values[2] if len(values) > 2 else "sjeos"
    eos = EquationOfState(volumes, energies, eos=form)
    eos.fit()

    def draw(figure: Any) -> None:
        # lazily for start-up: ASE and the extension only when a model uses them
        import warnings  # noqa: PLC0415

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            eos.plot(ax=figure.add_subplot(), show=False)

    return AtomisticPlot("eos", f"<equation of state {form}>", draw)


def _numbers(value: Any, units: str) -> list[float]:
    """A numeric array or series (fixing the reference's refusal of series) in ``units``."""
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.units import parse_units, quantity  # noqa: PLC0415

    if isinstance(value, Series) and value.numeric:
        value = quantity([float("nan") if m is None else m for m in value.elements], value.units)
    if not is_quantity(value):
        raise TextsError("Type error", "volumes and energies must be numeric arrays or series")
    converted = value.to(parse_units(units)).magnitude
    return [float(x) for x in converted]


# ---------------------------------------------------------------------------
# free-energy diagrams

_INTERMEDIATES = {
    "orr": ("O$_2$", "OOH*", "O*", "OH*", "H$_2$O"),
    "oer": ("H$_2$O", "OH*", "O*", "OOH*", "O$_2$"),
}


def _waterfall(values: tuple[Any, ...]) -> AtomisticPlot:
    reactions = values[0]
    if not isinstance(reactions, Series) or len(reactions.elements) != 4:
        raise TextsError("Type error", "view waterfall needs a series of four reactions")
    kind = values[1] if len(values) > 1 else "orr"
    if kind not in _INTERMEDIATES:
        raise TextsError("Value error", f"waterfall kind must be 'orr' or 'oer', not {kind!r}")
    steps = []
    for reaction in reactions.elements:
        _kind(reaction, "ChemReaction", "each")
        for name in ("free_energy", "energy"):
            found = reaction.member(name)
            if found.elements[0] is None:
                raise TextsError("Value error", f"every reaction needs {name}")
        free = reaction.member("free_energy")
        steps.append(float(_magnitude(free.elements[0])))
    levels = [0.0]
    for step in steps:
        levels.append(levels[-1] + step)
    labels = _INTERMEDIATES[kind]

    def draw(figure: Any) -> None:
        axes = figure.add_subplot()
        for index, level in enumerate(levels):
            axes.hlines(level, index, index + 0.7, linewidth=2)
            if index:
                axes.plot([index - 0.3, index], [levels[index - 1], level], "k--", linewidth=0.8)
        axes.set_xticks([i + 0.35 for i in range(len(levels))], labels)
        axes.set_ylabel("free energy [eV] (one electron per step)")
        axes.set_title(kind.upper())

    return AtomisticPlot("waterfall", f"<{kind} free-energy diagram>", draw)


_BUILDERS: dict[str, Callable[[tuple[Any, ...]], AtomisticPlot]] = {
    "structure": _structure,
    "trajectory": _trajectory,
    "vibration": _vibration,
    "neb": _neb,
    "bs": _band_structure,
    "eos": _eos,
    "waterfall": _waterfall,
}
