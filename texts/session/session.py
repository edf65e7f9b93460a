"""An interactive session on a persistent model: each input is a magic, statements or an
expression, applied to the active model (and its group) in the workflow database.

The store is opened for each input and closed after it, never held while the user types:
a script or a queue job can use the same embedded store between two inputs, and the
session sees what they did. Background evaluation (``%async on``) takes the same lock.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from texts.cli.running import Output
from texts.executors.workflow.executor import WorkflowOptions
from texts.executors.workflow.models import StoredModel, find_model
from texts.executors.workflow.queue import BatchQueue, batch_queue
from texts.grammar.classify import is_statement
from texts.interpreter.errors import TextsError
from texts.interpreter.source import Source
from texts.store.errors import StoreError
from texts.views.display import Display

if TYPE_CHECKING:
    from texts.store.workflows import WorkflowStore

_OPENING, _CLOSING = "([{", ")]}"
_CONTINUING = ("+", "-", "*", "/", "**", "^", ",", "=", ":", "and", "or", "not", "if", "else")


def is_complete(text: str) -> bool:
    """Whether an input can be processed, or needs more lines (open brackets or strings,
    a trailing operator)."""
    depth = 0
    quote = ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth -= 1
    stripped = text.rstrip()
    trailing = any(
        stripped.endswith(token) if not token.isalpha() else stripped.split()[-1:] == [token]
        for token in _CONTINUING
    )
    return not quote and depth <= 0 and not (stripped and trailing)


@dataclass
class SessionOptions:
    """What the session's command line and magics set."""

    autorun: bool = False
    on_demand: bool = False
    background: bool = False
    sleep_seconds: float = 30.0
    unique_launchdir: bool = True
    detect_duplicates: bool = True
    signature: str = "default"
    jobs: int = 1
    launchpad_file: str | None = None
    qadapter_file: str | None = None
    workdir: Path = field(default_factory=Path.cwd)


def option_values(args: Any) -> dict[str, Any]:
    """The session options that the command-line flags of ``texts session`` and of a
    ``%%texts`` cell set, by name (for ``SessionOptions`` or ``Session.with_options``)."""
    signature = getattr(args, "signature", "default")
    return {
        "autorun": args.autorun or args.on_demand,  # evaluating on demand is evaluating
        "on_demand": args.on_demand,
        "unique_launchdir": not args.no_unique_launchdir,
        "detect_duplicates": not args.no_duplicate_detection
        and signature not in ("ignore", "force"),
        "signature": signature,
        "launchpad_file": args.launchpad_file,
        "qadapter_file": args.qadapter_file,
        "jobs": args.jobs,
    }


