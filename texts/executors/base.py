"""What all executors share: demand-driven computation of nodes, without recursion.

A node is computed when something needs it. The inputs it always needs (its *strict*
inputs) are computed first; an input it needs only on some paths (a branch of an ``if``,
an operand after the first of ``and``/``or``, a function argument, a lambda body) is
requested while it is evaluated: the lookup raises :class:`NeedValue`, the scheduler
computes that input and resumes the node. Resuming evaluates the node again with the memo
of the suspended evaluation, which holds every sub-expression already computed, so
nothing is computed twice (see :mod:`texts.interpreter.evaluation.core`). The schedule is
an explicit stack, so the depth of a model never touches the Python stack.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.evaluation import Scope, evaluate, evaluate_variable, print_text
from texts.interpreter.evaluation.core import Memo, NeedValue
from texts.interpreter.evaluation.printing import ShownView, view_values
from texts.interpreter.model import Model
from texts.interpreter.statements import perform_export
from texts.provenance.cache import MISSING
from texts.provenance.reuse import Reuse
from texts.provenance.runlog import NodeEvents

Reporter = Callable[[TextsError], None]
T = TypeVar("T")


class LazyValues(Mapping[str, Any]):
    """The variables as an evaluation sees them: computed, failed, or not yet computed.

    It holds the executor's dictionaries, not the executor, so that no reference cycle
    keeps a run's values (large arrays among them) alive after the run.
    """

    def __init__(
        self, variables: Mapping[str, Any], values: dict[str, Any], failures: dict[str, TextsError]
    ) -> None:
        self.variables = variables
        self.values = values
        self.failures = failures

    def __contains__(self, name: object) -> bool:
        return name in self.variables

    def __getitem__(self, name: str) -> Any:
        if name in self.values:
            return self.values[name]
        if name in self.failures:
            raise self.failures[name]
        raise NeedValue(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


@dataclass
class RunResult:
    """The printed lines of a run, the data of its views (drawn by the front end) and the
    number of errors reported on the way."""

    lines: list[str] = field(default_factory=list)
    errors: int = 0
    views: list[ShownView] = field(default_factory=list)


class Executor(ABC):
    """Computes the nodes a model's prints need; subclasses choose the schedule."""

    def __init__(self, model: Model, report: Reporter, reuse: Reuse | None = None) -> None:
        self.model = model
        self.report = report
        self.reuse = reuse
        self.values: dict[str, Any] = {}
        self.failures: dict[str, TextsError] = {}
        self.lazy = LazyValues(model.variables, self.values, self.failures)
        self.events = NodeEvents()  # for the run log
        self._looked_up: set[str] = set()  # variables already looked up in the cache
        self._suspended: dict[str, Memo] = {}  # memos of variables waiting for an input

    @abstractmethod
    def run(self) -> RunResult:
        """Evaluate the model's prints and return their lines."""

    def done(self, name: str) -> bool:
        return name in self.values or name in self.failures

    def ensure(self, names: Iterable[str]) -> None:
        """Compute the given variables and whatever they need, each at most once."""
        stack = [name for name in names if not self.done(name)]
        stack.reverse()
        strict = self.model.strict_inputs
        while stack:
            name = stack[-1]
            if self.done(name) or self._from_cache(name):
                stack.pop()
                continue
            missing = [i for i in strict(name) if not self.done(i)]
            if missing:
                stack.extend(reversed(missing))
                continue
            memo = self._suspended.pop(name, {})
            try:
                with self.events.computing(name):
                    value = evaluate_variable(self.model, name, self.lazy, memo)
            except NeedValue as need:
                self._suspended[name] = memo
                stack.append(need.name)
                continue
            except TextsError as error:
                self.failures[name] = error
                self.events.finished(name, error=error)
            else:
                self.values[name] = value
                self.events.finished(name, value)
                if self.reuse is not None:
                    self.reuse.computed(name, value, self.events.nodes[name].files)
            stack.pop()

    def plan(self, roots: Iterable[str]) -> list[str]:
        """The variables to compute for ``roots``, inputs first, all at once.

        With a cache, it is consulted from the roots down: a cached variable is read and
        its own inputs are not needed, so a fully cached model reads only its roots.
        """
        roots = list(roots)
        reached: set[str] = set()
        stack = list(roots)
        while stack:
            name = stack.pop()
            if name in reached:
                continue
            reached.add(name)
            if not (self.done(name) or self._from_cache(name)):
                stack.extend(self.model.strict_inputs(name))
        planned = self.model.closure(dict.fromkeys(roots), strict=True)
        return [name for name in planned if name in reached and not self.done(name)]

    def _from_cache(self, name: str) -> bool:
        """Take a variable's value from the cache (once asked, before its inputs)."""
        if self.reuse is None or name in self._looked_up:
            return False
        self._looked_up.add(name)
        try:
            value = self.reuse.cached_value(name)
        except TextsError as error:
            self.failures[name] = error
            return True
        if value is MISSING:
            return False
        self.values[name] = value
        self.events.cached(name, value)
        return True

    def attempt(self, compute: Callable[[Memo], T]) -> T:
        """Run ``compute`` with one memo, computing every variable it asks for, until it
        completes (each attempt resumes where the previous one was suspended)."""
        memo: Memo = {}
        while True:
            try:
                return compute(memo)
            except NeedValue as need:
                self.ensure([need.name])

    def export(self, statement: ir.Export) -> None:
        """Write the value of an export statement; errors are raised, not reported."""

        key = f"export:{self.model.exports.index(statement)}"
        if self.reuse is not None and self.reuse.export_is_current(statement):
            self.events.cached(key)
            return
        self.ensure(self.strict_roots(statement))
        try:
            with self.events.computing(key):
                value = self.attempt(
                    lambda memo: evaluate(statement.value, Scope(self.model, self.lazy, memo=memo))
                )
                replace = (
                    statement.kind == "file"
                    and self.reuse is not None
                    and self.reuse.may_replace(statement)
                )
                perform_export(statement, value, replace)
        except TextsError as error:
            error.span = error.span or statement.span
            self.events.finished(key, error=error)
            raise
        self.events.finished(key)
        if self.reuse is not None:
            self.reuse.exported(statement)

    def strict_roots(self, statement: object) -> list[str]:
        return self.model.strict_uses(statement)

    def show_views(self, result: RunResult) -> None:
        """Evaluate the ``view`` statements after the prints, reporting errors like prints.

        Drawing is the front end's job (a window, a file, a notebook cell): the result only
        carries the data.
        """
        for statement in self.model.views:
            try:
                shown = self.attempt(
                    lambda memo, s=statement: view_values(self.model, s, self.lazy, memo)
                )
            except TextsError as error:
                result.errors += 1
                self.report(error)
                continue
            result.views.append(shown)

    def print_line(self, statement: ir.Print, result: RunResult) -> None:
        """Format one print, or report why it cannot be shown."""
        try:
            line = self.attempt(lambda memo: print_text(self.model, statement, self.lazy, memo))
        except TextsError as error:
            result.errors += 1
            self.report(error)
            return
        result.lines.append(line)
