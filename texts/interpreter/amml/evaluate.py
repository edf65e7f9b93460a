"""Evaluation rules of the extension's literals (registered with the evaluation core).

Structures, calculators, algorithms, constraints, species and reactions are plain values;
evaluating a Property runs its simulation (:mod:`texts.interpreter.amml.simulation`).
"""

from __future__ import annotations

from typing import Any

from texts.interpreter import ir
from texts.interpreter.amml import chemistry, data, params, specs
from texts.interpreter.amml.values import (
    AMMLAlgorithm,
    AMMLCalculator,
    AMMLConstraint,
    AMMLStructure,
    ChemReaction,
    ChemSpecies,
    DomainValue,
    ReactionTerm,
)
from texts.interpreter.errors import TextsError, warn_at_runtime
from texts.interpreter.evaluation.core import Scope, evaluate, rule
from texts.interpreter.units import quantity
from texts.interpreter.values import Series, Table


def _table(expr: Any, scope: Scope, what: str) -> Table:
    value = evaluate(expr, scope)
    if not isinstance(value, Table):
        raise TextsError("Type error", f"{what} must be a table", expr.span)
    return value


@rule(ir.StructureLit)
def _structure(expr: ir.StructureLit, scope: Scope) -> AMMLStructure:
    table = _table(expr.table, scope, "structure")
    for name in table.names:
        if name not in ("atoms", "cell", "pbc"):
            raise TextsError("Value error", f"invalid parameter '{name}' in 'structure'")
    if not data.has_column(table, "atoms"):
        raise TextsError("Value error", "'atoms' missing in 'structure'")
    pbc = data.column(table, "pbc")
    periodic = pbc is not None and any(f is not None and bool(f.any()) for f in pbc.elements)
    if periodic and not data.has_column(table, "cell"):
        raise TextsError("Value error", "cell must be specified with pbc")
    return AMMLStructure(expr.name, table, [{} for _ in range(len(table))])


def _parameters(
    expr: ir.CalculatorLit | ir.AlgorithmLit, scope: Scope, method: specs.Method, owner: str
) -> Table:
    if expr.params is None:
        return params.default_table(method)
    table = _table(expr.params, scope, "parameters")
    params.check(method, owner, params.runtime_columns(table), None, expr.span)
    return table


@rule(ir.CalculatorLit)
def _calculator(expr: ir.CalculatorLit, scope: Scope) -> AMMLCalculator:
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.tasks import check_task  # noqa: PLC0415

    table = _parameters(expr, scope, specs.calculator(expr.name), "calculator")
    calculator = AMMLCalculator(expr.name, table, expr.pinning, expr.version, expr.task)
    check_task(calculator)
    return calculator


@rule(ir.AlgorithmLit)
def _algorithm(expr: ir.AlgorithmLit, scope: Scope) -> AMMLAlgorithm:
    table = _parameters(expr, scope, specs.algorithm(expr.name), "algorithm")
    return AMMLAlgorithm(expr.name, table, expr.many_to_one)


@rule(ir.ConstraintLit)
def _constraint(expr: ir.ConstraintLit, scope: Scope) -> AMMLConstraint:
    # lazily for start-up: ASE and the extension only when a model uses them
    import numpy  # noqa: PLC0415

    fixed = None
    if expr.fixed is not None:
        fixed = evaluate(expr.fixed, scope)
        if not isinstance(fixed, Series) or not all(
            isinstance(flag, bool) for flag in fixed.elements
        ):
            raise TextsError("Type error", "parameter must be a boolean series", expr.fixed.span)
    direction = None
    if expr.direction is not None:
        direction = quantity(numpy.array(expr.direction, dtype="int64"))
    return AMMLConstraint(expr.kind, fixed, direction)


@rule(ir.PropertyLit)
def _property(expr: ir.PropertyLit, scope: Scope) -> Any:
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.amml.simulation import run_property  # noqa: PLC0415

    structure = _clause(expr.structure, scope, AMMLStructure, "structure")
    calculator = _clause(expr.calculator, scope, AMMLCalculator, "calculator")
    algorithm = _clause(expr.algorithm, scope, AMMLAlgorithm, "algorithm")
    constraints = tuple(
        _clause(ref, scope, AMMLConstraint, "constraint") for ref in expr.constraints or ()
    )
    rng = expr.rng.value if expr.rng is not None else None
    seed = expr.seed.value if expr.seed is not None else None
    return run_property(expr.names, structure, calculator, algorithm, constraints, rng, seed)


def _clause(ref: ir.Ref | None, scope: Scope, kind: type, what: str) -> Any:
    if ref is None:
        return None
    value = evaluate(ref, scope)
    if not isinstance(value, kind):
        raise TextsError("Type error", f'Parameter "{ref.name}" must be an AMML {what}', ref.span)
    return value


# ---------------------------------------------------------------------------
# chemistry


@rule(ir.SpeciesLit)
def _species(expr: ir.SpeciesLit, scope: Scope) -> ChemSpecies:
    composition = None
    if expr.composition is not None:
        composition = evaluate(expr.composition, scope)
        if composition is not None and not isinstance(composition, str):
            raise TextsError("Type error", "composition must be a string", expr.composition.span)
    props = _table(expr.table, scope, "properties") if expr.table is not None else Table([])
    return chemistry.species(expr.name, composition, props)


@rule(ir.ReactionLit)
def _reaction(expr: ir.ReactionLit, scope: Scope) -> ChemReaction:
    terms = []
    for term in expr.terms:
        written = 1.0 if term.coefficient is None else term.coefficient
        signed = -float(written) if term.left else float(written)  # type: ignore[arg-type]
        terms.append(ReactionTerm(signed, written, _species_of(term.species, scope)))  # type: ignore[arg-type]
    props = _table(expr.table, scope, "properties") if expr.table is not None else Table([])
    compositions = [term.species.composition for term in terms]
    if any(composition is None for composition in compositions):
        warn_at_runtime(chemistry.BALANCE_SKIPPED)
    elif not chemistry.balanced([t.coefficient for t in terms], compositions):  # type: ignore[arg-type]
        raise TextsError("Value error", chemistry.NOT_BALANCED)
    return ChemReaction(terms, props, chemistry.reaction_property)


def _species_of(ref: ir.SpeciesRef, scope: Scope) -> ChemSpecies:
    """The species a term names: the variable the model resolved it to or, for a workflow
    node compiled alone, the input holding a species of that name."""
    variable = scope.model.species.get(ref.name)
    if variable is not None:
        value = scope.lookup(variable)
        if isinstance(value, ChemSpecies):
            return value
    for name in list(scope.values):
        value = scope.values[name]
        if isinstance(value, ChemSpecies) and value.name == ref.name:
            return value
    raise TextsError(
        "Unknown object", f'Unknown object "{ref.name}" of class "ChemSpecies"', ref.span
    )


def access(value: DomainValue, accessor: Any) -> Any:
    """An accessor (``.name``, ``[i]``, ``[i:j]``) applied to an extension value."""
    if isinstance(accessor, ir.Member):
        return value.member(accessor.key)
    if isinstance(accessor, ir.Slice):
        return value.sliced(slice(accessor.start, accessor.stop, accessor.step))
    return value.index(accessor.index)
