"""The deferred executor: builds the evaluation graph first, then evaluates it."""

from __future__ import annotations

from texts.executors.base import Executor, RunResult
from texts.run_events import observer


class DeferredExecutor(Executor):
    """Plans every node the prints need in one topological order, then runs the plan."""

    def run(self) -> RunResult:
        roots: dict[str, None] = {}
        for statement in self.model.prints:
            roots.update(dict.fromkeys(self.strict_roots(statement)))
        planned = self.plan(roots)
        observer().planned(len(planned))  # a progress line can show done/total
        self.ensure(planned)
        result = RunResult()
        for statement in self.model.prints:
            self.print_line(statement, result)
        self.show_views(result)
        return result
