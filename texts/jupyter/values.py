"""Values handed to Python by ``%texts``: what the language computed, as the Python objects
imported functions receive (pint quantities, pandas series and frames, NumPy arrays)."""

from __future__ import annotations

from typing import Any

from texts.interpreter.evaluation.boundary import unwrap_for_python
from texts.interpreter.values import NOT_COMPUTED
from texts.jupyter.memory import VALUE_NAME
from texts.session.session import Session


def to_python(value: Any) -> Any:
    """A language value as a Python object; a value not computed yet is ``None``."""
    if value is NOT_COMPUTED:
        return None
    if isinstance(value, dict):
        return {key: to_python(item) for key, item in value.items()}
    return unwrap_for_python(value)


def workflow_value(session: Session, expression: str) -> Any:
    """The value of an expression over the active stored model, from the computed values
    in the store (``NOT_COMPUTED`` if a value it needs is not); nothing is stored."""
    # lazily for start-up: a cell imports only what it runs
    from texts.executors.workflow.executor import StoredValues, WorkflowExecutor, WorkflowOptions  # noqa: PLC0415
    from texts.executors.workflow.models import find_model  # noqa: PLC0415
    from texts.grammar import parse_source  # noqa: PLC0415
    from texts.interpreter.checks import check_program  # noqa: PLC0415
    from texts.interpreter.evaluation import evaluate_variable  # noqa: PLC0415
    from texts.interpreter.evaluation.core import NotComputedError  # noqa: PLC0415
    from texts.interpreter.source import Source  # noqa: PLC0415

    uuid = session.require_model()
    with session.store() as store:
        record = find_model(store, uuid)
        source = record.extended(Source(f"{VALUE_NAME} = {expression}", "<%texts>"))
        session.console.source = source
        model = check_program(parse_source(source), "workflow", session.console.warn)
        options = WorkflowOptions(workdir=session.options.workdir)
        executor = WorkflowExecutor(model, session.console.error, options, store, record)
        try:
            return evaluate_variable(model, VALUE_NAME, StoredValues(executor))
        except NotComputedError:
            return NOT_COMPUTED
