"""Running one job of a Property: a calculator alone, or an algorithm with its calculator.

Each runner takes a :class:`Job` and returns an :class:`Outcome`: the output
configurations and the requested results as plain values (magnitudes in the units of
:data:`RESULT_UNITS`, or language values for the non-numeric results).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from texts.interpreter.amml import specs
from texts.interpreter.amml.convert import to_ase
from texts.interpreter.amml.values import AMMLAlgorithm, AMMLCalculator
from texts.interpreter.errors import TextsError

ASE_TIME = specs.ASE_TIME
MAX_STEPS = 100000000  # optimisers: in effect until converged

#: units of the numeric results (magnitudes are returned in these units)
RESULT_UNITS = {
    "energy": "eV",
    "forces": "eV / angstrom",
    "stress": "eV / angstrom ** 3",
    "dipole": "elementary_charge * angstrom",
    "charges": "elementary_charge",
    "magmom": "dimensionless",
    "magmoms": "dimensionless",
    "hessian": "eV / angstrom ** 2",
    "vibrational_modes": "angstrom",
    "minimum_energy": "eV",
    "optimal_volume": "angstrom ** 3",
    "bulk_modulus": "eV / angstrom ** 3",
    "eos_volume": "angstrom ** 3",
    "eos_energy": "eV",
    "rdf": "dimensionless",
    "rdf_distance": "angstrom",
    "rmsd": "angstrom",
    "vdf": "dimensionless",
    "velocity": "eV ** 0.5 / amu ** 0.5",
    "dos_energy": "eV",
    "dos": "dimensionless",
    "activation_energy": "eV",
    "reaction_energy": "eV",
    "maximum_force": "eV / angstrom",
    "neb_energy": "eV",
    "conserved_energy": "eV",
    "connectivity_matrix": "dimensionless",
    "connected_components": "dimensionless",
}


class Scratch:
    """Where the jobs of one evaluation write their files (calculator inputs, logs): a
    temporary directory made when a job first needs it and removed afterwards, so that
    jobs writing nothing cost no file system work."""

    def __init__(self) -> None:
        self._root: Path | None = None

    def directory(self, position: int) -> Path:
        if self._root is None:
            # lazily for start-up: ASE and the extension only when a model uses them
            import tempfile  # noqa: PLC0415

            self._root = Path(tempfile.mkdtemp(prefix="texts-property-"))
        path = self._root / f"job{position}"
        path.mkdir(exist_ok=True)
        return path

    def __enter__(self) -> Scratch:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._root is not None:
            # lazily for start-up: ASE and the extension only when a model uses them
            import shutil  # noqa: PLC0415

            shutil.rmtree(self._root, ignore_errors=True)


@dataclass
class Job:
    """One simulation: configurations, one calculator row, one algorithm row."""

    position: int
    frames: list[Any]  # ASE Atoms: one configuration, or all of them (many_to_one)
    calculator: AMMLCalculator | None
    algorithm: AMMLAlgorithm | None
    constraints: tuple[Any, ...]  # ASE constraint objects
    names: tuple[str, ...]
    scratch: Scratch
    keep: Path  # where files that outlive the evaluation go (trajectories)
    digest: str
    rng: Any = None  # a NumPy Generator for the random algorithms
    settings: dict[str, Any] = field(default_factory=dict)  # algorithm parameters for ASE

    @property
    def directory(self) -> Path:
        """The job's scratch directory (made on first use, removed afterwards)."""
        return self.scratch.directory(self.position)


@dataclass
class Outcome:
    frames: list[Any]
    values: dict[str, Any]


def new_calculator(job: Job) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.calculators import make_calculator  # noqa: PLC0415

    if job.calculator is None:
        raise TextsError("Value error", "a calculator is needed")
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.calculators import EXTERNAL  # noqa: PLC0415

    external = job.calculator.name in EXTERNAL  # they write input files
    return make_calculator(job.calculator, str(job.directory) if external else ".")


