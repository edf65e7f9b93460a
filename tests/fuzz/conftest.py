"""Fuzz tests run ``texts`` thousands of times in one process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="module")
def _untranslated_messages() -> Iterator[None]:
    """argparse looks its messages up through gettext each time ``main`` builds its parser,
    searching the locale directories for every message unless the language is C; the
    messages are English either way, and the search would take most of each example."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LANGUAGE", "C")
        yield
