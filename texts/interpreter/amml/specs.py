"""What each calculator and algorithm accepts and provides (AMML.md 3, 4 and Appendix B).

A parameter has a kind (``int``, ``float``, ``bool``, ``str``, ``array``, ``table``,
``tuple``, ``dict``, ``structure`` or several joined by ``/``), the units its values must
have (spelled as error messages show them), a default (``None``: not set, ASE's default
applies) or ``MANDATORY``, and optionally the only values it may take. The order of a
specification is the order of the ``()`` printout.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any


class _Mandatory:
    def __repr__(self) -> str:
        return "MANDATORY"


MANDATORY: Any = _Mandatory()
ASE_TIME = "angstrom * amu ** 0.5 / eV ** 0.5"
"""ASE's unit of time, Å·(amu/eV)^½ (about 10.18 fs)."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    units: str | None = None
    default: Any = None
    choices: tuple[Any, ...] | None = None
    default_units: str | None = None  # units of the default when not ``units``

    @property
    def mandatory(self) -> bool:
        return self.default is MANDATORY


@dataclass(frozen=True)
class Method:
    """A calculator or an algorithm: its parameters and the results it provides."""

    name: str
    params: tuple[Param, ...]
    results: tuple[str, ...] = ()
    # algorithms only
    many_to_one: str = "forbidden"  # 'forbidden', 'required' or 'either'
    needs_calculator: bool = False
    implemented: bool = True
    random: bool = False
    # calculators only
    tasks: tuple[str, ...] = ()
    declared: tuple[str, ...] = field(default=())  # results declared but only via an algorithm

    @functools.cached_property
    def by_name(self) -> dict[str, Param]:
        return {param.name: param for param in self.params}

    @property
    def mandatory(self) -> tuple[str, ...]:
        return tuple(param.name for param in self.params if param.mandatory)


def _p(
    name: str,
    kind: str,
    units: str | None = None,
    default: Any = None,
    choices: tuple[Any, ...] | None = None,
    default_units: str | None = None,
) -> Param:
    return Param(name, kind, units, default, choices, default_units)


# ---------------------------------------------------------------------------
# algorithms

_OPTIMIZER_HEAD = (
    _p("steps", "int", default=100000000),
    _p("maxstep", "float", "angstrom", 0.2),
    _p("trajectory", "bool"),
    _p("logfile", "bool"),
    _p("interval", "int", default=1),
    _p("fmax", "float", "eV / angstrom", 0.05),
)
_MD_HEAD = (
    _p("steps", "int", default=50),
    _p("logfile", "bool"),
    _p("trajectory", "bool"),
    _p("interval", "int", default=1),
    _p("timestep", "float", ASE_TIME, MANDATORY),
)
_MD_TAIL = (
    _p("steps", "int", default=50),
    _p("logfile", "bool"),
    _p("trajectory", "bool"),
    _p("interval", "int", default=1),
)
_RANDOM = (_p("rng", "str"), _p("seed", "str"), _p("spawn", "int"))
_MEMORY = (
    _p("memory", "int", default=100),
    _p("damping", "float", default=1.0),
    _p("alpha", "float", "eV / angstrom ** 2", 70.0),
)
_OPTIMIZERS = ("BFGS", "LBFGS", "LBFGSLineSearch", "QuasiNewton", "BFGSLineSearch", "FIRE", "MDMin")
_MD = ("VelocityVerlet", "Langevin", "Andersen", "NVTBerendsen", "NPTBerendsen", "MelchionnaNPT")
_MTK = (
    _p("timestep", "float", ASE_TIME, MANDATORY),
    _p("temperature_K", "float", "K", MANDATORY),
    _p("pressure_au", "float", "eV / angstrom ** 3", MANDATORY),
    _p("tdamp", "float", ASE_TIME, MANDATORY),
    _p("pdamp", "float", ASE_TIME, MANDATORY),
    _p("tchain", "int", default=3),
    _p("pchain", "int", default=3),
    _p("tloop", "int", default=1),
    _p("ploop", "int", default=1),
    *_MD_TAIL,
)
_TRAJECTORY = ("trajectory",)

