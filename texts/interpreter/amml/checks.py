"""Static checks of the extension's objects: typing rules of their literals and members.

The rules are found by the type checker under the IR class names (``infer_StructureLit``,
...). What can be known before anything runs is checked here, with the reference's
labels and positions: structure tables (AMML.md 2.5), parameter tables and tasks (3.4,
4.4), Property clauses (5.2), constraints (6), species and the balance of reactions (7).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from texts.interpreter import ir
from texts.interpreter.amml import params, specs
from texts.interpreter.amml.values import CHEM_PROPERTIES
from texts.interpreter.errors import TextsError
from texts.interpreter.types import BOOLEAN, STRING, Type, quantity, type_name
from texts.interpreter.units import parse_units

if TYPE_CHECKING:
    from texts.interpreter.checks.infer import Env, Inferencer

STRUCTURE = Type("Structure")
_STRUCTURE_COLUMNS = ("atoms", "cell", "pbc")
_ATOMS_COLUMNS = ("symbols", "x", "y", "z", "px", "py", "pz", "masses", "tags")
_LENGTH, _MASS, _MOMENTUM = "[length]", "[mass]", "[length]*[mass]/[time]"
_DIMENSIONS = {
    "x": ("angstrom", _LENGTH),
    "y": ("angstrom", _LENGTH),
    "z": ("angstrom", _LENGTH),
    "px": ("amu * angstrom / fs", _MOMENTUM),
    "py": ("amu * angstrom / fs", _MOMENTUM),
    "pz": ("amu * angstrom / fs", _MOMENTUM),
    "masses": ("amu", _MASS),
}
_PYTHON_TYPES = {
    "Integer": "<class 'numbers.Integral'>",
    "Float": "<class 'numbers.Real'>",
    "Number": "<class 'numbers.Real'>",
    "String": "<class 'str'>",
    "Boolean": "<class 'bool'>",
}


def _series(datatype: str | None, units: Any = None, element: Type | None = None) -> Type:
    return Type("Series", datatype, units, element=element)


def _numbers(datatype: str, units: str, datalen: Any = None) -> Type:
    unit = parse_units(units)
    return Type("Series", datatype, unit, datalen=datalen, element=quantity(datatype, unit))


def _arrays(units: str, datatype: str = "Float", datalen: Any = None) -> Type:
    unit = parse_units(units)
    return Type("Series", datatype, unit, datalen=datalen, element=Type("Array", datatype, unit))


# ---------------------------------------------------------------------------
# following references to literals


def definition(inf: Inferencer, expr: Any, env: Env) -> Any:
    """The literal a plain reference stands for (through chains of plain references)."""
    seen: set[str] = set()
    while (
        isinstance(expr, ir.Ref)
        and not expr.accessors
        and expr.name not in env
        and expr.name in inf.model.variables
        and expr.name not in seen
    ):
        seen.add(expr.name)
        expr = inf.model.variables[expr.name].value
    return expr


# ---------------------------------------------------------------------------
# structures


def infer_StructureLit(inf: Inferencer, expr: ir.StructureLit, env: Env) -> Type:
    table_type = inf.infer(expr.table, env)
    if table_type.kind not in ("Table", "Any"):
        raise TextsError("Type error", "structure must be a table", expr.table.span)
    table = definition(inf, expr.table, env)
    if isinstance(table, ir.TableLit) and not table.from_tuple:
        _check_structure_table(inf, table, env)
    datatypes = table_type.elements
    return Type("Structure", elements=datatypes, keys=table_type.keys, datalen=table_type.datalen)


def _check_structure_table(inf: Inferencer, table: ir.TableLit, env: Env) -> None:
    columns = {c.name: c for c in table.columns if isinstance(c, ir.SeriesLit)}
    for name, column in columns.items():
        if name not in _STRUCTURE_COLUMNS:
            raise TextsError(
                "Value error", f"invalid parameter '{name}' in 'structure'", column.span
            )
    if "atoms" not in columns and len(columns) == len(table.columns):
        raise TextsError("Value error", "'atoms' missing in 'structure'", table.span)
    if "atoms" in columns:
        for item in columns["atoms"].items:
            atoms = definition(inf, item, env)
            if isinstance(atoms, ir.TableLit) and not atoms.from_tuple:
                _check_atoms_table(inf, atoms, env)
    if "cell" in columns:
        _check_cells(inf, columns["cell"], env)
    if "pbc" in columns:
        for item in columns["pbc"].items:
            type_ = inf.infer(item, env)
            if type_.kind not in ("Array", "Any") and not isinstance(item, ir.Null):
                found = "numpy.bool" if type_.kind == "Boolean" else type_.kind
                raise TextsError(
                    "Type error",
                    f"Series 'pbc' must have type <class 'numpy.ndarray'> but has type "
                    f"<class '{found}'>",
                    columns["pbc"].span,
                )


def _check_cells(inf: Inferencer, column: ir.SeriesLit, env: Env) -> None:
    length = parse_units("angstrom").dimensionality
    for item in column.items:
        type_ = inf.infer(item, env)
        units = parse_units(column.units) if column.units else type_.units
        if type_.kind == "Array" and units is not None and units.dimensionality != length:
            span = item.span if column.units is None else column.span
            raise TextsError(
                "Invalid units error", f"object must have dimensionality of {_LENGTH}", span
            )


def _check_atoms_table(inf: Inferencer, atoms: ir.TableLit, env: Env) -> None:
    columns = {c.name: c for c in atoms.columns if isinstance(c, ir.SeriesLit)}
    if len(columns) != len(atoms.columns):
        return  # columns given by reference: checked when evaluated
    for name, column in columns.items():
        if name not in _ATOMS_COLUMNS:
            raise TextsError("Value error", f"invalid parameter '{name}' in 'atoms'", column.span)
    if "symbols" not in columns:
        raise TextsError("Value error", "missing chemical symbols", atoms.span)
    if any(axis not in columns for axis in "xyz"):
        raise TextsError("Value error", "missing atomic coordinates", atoms.span)
    momenta = [axis for axis in ("px", "py", "pz") if axis in columns]
    if momenta and len(momenta) < 3:
        missing = next(axis for axis in ("px", "py", "pz") if axis not in columns)
        raise TextsError("Value error", f"{missing} missing in 'atoms'", atoms.span)
    _check_symbols(inf, columns["symbols"], env)
    for name, column in columns.items():
        type_ = inf.infer(column, env)
        if name in _DIMENSIONS:
            _check_dimension(name, column, type_)
        elif name == "tags" and type_.datatype not in ("Integer", None, "Any"):
            raise _element_type("tags", "Integer", type_, column)


def _element_type(name: str, expected: str, type_: Type, column: Any) -> TextsError:
    found = _PYTHON_TYPES.get(type_.datatype or "", f"<class '{type_.datatype}'>")
    return TextsError(
        "Type error",
        f"'{name}' must have type {_PYTHON_TYPES[expected]} but has type {found}",
        column.span,
    )


def _check_symbols(inf: Inferencer, column: ir.SeriesLit, env: Env) -> None:
    type_ = inf.infer(column, env)
    if type_.datatype not in ("String", None, "Any"):
        raise _element_type("symbols", "String", type_, column)
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.data import chemical_symbols  # noqa: PLC0415

    for item in column.items:
        if isinstance(item, ir.String) and item.value not in chemical_symbols:
            raise TextsError(
                "Value error", f"invalid chemical symbol {item.value} in 'symbols'", item.span
            )


def _check_dimension(name: str, column: ir.SeriesLit, type_: Type) -> None:
    if type_.datatype not in ("Integer", "Float", "Number"):
        if type_.datatype in (None, "Any"):
            return
        raise _element_type(name, "Float", type_, column)
    units, dimension = _DIMENSIONS[name]
    given = type_.units
    if given is not None and given.dimensionality != parse_units(units).dimensionality:
        raise TextsError(
            "Invalid units error", f"object must have dimensionality of {dimension}", column.span
        )


#: the static types of structure members (per configuration: series with one element each)
def _structure_members(datalen: Any) -> dict[str, Type]:
    return {
        "name": STRING,
        "atoms": Type("Series", "Table", None, datalen=datalen, element=Type("Table")),
        "cell": _arrays("angstrom", datalen=datalen),
        "pbc": Type("Series", "Boolean", None, datalen=datalen, element=Type("Array", "Boolean")),
        "chemical_formula": Type("Series", "String", datalen=datalen, element=STRING),
        "number_of_atoms": _numbers("Integer", "dimensionless", datalen),
        "cell_volume": _numbers("Float", "angstrom ** 3", datalen),
        "center_of_mass": _arrays("angstrom", datalen=datalen),
        "radius_of_gyration": _numbers("Float", "angstrom", datalen),
        "moments_of_inertia": _arrays("angstrom ** 2 * amu", datalen=datalen),
        "angular_momentum": _arrays("angstrom * eV ** 0.5 * amu ** 0.5", datalen=datalen),
        "kinetic_energy": _numbers("Float", "eV", datalen),
        "temperature": _numbers("Float", "K", datalen),
        "distance_matrix": _arrays("angstrom", datalen=datalen),
    }


# ---------------------------------------------------------------------------
# calculators and algorithms


def _param_columns(inf: Inferencer, expr: Any, env: Env) -> list[params.Column] | None:
    """The statically known columns of a parameter table; None when it is not a literal."""
    table = definition(inf, expr, env)
    if not isinstance(table, ir.TableLit) or table.from_tuple:
        return None
    columns = []
    for column in table.columns:
        if not isinstance(column, ir.SeriesLit):
            return None
        type_ = inf.infer(column, env)
        if not all(_is_literal(item) for item in column.items):
            columns.append(params.Column(column.name, column.span))
            continue
        kind = _element_kind(type_)
        values = [_literal_value(item) for item in column.items]
        columns.append(params.Column(column.name, column.span, kind, type_.units, values))
    return columns


def _is_literal(item: Any) -> bool:
    if isinstance(item, ir.Number | ir.String | ir.Bool | ir.Null | ir.ArrayLit):
        return True
    if isinstance(item, ir.Unary):
        return isinstance(item.operand, ir.Number)
    if isinstance(item, ir.TupleLit):
        return all(_is_literal(element) for element in item.items)
    if isinstance(item, ir.TableLit):
        return not item.from_tuple and all(
            isinstance(c, ir.SeriesLit) and all(_is_literal(e) for e in c.items)
            for c in item.columns
        )
    return isinstance(item, ir.DictLit) and all(_is_literal(v) for v in item.values)


def _literal_value(item: Any) -> Any:
    if isinstance(item, ir.Number | ir.String | ir.Bool):
        return item.value
    if isinstance(item, ir.Unary) and isinstance(item.operand, ir.Number):
        value = item.operand.value
        return -value if item.op == "-" and value is not None else value
    return None


def _element_kind(type_: Type) -> str:
    element = type_.element
    if element is not None and element.kind in ("Array", "Tuple", "Table", "Dict", "Structure"):
        return element.kind
    if type_.datatype in ("Integer", "Float", "String", "Boolean"):
        return type_.datatype  # type: ignore[return-value]
    if type_.datatype == "Number":
        return "Float"
    return "Any"


def _table_type(inf: Inferencer, expr: Any, env: Env) -> Type:
    if expr is None:
        return Type("Table")
    type_ = inf.infer(expr, env)
    if type_.kind not in ("Table", "Any"):
        raise TextsError("Type error", "parameters must be a table", expr.span)
    return type_


def _method_type(kind: str, table: Type, given: bool) -> Type:
    if not given:
        return Type(kind)
    return Type(kind, elements=table.elements, keys=table.keys, datalen=table.datalen)


def infer_CalculatorLit(inf: Inferencer, expr: ir.CalculatorLit, env: Env) -> Type:
    method = specs.calculator(expr.name)
    table = _table_type(inf, expr.params, env)
    columns = [] if expr.params is not None else None
    if expr.params is not None:
        columns = _param_columns(inf, expr.params, env)
    if columns is not None or expr.params is None:
        params.check(method, "calculator", columns, _span(expr.params), expr.span)
    if expr.task is not None and expr.task not in method.tasks:
        raise TextsError(
            "Value error",
            f'Task "{expr.task}" not supported in calculator "{expr.name}"',
            expr.span,
        )
    return _method_type("Calculator", table, expr.params is not None)


def infer_AlgorithmLit(inf: Inferencer, expr: ir.AlgorithmLit, env: Env) -> Type:
    method = specs.algorithm(expr.name)
    if not method.implemented:
        raise TextsError(
            "Not implemented", f'Algorithm "{expr.name}" is not implemented', expr.span
        )
    table = _table_type(inf, expr.params, env)
    columns = None
    if expr.params is not None:
        columns = _param_columns(inf, expr.params, env)
    if columns is not None or expr.params is None:
        params.check(method, "algorithm", columns, _span(expr.params), expr.span)
    if (method.many_to_one == "required" and not expr.many_to_one) or (
        method.many_to_one == "forbidden" and expr.many_to_one
    ):
        raise TextsError(
            "Value error",
            f'Incorrect many-to-one relationship for algorithm "{expr.name}"',
            expr.span,
        )
    return _method_type("Algorithm", table, expr.params is not None)


def _span(expr: Any) -> Any:
    return None if expr is None else expr.span


# ---------------------------------------------------------------------------
# constraints


def infer_ConstraintLit(inf: Inferencer, expr: ir.ConstraintLit, env: Env) -> Type:
    if expr.direction is not None and len(expr.direction) != 3:
        raise TextsError(
            "Type error",
            "direction vector must be 1-dim integer array with 3 elements",
            expr.direction_span,
        )
    if expr.fixed is not None:
        type_ = inf.infer(expr.fixed, env)
        if type_.kind not in ("Series", "Any") or type_.datatype not in ("Boolean", None, "Any"):
            raise TextsError("Type error", "parameter must be a boolean series", expr.fixed.span)
    return Type("Constraint")


# ---------------------------------------------------------------------------
# properties


def infer_PropertyLit(inf: Inferencer, expr: ir.PropertyLit, env: Env) -> Type:
    _clause(inf, expr.structure, env, "Structure", "structure")
    if expr.calculator is not None:
        _clause(inf, expr.calculator, env, "Calculator", "calculator")
    if expr.algorithm is not None:
        _clause(inf, expr.algorithm, env, "Algorithm", "algorithm")
    for constraint in expr.constraints or ():
        _clause(inf, constraint, env, "Constraint", "constraint")
    if expr.calculator is None and expr.algorithm is None:
        raise TextsError(
            "Value error", "property must include either calculator or algorithm", expr.span
        )
    calculator = definition(inf, expr.calculator, env)
    algorithm = definition(inf, expr.algorithm, env)
    calc = calculator if isinstance(calculator, ir.CalculatorLit) else None
    algo = algorithm if isinstance(algorithm, ir.AlgorithmLit) else None
    _check_methods(expr, calc, algo, expr.calculator is None)
    structure = definition(inf, expr.structure, env)
    if isinstance(structure, ir.StructureLit):
        _check_structure_use(inf, expr, structure, algo, env)
    return Type("Property")


def _clause(inf: Inferencer, ref: ir.Ref, env: Env, kind: str, what: str) -> None:
    type_ = inf.infer(ref, env)
    if not type_.is_any and type_.kind != kind:
        raise TextsError("Type error", f'Parameter "{ref.name}" must be an AMML {what}', ref.span)


def _check_methods(
    expr: ir.PropertyLit,
    calc: ir.CalculatorLit | None,
    algo: ir.AlgorithmLit | None,
    no_calculator: bool,
) -> None:
    if algo is not None:
        method = specs.algorithm(algo.name)
        if method.needs_calculator and no_calculator:
            raise TextsError(
                "Value error",
                f'property needs a calculator for algorithm "{algo.name}"',
                expr.span,
            )
        if method.needs_calculator and calc is not None and calc.task not in (None, "single point"):
            raise TextsError(
                "Value error",
                f'calculator task "{calc.task}" not compatible with algorithm "{algo.name}"',
                expr.span,
            )
    if (calc is None and not no_calculator) or (algo is None and expr.algorithm is not None):
        return  # a method not known statically: its results are checked when it runs
    provided: set[str] = set()
    if algo is not None:
        provided.update(specs.algorithm(algo.name).results)
        if algo.name == "BandStructure" and calc is not None:
            provided.update(specs.calculator(calc.name).declared)
    if calc is not None:
        provided.update(specs.calculator(calc.name).results)
    for name in expr.names:
        if name not in provided:
            algo_name = algo.name if algo is not None else ""
            calc_name = calc.name if calc is not None else ""
            raise TextsError(
                "Value error",
                f'property "{name}" not available in algo "{algo_name}" or calc "{calc_name}"',
                expr.span,
            )
        restricted = algo is None and calc is not None and calc.task is not None
        if restricted and name not in specs.task_results(calc.task):  # type: ignore[union-attr]
            raise TextsError(
                "Value error",
                f'property "{name}" not available in task "{calc.task}"',  # type: ignore[union-attr]
                expr.span,
            )


def _check_structure_use(
    inf: Inferencer,
    expr: ir.PropertyLit,
    structure: ir.StructureLit,
    algo: ir.AlgorithmLit | None,
    env: Env,
) -> None:
    table = definition(inf, structure.table, env)
    if not isinstance(table, ir.TableLit) or table.from_tuple:
        return
    columns = {c.name: c for c in table.columns if isinstance(c, ir.SeriesLit)}
    if algo is not None and algo.name == "RDF" and "cell" not in columns:
        raise TextsError(
            "Value error", 'Algorithm "RDF" requires structure with cell', structure.table.span
        )
    if "atoms" not in columns:
        return
    counts = set()
    for item in columns["atoms"].items:
        atoms = inf.infer(item, env)
        if isinstance(atoms.datalen, int):
            counts.add(atoms.datalen)
    for ref in expr.constraints or ():
        constraint = definition(inf, ref, env)
        if not isinstance(constraint, ir.ConstraintLit) or constraint.fixed is None:
            continue  # FixedCOM has no mask
        mask = inf.infer(constraint.fixed, env)
        if isinstance(mask.datalen, int) and any(count != mask.datalen for count in counts):
            raise TextsError(
                "Value error",
                "The list of fixed/non-fixed atoms in constraints and atoms in structure have "
                "different lengths",
                expr.span,
            )


def _result(datatype: str = "Float") -> Type:
    """A numeric result: its units are known once the simulation ran, so a print
    conversion to wrong units is a run-time error, as in the reference."""
    return Type("Series", datatype, None, element=quantity(datatype))


def _property_members() -> dict[str, Type]:
    energy = _result()
    arrays = Type("Series", "Float", None, element=Type("Array", "Float"))
    integers = Type("Series", "Integer", None, element=Type("Array", "Integer"))
    return {
        "names": Type("Tuple"),
        "structure": STRUCTURE,
        "output_structure": STRUCTURE,
        "calculator": Type("Calculator"),
        "algorithm": Type("Algorithm"),
        "constraints": Type("Tuple"),
        "results": Type("Table"),
        "energy": energy,
        "minimum_energy": energy,
        "activation_energy": energy,
        "reaction_energy": energy,
        "conserved_energy": energy,
        "forces": arrays,
        "stress": arrays,
        "dipole": arrays,
        "charges": arrays,
        "magmom": _result(),
        "magmoms": arrays,
        "hessian": arrays,
        "vibrational_energies": _series("Series", None, Type("Series", "Float")),
        "vibrational_modes": arrays,
        "energy_minimum": _series("Boolean", None, BOOLEAN),
        "transition_state": _series("Boolean", None, BOOLEAN),
        "rmsd": _result(),
        "rdf": arrays,
        "rdf_distance": arrays,
        "trajectory": _series("Trajectory", None, Type("Trajectory")),
        "optimal_volume": _result(),
        "bulk_modulus": _result(),
        "eos_volume": arrays,
        "eos_energy": arrays,
        "dos_energy": arrays,
        "dos": arrays,
        "band_structure": _series("Table", None, Type("Table")),
        "maximum_force": _result(),
        "neb_energy": arrays,
        "velocity": arrays,
        "vdf": integers,
        "neighbors": _series("Tuple", None, Type("Tuple")),
        "neighbor_offsets": _series("Tuple", None, Type("Tuple")),
        "connectivity_matrix": integers,
        "connected_components": integers,
    }


# ---------------------------------------------------------------------------
# species and reactions

_CHEM_DIMENSIONS = {name: parse_units(units) for name, units in CHEM_PROPERTIES.items()}


def infer_SpeciesLit(inf: Inferencer, expr: ir.SpeciesLit, env: Env) -> Type:
    if expr.composition is not None:
        composition = inf.infer(expr.composition, env)
        if composition.kind not in ("String", "Any"):
            raise TextsError("Type error", "composition must be a string", expr.composition.span)
    if expr.table is not None:
        _check_chem_table(inf, expr.table, env)
    return Type("ChemSpecies")


def _check_chem_table(inf: Inferencer, table: Any, env: Env) -> None:
    type_ = inf.infer(table, env)
    if type_.kind not in ("Table", "Any"):
        raise TextsError("Type error", "properties must be a table", table.span)
    literal = definition(inf, table, env)
    if not isinstance(literal, ir.TableLit) or literal.from_tuple:
        return
    for column, column_type in zip(literal.columns, type_.elements or ()):
        if not isinstance(column, ir.SeriesLit):
            continue
        if column.name not in CHEM_PROPERTIES:
            raise TextsError("Value error", f"invalid property '{column.name}'", column.span)
        units = column_type.units
        required = _CHEM_DIMENSIONS[column.name]
        if units is not None and units.dimensionality != required.dimensionality:
            raise TextsError(
                "Invalid units error",
                f"object must have dimensionality of {required.dimensionality}",
                column.span,
            )


def infer_ReactionLit(inf: Inferencer, expr: ir.ReactionLit, env: Env) -> Type:
    species = []
    for term in expr.terms:
        variable = inf.model.species.get(term.species.name)
        if variable is None:
            raise TextsError(
                "Unknown object",
                f'Unknown object "{term.species.name}" of class "ChemSpecies"',
                term.species.span,
                excerpt=False,
            )
        species.append(inf.model.variables[variable].value)
    if expr.table is not None:
        _check_chem_table(inf, expr.table, env)
    compositions = [s.composition for s in species]
    if any(c is None for c in compositions):
        warn = getattr(inf, "warn", None)
        if warn is not None:
            # lazily for start-up: ASE and the extension only when a model uses them
            from texts.interpreter.amml.chemistry import BALANCE_SKIPPED  # noqa: PLC0415

            warn(BALANCE_SKIPPED)
    elif all(isinstance(c, ir.String) for c in compositions):
        # lazily for start-up: ASE and the extension only when a model uses them
        from texts.interpreter.amml.chemistry import balanced  # noqa: PLC0415

        coefficients = [_coefficient(term) for term in expr.terms]
        if not balanced(coefficients, [c.value for c in compositions]):
            raise TextsError(
                "Value error",
                "Reaction equation is not balanced. Check coefficients and compositions of "
                "species.",
                expr.span,
            )
    return Type("ChemReaction")


def _coefficient(term: ir.ReactionTerm) -> float:
    written = 1.0 if term.coefficient is None else float(term.coefficient)  # type: ignore[arg-type]
    return -written if term.left else written


def _chem_members() -> dict[str, Type]:
    members = {key: _numbers("Float", units) for key, units in CHEM_PROPERTIES.items()}
    members["name"] = STRING
    members["composition"] = STRING
    members["properties"] = Type("Table")
    return members


# ---------------------------------------------------------------------------
# members, indices and slices of the extension's values


def access_type(inf: Inferencer, base: Type, accessor: Any, ref: ir.Ref) -> Type:
    """The type of an extension value after one accessor."""
    if isinstance(accessor, ir.Slice):
        return Type(base.kind)
    if isinstance(accessor, ir.Index):
        return Type("Tuple")
    members = _members(base)
    if accessor.key not in members:
        raise TextsError(
            "Type error",
            f"could not find DType for type: {type_name(base)}, id_: {accessor.key}",
            ref.span,
        )
    return members[accessor.key]


def _members(base: Type) -> dict[str, Type]:
    if base.kind == "Structure":
        return _structure_members(base.datalen)
    if base.kind == "Property":
        return _property_members()
    if base.kind in ("ChemSpecies", "ChemReaction"):
        members = _chem_members()
        if base.kind == "ChemReaction":
            del members["name"], members["composition"]
        return members
    if base.kind == "Calculator":
        names = ("name", "pinning", "version", "task")
        return {**dict.fromkeys(names, STRING), "parameters": Type("Table")}
    if base.kind == "Algorithm":
        return {"name": STRING, "parameters": Type("Table")}
    if base.kind == "Trajectory":
        return {
            "description": Type("Table"),
            "structure": STRUCTURE,
            "properties": Type("Table"),
            "constraints": Type("Series"),
            "filename": STRING,
        }
    return {}


def check_structure_view(inf: Inferencer, statement: ir.View) -> None:
    """``view structure(s[, (constraints)])``: the only view mode checked statically."""
    items = statement.items
    if len(items) > 2:
        raise TextsError(
            "Type error",
            f"view structure has maximum 2 parameters but {len(items)} given",
            statement.span,
        )
    if items:
        structure = inf.infer(items[0].value, {})
        if structure.kind not in ("Structure", "Any"):
            raise _view_type("Structure", structure, items[0].value)
    if len(items) == 2:
        constraints = items[1].value
        type_ = inf.infer(constraints, {})
        if type_.kind not in ("Tuple", "Any"):
            raise _view_type("Tuple", type_, constraints)
        for element_type in type_.elements or ():
            if element_type.kind not in ("Constraint", "Any"):
                raise _view_type("Constraint", element_type, constraints)


def _view_type(kind: str, found: Type, value: Any) -> TextsError:
    return TextsError(
        "Type error", f"parameter must be type {kind} but is type {found.kind}", value.span
    )
