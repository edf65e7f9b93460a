"""The evaluation core shared by all executors.

Importing this package registers the evaluation rule of every IR node type.
"""

from texts.interpreter.evaluation import (  # noqa: F401 - registers the rules
    builtins,
    functions,
    higher_order,
    queries,
    scalars,
    sources,
    structures,
)
from texts.interpreter.evaluation.core import Scope, evaluate, evaluate_variable
from texts.interpreter.evaluation.printing import print_text

__all__ = ["Scope", "evaluate", "evaluate_variable", "print_text"]