ALGORITHM_PARAMS: dict[str, tuple[Param, ...]] = {
    "BFGS": (*_OPTIMIZER_HEAD, _p("alpha", "float", "eV / angstrom ** 2", 70.0)),
    "LBFGS": (*_OPTIMIZER_HEAD, *_MEMORY),
    "LBFGSLineSearch": (*_OPTIMIZER_HEAD, *_MEMORY),
    "QuasiNewton": _OPTIMIZER_HEAD,
    "BFGSLineSearch": _OPTIMIZER_HEAD,
    "GPMin": (
        _p("steps", "int", default=100000000),
        _p("trajectory", "bool"),
        _p("logfile", "bool"),
        _p("interval", "int", default=1),
        _p("fmax", "float", "eV / angstrom", 0.05),
        _p("prior", "structure"),
        _p("kernel", "structure"),
        _p(
            "update_prior_strategy",
            "str",
            default="maximum",
            choices=("maximum", "init", "average"),
        ),
        _p("update_hyperparams", "bool", default=False),
        _p("noise", "float", default=0.005),
        _p("weight", "float", default=1.0),
        _p("scale", "float", default=0.4),
    ),
    "FIRE": (
        *_OPTIMIZER_HEAD,
        _p("dt", "float", ASE_TIME, 0.1),
        _p("dtmax", "float", ASE_TIME, 1.0),
        _p("downhill_check", "bool", default=False),
    ),
    "MDMin": (*_OPTIMIZER_HEAD, _p("dt", "float", ASE_TIME, 0.2)),
    "RMSD": (_p("reference", "structure", default=MANDATORY), _p("adjust", "bool", default=True)),
    "RDF": (
        _p("rmax", "float", "angstrom"),
        _p("nbins", "int", default=40),
        _p("neighborlist", "table"),
        _p("elements", "str"),
    ),
    "VelocityDistribution": (
        _p(
            "distribution",
            "str",
            default="maxwell-boltzmann",
            choices=("maxwell-boltzmann", "phonon_harmonics"),
        ),
        _p("temperature_K", "float", "K", MANDATORY),
        _p("force_temp", "bool", default=False),
        _p("stationary", "bool", default=True),
        _p("zero_rotation", "bool", default=True),
        _p("preserve_temperature", "bool", default=True),
        _p("nbins", "int", default=40),
        *_RANDOM,
    ),
    "EquationOfState": (
        _p("energies", "array", "eV"),
        _p(
            "eos",
            "str",
            default="sjeos",
            choices=(
                "sjeos",
                "taylor",
                "murnaghan",
                "birch",
                "birchmurnaghan",
                "pouriertarantola",
                "vinet",
                "antonschmidt",
                "p3",
            ),
        ),
        _p("filename", "str"),
    ),
    "DensityOfStates": (
        _p("width", "float", "eV", 0.1),
        _p("window", "array", "eV"),
        _p("npts", "int", default=401),
        _p("spin", "int", choices=(0, 1)),
    ),
    "BandStructure": (
        _p("emin", "float", "eV"),
        _p("emax", "float", "eV"),
        _p("filename", "str"),
    ),
    "VelocityVerlet": _MD_HEAD,
    "Langevin": (
        *_MD_HEAD,
        _p("temperature_K", "float", "K", MANDATORY),
        _p("friction", "float", "1 / (" + ASE_TIME + ")", MANDATORY),
        _p("fixcm", "bool", default=False),
        *_RANDOM,
    ),
    "MelchionnaNPT": (
        *_MD_HEAD,
        _p("temperature_K", "float", "K", MANDATORY),
        _p("externalstress", "float", "eV / angstrom ** 3", MANDATORY),
        _p("ttime", "float", ASE_TIME, MANDATORY),
        _p("pfactor", "float", "amu / angstrom", MANDATORY),
    ),
    "Andersen": (
        *_MD_HEAD,
        _p("temperature_K", "float", "K", MANDATORY),
        _p("andersen_prob", "float", default=MANDATORY),
        _p("fixcm", "bool", default=True),
        *_RANDOM,
    ),
    "NVTBerendsen": (
        *_MD_HEAD,
        _p("temperature_K", "float", "K", MANDATORY),
        _p("taut", "float", ASE_TIME, MANDATORY),
        _p("fixcm", "bool", default=True),
    ),
    "NPTBerendsen": (
        *_MD_HEAD,
        _p("temperature_K", "float", "K", MANDATORY),
        _p("pressure_au", "float", "eV / angstrom ** 3", MANDATORY),
        _p("taut", "float", ASE_TIME, 0.5, default_units="ps"),
        _p("taup", "float", ASE_TIME, 1.0, default_units="ps"),
        _p("compressibility_au", "float", "angstrom ** 3 / eV", MANDATORY),
        _p("fixcm", "bool", default=True),
    ),
    "IsotropicMTKNPT": _MTK,
    "MTKNPT": _MTK,
    "LangevinBAOAB": (
        _p("timestep", "float", ASE_TIME, MANDATORY),
        _p("temperature_K", "float", "K"),
        _p("externalstress", "float", "eV / angstrom ** 3", MANDATORY),
        _p("hydrostatic", "bool", default=False),
        _p("T_tau", "float", "fs"),
        _p("P_tau", "float", "fs"),
        _p("P_mass", "float", "amu"),
        _p("P_mass_factor", "float", default=1),
        _p("disable_cell_langevin", "bool", default=False),
        *_MD_TAIL,
        *_RANDOM,
    ),
    "NEB": (
        _p("number_of_images", "int", default=3),
        _p("trajectory", "bool", default=True, choices=(True,)),
        _p("logfile", "bool"),
        _p("interpolate_method", "str", default="linear", choices=("linear", "idpp")),
        _p("interpolate_mic", "bool", default=False),
        _p("dynamic_relaxation", "bool", default=False),
        _p("fmax", "float", "eV / angstrom", 0.05),
        _p("scale_fmax", "float", "1 / angstrom", 0.0),
        _p("k", "float", "eV / angstrom", 0.1),
        _p("climb", "bool", default=False),
        _p("remove_rotation_and_translation", "bool", default=False),
        _p(
            "method",
            "str",
            default="aseneb",
            choices=("aseneb", "improvedtangent", "eb", "spline", "string"),
        ),
        _p("optimizer", "table", default=MANDATORY),
        _p("fit", "bool", default=False),
        _p("filename", "str"),
    ),
    "Dimer": (
        _p("trajectory", "bool"),
        _p("logfile", "bool"),
        _p("eigenmode_logfile", "str"),
        _p("eigenmode_method", "str", default="dimer", choices=("dimer",)),
        _p("f_rot_min", "float", "eV / angstrom", 0.1),
        _p("f_rot_max", "float", "eV / angstrom", 1.0),
        _p("max_num_rot", "int", default=1),
        _p("trial_angle", "float", "rad", 0.7853981633974483),
        _p("trial_trans_step", "float", "angstrom", 0.001),
        _p("maximum_translation", "float", "angstrom", 0.1),
        _p("cg_translation", "bool", default=True),
        _p("use_central_forces", "bool", default=True),
        _p("dimer_separation", "float", "angstrom", 0.0001),
        _p("initial_eigenmode_method", "str", default="gauss", choices=("gauss", "displacement")),
        _p("extrapolate_forces", "bool", default=False),
        _p("displacement_method", "str", default="gauss", choices=("gauss", "vector")),
        _p("gauss_std", "float", "angstrom", 0.1),
        _p("order", "int", default=1),
        _p("mask", "array"),
        _p("displacement_center", "array", "angstrom"),
        _p("displacement_radius", "float", "angstrom"),
        _p("number_of_displacement_atoms", "int"),
        _p("target", "structure"),
        _p("fmax", "float", "eV / angstrom", 0.05),
    ),
    "Vibrations": (
        _p("delta", "float", "angstrom", 0.01),
        _p("nfree", "int", default=2),
        _p("method", "str", default="standard", choices=("standard", "frederiksen")),
        _p("direction", "str", default="central", choices=("central", "forward", "backward")),
        _p("all_atoms", "bool", default=False),
        _p("imag_tol", "float", "eV", 1e-05),
    ),
    "NeighborList": (
        _p("cutoffs", "array", "angstrom"),
        _p("skin", "float", "angstrom", 0.3),
        _p("sorted", "bool", default=False),
        _p("self_interaction", "bool", default=True),
        _p("bothways", "bool", default=False),
        _p("method", "str", default="quadratic", choices=("quadratic", "linear")),
    ),
}
_ALGORITHM_RESULTS = {
    **{name: _TRAJECTORY for name in (*_OPTIMIZERS, "GPMin", *_MD, "LangevinBAOAB")},
    "IsotropicMTKNPT": ("trajectory", "conserved_energy"),
    "MTKNPT": ("trajectory", "conserved_energy"),
    "Vibrations": (
        "hessian",
        "vibrational_energies",
        "vibrational_modes",
        "energy_minimum",
        "transition_state",
    ),
    "EquationOfState": (
        "minimum_energy",
        "optimal_volume",
        "bulk_modulus",
        "eos_volume",
        "eos_energy",
    ),
    "RDF": ("rdf", "rdf_distance"),
    "RMSD": ("rmsd",),
    "NeighborList": (
        "neighbors",
        "neighbor_offsets",
        "connectivity_matrix",
        "connected_components",
    ),
    "VelocityDistribution": ("vdf", "velocity"),
    "BandStructure": ("band_structure",),
    "DensityOfStates": ("dos_energy", "dos"),
    "NEB": (
        "neb_energy",
        "forces",
        "activation_energy",
        "reaction_energy",
        "maximum_force",
        "trajectory",
    ),
    "Dimer": ("energy", "forces", "trajectory"),
}
_MANY_TO_ONE = {
    "EquationOfState": "required",
    "NEB": "required",
    "RDF": "either",
    "RMSD": "either",
    "VelocityDistribution": "either",
}
_NO_CALCULATOR = ("EquationOfState", "RDF", "RMSD", "NeighborList", "VelocityDistribution")
_RANDOM_ALGORITHMS = ("Langevin", "Andersen", "LangevinBAOAB", "VelocityDistribution")
NOT_IMPLEMENTED = (
    "BasinHopping",
    "MinimaHopping",
    "GA",
    "PourbaixDiagram",
    "PhaseDiagram",
    "BFGSClimbFixInternals",
)
OPTIMIZERS = (*_OPTIMIZERS, "GPMin")
MOLECULAR_DYNAMICS = (*_MD, "LangevinBAOAB", "IsotropicMTKNPT", "MTKNPT")


