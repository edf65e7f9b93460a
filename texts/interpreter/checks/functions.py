"""Rules for function definitions, lambdas and calls (parameters and argument counts)."""

from __future__ import annotations

import inspect
from typing import Any

from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.model import Model
from texts.interpreter.walk import descendants, free_names


def check_parameters(params: tuple[str, ...], body: ir.Expr, where: str, span: Any) -> None:
    """At least one parameter, all distinct, and every one of them used in the body."""
    if not params:
        raise TextsError("Value error", "Function definition must have at least one argument", span)
    duplicates = sorted({p for p in params if params.count(p) > 1})
    if duplicates:
        raise TextsError(
            "Value error", f"Duplicate argument(s) in {where}: {', '.join(duplicates)}", span
        )
    used = sorted({use.name for use in free_names(body) if use.name in params})
    if len(used) != len(params):
        raise TextsError(
            "Value error",
            f"Dummy variables {tuple(used)!r} do not match arguments {tuple(params)!r} in {where}",
            span,
        )


def imported_arity_error(name: str, obj: Any, given: int) -> str | None:
    """The message for a wrong number of arguments to an imported callable, if known."""
    nin = getattr(obj, "nin", None)
    if isinstance(nin, int) and type(obj).__name__ == "ufunc":
        if given != nin:
            return f'Function "{name}" takes {nin} parameters but {given} were given.'
        return None
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = list(signature.parameters.values())
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        maximum = None
    else:
        maximum = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)
    minimum = sum(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
        for p in params
    )
    if maximum is not None and given > maximum:
        return f'Function "{name}" takes maximum {maximum} parameters but {given} were given.'
    if given < minimum:
        return f'Function "{name}" takes minimum {minimum} parameters but {given} were given.'
    return None


def check_functions(model: Model) -> None:
    """Definitions and lambdas follow the parameter rules; calls pass the right count."""
    for function in model.functions.values():
        check_parameters(function.params, function.body, f"function {function.name}", function.span)
    for statement in model.program.statements:
        bound: set[str] = set(statement.params) if isinstance(statement, ir.FuncDef) else set()
        for node in descendants(statement):
            if isinstance(node, ir.Lambda):
                check_parameters(node.params, node.body, "lambda function", node.span)
            elif isinstance(node, ir.Call) and node.name not in bound:
                _check_call(model, node)


def _check_call(model: Model, call: ir.Call) -> None:
    given = len(call.args)
    function = model.functions.get(call.name)
    if function is not None:
        if given != len(function.params):
            raise TextsError(
                "Value error",
                f'Function "{call.name}" takes {len(function.params)} parameters '
                f"but {given} were given.",
                call.span,
            )
        return
    imported = model.imports.get(call.name)
    if imported is None:
        return
    if not imported.is_callable:
        raise TextsError(
            "Non-callable import",
            f'Imported object is not callable: "{imported.dotted}"',
            imported.span,
        )
    message = imported_arity_error(call.name, imported.obj, given)
    if message:
        raise TextsError("Value error", message, call.span)
