"""A crash of the embedded store at a chosen point, for the tests of what survives it."""

from __future__ import annotations

import pytest

from texts.store.embedded import EmbeddedStore
from texts.store.errors import StoreError
from texts.store.journal import JournalFile


def kill_before_emptying_the_journal(store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Close ``store`` as if the process were killed after the store file was written and
    before its journal was emptied: the journal still holds every record of changes."""

    def killed(_journal: JournalFile) -> None:
        raise OSError("killed")

    with monkeypatch.context() as patched:
        patched.setattr(JournalFile, "clear", killed)
        with pytest.raises(StoreError, match="killed"):
            store.close()
