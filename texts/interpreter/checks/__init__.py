"""Static checks, run in the reference's order before anything is evaluated.

:func:`check_program` turns parsed IR into a :class:`~texts.interpreter.model.Model` or
raises the first :class:`~texts.interpreter.errors.TextsError` it finds.
"""

from __future__ import annotations

from collections.abc import Callable

from texts.interpreter import ir
from texts.interpreter.checks.cycles import check_recursive_functions, check_variable_cycles
from texts.interpreter.checks.definitions import (
    apply_updates,
    check_callable_imports_as_values,
    check_duplicates,
    check_function_references,
    check_updates,
    collect,
    import_objects,
    resolve_names,
)
from texts.interpreter.checks.functions import check_functions
from texts.interpreter.checks.infer import Inferencer
from texts.interpreter.checks.statements import (
    check_chunks,
    check_tags,
    check_vary_references,
    check_workflow_annotations,
    statement_warnings,
)
from texts.interpreter.errors import stack_guard
from texts.interpreter.model import Model

Warn = Callable[[str], None]


def check_program(program: ir.Program, mode: str = "instant", warn: Warn | None = None) -> Model:
    """Run all static checks; return the checked model."""
    model = collect(program)
    resolve_names(model)
    check_function_references(model)
    import_objects(model)
    for message in statement_warnings(program, mode):
        if warn is not None:
            warn(message)
    check_recursive_functions(model)
    check_updates(model, mode)
    apply_updates(model)
    check_duplicates(model)
    check_variable_cycles(model)
    check_callable_imports_as_values(model)
    check_functions(model)
    inferencer = Inferencer(model, warn, {} if mode == "workflow" else _vary_columns(model))
    inferencer.type_variables(model.closure(model.variables))
    for statement in program.statements:
        with stack_guard(statement.span):
            _type_statement(inferencer, statement)
    check_chunks(model)
    if mode == "workflow":
        check_workflow_annotations(model)
    else:
        check_vary_references(model)
    check_tags(model)
    return model


def _vary_columns(model: Model) -> dict[str, ir.Expr]:
    """The columns of the model's ``vary`` tables that are not also variables, by name."""
    columns: dict[str, ir.Expr] = {}
    for statement in model.program.statements:
        if isinstance(statement, ir.Vary) and isinstance(statement.table, ir.TableLit):
            for column in statement.table.columns:
                if isinstance(column, ir.SeriesLit) and column.name not in model.variables:
                    columns.setdefault(column.name, column)
    return columns


def _type_statement(inferencer: Inferencer, statement: ir.Statement) -> None:
    """Type-check a statement other than a definition (those are typed as variables)."""
    if isinstance(statement, ir.Print | ir.View):
        for item in statement.items:
            inferencer.check_print_item(item)
        if isinstance(statement, ir.View) and statement.mode == "structure":
            # kept local as the evaluation core has it (listed in the note for its rewrite)
            from texts.interpreter.amml.checks import check_structure_view  # noqa: PLC0415

            check_structure_view(inferencer, statement)
    elif isinstance(statement, ir.Export):
        inferencer.infer(statement.value, {})
    elif isinstance(statement, ir.Tag | ir.Vary):
        inferencer.infer(statement.value if isinstance(statement, ir.Tag) else statement.table, {})