@functools.cache
def algorithm(name: str) -> Method:
    if name in NOT_IMPLEMENTED:
        return Method(name, (), implemented=False)
    return Method(
        name,
        ALGORITHM_PARAMS[name],
        _ALGORITHM_RESULTS[name],
        many_to_one=_MANY_TO_ONE.get(name, "forbidden"),
        needs_calculator=name not in _NO_CALCULATOR,
        random=name in _RANDOM_ALGORITHMS,
    )


# ---------------------------------------------------------------------------
# calculators

_SMALL_CALCULATORS = {
    "emt": Method(
        "emt",
        (_p("asap_cutoff", "bool", default=False),),
        ("energy", "forces", "stress"),
        tasks=("single point",),
    ),
    "lj": Method(
        "lj",
        (
            _p("sigma", "float", "angstrom", 1.0),
            _p("epsilon", "float", "eV", 1.0),
            _p("rc", "float", "angstrom"),
            _p("ro", "float", "angstrom"),
            _p("smooth", "bool", default=False),
        ),
        ("energy", "forces"),
        tasks=("single point",),
    ),
    "free_electrons": Method(
        "free_electrons",
        (
            _p("restart", "str"),
            _p("kpts", "table/array", default=(0, 0, 0)),
            _p("path", "str"),
            _p("npoints", "int"),
            _p("nvalence", "int", default=0),
            _p("nbands", "int", default=20),
            _p("gridsize", "int", default=7),
        ),
        ("energy",),
        tasks=("single point",),
        declared=("band_structure",),
    ),
}


