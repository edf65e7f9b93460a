"""Static typing of data structures, accessors, queries and built-in functions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.types import (
    ANY,
    BOOLEAN,
    DOMAIN_KINDS,
    STRING,
    Type,
    quantity,
    type_name,
    wider_numeric,
)
from texts.interpreter.units import registry, units_at

if TYPE_CHECKING:
    from texts.interpreter.checks.infer import Env, Inferencer

_NUMERIC = ("Integer", "Float", "Complex", "Number")
_FROM_TYPES = {
    "Quantity": Type("Quantity", "Number"),
    "Bool": BOOLEAN,
    "String": STRING,
    "Series": Type("Series"),
    "Table": Type("Table"),
    "BoolArray": Type("Array", "Boolean"),
    "StrArray": Type("Array", "String"),
    "IntArray": Type("Array", "Integer"),
    "FloatArray": Type("Array", "Float"),
    "ComplexArray": Type("Array", "Complex"),
    "Structure": Type("Structure"),
}
_ARRAY_DATATYPES = {
    "int": "Integer",
    "float": "Float",
    "complex": "Complex",
    "bool": "Boolean",
    "str": "String",
}


def infer_TupleLit(inf: Inferencer, expr: ir.TupleLit, env: Env) -> Type:
    return Type("Tuple", elements=tuple(inf.infer(item, env) for item in expr.items))


def infer_DictLit(inf: Inferencer, expr: ir.DictLit, env: Env) -> Type:
    if len(set(expr.keys)) != len(expr.keys):
        raise TextsError("Value error", "Repeating keys were found in dictionary", expr.span)
    values = tuple(inf.infer(value, env) for value in expr.values)
    return Type("Dict", elements=values, keys=expr.keys)


def infer_SeriesLit(inf: Inferencer, expr: ir.SeriesLit, env: Env) -> Type:
    series_units = units_at(expr.units, expr.units_span or expr.span) if expr.units else None
    element_types = [
        (item, inf.infer(item, env)) for item in expr.items if not isinstance(item, ir.Null)
    ]
    kinds = {t.kind for _, t in element_types if not t.is_any}
    if len(kinds) > 1:
        raise TextsError(
            "Type error",
            f"Series elements must have one type but {len(kinds)} types were found",
            expr.span,
        )
    kind = kinds.pop() if kinds else "Any"
    datalen = len(expr.items)
    if kind == "Quantity":
        datatype: str | None = None
        for _, type_ in element_types:
            datatype = (
                type_.datatype if datatype is None else wider_numeric(datatype, type_.datatype)
            )
        units = series_units
        if units is None:
            written = {
                item.units.replace(" ", "")
                for item, _ in element_types
                if isinstance(item, ir.Number) and item.units
            }
            all_units = {t.units for _, t in element_types}
            if len(written) > 1 or (None not in all_units and len(all_units) > 1):
                raise TextsError(
                    "Invalid units error",
                    "Numeric type series must have elements of the same units.",
                    expr.span,
                )
            units = all_units.pop() if len(all_units) == 1 else None
        return Type(
            "Series",
            datatype or "Number",
            units,
            keys=(expr.name,),
            datalen=datalen,
            element=quantity(datatype or "Number", units),
        )
    if kind == "Array":
        array = element_types[0][1]
        units = series_units if series_units is not None else array.units
        return Type(
            "Series",
            array.datatype,
            units,
            elements=tuple(t for _, t in element_types),
            keys=(expr.name,),
            datalen=datalen,
            element=Type("Array", array.datatype, units, datalen=array.datalen),
        )
    element = element_types[0][1] if element_types else ANY
    datatype = {"String": "String", "Boolean": "Boolean"}.get(kind, kind)
    return Type("Series", datatype, None, keys=(expr.name,), datalen=datalen, element=element)


def infer_TableLit(inf: Inferencer, expr: ir.TableLit, env: Env) -> Type:
    columns = [inf.infer(column, env) for column in expr.columns]
    for column, type_ in zip(expr.columns, columns):
        if type_.kind not in ("Series", "Any"):
            raise TextsError("Type error", "Table columns must be series", column.span)
    names = [t.keys[0] for t in columns if t.keys]
    if len(set(names)) != len(names):
        raise TextsError("Value error", "Repeating column names were found in table", expr.span)
    sizes = tuple(sorted({t.datalen for t in columns if isinstance(t.datalen, int)}))
    if len(sizes) > 1:
        raise TextsError(
            "Value error",
            f"Table columns must have one size but {len(sizes)} sizes were found: {sizes}.",
            expr.span,
        )
    known = len(names) == len(columns)
    return Type(
        "Table",
        elements=tuple(columns),
        keys=tuple(names) if known else None,
        datalen=sizes[0] if sizes else None,
    )


def infer_ArrayLit(inf: Inferencer, expr: ir.ArrayLit, env: Env) -> Type:
    units = None
    if expr.kind in ("int", "float", "complex"):
        units = (
            units_at(expr.units, expr.units_span or expr.span)
            if expr.units
            else registry().dimensionless
        )
    shape: list[int] = []
    level: Any = expr.data
    while isinstance(level, tuple):
        shape.append(len(level))
        level = level[0] if level else None
    return Type("Array", _ARRAY_DATATYPES[expr.kind], units, datalen=tuple(shape))


def infer_FromSource(inf: Inferencer, expr: ir.FromSource, env: Env) -> Type:
    path = inf.infer(expr.path, env)
    if path.kind not in ("String", "Any"):
        raise TextsError("Type error", "filename must be string", expr.source_span)
    if isinstance(expr.path, ir.String) and not expr.path.value:
        raise TextsError("Value error", "Invalid filename: ''", expr.source_span)
    return _FROM_TYPES[expr.type_name]


def access_type(inf: Inferencer, base: Type, accessor: Any, ref: ir.Ref) -> Type:
    """The type of ``base`` after one accessor (index, slice or member)."""
    if base.is_any:
        return ANY
    if base.kind in DOMAIN_KINDS:  # the extension's values (structures, properties, ...)
        # kept local as the evaluation core has it (listed in the note for its rewrite)
        from texts.interpreter.amml.checks import access_type as domain_access_type  # noqa: PLC0415

        return domain_access_type(inf, base, accessor, ref)
    if isinstance(accessor, ir.Member):
        if base.kind == "Table":
            if base.keys is not None and accessor.key not in base.keys:
                raise TextsError(
                    "Invalid key", f"column {accessor.key} not found in Table {ref.name}", ref.span
                )
            if base.keys is not None and base.elements is not None:
                return base.elements[base.keys.index(accessor.key)]
            return Type("Series")
        if base.kind == "Dict":
            if base.keys is not None and accessor.key not in base.keys:
                raise TextsError(
                    "Invalid key",
                    f"value not found for key {accessor.key} in Dict {ref.name}",
                    ref.span,
                )
            if base.keys is not None and base.elements is not None:
                return base.elements[base.keys.index(accessor.key)]
            return ANY
        raise TextsError("Type error", f"Invalid use of an ID in type {type_name(base)}", ref.span)
    if isinstance(accessor, ir.Slice):
        if accessor.step == 0:  # a tuple's slice fails as Python's does, like the reference
            if base.kind == "Tuple":
                raise TextsError("Unknown error: ValueError", "slice step cannot be zero", ref.span)
            raise TextsError("Value error", "Slice step cannot be zero", ref.span)
        if base.kind in ("Series", "Table", "Array", "Tuple"):
            return Type(base.kind, base.datatype, base.units, None, base.keys, None, base.element)
        raise TextsError("Type error", f"Invalid use of index in type {type_name(base)}", ref.span)
    index = accessor.index
    if base.kind == "Tuple":
        if base.elements is not None:
            if not -len(base.elements) <= index < len(base.elements):
                raise TextsError("Unknown error: IndexError", "tuple index out of range", ref.span)
            return base.elements[index]
        return ANY
    if base.kind in ("Series", "Table"):
        if isinstance(base.datalen, int) and not -base.datalen <= index < base.datalen:
            raise TextsError("Invalid index", "Index out of range", ref.span)
        if base.kind == "Table":
            return Type(
                "Tuple", elements=tuple(c.element or ANY for c in base.elements or ()) or None
            )
        return base.element or ANY
    if base.kind == "Array":
        shape = base.datalen if isinstance(base.datalen, tuple) else None
        if shape:
            if not -shape[0] <= index < shape[0]:
                raise TextsError(
                    "Invalid index",
                    f"Index out of range, index: {index}, data length: {shape[0]}",
                    ref.span,
                )
            if len(shape) > 1:
                return Type("Array", base.datatype, base.units, datalen=shape[1:])
        else:
            return ANY  # an array of unknown rank (read from a file): element or sub-array
        if base.datatype in _NUMERIC:
            return quantity(base.datatype, base.units)
        return BOOLEAN if base.datatype == "Boolean" else STRING
    raise TextsError("Type error", f"Invalid use of index in type {type_name(base)}", ref.span)


def infer_Property(inf: Inferencer, expr: ir.Property, env: Env) -> Type:
    subject = inf.infer(expr.subject, env)
    expected = {"name": "Series", "columns": "Table", "array": "Series"}[expr.name]
    if not subject.is_any and subject.kind != expected:
        raise TextsError(
            "Iterable property error",
            f'Parameter of type {subject.kind} has no property "{expr.name}"',
            expr.span,
        )
    if (
        expr.name == "array"
        and subject.elements
        and all(t.kind == "Array" for t in subject.elements)
    ):
        shapes = tuple(
            sorted({t.datalen for t in subject.elements if isinstance(t.datalen, tuple)})
        )
        if len(shapes) > 1:
            raise TextsError(
                "Value error",
                f"Arrays of one shape expected in series but {len(shapes)} shapes have been "
                f"found: {shapes}.",
                expr.span,
            )
    if expr.name == "name":
        return STRING
    if expr.name == "columns":
        return Type("Series", "String", keys=("columns",), element=STRING)
    return Type("Array", subject.datatype, subject.units)


def infer_Query(inf: Inferencer, expr: ir.Query, env: Env) -> Type:
    subject = inf.infer(expr.subject, env)
    if not subject.is_any and subject.kind not in ("Series", "Table"):
        raise TextsError(
            "Type error", "query subject must be a series or a table", expr.subject.span
        )
    if expr.where is not None:
        _check_where(inf, expr.where, subject, expr.subject, env)
    if subject.kind == "Table" and expr.select and subject.keys is not None:
        for key in expr.select:
            if key not in subject.keys:
                raise TextsError(
                    "Invalid key", f"column {key} not found in Table {expr.subject.name}", expr.span
                )
        elements = (
            tuple(subject.elements[subject.keys.index(k)] for k in expr.select)
            if subject.elements
            else None
        )
        return Type("Table", elements=elements, keys=expr.select)
    return Type(
        subject.kind,
        subject.datatype,
        subject.units,
        subject.elements,
        subject.keys,
        None,
        subject.element,
    )


def _check_where(inf: Inferencer, where: Any, subject: Type, ref: ir.Ref, env: Env) -> None:
    stack = [where]
    while stack:
        node = stack.pop()
        if isinstance(node, ir.CondBool):
            stack.extend(node.operands)
            continue
        columns = [node.column] + ([node.other_column] if node.other_column else [])
        if subject.kind == "Table" and subject.keys is not None:
            for column in columns:
                if column not in subject.keys:
                    raise TextsError(
                        "Value error",
                        f'column "{column}" not found in Table "{ref.name}"',
                        node.span,
                    )
        if node.value is not None:
            value = inf.infer(node.value, env)
            column = _column_type(subject, node.column)
            if (
                node.op in ("<", "<=", ">", ">=")
                and value.units is not None
                and column.units is not None
            ):
                first, second = (column, value) if node.kind == "column_value" else (value, column)
                inf.check_ordering_units(node.span, first.units, second.units)
        for item in node.items:
            inf.infer(item, env)


def _column_type(subject: Type, name: str) -> Type:
    if subject.kind == "Series":
        return subject.element or ANY
    if subject.keys is not None and subject.elements is not None and name in subject.keys:
        return subject.elements[subject.keys.index(name)].element or ANY
    return ANY


def _iterable(inf: Inferencer, expr: ir.Expr, env: Env, message: str, call: Any) -> Type:
    type_ = inf.infer(expr, env)
    if not type_.is_any and type_.kind not in ("Series", "Table"):
        raise TextsError("Type error", message, call)
    return type_


def _element_of(type_: Type) -> Type:
    if type_.kind == "Table":  # a row is passed as a record whose fields are its columns
        columns = tuple(c.element or ANY for c in type_.elements) if type_.elements else None
        return Type("Dict", elements=columns if type_.keys else None, keys=type_.keys)
    return type_.element or ANY


def infer_HigherOrder(inf: Inferencer, expr: ir.HigherOrder, env: Env) -> Type:
    inputs = [
        _iterable(inf, i, env, "map inputs must be either series or table-like", expr.span)
        for i in expr.iterables
    ]
    function = expr.function
    nparams = len(function.params) if isinstance(function, ir.Lambda) else None
    if isinstance(function, ir.FuncRef) and function.name in inf.model.functions:
        nparams = len(inf.model.functions[function.name].params)
    if expr.kind == "map" and nparams is not None and nparams != len(inputs):
        raise TextsError(
            "Value error",
            "number of map function arguments and map inputs must be equal",
            expr.span,
        )
    if expr.kind == "filter" and nparams is not None and nparams != 1:
        raise TextsError("Value error", "Filter function must have only one argument", expr.span)
    if expr.kind == "reduce" and nparams is not None and nparams != 2:
        raise TextsError(
            "Value error", "Reduce function must have exactly two arguments", expr.span
        )
    lengths = {t.datalen for t in inputs if isinstance(t.datalen, int)}
    if expr.kind == "map" and len(lengths) > 1:
        raise TextsError("Value error", "map inputs must have equal size", expr.span)
    elements = [_element_of(t) for t in inputs]
    if expr.kind == "reduce":  # the value so far and the next element: both parameters
        elements = elements * 2
    result = _apply_type(inf, function, elements, env)
    if expr.kind == "filter":
        if inputs[0].kind == "Series" and not result.is_any and result.kind != "Boolean":
            raise TextsError("Type error", "Filter function must be of boolean type", expr.span)
        return Type(
            inputs[0].kind,
            inputs[0].datatype,
            inputs[0].units,
            inputs[0].elements,
            inputs[0].keys,
            None,
            inputs[0].element,
        )
    if expr.kind == "reduce":
        if inputs[0].kind == "Table":
            return Type("Table", keys=result.keys, datalen=1)
        return result
    if result.kind == "Dict":
        return Type("Table", keys=result.keys, datalen=lengths.pop() if lengths else None)
    datalen = lengths.pop() if lengths else None
    if result.kind == "Quantity":
        return Type("Series", result.datatype, result.units, datalen=datalen, element=result)
    return Type("Series", result.datatype or result.kind, None, datalen=datalen, element=result)


def _apply_type(inf: Inferencer, function: Any, args: list[Type], env: Env) -> Type:
    if isinstance(function, ir.Lambda):
        body_env = dict(env)
        body_env.update(zip(function.params, args))
        return inf.infer(function.body, body_env)
    defined = inf.model.functions.get(function.name)
    if defined is None:
        return ANY
    return inf.type_body(defined, tuple(args))


def infer_Aggregate(inf: Inferencer, expr: ir.Aggregate, env: Env) -> Type:
    if expr.kind == "sum":
        if expr.iterable is not None:
            type_ = inf.infer(expr.iterable, env)
            if type_.kind == "Table":
                raise _series_error(
                    inf, "Parameter must be series or reference to series", expr.iterable, expr.span
                )
            if (
                type_.kind == "Series"
                and type_.datatype not in _NUMERIC
                and type_.datatype is not None
            ):
                raise _series_error(inf, "Series must be of type Number", expr.iterable, expr.span)
            return quantity(type_.datatype or "Number", type_.units)
        types = [inf._operand(arg, env) for arg in expr.args]
        datatype = types[0].datatype
        for type_ in types[1:]:
            datatype = wider_numeric(datatype, type_.datatype)
        return quantity(datatype or "Number", types[0].units)
    if expr.iterable is not None:
        type_ = inf.infer(expr.iterable, env)
        if type_.kind == "Series" and type_.datatype not in ("Boolean", None):
            raise _series_error(inf, "Series must be of type Boolean", expr.iterable, expr.span)
        return BOOLEAN
    for arg in expr.args:
        type_ = inf.infer(arg, env)
        if type_.kind not in ("Boolean", "Any"):
            raise TextsError(
                "Type error", f'All parameters of "{expr.kind}" must be Boolean.', expr.span
            )
    return BOOLEAN


def _series_error(inf: Inferencer, message: str, iterable: ir.Expr, call: Any) -> TextsError:
    """A type error about an iterable argument, located at the value it refers to and,
    for a reference, with the call as ``used here`` (as the reference reports it)."""
    span = _definition_span(inf, iterable)
    error = TextsError("Type error", message, span)
    return error.with_note("used here", call) if span != iterable.span else error


def _definition_span(inf: Inferencer, expr: ir.Expr) -> Any:
    """For a plain reference, the span of the value it refers to (reference's choice)."""
    if isinstance(expr, ir.Ref) and not expr.accessors and expr.name in inf.model.variables:
        return inf.model.variables[expr.name].value.span
    return expr.span


def infer_In(inf: Inferencer, expr: ir.In, env: Env) -> Type:
    inf.infer(expr.element, env)
    if expr.collection is not None:
        type_ = inf.infer(expr.collection, env)
        if type_.kind == "Table":
            raise _series_error(
                inf, "Parameter must be series or reference to series", expr.collection, expr.span
            )
    for item in expr.items:
        inf.infer(item, env)
    return BOOLEAN


def infer_Range(inf: Inferencer, expr: ir.Range, env: Env) -> Type:
    types = []
    for arg in (expr.start, expr.stop, expr.step):
        type_ = inf.infer(arg, env)
        if type_.kind not in ("Quantity", "Any"):
            raise TextsError("Type error", "Range parameter must be numeric type.", arg.span)
        if type_.datatype == "Complex":
            raise TextsError("Type error", "Range parameter must be real type.", arg.span)
        types.append(type_)
    integer = all(t.datatype in ("Integer", None, "Number") or t.is_any for t in types)
    datatype = "Integer" if integer else "Float"
    units = types[0].units
    return Type("Series", datatype, units, keys=("range",), element=quantity(datatype, units))