class Session:
    """The state of one interactive session and the processing of its inputs."""

    def __init__(
        self,
        options: SessionOptions,
        console: Output,
        write: Callable[[str], None],
        display: Display | None = None,
        prefix: str = "Output > ",
    ) -> None:
        """``write`` shows output lines, each print's after ``prefix``; ``display`` shows the
        plots of ``view`` statements (none: they are only checked)."""
        self.options = options
        self.console = console
        self.write = write
        self.display = display
        self.prefix = prefix
        self.uuid: str | None = None
        self.inputs = 0
        self.lock = threading.RLock()
        self.background: Any = None
        self._names: tuple[tuple[str | None, int] | None, set[str]] = (None, set())

    # ---- the store

    @contextlib.contextmanager
    def store(self) -> Iterator[WorkflowStore]:
        """The open workflow store for one step, released afterwards."""
        # lazily for start-up: an input or a magic imports only what it runs
        from texts.store.errors import StoreError  # noqa: PLC0415
        from texts.store.workflows import open_workflow_store  # noqa: PLC0415

        with self.lock:
            try:
                store = open_workflow_store(self.options.launchpad_file, self.options.workdir)
            except StoreError as error:
                raise TextsError("Configuration error", str(error)) from None
            try:
                yield store
            finally:
                store.close()

    def queue(self) -> BatchQueue | None:
        """Where batch nodes go: the queue of ``%qadapter``, read anew for each use."""
        options = self.options
        return batch_queue(options.qadapter_file, options.launchpad_file, options.workdir)

    def active(self, store: WorkflowStore) -> StoredModel | None:
        return find_model(store, self.uuid) if self.uuid else None

    def require_model(self) -> str:
        if self.uuid is None:
            raise TextsError("Session error", "No model is currently loaded.")
        return self.uuid

    def group(self) -> list[str]:
        """The UUIDs of the active model's group (the active one first)."""
        # lazily for start-up: an input or a magic imports only what it runs
        from texts.executors.workflow.models import find_group  # noqa: PLC0415

        if self.uuid is None:
            return []
        with self.store() as store:
            return [model.uuid for model in find_group(store, find_model(store, self.uuid))]

    def model_names(self) -> set[str]:
        """The names the active model defines, for completion (read once per input)."""
        # lazily for start-up: an input or a magic imports only what it runs
        from texts.session.completion import defined_names  # noqa: PLC0415

        key = (self.uuid, self.inputs)
        if self._names[0] != key:
            names: set[str] = set()
            if self.uuid is not None:
                with self.store() as store:
                    model = self.active(store)
                    names = defined_names(model.statements) | set(model.vary) if model else set()
            self._names = (key, names)
        return self._names[1]

    # ---- inputs

    def handle(self, text: str) -> bool:
        """Process one complete input; ``False`` when the session ends."""
        # lazily for start-up: an input or a magic imports only what it runs
        from texts.session.magics import run_magic  # noqa: PLC0415

        self.inputs += 1
        stripped = text.strip()
        try:
            if stripped.startswith("%"):
                return run_magic(self, stripped[1:])
            if stripped:
                program = text if is_statement(text) else f"print({stripped})"
                self.run_program(Source(program, f"<input {self.inputs}>"))
        except TextsError as error:
            self.console.error(error)
        except StoreError as error:  # a store that could not be written (a full disk, ...)
            self.console.error(TextsError("Store error", str(error)))
        return True

    def run_program(self, source: Source, show_output: bool = True) -> None:
        """Add statements to the model (and its group), run by policy, show the prints."""
        # lazily for start-up: an input or a magic imports only what it runs
        from texts.cli.running import Reported  # noqa: PLC0415
        from texts.executors.protocol import RunContext  # noqa: PLC0415
        from texts.executors.runner import run_input  # noqa: PLC0415

        self._show_source(source)
        queue = self.queue()  # a bad qadapter file is reported before anything is stored
        with self.store() as store:
            context = RunContext(
                lambda text, _mode: self._check(text),
                self.console.error,
                self.console.warn,
                self.options.workdir,
                self._show_source,
                store=store,
                options=WorkflowOptions(
                    self.options.autorun and not self.options.background,
                    self.options.on_demand,
                    self.options.launchpad_file,
                    self.options.workdir,
                    detect_duplicates=self.options.detect_duplicates,
                    signature=self.options.signature,
                    jobs=self.options.jobs,
                    queue=queue,
                ),
                active=self.active(store),
            )
            try:
                run, result = run_input("workflow", source, context)
            except Reported:
                return
        if result is None:
            return
        self.uuid = run.uuid
        if show_output:
            # lazily for start-up: an input or a magic imports only what it runs
            from texts.views.display import show_views  # noqa: PLC0415

            for line in result.lines:
                self.write(f"{self.prefix}{line}")
            show_views(result.views, self.display, self.console)

    def _check(self, source: Source) -> Any:
        # lazily for start-up: an input or a magic imports only what it runs
        from texts.cli.running import Reported  # noqa: PLC0415
        from texts.grammar import parse_source  # noqa: PLC0415
        from texts.interpreter.checks import check_program  # noqa: PLC0415

        try:
            program = parse_source(source)
            if not program.statements:
                return None
            return check_program(program, "workflow", self.console.warn)
        except TextsError as error:
            self.console.error(error)
            raise Reported from None

    def _show_source(self, source: Source) -> None:
        """Errors from now on refer to this text."""
        self.console.source = source

    def load_file(self, path: str, new_model: bool) -> None:
        """``%new 'file'`` / ``%load 'file'``: the file's statements as one input."""
        # lazily for start-up: an input or a magic imports only what it runs
        from texts.cli.script import read_source  # noqa: PLC0415

        if new_model:
            self.uuid = None
        self.run_program(read_source(path))

    def switch(self, uuid: str) -> None:
        """Make another stored model the active one."""
        with self.store() as store:
            find_model(store, uuid)
        self.uuid = uuid

    def with_options(self, **changes: Any) -> None:
        self.options = replace(self.options, **changes)
