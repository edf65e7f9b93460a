"""The evaluation core: rule registry, scopes and the one ``evaluate`` function.

Every executor computes a node with :func:`evaluate_variable` (or a print with
:func:`~texts.interpreter.evaluation.printing.print_text`), giving it the values of the
node's inputs. Nothing here knows when or where a node runs. Errors are attached to the
innermost failing expression.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from texts.interpreter import ir
from texts.interpreter.errors import TextsError, from_exception
from texts.interpreter.evaluation.boundary import wrap_python
from texts.interpreter.model import Model
from texts.interpreter.values import NOT_COMPUTED, Series

Rule = Callable[[Any, "Scope"], Any]
RULES: dict[type, Rule] = {}


def rule(node_type: type) -> Callable[[Rule], Rule]:
    """Register the evaluation rule of one IR node type."""

    def register(function: Rule) -> Rule:
        RULES[node_type] = function
        return function

    return register


class NotComputedError(Exception):
    """A value depends on a variable the workflow executor has not computed yet.

    Whatever needs it is not computed either; a print shows it as ``n.c.``.
    """


class Thunk:
    """A function argument, evaluated when the body first needs it (substitution)."""

    __slots__ = ("done", "expr", "scope", "value")

    def __init__(self, expr: ir.Expr, scope: Scope) -> None:
        self.expr, self.scope, self.done, self.value = expr, scope, False, None

    def force(self) -> Any:
        if not self.done:
            self.value = evaluate(self.expr, self.scope)
            self.done = True
        return self.value


class Scope:
    """What names mean while evaluating: parameters, then variables, then imports."""

    __slots__ = ("local", "model", "values")

    def __init__(
        self, model: Model, values: Mapping[str, Any], local: Mapping[str, Any] | None = None
    ) -> None:
        self.model = model
        self.values = values
        self.local = local or {}

    def lookup(self, name: str) -> Any:
        if name in self.local:
            value = self.local[name]
            return value.force() if isinstance(value, Thunk) else value
        if name in self.values:
            value = self.values[name]
            if value is NOT_COMPUTED:
                raise NotComputedError(name)
            return value
        imported = self.model.imports.get(name)
        if imported is not None:
            return wrap_python(imported.obj) if not imported.is_callable else imported.obj
        raise TextsError("Unknown object", f'Unknown name "{name}"')

    def child(self, local: Mapping[str, Any]) -> Scope:
        return Scope(self.model, self.values, local)


def evaluate(expr: Any, scope: Scope) -> Any:
    """The value of an expression; any failure becomes a labelled error at ``expr``."""
    try:
        return RULES[type(expr)](expr, scope)
    except TextsError as error:
        if error.span is None:
            error.span = expr.span
        raise
    except NotComputedError:
        raise
    except Exception as exc:  # every Python error of a computation gets its label here
        raise from_exception(exc, expr.span) from None


def evaluate_variable(model: Model, name: str, values: Mapping[str, Any]) -> Any:
    """Compute one variable node from the values of its inputs.

    A series made by ``map``, ``filter`` or ``range`` takes the variable's name.
    """
    value_expr = model.variables[name].value
    value = evaluate(value_expr, Scope(model, values))
    if isinstance(value_expr, ir.HigherOrder | ir.Range) and isinstance(value, Series):
        value = Series(name, value.elements, value.units, value.numeric)
    return value
