"""Collect a program's definitions, resolve every name and import the ``use`` objects."""

from __future__ import annotations

from collections import Counter

from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.hints import import_hint, spelling_hint, update_hint, with_hint
from texts.interpreter.imports import ImportFailure, import_object, search_directories
from texts.interpreter.model import ImportedObject, Model


def collect(program: ir.Program) -> Model:
    """Build the model's name tables; the first definition of a name wins here.

    Duplicates are reported later (check order of the reference: resolution first).
    """
    model = Model(program)
    for statement in program.statements:
        if isinstance(statement, ir.VarDef):
            model.variables.setdefault(statement.name, statement)
            if isinstance(statement.value, ir.SpeciesLit):
                model.species.setdefault(statement.value.name, statement.name)
        elif isinstance(statement, ir.FuncDef):
            model.functions.setdefault(statement.name, statement)
        elif isinstance(statement, ir.Import):
            for name in statement.names:
                dotted = f"{statement.module}.{name.name}"
                model.imports.setdefault(name.name, ImportedObject(name.name, dotted, name.span))
        elif isinstance(statement, ir.Vary) and isinstance(statement.table, ir.TableLit):
            for column in statement.table.columns:
                if isinstance(column, ir.SeriesLit):
                    model.vary_names.add(column.name)
    return model


def resolve_names(model: Model) -> None:
    """Every used name must be defined: ``Unknown object`` / ``Semantic error``."""
    function_counts = Counter(s.name for s in model.program.statements if isinstance(s, ir.FuncDef))
    values = model.variables.keys() | model.imports.keys() | model.vary_names
    for statement in model.program.statements:
        if isinstance(statement, ir.Update) and statement.name not in model.variables:
            raise TextsError(
                "Unknown object",
                with_hint(
                    f'Unknown variable "{statement.name}": := updates a variable the model defines',
                    spelling_hint(statement.name, model.variables),
                ),
                statement.span,
                excerpt=False,
            )
        for use in model.uses(statement):
            if use.kind == "ref":
                if use.name in values or use.name in model.functions:
                    continue
                raise TextsError(
                    "Unknown object",
                    with_hint(
                        f'Unknown name "{use.name}"',
                        spelling_hint(use.name, [*values, *model.functions]),
                        import_hint(use.name),
                    ),
                    use.span,
                    excerpt=False,
                )
            if use.kind == "species":  # a name no species literal bears
                raise TextsError(
                    "Unknown object",
                    f'Unknown object "{use.name}" of class "ChemSpecies"',
                    use.span,
                    excerpt=False,
                )
            if function_counts[use.name] > 1:
                raise TextsError(
                    "Semantic error", f"name {use.name} is not unique.", use.span, excerpt=False
                )
            if use.name not in model.functions and use.name not in model.imports:
                raise TextsError(
                    "Unknown object",
                    with_hint(
                        f'Unknown function "{use.name}"',
                        spelling_hint(use.name, [*model.functions, *model.imports]),
                        import_hint(use.name),
                    ),
                    use.span,
                    excerpt=False,
                )


def check_function_references(model: Model) -> None:
    """A function is not a value: it can only be called or passed to map/filter/reduce."""
    for statement in model.program.statements:
        for use in model.uses(statement):
            if use.kind == "ref" and use.name in model.functions and not use.node.accessors:
                if use.name in model.variables or use.name in model.imports:
                    continue
                raise TextsError(
                    "Type error", "invalid use of reference to FunctionDefinition", use.span
                )


#: modules of the reference that textS provides itself (the structure builders)
MODULE_ALIASES = {"virtmat.builders": "texts.interpreter.amml.builders"}


def import_objects(model: Model) -> None:
    """Import the objects of ``use`` statements: ``Import error`` if one is missing."""
    if not model.imports:
        return
    source = model.source
    directories = search_directories([path for _, path in source.parts] or [source.path])
    for name, imported in list(model.imports.items()):
        try:
            module_name, _, attribute = imported.dotted.rpartition(".")
            aliased = f"{MODULE_ALIASES.get(module_name, module_name)}.{attribute}"
            obj = import_object(aliased, directories)
        except ImportFailure as failure:
            raise TextsError(
                "Import error",
                f'Object could not be imported: "{imported.dotted}"\n{failure}',
                imported.span,
            ) from None
        model.imports[name] = ImportedObject(name, imported.dotted, imported.span, obj)


def check_duplicates(model: Model) -> None:
    """Each name is defined once: ``Initialization error`` at the second definition."""
    seen: set[str] = set()
    for statement in model.program.statements:
        if isinstance(statement, ir.VarDef | ir.FuncDef):
            defined = [(statement.name, statement.span)]
        elif isinstance(statement, ir.Import):
            defined = [(name.name, name.span) for name in statement.names]
        else:
            continue
        for name, span in defined:
            if name in seen:
                raise TextsError(
                    "Initialization error", f'Repeated initialization of "{name}"', span
                )
            seen.add(name)


def check_updates(model: Model, mode: str) -> None:
    """``:=`` is meaningful only for models stored by the workflow executor."""
    if mode == "workflow":
        return
    for statement in model.program.statements:
        if isinstance(statement, ir.Update):
            raise TextsError(
                "Variable update error",
                "Variables can be updated in workflow mode only.",
                statement.span,
            )


def check_callable_imports_as_values(model: Model) -> None:
    """A variable cannot *be* an imported callable (``c = cos``); a callable may be called,
    passed by name, printed, or stored inside a tuple, as in the reference."""
    for variable in model.variables.values():
        value = variable.value
        if not isinstance(value, ir.Ref) or value.accessors:
            continue
        imported = model.imports.get(value.name)
        if imported is not None and imported.is_callable:
            error = TextsError(
                "Type error",
                f'Invalid use of reference to callable import "{value.name}"',
                imported.span,
            )
            raise error.with_note("used here", value.name_span)


def apply_updates(model: Model) -> None:
    """``name := value`` (workflow mode) replaces a stored variable's definition.

    The new value must use exactly the variables the old one used, so the graph keeps its
    shape; a variable is updated at most once per input, and a non-strict one not at all.
    """
    for statement in model.program.statements:
        if not isinstance(statement, ir.Update):
            continue
        if statement.name in model.updated:
            raise TextsError(
                "Variable update error",
                f"Multiple updates of variables: {statement.name}",
                statement.span,
            )
        old = model.variables[statement.name]
        if old.nonstrict:
            raise TextsError(
                "Variable update error",
                f"non-strict variable {statement.name} cannot be updated",
                statement.span,
            )
        before = sorted({use.name for use in model.uses(old) if use.name in model.variables})
        after = sorted({use.name for use in model.uses(statement) if use.name in model.variables})
        if before != after:
            differing = sorted(set(before) ^ set(after))
            message = f"Invalid or missing references: {differing}"
            hint = update_hint(statement.name, before, after)
            raise TextsError("Variable update error", with_hint(message, hint), statement.span)
        model.variables[statement.name] = ir.VarDef(
            statement.span, statement.name, statement.value, False, statement.resources
        )
        model.updated.add(statement.name)
