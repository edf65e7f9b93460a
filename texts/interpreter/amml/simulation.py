"""Evaluating a Property: jobs formed, run through ASE once each, results tabulated.

Jobs are the Cartesian product of the calculator rows, the algorithm rows and the
structure's configurations (all configurations as one item with ``many_to_one``), in that
nesting order. Identical jobs run once (with a warning). Jobs run in a scratch directory
removed afterwards; trajectory files are kept in the working directory's ``.texts``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from texts.interpreter.amml import data, specs
from texts.interpreter.amml.algorithms import (
    RESULT_UNITS,
    Job,
    Outcome,
    Scratch,
    algorithm_settings,
    run_job,
)
from texts.interpreter.amml.atoms import configurations, from_atoms
from texts.interpreter.amml.calculators import calculator_rows
from texts.interpreter.amml.values import (
    AMMLAlgorithm,
    AMMLCalculator,
    AMMLConstraint,
    AMMLProperty,
    AMMLStructure,
)
from texts.interpreter.errors import TextsError, warn_at_runtime
from texts.paths import STORE_DIRECTORY_NAME

BIT_GENERATORS = ("MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64")
TRAJECTORY_DIRECTORY = "trajectories"


def run_property(
    names: tuple[str, ...],
    structure: AMMLStructure,
    calculator: AMMLCalculator | None,
    algorithm: AMMLAlgorithm | None,
    constraints: tuple[AMMLConstraint, ...],
    rng: str | None,
    seed: str | None,
) -> AMMLProperty:
    """Run the simulation of a Property and return it with its results table."""
    if algorithm is not None and specs.algorithm(algorithm.name).random:
        algorithm = _seeded(algorithm, rng, seed)
    jobs_input = _job_inputs(structure, calculator, algorithm)
    keep = Path.cwd() / STORE_DIRECTORY_NAME / TRAJECTORY_DIRECTORY
    with Scratch() as scratch:
        outcomes = _run_all(names, jobs_input, constraints, algorithm, scratch, keep)
    results = _results_table(names, jobs_input, outcomes, structure.name)
    return AMMLProperty(names, structure, calculator, algorithm, constraints, results)


# ---------------------------------------------------------------------------
# random numbers


def _seeded(algorithm: AMMLAlgorithm, rng: str | None, seed: str | None) -> AMMLAlgorithm:
    """The algorithm with the Property's ``rng`` and ``seed`` in its table; values already
    in the table stay when the Property does not give them."""
    table = data.table(list(algorithm.parameters.columns))
    for name, value in (("rng", rng), ("seed", seed)):
        existing = data.column(table, name)
        if existing is not None and value is None:
            continue
        column = data.objects(name, [value] * max(len(table), 1))
        if existing is not None:
            table.columns[table.columns.index(existing)] = column
        else:
            table.columns.append(column)
    return AMMLAlgorithm(algorithm.name, table, algorithm.many_to_one)


def generator(rng: str | None, seed: str | None, position: int | None) -> Any:
    """A NumPy generator: the named bit generator seeded with the integer value of the
    UUID ``seed`` and, for a job, its position as spawn key (independent streams); a
    random seed when none is given."""
    # lazily for start-up: ASE and the extension only when a model uses them
    import uuid  # noqa: PLC0415

    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    name = rng or "PCG64"
    text = seed or uuid.uuid4().hex
    try:
        entropy = uuid.UUID(text).int
    except ValueError as exc:
        raise TextsError("Value error", str(exc)) from None
    if name not in BIT_GENERATORS:
        raise TextsError("Value error", f"unknown bit generator: {name}")
    spawn = () if position is None else (position,)
    sequence = numpy.random.SeedSequence(entropy=entropy, spawn_key=spawn)
    return numpy.random.Generator(getattr(numpy.random, name)(sequence))


# ---------------------------------------------------------------------------
# jobs


def _job_inputs(
    structure: AMMLStructure, calculator: AMMLCalculator | None, algorithm: AMMLAlgorithm | None
) -> list[tuple[AMMLStructure, AMMLCalculator | None, AMMLAlgorithm | None]]:
    calculators: list[AMMLCalculator | None] = (
        calculator_rows(calculator) if calculator is not None else [None]
    )
    algorithms: list[AMMLAlgorithm | None] = [None]
    if algorithm is not None:
        rows = len(algorithm.parameters) if algorithm.parameters.columns else 1
        algorithms = [algorithm.sliced(slice(i, i + 1)) for i in range(rows)]
    many = algorithm is not None and algorithm.many_to_one
    items = (
        [structure] if many else [structure.sliced(slice(i, i + 1)) for i in range(len(structure))]
    )
    return [(item, calc, algo) for calc in calculators for algo in algorithms for item in items]


def _digest(inputs: tuple[Any, ...], position: int | None) -> str:
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.serialization import encode  # noqa: PLC0415

    document = [encode(value) for value in inputs]
    if position is not None:  # random jobs differ by their stream
        document.append(position)
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


def _run_all(
    names: tuple[str, ...],
    jobs_input: list[tuple[AMMLStructure, AMMLCalculator | None, AMMLAlgorithm | None]],
    constraints: tuple[AMMLConstraint, ...],
    algorithm: AMMLAlgorithm | None,
    scratch: Scratch,
    keep: Path,
) -> list[Outcome]:
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.trajectory import to_ase  # noqa: PLC0415

    random = algorithm is not None and specs.algorithm(algorithm.name).random
    digests = [
        _digest(inputs, position if random else None) for position, inputs in enumerate(jobs_input)
    ]
    _warn_duplicates(digests)
    done: dict[str, Outcome] = {}
    outcomes = []
    for position, (item, calc, algo) in enumerate(jobs_input):
        digest = digests[position]
        if digest not in done:
            frames = configurations(item)
            ase_constraints = tuple(to_ase(c, len(frames[0])) for c in constraints)
            settings = algorithm_settings(algo)
            job = Job(position, frames, calc, algo, ase_constraints, names, scratch, keep, digest)
            job.settings = settings
            if random or (algo is not None and algo.name == "Dimer" and settings.get("seed")):
                job.rng = generator(settings.get("rng"), settings.get("seed"), position)
            done[digest] = _labelled(job)
        outcomes.append(done[digest])
    return outcomes


def _warn_duplicates(digests: list[str]) -> None:
    counts: dict[str, int] = {}
    for digest in digests:
        counts[digest] = counts.get(digest, 0) + 1
    repeated = [(i, d) for i, d in enumerate(digests) if counts[d] > 1]
    if repeated:
        warn_at_runtime(f"duplicated Property steps (jobs) found: {repeated!r}")


def _labelled(job: Job) -> Outcome:
    """Run a job; errors raised inside ASE keep their kind in the label."""
    # lazily for start-up: ASE and the extension only when a model uses them
    import warnings  # noqa: PLC0415

    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.calculators.calculator import BadConfiguration, CalculatorSetupError  # noqa: PLC0415

    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.calculators import EXTERNAL, setup_errors  # noqa: PLC0415

    try:
        with warnings.catch_warnings():  # ASE's notes to programmers are not the user's
            warnings.simplefilter("ignore")
            if job.calculator is not None and job.calculator.name in EXTERNAL:
                with setup_errors(job.calculator.name):
                    return run_job(job)
            return run_job(job)
    except TextsError:
        raise
    except NotImplementedError as exc:
        raise TextsError("Not implemented", str(exc)) from None
    except (CalculatorSetupError, BadConfiguration) as exc:
        raise TextsError("Calculator setup error", str(exc)) from None
    except OSError as exc:
        raise TextsError("Operating system error", str(exc)) from None
    except Exception as exc:  # any other failure of ASE or of a calculator
        raise TextsError(f"Unknown error: {type(exc).__name__}", str(exc)) from None


# ---------------------------------------------------------------------------
# results


def _results_table(
    names: tuple[str, ...],
    jobs_input: list[tuple[AMMLStructure, AMMLCalculator | None, AMMLAlgorithm | None]],
    outcomes: list[Outcome],
    name: str | None,
) -> Any:
    columns = [
        data.objects("structure", [item for item, _, _ in jobs_input]),
        data.objects("calculator", [calc for _, calc, _ in jobs_input]),
        data.objects("algorithm", [algo for _, _, algo in jobs_input]),
        data.objects("output_structure", [from_atoms(name, o.frames) for o in outcomes]),
    ]
    for result in names:
        values = [outcome.values.get(result) for outcome in outcomes]
        columns.append(_result_column(result, values))
    return data.table(columns)


def _result_column(name: str, values: list[Any]) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.units import quantity  # noqa: PLC0415

    if name in ("neighbors", "neighbor_offsets"):
        units = "angstrom" if name == "neighbor_offsets" else None
        return data.objects(
            name,
            [tuple(quantity(numpy.asarray(a), units) for a in job) for job in values],
        )
    if name == "vibrational_energies":
        return data.objects(name, [data.numbers(name, v, "eV") for v in values])
    if name in ("neb_energy",):
        values = [numpy.asarray(v) for v in values]
    if name == "forces" and values and isinstance(values[0], list):
        values = [numpy.asarray(v) for v in values]
    if name in RESULT_UNITS:
        return data.numbers(name, [_magnitude(v) for v in values], RESULT_UNITS[name])
    return data.objects(name, values)


def _magnitude(value: Any) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    if isinstance(value, list):
        return numpy.asarray(value)
    return value
