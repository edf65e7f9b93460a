"""The session's line editor on a terminal (prompt_toolkit): history kept across sessions,
Tab completion, multi-line input, syntax highlighting, Ctrl-C and Ctrl-D.

* History lives in the user's data directory (``platformdirs``: ``~/.local/share/texts`` on
  Linux), never in the working directory; ``TEXTS_HISTORY_FILE`` names another file.
* Tab completes with the same completer as the Jupyter kernel (``session.completion``).
* Enter runs the input when it is complete by the session's rule (``is_complete``: no
  open bracket or string, no trailing operator); otherwise it starts a new line, shown
  with the continuation prompt. Escape then Enter runs it as it is.
* Ctrl-C clears the line being typed (the model is untouched); during an evaluation it
  stops launching as in ``texts script``. Ctrl-D on an empty line leaves the session.

prompt_toolkit is imported only here: this module is imported when a session runs on a
terminal.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from platformdirs import user_data_path
from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.filters import has_completions
from prompt_toolkit.history import FileHistory
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.lexers import PygmentsLexer

from texts.lexer import TextsLexer
from texts.session.completion import complete
from texts.session.session import Session, is_complete

HISTORY_FILE_NAME = "session_history"


def history_path() -> Path:
    """Where the inputs of past sessions are kept."""
    override = os.environ.get("TEXTS_HISTORY_FILE")
    if override:
        return Path(override)
    return user_data_path("texts", appauthor=False) / HISTORY_FILE_NAME


def terminal_inputs(
    session: Session, prompt: str, continuation: str, names: Callable[[], Iterable[str]]
) -> Iterator[str]:
    """Inputs read from the terminal until Ctrl-D (or ``%exit``, which the caller sees)."""
    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    reader: PromptSession[str] = PromptSession(
        history=FileHistory(str(path)),
        completer=SessionCompleter(names, session.options.workdir),
        complete_while_typing=False,
        multiline=True,
        key_bindings=_key_bindings(),
        prompt_continuation=lambda _width, _line, _wrap: continuation,
        lexer=PygmentsLexer(TextsLexer),  # the language's lexer, highlighting as one types
        enable_history_search=False,
    )
    while True:
        try:
            text = reader.prompt(prompt)
        except KeyboardInterrupt:  # Ctrl-C: the line is dropped, the model is not
            continue
        except EOFError:  # Ctrl-D
            return
        if text.strip():
            yield text


def _key_bindings() -> KeyBindings:
    """Enter runs a complete input and continues an incomplete one."""
    bindings = KeyBindings()

    @bindings.add("enter", filter=~has_completions)
    def _enter(event: Any) -> None:
        buffer = event.current_buffer
        text = buffer.document.text
        if text.lstrip().startswith("%") or is_complete(text):
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    @bindings.add("enter", filter=has_completions)
    def _choose(event: Any) -> None:  # Enter takes the completion chosen in the menu
        buffer = event.current_buffer
        if buffer.complete_state is not None and buffer.complete_state.current_completion:
            buffer.apply_completion(buffer.complete_state.current_completion)
        else:
            buffer.cancel_completion()

    @bindings.add("escape", "enter")
    def _run_as_is(event: Any) -> None:
        event.current_buffer.validate_and_handle()

    return bindings


class SessionCompleter(Completer):
    """prompt_toolkit's face of the session's completer."""

    def __init__(self, names: Callable[[], Iterable[str]], workdir: Path) -> None:
        self.names = names  # the active model's names, read once per input
        self.workdir = workdir  # where file arguments of magics are completed

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterator[Completion]:
        text, cursor = document.text, document.cursor_position
        matches, start = complete(text, cursor, self.names(), self.workdir)
        for match in matches:
            yield Completion(match, start_position=start - cursor)
