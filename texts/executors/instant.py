"""The instant executor: evaluates while interpreting, each print pulling what it needs."""

from __future__ import annotations

from texts.executors.base import Executor, RunResult


class InstantExecutor(Executor):
    """Walks the prints in source order; each computes its missing inputs on demand."""

    def run(self) -> RunResult:
        result = RunResult()
        for statement in self.model.prints:
            self.ensure(self.strict_roots(statement))
            self.print_line(statement, result)
        self.show_views(result)
        return result
