"""The property every fuzz test checks, and the example budget of the fuzz suite.

Whatever the input, ``texts`` must end normally: no Python exception escapes, nothing on
standard error looks like a traceback, the exit status is non-zero exactly when an error
was printed, and every error starts with one of the language's labels. A run that does
not end within :data:`HANG_SECONDS` is a hang, and fails with the place where it hung.
"""

from __future__ import annotations

import _thread
import contextlib
import io
import os
import re
import tempfile
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, settings

from texts.cli.main import main

#: examples of all fuzz tests together: ``TEXTS_FUZZ_EXAMPLES`` overrides (bench/fuzz.py)
TOTAL_EXAMPLES = int(os.environ.get("TEXTS_FUZZ_EXAMPLES", "2400"))
#: a CI run is reproducible; a long run explores new examples each time
LONG_RUN = TOTAL_EXAMPLES > 10_000
HANG_SECONDS = 60

settings.register_profile(
    "texts-fuzz",
    derandomize=not LONG_RUN,
    database=None,
    deadline=None if LONG_RUN else 20_000,  # milliseconds: slow, not hung (see watchdog)
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

LABELS = frozenset(
    {
        "Syntax error", "Semantic error", "Unknown object", "Initialization error",
        "Cyclic dependency", "Non-callable import", "Expression type error",
        "Type mismatch error", "Iterable property error", "Type error", "Value error",
        "Invalid key", "Invalid index", "Dimensionality error", "Undefined unit",
        "Offset unit calculus error", "Units error", "Invalid units error",
        "Arithmetic error", "Uncertainty error", "Data input error", "Import error",
        "Not implemented", "File exists error", "Operating system error",
        "Variable update error", "Vary error", "Tag error", "Evaluation error",
        "Ancestor evaluation error", "Resource configuration error", "Query error",
        "Reuse error", "Model not found", "Configuration error", "Compatibility error",
        "Memory error", "Recursion error", "Session error", "Magic error",
        "Variable error", "Datastore error",
    }
)  # fmt: skip
_LABEL = re.compile(r"(?P<label>[A-Z][^:\n]*?)(?:: [A-Za-z]\w*)?:( |$)")


def fuzz_settings(share: float) -> settings:
    """The settings of one fuzz test: its ``share`` of the example budget."""
    return settings(
        settings.get_profile("texts-fuzz"), max_examples=max(1, round(TOTAL_EXAMPLES * share))
    )


@dataclass
class Outcome:
    status: int
    out: str
    err: str


def error_lines(err: str) -> list[str]:
    """Standard error without warnings and the session's banner."""
    return [
        line
        for line in err.splitlines()
        if line and not line.startswith(("Warning: ", "Welcome to textS."))
    ]


def assert_labelled(err: str) -> None:
    """No traceback; the first error line starts with a label of the language."""
    assert "Traceback (most recent call last)" not in err, err
    lines = error_lines(err)
    if not lines:
        return
    match = _LABEL.match(lines[0])
    assert match is not None, f"error without a label: {lines[0]!r}"
    label = match.group("label")
    assert label in LABELS or label == "Unknown error", f"unknown label {label!r}"


@contextlib.contextmanager
def watchdog() -> Iterator[None]:
    """Interrupt the block if it runs longer than :data:`HANG_SECONDS`: the interruption
    (a ``KeyboardInterrupt`` where the run is) shows where it hung. A call into C code is
    interrupted when it returns."""
    timer = threading.Timer(HANG_SECONDS, _thread.interrupt_main)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def run_cli(args: list[str], workdir: Path) -> Outcome:
    """Run ``texts`` in-process in ``workdir``; an escaping exception fails the test."""
    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(workdir)
    try:
        with watchdog(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(args)
    except KeyboardInterrupt:
        raise AssertionError(
            f"texts did not end within {HANG_SECONDS} s:\n{traceback.format_exc()}"
        ) from None
    except BaseException:  # the property: nothing escapes
        raise AssertionError(
            f"texts raised instead of reporting:\n{traceback.format_exc()}"
        ) from None
    finally:
        os.chdir(previous)
    return Outcome(status, out.getvalue(), err.getvalue())


def assert_sound(outcome: Outcome) -> None:
    """The property: labelled errors, and a non-zero status exactly when one was shown."""
    assert_labelled(outcome.err)
    shown = bool(error_lines(outcome.err))
    assert (outcome.status != 0) == shown, (outcome.status, outcome.err)


def run_model(content: str | bytes, mode: str, *options: str) -> Outcome:
    """Write a model file (text, or raw bytes) in a fresh directory, run it in ``mode``
    and check the property."""
    with tempfile.TemporaryDirectory() as name:
        workdir = Path(name)
        path = workdir / "model.vm"
        raw = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
        path.write_bytes(raw)
        outcome = run_cli(["script", "-f", str(path), "-m", mode, *options], workdir)
    assert_sound(outcome)
    return outcome
