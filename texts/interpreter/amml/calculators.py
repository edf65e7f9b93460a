"""ASE calculators from calculator values: parameters converted to the codes' own units.

``emt``, ``lj`` and ``free_electrons`` are Python code and always run. ``vasp``,
``turbomole`` and ``elk`` are set up through ASE, which finds their programs through its
own configuration (environment variables, the ASE configuration file, the ``PATH``);
when a program is missing, evaluation fails with a ``Calculator setup error`` that names
what ASE looked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from texts.interpreter.amml import params, specs
from texts.interpreter.amml.convert import to_ase
from texts.interpreter.amml.values import AMMLCalculator
from texts.interpreter.errors import TextsError

EXTERNAL = ("vasp", "turbomole", "elk")


def calculator_rows(calculator: AMMLCalculator) -> list[AMMLCalculator]:
    """One calculator per parameter row (the jobs of a Property)."""
    table = calculator.parameters
    if not table.columns:
        return [calculator]
    return [calculator.sliced(slice(index, index + 1)) for index in range(len(table))]


def ase_parameters(calculator: AMMLCalculator) -> dict[str, Any]:
    """The given parameters of a one-row calculator, in the units ASE expects."""
    method = specs.calculator(calculator.name)
    row = params.first_row(calculator.parameters)
    converted = {}
    for name, value in row.items():
        param = method.by_name[name]
        units = _units(param, value, row)
        result = to_ase(param, value, units)
        if result is not None:
            converted[name] = result
    return converted


def _units(param: specs.Param, value: Any, row: dict[str, Any]) -> str | None:
    if param.units != "varies":
        return param.units
    column = params.Column(param.name, None, "Float", None, [getattr(value, "magnitude", value)])
    given = {
        name: params.Column(name, None, "Integer", None, [getattr(v, "magnitude", v)])
        for name, v in row.items()
    }
    return params.required_units(param, column, given)


def make_calculator(calculator: AMMLCalculator, directory: str) -> Any:
    """A new ASE calculator for a one-row calculator value (one per job and image)."""
    kwargs = ase_parameters(calculator)
    name = calculator.name
    if name == "emt":
        # lazily for start-up: ASE and the extension only when a model uses them
        from ase.calculators.emt import EMT  # noqa: PLC0415

        return EMT(**kwargs)
    if name == "lj":
        # lazily for start-up: ASE and the extension only when a model uses them
        from ase.calculators.lj import LennardJones  # noqa: PLC0415

        return LennardJones(**kwargs)
    if name == "free_electrons":
        # lazily for start-up: ASE and the extension only when a model uses them
        from ase.calculators.test import FreeElectrons  # noqa: PLC0415

        return FreeElectrons(**_free_electrons(kwargs))
    with setup_errors(name):
        if name == "vasp":
            # lazily for start-up: ASE and the extension only when a model uses them
            from ase.calculators.vasp import Vasp  # noqa: PLC0415

            return Vasp(directory=directory, **kwargs)
        if name == "turbomole":
            # lazily for start-up: ASE and the extension only when a model uses them
            from ase.calculators.turbomole import Turbomole  # noqa: PLC0415

            return Turbomole(**kwargs)
        # lazily for start-up: ASE and the extension only when a model uses them
        from ase.calculators.elk import ELK  # noqa: PLC0415

        return ELK(directory=directory, **kwargs)


def _free_electrons(kwargs: dict[str, Any]) -> dict[str, Any]:
    """A band path table becomes ASE's ``{'path': ..., 'npoints': ...}``; a k-point grid of
    zeros (the default) means the Gamma point only, ASE's own default."""
    kpts = kwargs.get("kpts")
    if isinstance(kpts, dict):
        kwargs["kpts"] = {key: value for key, value in kpts.items() if value is not None}
    elif kpts is not None and not any(kpts):
        del kwargs["kpts"]
    return kwargs


@contextmanager
def setup_errors(name: str) -> Iterator[None]:
    """ASE's ways of saying that a program or its configuration is missing, as one label."""
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.calculators.calculator import BadConfiguration, CalculatorSetupError  # noqa: PLC0415

    try:
        yield
    except BadConfiguration as exc:  # ASE's configuration file names no usable program
        cause = exc.__cause__
        head = str(exc).split(" from ")[0]
        if isinstance(cause, KeyError):
            message = f"{head}: it sets no {cause.args[0]!r}"
        else:
            message = str(exc) if cause is None else f"{head}: {cause}"
        raise TextsError("Calculator setup error", message) from None
    except CalculatorSetupError as exc:
        raise TextsError("Calculator setup error", str(exc)) from None
    except FileNotFoundError as exc:  # a program ASE starts is not installed
        program = exc.filename or exc
        raise TextsError(
            "Calculator setup error", f"program '{program}' of {name} not found: {exc.strerror}"
        ) from None
    except RuntimeError as exc:  # VASP's pseudopotentials (POTCAR files) are not found
        if "POTCAR" not in str(exc):
            raise
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        raise TextsError("Calculator setup error", "\n".join(lines)) from None
