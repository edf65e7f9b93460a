"""The extension's run-time values.

Each value is table-like (it holds a core table), knows its printed form
(``printed_parts``: text and nested values for the core formatter), and answers member,
index and slice accessors. Nothing here imports ASE: members that need it (derived
structure properties) ask :mod:`texts.interpreter.amml.atoms`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from texts.interpreter.amml import data
from texts.interpreter.errors import TextsError
from texts.interpreter.values import Series, Table

Parts = list[tuple[bool, Any]]
"""A printed form: ``(True, text)`` is written as it is, ``(False, value)`` formatted."""


def _text(text: str) -> tuple[bool, Any]:
    return (True, text)


def _value(value: Any) -> tuple[bool, Any]:
    return (False, value)


def _not_available(key: str) -> TextsError:
    return TextsError("Invalid key", f'property "{key}" not available')


class DomainValue:
    """What every value of the extension offers the core language."""

    kind: ClassVar[str]  # the type name ``info`` reports
    type_name: ClassVar[str]  # the type name in type-mismatch messages

    def printed_parts(self) -> Parts:
        raise TypeError(f"{type(self).__name__} has no printed form")

    def member(self, key: str) -> Any:
        raise TextsError("Invalid key", f"no member {key} in {self.kind}")

    def index(self, position: int) -> Any:
        raise TextsError("Type error", f"Invalid use of index in type {self.type_name}")

    def sliced(self, bounds: slice) -> Any:
        raise TextsError("Type error", f"Invalid use of index in type {self.type_name}")


def _row_at(table: Table, position: int) -> tuple:
    size = len(table)
    if not -size <= position < size:
        raise TextsError(
            "Invalid index",
            f"positional indexers are out-of-bounds: index {position}, length {size}",
        )
    return data.table_row(table, position)


# ---------------------------------------------------------------------------
# structures


@dataclass(eq=False)
class AMMLStructure(DomainValue):
    """One or more atomic configurations: a table with ``atoms``, ``cell`` and ``pbc``."""

    kind: ClassVar[str] = "Structure"
    type_name: ClassVar[str] = "AMMLStructure"

    name: str | None
    table: Table
    info: list[dict] = field(default_factory=list)

    def printed_parts(self) -> Parts:
        head = f"Structure {self.name} " if self.name else "Structure "
        return [_text(head), _value(self.table)]

    def member(self, key: str) -> Any:
        if key == "name":
            return self.name
        if key in ("atoms", "cell", "pbc"):
            found = data.column(self.table, key)
            if found is None:
                raise _not_available(key)
            return found
        # lazily for start-up: ASE and the extension only when a model uses them
        from texts.interpreter.amml import atoms  # noqa: PLC0415

        return atoms.derived_member(self, key)

    def index(self, position: int) -> Any:
        return _row_at(self.table, position)

    def sliced(self, bounds: slice) -> AMMLStructure:
        return AMMLStructure(self.name, data.sliced(self.table, bounds), self.info[bounds])

    def __len__(self) -> int:
        return len(self.table)


# ---------------------------------------------------------------------------
# calculators, algorithms and constraints


@dataclass(eq=False)
class AMMLCalculator(DomainValue):
    """An energy and force model: an ASE calculator with its parameter rows."""

    kind: ClassVar[str] = "Calculator"
    type_name: ClassVar[str] = "AMMLCalculator"

    name: str
    parameters: Table
    pinning: str | None = None
    version: str | None = None
    task: str | None = None

    def printed_parts(self) -> Parts:
        head = f"Calculator {self.name}"
        if self.pinning:
            head += f" {self.pinning} {self.version}"
        parts = [_text(head + " "), _value(self.parameters)]
        if self.task:
            parts.append(_text(f", task: {self.task}"))
        return parts

    def member(self, key: str) -> Any:
        members = {
            "name": self.name,
            "parameters": self.parameters,
            "pinning": self.pinning,
            "version": self.version,
            "task": self.task,
        }
        if key not in members:
            raise _not_available(key)
        return members[key]

    def index(self, position: int) -> Any:
        return _row_at(self.parameters, position)

    def sliced(self, bounds: slice) -> AMMLCalculator:
        rows = data.sliced(self.parameters, bounds)
        return AMMLCalculator(self.name, rows, self.pinning, self.version, self.task)


@dataclass(eq=False)
class AMMLAlgorithm(DomainValue):
    """An optimiser, integrator or analysis with its parameter rows."""

    kind: ClassVar[str] = "Algorithm"
    type_name: ClassVar[str] = "AMMLAlgorithm"

    name: str
    parameters: Table
    many_to_one: bool = False

    def printed_parts(self) -> Parts:
        # ``many_to_one`` is not printed (the reference's printed form)
        return [_text(f"Algorithm {self.name} "), _value(self.parameters)]

    def member(self, key: str) -> Any:
        if key == "name":
            return self.name
        if key == "parameters":
            return self.parameters
        raise _not_available(key)

    def index(self, position: int) -> Any:
        return _row_at(self.parameters, position)

    def sliced(self, bounds: slice) -> AMMLAlgorithm:
        return AMMLAlgorithm(self.name, data.sliced(self.parameters, bounds), self.many_to_one)


@dataclass(eq=False)
class AMMLConstraint(DomainValue):
    """A restriction of atomic motion; ``fixed`` selects the atoms it applies to."""

    kind: ClassVar[str] = "Constraint"
    type_name: ClassVar[str] = "AMMLConstraint"

    name: str  # FixedAtoms, FixedLine, FixedPlane, FixedCOM
    fixed: Series | None = None
    direction: Any = None  # a dimensionless quantity of an integer array

    def printed_parts(self) -> Parts:
        if self.name == "FixedCOM":  # printed as the reference prints it
            return [_text("FixedAtoms where null")]
        head = {"FixedLine": "FixedLine collinear to ", "FixedPlane": "FixedPlane normal to "}
        parts: Parts = []
        if self.name in head:
            parts = [_text(head[self.name]), _value(self.direction), _text(" where ")]
        else:
            parts = [_text(f"{self.name} where ")]
        parts.append(_value(self.fixed))
        return parts


# ---------------------------------------------------------------------------
# properties and trajectories


@dataclass(eq=False)
class AMMLProperty(DomainValue):
    """Requested results of a simulation and, once it ran, the table of its jobs."""

    kind: ClassVar[str] = "Property"
    type_name: ClassVar[str] = "AMMLProperty"

    names: tuple[str, ...]
    structure: AMMLStructure
    calculator: AMMLCalculator | None
    algorithm: AMMLAlgorithm | None
    constraints: tuple[AMMLConstraint, ...]
    results: Table

    def printed_parts(self) -> Parts:
        head = f"Property {', '.join(self.names)} (" if self.names else "Property ("
        return [
            _text(head + "(structure: "),
            _value(self.structure),
            _text("), (calculator: "),
            _value(self.calculator),
            _text("), (algorithm: "),
            _value(self.algorithm),
            _text("), (constraints: "),
            _value(self.constraints),
            _text("))"),
        ]

    def member(self, key: str) -> Any:
        fixed = {
            "names": self.names,
            "structure": self.structure,
            "calculator": self.calculator,
            "algorithm": self.algorithm,
            "constraints": self.constraints,
            "results": self.results,
        }
        if key in fixed:
            return fixed[key]
        if key == "output_structure":
            return output_structure(self)
        found = data.column(self.results, key)
        if found is None:
            raise _not_available(key)
        return found

    def index(self, position: int) -> Any:
        return _row_at(self.results, position)

    def sliced(self, bounds: slice) -> AMMLProperty:
        results = data.sliced(self.results, bounds)
        return AMMLProperty(
            self.names, self.structure, self.calculator, self.algorithm, self.constraints, results
        )


def output_structure(prop: AMMLProperty) -> AMMLStructure:
    """The final configurations of all jobs as one structure (named like the input)."""
    found = data.column(prop.results, "output_structure")
    outputs = [] if found is None else [s for s in found.elements if s is not None]
    if not outputs:
        return AMMLStructure(prop.structure.name, data.table([]))
    return concatenated(prop.structure.name, outputs)


def concatenated(name: str | None, structures: list[AMMLStructure]) -> AMMLStructure:
    """The configurations of several structures (with equal columns) as one structure."""
    columns = []
    for series in structures[0].table.columns:
        elements: list[Any] = []
        for structure in structures:
            elements.extend(data.column(structure.table, series.name).elements)  # type: ignore[union-attr]
        columns.append(Series(series.name, elements, series.units, series.numeric))
    info = [entry for structure in structures for entry in structure.info]
    return AMMLStructure(name, data.table(columns), info)


@dataclass(eq=False)
class AMMLTrajectory(DomainValue):
    """The recorded steps of an optimiser or MD run."""

    kind: ClassVar[str] = "Trajectory"
    type_name: ClassVar[str] = "AMMLTrajectory"

    description: Table
    structure: AMMLStructure
    properties: Table
    constraints: Series
    filename: str | None

    def printed_parts(self) -> Parts:
        return [
            _text("Trajectory(description: "),
            _value(self.description),
            _text(", structure: "),
            _value(self.structure),
            _text(", properties: "),
            _value(self.properties),
            _text(", constraints: "),
            _value(self.constraints),
            _text(", filename: "),
            _value(self.filename),
            _text(")"),
        ]

    def member(self, key: str) -> Any:
        members = {
            "description": self.description,
            "structure": self.structure,
            "properties": self.properties,
            "constraints": self.constraints,
            "filename": self.filename,
        }
        if key not in members:
            raise _not_available(key)
        return members[key]

    def index(self, position: int) -> Any:
        step = self.structure.index(position)
        return (*step, data.table_row(self.properties, position))

    def sliced(self, bounds: slice) -> AMMLTrajectory:
        return AMMLTrajectory(
            self.description,
            self.structure.sliced(bounds),
            data.sliced(self.properties, bounds),
            data.sliced_series(self.constraints, bounds),
            self.filename,
        )


# ---------------------------------------------------------------------------
# chemistry

#: thermochemical properties of species and reactions, with their canonical units
CHEM_PROPERTIES = {
    "energy": "electron_volt",
    "enthalpy": "electron_volt",
    "entropy": "electron_volt / kelvin",
    "free_energy": "electron_volt",
    "zpe": "electron_volt",
    "temperature": "kelvin",
}


def _chem_member(props: Table, key: str) -> Series:
    found = data.column(props, key)
    if found is not None:
        return found
    return data.numbers(key, [None], CHEM_PROPERTIES[key])


@dataclass(eq=False)
class ChemSpecies(DomainValue):
    """A chemical species: a name, an optional composition and thermochemical data."""

    kind: ClassVar[str] = "ChemSpecies"
    type_name: ClassVar[str] = "ChemSpecies"

    name: str
    composition: str | None
    props: Table

    def printed_parts(self) -> Parts:
        head = f"Species {self.name}"
        if self.composition is not None:
            head += f", composition: '{self.composition}'"
        if not self.props.columns:
            return [_text(head)]
        return [_text(head + " "), _value(self.props)]

    def member(self, key: str) -> Any:
        if key == "name":
            return self.name
        if key == "composition":
            return self.composition
        if key == "properties":
            return self.props
        if key in CHEM_PROPERTIES:
            return _chem_member(self.props, key)
        raise _not_available(key)

    def index(self, position: int) -> Any:
        return _row_at(self.props, position)

    def sliced(self, bounds: slice) -> ChemSpecies:
        return ChemSpecies(self.name, self.composition, data.sliced(self.props, bounds))


@dataclass(frozen=True)
class ReactionTerm:
    """A species with its signed coefficient (negative on the left side); ``written`` is
    the coefficient as printed (``1.0`` when it was omitted)."""

    coefficient: float
    written: int | float
    species: ChemSpecies


@dataclass(eq=False)
class ChemReaction(DomainValue):
    """A chemical equation. Properties not in its table are computed from the species on
    access and then kept in the table (as the reference does)."""

    kind: ClassVar[str] = "ChemReaction"
    type_name: ClassVar[str] = "ChemReaction"

    terms: list[ReactionTerm]
    props: Table
    derive: Callable[[ChemReaction, str], Series] | None = None

    def printed_parts(self) -> Parts:
        left = [t for t in self.terms if t.coefficient < 0]
        right = [t for t in self.terms if t.coefficient >= 0]
        text = f"Reaction {_side(left)} = {_side(right)}"
        if not self.props.columns:
            return [_text(text)]
        return [_text(text + " : "), _value(self.props)]

    def member(self, key: str) -> Any:
        if key == "properties":
            return self.props
        if key not in CHEM_PROPERTIES:
            raise _not_available(key)
        found = data.column(self.props, key)
        if found is None and self.derive is not None:
            found = self.derive(self, key)
            if any(m is not None for m in found.elements):
                self.props.columns.append(found)
        return found if found is not None else _chem_member(self.props, key)

    def index(self, position: int) -> Any:
        return _row_at(self.props, position)

    def sliced(self, bounds: slice) -> ChemReaction:
        return ChemReaction(self.terms, data.sliced(self.props, bounds), self.derive)


def _side(terms: list[ReactionTerm]) -> str:
    # lazily for start-up: ASE and the extension only when a model uses them
    from texts.interpreter.format import format_number  # noqa: PLC0415

    return " + ".join(f"{format_number(abs(t.written))} {t.species.name}" for t in terms)
