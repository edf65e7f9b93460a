"""The gallery: at least 15 models, each runs without error in every executor its header
names and prints there what its page shows.

The page shows the run of the model's first executor (``docsite/gallery.py``; the site
build fails if that run fails). Here every executor runs the model in this process, and
each one's output frame must be the one on the page rendered from the first executor's
run.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from docsite import gallery
from docsite.running import Outcome
from texts.cli.main import main

EXAMPLES = gallery.examples()
CASES = [(example, executor) for example in EXAMPLES for executor in example.executors]
FRAME = re.compile(r"^program output: >>>\n.*?^<<<$", re.MULTILINE | re.DOTALL)
_pages: dict[str, str] = {}


def run(example: gallery.Example, executor: str, workdir: Path) -> list[gallery.Step]:
    """The model and its steps, as ``gallery.run_example`` runs them, in this process."""
    for name in (example.path.name, *example.files, *example.steps):
        shutil.copy(example.path.parent / name, workdir / name)
    options = ["-m", executor] + (["-r"] if executor == "workflow" else [])
    steps = [_step(workdir, example.path.name, *options)]
    uuid = gallery.UUID_LINE.search(steps[0].outcome.text)
    for step in example.steps:
        assert uuid, steps[0].outcome.text
        steps.append(_step(workdir, step, "-m", "workflow", "-r", "-u", uuid.group(1)))
    return steps


def _step(workdir: Path, model: str, *options: str) -> gallery.Step:
    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(workdir)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            status = main(["script", "-f", model, *options])
    finally:
        os.chdir(previous)
    command = " ".join(("texts", model, *options))
    return gallery.Step(command, Outcome(status, out.getvalue() + err.getvalue()))


def page(example: gallery.Example, workdir: Path) -> str:
    """The example's page, rendered from a run of its first executor (once per session)."""
    if example.name not in _pages:
        steps = run(example, example.executors[0], workdir)
        assert [step.outcome.status for step in steps] == [0] * len(steps), steps
        _pages[example.name] = gallery.render_page(example, steps)
    return _pages[example.name]


def frames(text: str) -> list[str]:
    return FRAME.findall(text)


def test_the_gallery_has_at_least_15_models_with_headers() -> None:
    assert len(EXAMPLES) >= 15
    for example in EXAMPLES:
        assert example.description, example.name
        for name in example.files:
            assert (example.path.parent / name).exists(), (example.name, name)


@pytest.mark.parametrize(("example", "executor"), CASES, ids=[f"{e.name}-{x}" for e, x in CASES])
def test_each_executor_prints_what_the_page_shows(
    example: gallery.Example,
    executor: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for setting in example.env:
        monkeypatch.setenv(*setting.split("=", 1))
    (tmp_path / "page").mkdir()
    (tmp_path / "run").mkdir()
    shown = frames(page(example, tmp_path / "page"))
    steps = run(example, executor, tmp_path / "run")
    assert [step.outcome.status for step in steps] == [0] * len(steps), steps
    printed = [frame for step in steps for frame in frames(step.outcome.text)]
    assert printed
    assert printed == shown
