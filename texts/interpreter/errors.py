"""Errors of the language, each with the label users know from the reference tool.

All user-facing failures are :class:`TextsError` instances. Python exceptions raised while
evaluating (division by zero, pint's dimensionality errors, errors of imported functions)
are mapped to labelled errors in one place, :func:`from_exception`.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from texts.interpreter.source import Source, Span


class TextsError(Exception):
    """A labelled error, optionally attached to a span of the program text.

    ``notes`` are extra located lines such as ``used here: <location>``; each is a
    ``(prefix, span)`` pair printed below the message with four spaces of indent.
    """

    def __init__(
        self,
        label: str,
        message: str,
        span: Span | None = None,
        notes: Sequence[tuple[str, Span]] = (),
        source: Source | None = None,
        excerpt: bool = True,
    ) -> None:
        super().__init__(message)
        self.label = label
        self.message = message
        self.span = span
        self.notes = tuple(notes)
        self.source = source
        self.excerpt = excerpt
        self.in_condition = False
        """Raised by the condition of an ``if`` (the static checks report it as it is)."""

    def with_note(self, prefix: str, span: Span) -> TextsError:
        """Return the same error with one more located note (for ``used here:``)."""
        return TextsError(
            self.label,
            self.message,
            self.span,
            (*self.notes, (prefix, span)),
            self.source,
            self.excerpt,
        )

    def render(self, source: Source | None = None, pointed: bool = True) -> str:
        """Format the error as ``Label: file:line:col --> excerpt <--`` and the message,
        then (``pointed``) the offending line with carets under the element."""
        source = self.source or source
        if self.span is None or source is None:
            head = f"{self.label}: "
            return head + self.message
        if self.excerpt:
            where = source.location(self.span)
        else:
            line, col = source.line_col(self.span.start)
            where = f"{source.part(self.span.start)[1]}:{line}:{col}"
        lines = [f"{self.label}: {where}", self.message]
        lines.extend(f"    {prefix}: {source.location(span)}" for prefix, span in self.notes)
        if pointed:
            lines.extend(source.pointed(self.span))
        return "\n".join(lines)


class SyntaxErrorAt(TextsError):
    """A syntax error; its excerpt marks the position with ``*`` inside the context."""

    def __init__(self, message: str, offset: int, source: Source) -> None:
        super().__init__("Syntax error", message, Span(offset, offset), source=source)
        self.offset = offset

    def render(self, source: Source | None = None, pointed: bool = True) -> str:
        source = self.source or source
        assert source is not None
        text = source.text
        line_start = text.rfind("\n", 0, self.offset) + 1
        line_end = text.find("\n", self.offset)
        line_end = len(text) if line_end == -1 else line_end
        # the context stays on the offending line: inputs joined in a session never mix
        before = text[max(line_start, self.offset - 10) : self.offset]
        after = text[self.offset : min(line_end, self.offset + 10)]
        context = (before + "*" + after).replace("\r", " ")
        line, col = source.line_col(self.offset)
        path = source.part(self.offset)[1]
        lines = [f"Syntax error: {path}:{line}:{col} --> {context} <--", self.message]
        if pointed:
            lines.extend(source.pointed(Span(self.offset, self.offset + 1)))
        return "\n".join(lines)


def _pint_label(exc: Exception) -> str | None:
    """The label of a pint exception, or None if it is not one."""
    name = type(exc).__name__
    return {
        "DimensionalityError": "Dimensionality error",
        "OffsetUnitCalculusError": "Offset unit calculus error",
        "UndefinedUnitError": "Undefined unit",
        "LogarithmicUnitCalculusError": "Units error",
        "DefinitionSyntaxError": "Units error",
    }.get(name)


def _pint_message(exc: Exception) -> str:
    if type(exc).__name__ == "UndefinedUnitError":
        names = getattr(exc, "unit_names", ())
        name = names[0] if isinstance(names, tuple) and names else names
        return f"'{name}' is not defined in the unit registry"
    return str(exc)


def from_exception(exc: BaseException, span: Span | None) -> TextsError:
    """Map any exception raised during evaluation to a labelled :class:`TextsError`."""
    if isinstance(exc, TextsError):
        return exc
    label = _pint_label(exc) if isinstance(exc, Exception) else None
    if label is not None:
        return TextsError(label, _pint_message(exc), span)
    if isinstance(exc, ZeroDivisionError | ArithmeticError):
        return TextsError("Arithmetic error", str(exc), span)
    if isinstance(exc, RecursionError):
        message = "expressions or function calls are nested too deeply"
        return TextsError("Recursion error", message, span)
    if isinstance(exc, MemoryError):
        return TextsError("Memory error", "not enough memory to compute this value", span)
    if isinstance(exc, TypeError):
        return TextsError("Type error", str(exc), span)
    if isinstance(exc, OSError):
        return TextsError("Operating system error", str(exc), span)
    return TextsError(f"Unknown error: {type(exc).__name__}", str(exc), span)


@contextlib.contextmanager
def stack_guard(span: Span | None) -> Iterator[None]:
    """Report a statement whose expressions or function calls nest deeper than the Python
    stack allows as a labelled error at ``span`` (raised once the stack has unwound)."""
    try:
        yield
    except RecursionError as exc:
        raise from_exception(exc, span) from None


class LanguageWarning(UserWarning):
    """A warning found while evaluating (a skipped check, repeated work): front ends show
    it as ``Warning: <message>``, each text once per run."""


def warn_at_runtime(message: str) -> None:
    """Issue a run-time warning; :func:`runtime_warnings` decides where it goes."""
    warnings.warn(message, LanguageWarning, stacklevel=2)


@contextlib.contextmanager
def runtime_warnings(show: Callable[[str], None]) -> Iterator[None]:
    """Route the run-time warnings issued inside the block to ``show``, each text once."""
    shown: set[str] = set()
    other = warnings.showwarning

    def route(message: Warning | str, category: type, *args: Any, **kwargs: Any) -> None:
        if not issubclass(category, LanguageWarning):
            other(message, category, *args, **kwargs)  # a library's own warning
            return
        text = str(message)
        if text not in shown:
            shown.add(text)
            show(text)

    with warnings.catch_warnings():
        warnings.simplefilter("always", LanguageWarning)
        warnings.showwarning = route
        yield
