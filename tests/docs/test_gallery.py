"""The gallery: at least 15 models, each runs without error in every executor its header
names and prints there what its page shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from docsite import gallery

EXAMPLES = gallery.examples()
CASES = [(example, executor) for example in EXAMPLES for executor in example.executors]
_shown: dict[str, list[str]] = {}


def shown_on_page(example: gallery.Example, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The output on the example's page: the page is built from a run in its first
    executor, exactly as the site build does."""
    if example.name not in _shown:
        workdir = tmp_path_factory.mktemp(example.name)
        steps = gallery.run_example(example, example.executors[0], workdir)
        assert [step.outcome.status for step in steps] == [0] * len(steps), steps
        page = gallery.render_page(example, steps)
        for step in steps:
            assert step.outcome.text.rstrip() in page
        _shown[example.name] = gallery.printed_output(steps)
    return _shown[example.name]


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
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    page = shown_on_page(example, tmp_path_factory)
    steps = gallery.run_example(example, executor, tmp_path)
    assert [step.outcome.status for step in steps] == [0] * len(steps)
    printed = gallery.printed_output(steps)
    if executor == "workflow" or example.executors[0] == "workflow":
        printed = [_frame(text) for text in printed]
        page = [_frame(text) for text in page]
    assert printed == page


def _frame(text: str) -> str:
    """Workflow mode prints the model's UUID before the frame; the rest is the same."""
    return text[text.find("program output: >>>") :]
