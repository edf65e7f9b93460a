"""The evaluation core: rule registry, scopes and the one ``evaluate`` function.

Every executor computes a node with :func:`evaluate_variable` (or a print with
:func:`~texts.interpreter.evaluation.printing.print_text`), giving it the values of the
node's inputs. Nothing here knows when or where a node runs. Errors are attached to the
innermost failing expression.

Evaluate-once. A variable needed only on some paths (an ``if`` branch, a later ``and``
operand, a function argument, a lambda body) may not be computed yet when the evaluation
reaches it. Its lookup then raises :class:`NeedValue`, which suspends the evaluation: the
executor computes the variable and evaluates the statement again with the same
:class:`Memo`. Every completed sub-expression left its value (or its error) in the memo,
so the second evaluation walks down to where the first one stopped without computing
anything twice: an imported function runs once, however many suspensions its statement
has. A function call and an element loop keep the memo of their unfinished part in the
memo too (:func:`resumable`).

Where a value is kept decides how often its expression runs. An expression that uses a
parameter of the function or lambda being applied is kept with that application: once per
call, once per element. One that uses none is kept for the whole statement, so a
sub-expression of a lambda body that does not depend on the element (``x * tick(1)``)
runs once for all elements, as it does when the body is evaluated on whole arrays.
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

#: the values of completed sub-expressions (keyed by ``id`` of the IR node) and the saved
#: state of unfinished calls and loops (keyed by ``(kind, id)``), for one application
Memo = dict[Any, Any]


def rule(node_type: type) -> Callable[[Rule], Rule]:
    """Register the evaluation rule of one IR node type."""

    def register(function: Rule) -> Rule:
        RULES[node_type] = function
        return function

    return register


class NeedValue(BaseException):
    """Raised by a lookup of a variable that is not computed yet.

    It is a :class:`BaseException` so that no ``except Exception`` of a rule turns the
    request into an error.
    """

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class NotComputedError(Exception):
    """A value depends on a variable the workflow executor has not computed yet.

    Whatever needs it is not computed either; a print shows it as ``n.c.``.
    """


class _Failure:
    """A sub-expression's error, kept in the memo so that it is raised again, not redone."""

    __slots__ = ("error",)

    def __init__(self, error: TextsError) -> None:
        self.error = error


_ABSENT = object()


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
    """What names mean while evaluating: parameters, then variables, then imports.

    ``memo`` keeps the values of this application's sub-expressions, ``root`` those of
    the statement (see the module's docstring).
    """

    __slots__ = ("local", "memo", "model", "root", "values")

    def __init__(
        self,
        model: Model,
        values: Mapping[str, Any],
        local: Mapping[str, Any] | None = None,
        memo: Memo | None = None,
        root: Memo | None = None,
    ) -> None:
        self.model = model
        self.values = values
        self.local = local or {}
        self.memo = {} if memo is None else memo
        self.root = self.memo if root is None else root

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

    def child(self, local: Mapping[str, Any], memo: Memo | None = None) -> Scope:
        """The scope of one application of a function or lambda with ``local`` bound."""
        return Scope(self.model, self.values, local, memo, self.root)

    def memo_of(self, expr: object) -> Memo:
        """Where the value of ``expr`` is kept: with this application if it uses one of
        its parameters, otherwise with the statement."""
        if self.local and not self.model.free_names(expr).isdisjoint(self.local):
            return self.memo
        return self.root


def _rule_of(node_type: type) -> Rule:
    """The rule of a node type; the extension's rules are registered when first needed, so
    a model without its objects never loads it."""
    found = RULES.get(node_type)
    if found is None:
        # lazily for start-up: the atomistic extension registers its rules on first use
        import texts.interpreter.amml.evaluate  # noqa: F401, PLC0415 - registers the rules

        found = RULES[node_type]
    return found


def evaluate(expr: Any, scope: Scope) -> Any:
    """The value of an expression; any failure becomes a labelled error at ``expr``.

    A value (or error) computed before in the same statement and application is returned
    from the memo instead.
    """
    memo = scope.memo_of(expr)
    key = id(expr)
    found = memo.get(key, _ABSENT)
    if found is not _ABSENT:
        if type(found) is _Failure:
            raise found.error
        return found
    try:
        value = _rule_of(type(expr))(expr, scope)
    except TextsError as error:
        if error.span is None:
            error.span = expr.span
        memo[key] = _Failure(error)
        raise
    except NotComputedError:
        raise
    except Exception as exc:  # every Python error of a computation gets its label here
        error = from_exception(exc, expr.span)
        memo[key] = _Failure(error)
        raise error from None
    memo[key] = value
    return value


def apply_body(owner: Any, body: ir.Expr, scope: Scope, local: Mapping[str, Any]) -> Any:
    """Evaluate a function body with its parameters bound, as one application of
    ``owner`` (the call): a suspension keeps the application's memo for the resumption."""
    memo = scope.memo_of(owner)
    key = ("call", id(owner))
    own = memo.pop(key, None)
    child = scope.child(local, own)
    try:
        return evaluate(body, child)
    except NeedValue:
        memo[key] = child.memo
        raise


def resumable(owner: Any, scope: Scope, count: int, step: Callable[[list, Memo], Any]) -> list:
    """``count`` results, each ``step(results_so_far, memo)``, resumed where a suspension
    stopped the loop.

    ``memo`` is the memo of the application to element ``len(results_so_far)``. When a
    step is suspended, the results so far and the unfinished element's memo are kept with
    ``owner`` (the loop's expression), so the resumed loop starts at that element.
    """
    memo = scope.memo_of(owner)
    key = ("loop", id(owner))
    results, pending = memo.pop(key, ([], None))
    try:
        while len(results) < count:
            pending = {} if pending is None else pending
            results.append(step(results, pending))
            pending = None
    except NeedValue:
        memo[key] = (results, pending)
        raise
    return results


def evaluate_variable(
    model: Model, name: str, values: Mapping[str, Any], memo: Memo | None = None
) -> Any:
    """Compute one variable node from the values of its inputs.

    ``memo`` is the memo of an earlier, suspended evaluation of the same node, if any. A
    series made by ``map``, ``filter`` or ``range`` takes the variable's name.
    """
    value_expr = model.variables[name].value
    value = evaluate(value_expr, Scope(model, values, memo=memo))
    if isinstance(value_expr, ir.HigherOrder | ir.Range) and isinstance(value, Series):
        value = value.renamed(name)
    return value