@functools.cache
def calculator(name: str) -> Method:
    if name in _SMALL_CALCULATORS:
        return _SMALL_CALCULATORS[name]
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml import codes  # noqa: PLC0415

    return codes.method(name)


#: names a calculator with a task may provide without an algorithm (AMML.md 5.2)
TASK_RESULTS = {
    "single point": ("energy", "forces", "dipole", "stress", "charges", "magmom", "magmoms"),
    "normal modes": ("vibrational_energies", "energy_minimum", "transition_state"),
}
_DYNAMIC_TASK_RESULTS = ("energy", "forces", "dipole", "stress", "charges", "trajectory")


def task_results(task: str) -> tuple[str, ...]:
    return TASK_RESULTS.get(task, _DYNAMIC_TASK_RESULTS)


#: every member of a Property (AMML.md 5.4)
PROPERTY_MEMBERS = (
    "names",
    "structure",
    "calculator",
    "algorithm",
    "constraints",
    "results",
    "output_structure",
    "energy_minimum",
    "energy",
    "forces",
    "dipole",
    "stress",
    "charges",
    "magmoms",
    "magmom",
    "hessian",
    "vibrational_energies",
    "vibrational_modes",
    "rmsd",
    "rdf_distance",
    "rdf",
    "trajectory",
    "transition_state",
    "minimum_energy",
    "optimal_volume",
    "bulk_modulus",
    "eos_volume",
    "eos_energy",
    "dos_energy",
    "dos",
    "band_structure",
    "activation_energy",
    "reaction_energy",
    "maximum_force",
    "velocity",
    "vdf",
    "neighbors",
    "neighbor_offsets",
    "connectivity_matrix",
    "connected_components",
    "neb_energy",
    "conserved_energy",
)
