"""The store refuses library versions its private touches were not written for."""

from __future__ import annotations

import importlib.metadata

import pytest

from texts.store import compat


def test_the_installed_versions_are_the_ones_compat_was_written_for() -> None:
    for package, version in compat.VERSIONS.items():
        assert importlib.metadata.version(package) == version


def test_another_version_is_refused_with_what_to_install(monkeypatch) -> None:
    def version(package: str) -> str:
        return "4.4.0" if package == "mongomock" else compat.VERSIONS[package]

    monkeypatch.setattr(importlib.metadata, "version", version)
    with pytest.raises(compat.IncompatibleLibrary) as refused:
        compat.check_versions()
    assert str(refused.value) == (
        "textS's store was written for mongomock 4.3.0, but mongomock 4.4.0 is installed:"
        " install mongomock==4.3.0 (texts/store/compat.py names the private parts it relies on)"
    )
