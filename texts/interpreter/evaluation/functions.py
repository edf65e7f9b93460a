"""Evaluation of calls: program functions by substitution, imported ones by value."""

from __future__ import annotations

from typing import Any

from texts.interpreter import ir
from texts.interpreter.evaluation.boundary import argument_for_python, wrap_python
from texts.interpreter.evaluation.core import Memo, Scope, Thunk, apply_body, evaluate, rule
from texts.provenance.python_reads import python_reads_reported


def call_function(name: str, args: list[Any], scope: Scope, memo: Memo | None = None) -> Any:
    """Call a program function or an imported callable with argument *values*.

    ``memo`` is the memo of this application of a program function (an element of a
    loop), kept by the caller across suspensions.
    """
    function = scope.model.functions.get(name)
    if function is not None:
        return evaluate(function.body, scope.child(dict(zip(function.params, args)), memo))
    imported = scope.model.imports[name].obj
    if getattr(imported, "takes_language_values", False):  # textS's own (structure builders)
        return imported(*args)
    python_args = [argument_for_python(arg) for arg in args]
    with python_reads_reported():  # the files it opens are inputs of the node
        result = imported(*python_args)
    return wrap_python(result)


@rule(ir.Call)
def _call(expr: ir.Call, scope: Scope) -> Any:
    function = scope.model.functions.get(expr.name)
    if function is not None and expr.name not in scope.local:
        local = {param: Thunk(arg, scope) for param, arg in zip(function.params, expr.args)}
        return apply_body(expr, function.body, scope, local)
    args = [evaluate(arg, scope) for arg in expr.args]
    return call_function(expr.name, args, scope)