def _attach(job: Job, atoms: Any) -> Any:
    atoms.set_constraint([c.copy() if hasattr(c, "copy") else c for c in job.constraints])
    atoms.calc = new_calculator(job)
    return atoms


# ---------------------------------------------------------------------------
# calculator alone

_GETTERS: dict[str, Callable[[Any], Any]] = {
    "energy": lambda a: float(a.get_potential_energy()),
    "forces": lambda a: a.get_forces(),
    "stress": lambda a: a.get_stress(),
    "dipole": lambda a: a.get_dipole_moment(),
    "charges": lambda a: a.get_charges(),
    "magmom": lambda a: float(a.get_magnetic_moment()),
    "magmoms": lambda a: a.get_magnetic_moments(),
}


def calculator_results(job: Job, atoms: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The results a calculator computes on a configuration (its final one)."""
    values = {}
    for name in names:
        getter = _GETTERS.get(name)
        if getter is None:
            method = job.calculator.name if job.calculator else ""
            raise TextsError("Invalid key", f'no property "{name}" found for method "{method}"')
        values[name] = getter(atoms)
    return values


def single_point(job: Job) -> Outcome:
    atoms = _attach(job, job.frames[0].copy())
    _check_degrees_of_freedom(job, atoms)
    values = calculator_results(job, atoms, job.names)
    return Outcome([atoms], values)


def _check_degrees_of_freedom(job: Job, atoms: Any) -> None:
    """A calculator that moves the atoms itself needs some free degree of freedom."""
    task = job.calculator.task if job.calculator else None
    if task in (None, "single point") or not job.constraints:
        return
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    free = numpy.ones((len(atoms), 3), dtype=bool)
    for constraint in atoms.constraints:
        indices = getattr(constraint, "index", None)
        if type(constraint).__name__ == "FixAtoms" and indices is not None:
            free[indices] = False
    if not free.any():
        raise TextsError(
            "Value error", "All degrees of freedom frozen. Hint: check task and constraints."
        )


# ---------------------------------------------------------------------------
# optimisers and molecular dynamics


def _trajectory_path(job: Job) -> str | None:
    if not job.settings.get("trajectory"):
        return None
    job.keep.mkdir(parents=True, exist_ok=True)
    return str(job.keep / f"{job.digest[:32]}-{job.position}.traj")


def _logfile(job: Job) -> str | None:
    return str(job.directory / "algorithm.log") if job.settings.get("logfile") else None


def _optimizer_class(name: str) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase import optimize  # noqa: PLC0415

    return {"QuasiNewton": optimize.BFGSLineSearch}.get(name) or getattr(optimize, name)


_OPTIMIZER_KWARGS = {
    "BFGS": ("maxstep", "alpha"),
    "LBFGS": ("maxstep", "memory", "damping", "alpha"),
    "LBFGSLineSearch": ("maxstep", "memory", "damping", "alpha"),
    "QuasiNewton": ("maxstep",),
    "BFGSLineSearch": ("maxstep",),
    "FIRE": ("maxstep", "dt", "dtmax", "downhill_check"),
    "MDMin": ("maxstep", "dt"),
    "GPMin": (
        "prior",
        "kernel",
        "update_prior_strategy",
        "update_hyperparams",
        "noise",
        "weight",
        "scale",
    ),
}


def optimize(job: Job) -> Outcome:
    name = job.algorithm.name  # type: ignore[union-attr]
    atoms = _attach(job, job.frames[0].copy())
    settings = job.settings
    kwargs = {k: settings[k] for k in _OPTIMIZER_KWARGS[name] if settings.get(k) is not None}
    trajectory = _trajectory_path(job)
    optimizer = _optimizer_class(name)(
        atoms,
        logfile=_logfile(job),
        trajectory=trajectory,
        loginterval=settings.get("interval") or 1,
        **kwargs,
    )
    converged = optimizer.run(
        fmax=settings.get("fmax", 0.05), steps=settings.get("steps", MAX_STEPS)
    )
    if not converged:
        raise TextsError("Convergence error", f"calculation with {name} did not converge")
    return _dynamics_outcome(job, atoms, trajectory)


_MD_KWARGS = {
    "VelocityVerlet": (),
    "Langevin": ("temperature_K", "friction", "fixcm"),
    "Andersen": ("temperature_K", "andersen_prob", "fixcm"),
    "NVTBerendsen": ("temperature_K", "taut", "fixcm"),
    "NPTBerendsen": ("temperature_K", "pressure_au", "taut", "taup", "compressibility_au", "fixcm"),
    "MelchionnaNPT": ("temperature_K", "externalstress", "ttime", "pfactor"),
    "IsotropicMTKNPT": (
        "temperature_K",
        "pressure_au",
        "tdamp",
        "pdamp",
        "tchain",
        "pchain",
        "tloop",
        "ploop",
    ),
    "MTKNPT": (
        "temperature_K",
        "pressure_au",
        "tdamp",
        "pdamp",
        "tchain",
        "pchain",
        "tloop",
        "ploop",
    ),
    "LangevinBAOAB": (
        "temperature_K",
        "externalstress",
        "hydrostatic",
        "T_tau",
        "P_tau",
        "P_mass",
        "P_mass_factor",
        "disable_cell_langevin",
    ),
}


def _md_class(name: str) -> Any:
    if name == "VelocityVerlet":
        # lazily for start-up: ASE and the extension only when a model uses them
        from ase.md.verlet import VelocityVerlet  # noqa: PLC0415

        return VelocityVerlet
    if name == "Langevin":
        # lazily for start-up: ASE and the extension only when a model uses them
        from ase.md.langevin import Langevin  # noqa: PLC0415

        return Langevin
    if name == "Andersen":
        # lazily for start-up: ASE and the extension only when a model uses them
        from ase.md.andersen import Andersen  # noqa: PLC0415

        return Andersen
    if name in ("NVTBerendsen", "NPTBerendsen"):
        # lazily for start-up: ASE and the extension only when a model uses them
        import ase.md.nptberendsen as berendsen  # noqa: PLC0415
        import ase.md.nvtberendsen as nvt  # noqa: PLC0415

        return nvt.NVTBerendsen if name == "NVTBerendsen" else berendsen.NPTBerendsen
    if name == "MelchionnaNPT":
        # lazily for start-up: ASE and the extension only when a model uses them
        from ase.md.npt import NPT  # noqa: PLC0415

        return NPT
    if name == "LangevinBAOAB":
        # lazily for start-up: ASE and the extension only when a model uses them
        from ase.md.langevinbaoab import LangevinBAOAB  # noqa: PLC0415

        return LangevinBAOAB
    # lazily for start-up: ASE and the extension only when a model uses them
    import ase.md.nose_hoover_chain as chain  # noqa: PLC0415

    return getattr(chain, name)


def molecular_dynamics(job: Job) -> Outcome:
    name = job.algorithm.name  # type: ignore[union-attr]
    atoms = _attach(job, job.frames[0].copy())
    settings = job.settings
    kwargs = {k: settings[k] for k in _MD_KWARGS[name] if settings.get(k) is not None}
    if name in ("Langevin", "Andersen", "LangevinBAOAB"):
        kwargs["rng"] = job.rng
    trajectory = _trajectory_path(job)
    dynamics = _md_class(name)(
        atoms,
        timestep=settings["timestep"],
        logfile=_logfile(job),
        trajectory=trajectory,
        loginterval=settings.get("interval") or 1,
        **kwargs,
    )
    dynamics.run(steps=settings.get("steps", 50))
    outcome = _dynamics_outcome(job, atoms, trajectory)
    if "conserved_energy" in job.names:
        outcome.values["conserved_energy"] = float(dynamics.get_conserved_energy())
    return outcome


def _dynamics_outcome(job: Job, atoms: Any, trajectory: str | None) -> Outcome:
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.trajectory import read_trajectory  # noqa: PLC0415

    names = tuple(n for n in job.names if n not in ("trajectory", "conserved_energy"))
    values = calculator_results(job, atoms, names)
    if "trajectory" in job.names:
        if trajectory is None:
            raise TextsError("Invalid key", 'property "trajectory" not available')
        values["trajectory"] = read_trajectory(trajectory)
    return Outcome([atoms], values)


# ---------------------------------------------------------------------------
# vibrations


def vibrations(job: Job) -> Outcome:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415
    from ase.vibrations import Vibrations  # noqa: PLC0415

    atoms = _attach(job, job.frames[0].copy())
    settings = job.settings
    indices = None
    if not settings.get("all_atoms"):
        fixed = set()
        for constraint in atoms.constraints:
            if type(constraint).__name__ == "FixAtoms":
                fixed.update(int(i) for i in constraint.index)
        indices = [i for i in range(len(atoms)) if i not in fixed]
    vib = Vibrations(
        atoms,
        indices=indices,
        delta=settings.get("delta", 0.01),
        nfree=settings.get("nfree", 2),
        name=str(job.directory / "vib"),
    )
    vib.run()
    data = vib.get_vibrations(method=settings.get("method", "standard"))
    energies = data.get_energies()
    tolerance = settings.get("imag_tol", 1e-5)
    imaginary = int(numpy.sum(numpy.abs(energies.imag) > tolerance))
    values: dict[str, Any] = {}
    for name in job.names:
        if name == "vibrational_energies":
            values[name] = numpy.real(energies).tolist()
        elif name == "hessian":
            values[name] = data.get_hessian()
        elif name == "vibrational_modes":
            values[name] = data.get_modes()
        elif name == "energy_minimum":
            values[name] = imaginary == 0
        elif name == "transition_state":
            values[name] = imaginary == 1
    values.update(calculator_results(job, atoms, tuple(n for n in job.names if n in _GETTERS)))
    return Outcome([atoms], values)


# ---------------------------------------------------------------------------
# analyses without a calculator


def equation_of_state(job: Job) -> Outcome:
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.eos import EquationOfState  # noqa: PLC0415

    settings = job.settings
    volumes = [atoms.get_volume() for atoms in job.frames]
    energies = settings.get("energies")
    if energies is None or len(energies) != len(volumes):
        raise TextsError("Value error", "energies must have one value per configuration")
    eos = EquationOfState(volumes, energies, eos=settings.get("eos", "sjeos"))
    volume, energy, modulus = eos.fit()
    curve = eos.getplotdata()
    filename = settings.get("filename")
    if filename:
        _plot_to_file(lambda axes: eos.plot(ax=axes), filename)
    values = {
        "minimum_energy": float(energy),
        "optimal_volume": float(volume),
        "bulk_modulus": float(modulus),
        "eos_volume": curve[4],
        "eos_energy": curve[5],
    }
    return Outcome(list(job.frames), {n: values[n] for n in job.names if n in values})


def _plot_to_file(draw: Callable[[Any], Any], filename: str) -> None:
    """A plot an algorithm draws, written relative to the working directory."""
    # lazily for start-up: ASE and the extension only when a model uses them
    from matplotlib.figure import Figure  # noqa: PLC0415

    figure = Figure()
    draw(figure.add_subplot())
    figure.savefig(filename)


def radial_distribution(job: Job) -> Outcome:
    """The RDF of the configurations (their average for a ``many_to_one`` job)."""
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415
    from ase.geometry.rdf import get_rdf  # noqa: PLC0415

    settings = job.settings
    frames = job.frames
    rmax = settings.get("rmax")
    if rmax is None:
        rmax = 0.49 * max(float(numpy.linalg.norm(v)) for v in frames[0].cell)
    elements = settings.get("elements")
    if isinstance(elements, str):  # 'Na' (like pairs) or 'Na Cl' / 'Na,Cl'
        names = elements.replace(",", " ").split()
        elements = (names[0], names[-1])
    rdf, distances = get_rdf(frames, rmax, settings.get("nbins", 40), elements=elements)
    values = {"rdf": rdf, "rdf_distance": distances}
    return Outcome(list(frames), {n: values[n] for n in job.names if n in values})


def rmsd(job: Job) -> Outcome:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415
    from ase.build import minimize_rotation_and_translation  # noqa: PLC0415

    reference = job.settings.get("reference")
    deviations = []
    for atoms in job.frames:
        if len(atoms) != len(reference):
            raise TextsError("Value error", "reference and structure have different lengths")
        moved = atoms.copy()
        if job.settings.get("adjust", True):  # the configuration moved onto the reference
            minimize_rotation_and_translation(reference, moved)
        difference = moved.positions - reference.positions
        deviations.append(float(numpy.sqrt((difference**2).sum(axis=1).mean())))
    return Outcome(list(job.frames), {"rmsd": float(numpy.mean(deviations))})


def neighbor_list(job: Job) -> Outcome:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415
    from ase.neighborlist import (  # noqa: PLC0415
        NeighborList,
        NewPrimitiveNeighborList,
        PrimitiveNeighborList,
        natural_cutoffs,
    )

    # lazily for start-up: ASE and the extension only when a model uses them
    from scipy.sparse.csgraph import connected_components  # noqa: PLC0415

    atoms = job.frames[0]
    settings = job.settings
    cutoffs = settings.get("cutoffs") or natural_cutoffs(atoms)
    primitive = (
        NewPrimitiveNeighborList if settings.get("method") == "linear" else PrimitiveNeighborList
    )
    neighbors = NeighborList(
        cutoffs,
        skin=settings.get("skin", 0.3),
        sorted=settings.get("sorted", False),
        self_interaction=settings.get("self_interaction", True),
        bothways=settings.get("bothways", False),
        primitive=primitive,
    )
    neighbors.update(atoms)
    found = [neighbors.get_neighbors(index) for index in range(len(atoms))]
    matrix = numpy.asarray(neighbors.get_connectivity_matrix(sparse=False), dtype=int)
    values = {
        "neighbors": [numpy.asarray(indices, dtype=int) for indices, _ in found],
        "neighbor_offsets": [numpy.asarray(offsets, dtype=int) for _, offsets in found],
        "connectivity_matrix": matrix,
        "connected_components": connected_components(matrix)[1],
    }
    return Outcome([atoms], {n: values[n] for n in job.names if n in values})


def velocity_distribution(job: Job) -> Outcome:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415
    from ase.md.velocitydistribution import (  # noqa: PLC0415
        MaxwellBoltzmannDistribution,
        Stationary,
        ZeroRotation,
    )

    settings = job.settings
    if settings.get("distribution", "maxwell-boltzmann") != "maxwell-boltzmann":
        raise TextsError(
            "Value error", "distribution 'phonon_harmonics' needs force constants: not supported"
        )
    frames = [atoms.copy() for atoms in job.frames]
    velocities = []
    for atoms in frames:
        MaxwellBoltzmannDistribution(
            atoms,
            temperature_K=settings["temperature_K"],
            force_temp=settings.get("force_temp", False),
            rng=job.rng,
        )
        preserve = settings.get("preserve_temperature", True)
        if settings.get("stationary", True):
            Stationary(atoms, preserve_temperature=preserve)
        if settings.get("zero_rotation", True):
            ZeroRotation(atoms, preserve_temperature=preserve)
        velocities.append(atoms.get_velocities().ravel())
    counts, edges = numpy.histogram(numpy.concatenate(velocities), bins=settings.get("nbins", 40))
    values = {"vdf": counts, "velocity": edges}
    return Outcome(frames, {n: values[n] for n in job.names if n in values})


# ---------------------------------------------------------------------------
# electronic structure


def band_structure(job: Job) -> Outcome:
    atoms = _attach(job, job.frames[0].copy())
    atoms.get_potential_energy()
    structure = atoms.calc.band_structure()
    settings = job.settings
    filename = settings.get("filename")
    if filename:
        emin, emax = settings.get("emin"), settings.get("emax")
        _plot_to_file(
            lambda axes: structure.plot(ax=axes, emin=emin, emax=emax, show=False), filename
        )
    values = {"band_structure": _band_table(structure)}
    values.update(calculator_results(job, atoms, tuple(n for n in job.names if n in _GETTERS)))
    return Outcome([atoms], values)


def _band_table(structure: Any) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml import data  # noqa: PLC0415

    path = structure.path
    points = path.special_points
    special = data.table(
        [data.numbers(key, [numpy.asarray(points[key])], "1 / angstrom") for key in sorted(points)]
    )
    band_path = data.table(
        [
            data.numbers("cell", [numpy.asarray(path.cell.array)], "angstrom"),
            data.objects("path", [path.path]),
            data.numbers("kpts", [numpy.asarray(path.kpts)], "1 / angstrom"),
            data.objects("special_points", [special]),
        ]
    )
    return data.table(
        [
            data.numbers("energies", [numpy.asarray(structure.energies)], "eV"),
            data.numbers("reference", [float(structure.reference)], "eV"),
            data.objects("band_path", [band_path]),
        ]
    )


def density_of_states(job: Job) -> Outcome:
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.dft.dos import DOS  # noqa: PLC0415

    atoms = _attach(job, job.frames[0].copy())
    atoms.get_potential_energy()
    settings = job.settings
    dos = DOS(
        atoms.calc,
        width=settings.get("width", 0.1),
        window=settings.get("window"),
        npts=settings.get("npts", 401),
    )
    values = {"dos_energy": dos.get_energies(), "dos": dos.get_dos(spin=settings.get("spin"))}
    return Outcome([atoms], {n: values[n] for n in job.names if n in values})


# ---------------------------------------------------------------------------
# transition states


def nudged_elastic_band(job: Job) -> Outcome:
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.mep import NEB, DyNEB, NEBTools  # noqa: PLC0415

    settings = job.settings
    count = settings.get("number_of_images", 3)
    first, last = job.frames[0], job.frames[-1]
    images = [first.copy()] + [first.copy() for _ in range(count - 2)] + [last.copy()]
    for image in images:
        _attach(job, image)
    common = {
        "k": settings.get("k", 0.1),
        "climb": settings.get("climb", False),
        "remove_rotation_and_translation": settings.get("remove_rotation_and_translation", False),
        "method": settings.get("method", "aseneb"),
    }
    if settings.get("dynamic_relaxation"):
        band = DyNEB(
            images,
            fmax=settings.get("fmax", 0.05),
            dynamic_relaxation=True,
            scale_fmax=settings.get("scale_fmax", 0.0),
            **common,
        )
    else:
        band = NEB(images, **common)
    band.interpolate(
        method=settings.get("interpolate_method", "linear"),
        mic=settings.get("interpolate_mic", False),
    )
    optimizer_name = (settings.get("optimizer") or {}).get("name", "FIRE")
    trajectory = _trajectory_path(job)
    optimizer = _optimizer_class(optimizer_name)(band, logfile=_logfile(job), trajectory=trajectory)
    # the band's fmax counts only with dynamic relaxation: otherwise it is relaxed to
    # 0.05 eV/Å, as in the reference (its numbers depend on it)
    fmax = settings.get("fmax", 0.05) if settings.get("dynamic_relaxation") else 0.05
    converged = optimizer.run(fmax=fmax, steps=MAX_STEPS)
    if not converged:
        raise TextsError("Convergence error", f"calculation with {optimizer_name} did not converge")
    tools = NEBTools(images)
    barrier, reaction = tools.get_barrier(fit=settings.get("fit", False))
    values: dict[str, Any] = {
        "neb_energy": [float(image.get_potential_energy()) for image in images],
        "forces": [image.get_forces() for image in images],
        "activation_energy": float(barrier),
        "reaction_energy": float(reaction),
        "maximum_force": float(tools.get_fmax(**common)),
    }
    if "trajectory" in job.names:
        # lazily for start-up: ASE and the extension only when a model uses them
        from texts.interpreter.amml.trajectory import read_trajectory  # noqa: PLC0415

        values["trajectory"] = read_trajectory(trajectory)  # type: ignore[arg-type]
    filename = settings.get("filename")
    if filename:
        _plot_to_file(lambda axes: tools.plot_band(ax=axes), filename)
    return Outcome(images, {n: values[n] for n in job.names if n in values})


def dimer(job: Job) -> Outcome:
    """The dimer method: a saddle point found from a (seeded) random displacement, or
    from a tenth of the way to a ``target`` structure."""
    from ase.mep.dimer import DimerControl, MinModeAtoms, MinModeTranslate  # noqa: PLC0415

    atoms = _attach(job, job.frames[0].copy())
    settings = job.settings
    control = DimerControl(
        logfile=None,
        eigenmode_logfile=None,
        **{k: settings[k] for k in DimerControl.parameters if settings.get(k) is not None},
    )
    minmode = MinModeAtoms(atoms, control, random_seed=_seed(job))
    vector = None
    if settings.get("displacement_method") == "vector":
        target = settings.get("target")
        if target is None:
            raise TextsError(
                "Value error", "target structure needed to calculate displacement vector"
            )
        vector = (target.positions - atoms.positions) / 10.0
    minmode.displace(displacement_vector=vector, log=False)
    trajectory = _trajectory_path(job)
    translate = MinModeTranslate(minmode, logfile=None, trajectory=trajectory)
    translate.run(fmax=settings.get("fmax", 0.05))
    return _dynamics_outcome(job, atoms, trajectory)


def _seed(job: Job) -> int | None:
    if job.rng is None:
        return None
    return int(job.rng.integers(0, 2**31))


RUNNERS: dict[str, Callable[[Job], Outcome]] = {
    **dict.fromkeys(specs.OPTIMIZERS, optimize),
    **dict.fromkeys(specs.MOLECULAR_DYNAMICS, molecular_dynamics),
    "Vibrations": vibrations,
    "EquationOfState": equation_of_state,
    "RDF": radial_distribution,
    "RMSD": rmsd,
    "NeighborList": neighbor_list,
    "VelocityDistribution": velocity_distribution,
    "BandStructure": band_structure,
    "DensityOfStates": density_of_states,
    "NEB": nudged_elastic_band,
    "Dimer": dimer,
}


def run_job(job: Job) -> Outcome:
    if job.algorithm is None:
        return single_point(job)
    return RUNNERS[job.algorithm.name](job)


def algorithm_settings(algorithm: AMMLAlgorithm | None) -> dict[str, Any]:
    """The first parameter row of an algorithm with the specification's defaults for the
    parameters it does not give, converted for ASE."""
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml import data  # noqa: PLC0415
    from texts.interpreter.amml.params import default_column, first_row  # noqa: PLC0415

    if algorithm is None:
        return {}
    method = specs.algorithm(algorithm.name)
    given = first_row(algorithm.parameters)
    settings = {}
    for param in method.params:
        if param.name in given:
            value = given[param.name]
        elif param.mandatory or param.default is None:
            continue
        else:
            value = data.cell(default_column(param), 0)
        converted = to_ase(param, value)
        if converted is not None:
            settings[param.name] = converted
    return settings
