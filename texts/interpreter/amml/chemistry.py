"""Species and reactions: derived thermochemical properties and the balance check."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from texts.interpreter.amml import data
from texts.interpreter.amml.values import CHEM_PROPERTIES, ChemReaction, ChemSpecies
from texts.interpreter.errors import TextsError
from texts.interpreter.units import quantity
from texts.interpreter.values import Series, Table

BALANCE_SKIPPED = "reaction balance check skipped due to missing composition in some terms"
NOT_BALANCED = "Reaction equation is not balanced. Check coefficients and compositions of species."
_TOLERANCE = 1e-9


def balanced(coefficients: Sequence[float], compositions: Sequence[str]) -> bool:
    """Σ coefficient × count vanishes for every element (formulas parsed by ASE)."""
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.formula import Formula  # noqa: PLC0415

    totals: dict[str, float] = defaultdict(float)
    for coefficient, composition in zip(coefficients, compositions):
        for element, count in Formula(composition).count().items():
            totals[element] += coefficient * count
    return all(abs(total) < _TOLERANCE for total in totals.values())


# ---------------------------------------------------------------------------
# species


def _column(table: Table, name: str) -> Any:
    """A column as a quantity of a float array (null as NaN), or None."""
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    found = data.column(table, name)
    if found is None:
        return None
    magnitudes = [numpy.nan if m is None else m for m in found.elements]
    return quantity(numpy.array(magnitudes, dtype=float), found.units)


def _series(name: str, value: Any) -> Series:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    magnitudes = [None if numpy.isnan(m) else float(m) for m in value.magnitude]
    return data.numbers(name, magnitudes, value.units)


#: how a missing species property follows from others, in the order the rules are tried
_RULES = (
    ("enthalpy", ("energy", "zpe"), lambda q: q["energy"] + q["zpe"]),
    (
        "free_energy",
        ("enthalpy", "temperature", "entropy"),
        lambda q: q["enthalpy"] - q["temperature"] * q["entropy"],
    ),
    (
        "enthalpy",
        ("free_energy", "temperature", "entropy"),
        lambda q: q["free_energy"] + q["temperature"] * q["entropy"],
    ),
    ("energy", ("enthalpy", "zpe"), lambda q: q["enthalpy"] - q["zpe"]),
    (
        "entropy",
        ("enthalpy", "free_energy", "temperature"),
        lambda q: (q["enthalpy"] - q["free_energy"]) / q["temperature"],
    ),
)


def derived_properties(props: Table) -> Table:
    """The species table with every property that follows from the given ones appended."""
    table = data.table(props.columns)
    for target, inputs, rule in _RULES:
        if data.has_column(table, target) or not all(data.has_column(table, n) for n in inputs):
            continue
        known = {name: _column(table, name) for name in inputs}
        result = rule(known).to(CHEM_PROPERTIES[target])
        table.columns.append(_series(target, result))
    return table


def species(name: str, composition: str | None, props: Table) -> ChemSpecies:
    return ChemSpecies(name, composition, derived_properties(props))


# ---------------------------------------------------------------------------
# reactions


def reaction_property(reaction: ChemReaction, key: str) -> Series:
    """Σ coefficient × species property, row by row; null where a species lacks it."""
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    _check_temperatures(reaction)
    size = len(reaction.props) if reaction.props.columns else None
    columns = [_column(term.species.props, key) for term in reaction.terms]
    if size is None:
        size = max((len(c.magnitude) for c in columns if c is not None), default=1)
    units = CHEM_PROPERTIES[key]
    if any(c is None for c in columns):
        return data.numbers(key, [None] * size, units)
    total = None
    for term, value in zip(reaction.terms, columns):
        magnitudes = numpy.full(size, numpy.nan)
        count = min(size, len(value.magnitude))
        magnitudes[:count] = value.magnitude[:count]
        contribution = term.coefficient * quantity(magnitudes, value.units)
        total = contribution if total is None else total + contribution
    return _series(key, total)


def _check_temperatures(reaction: ChemReaction) -> None:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    own = _column(reaction.props, "temperature")
    if own is None:
        return
    for term in reaction.terms:
        theirs = _column(term.species.props, "temperature")
        if theirs is None:
            continue
        theirs = theirs.to(own.units)
        if theirs.magnitude.shape != own.magnitude.shape or not numpy.allclose(
            theirs.magnitude, own.magnitude, equal_nan=True
        ):
            raise TextsError("Value error", "temperatures of reaction and species must be equal")
