"""The datastore configuration: files, precedence, defaults and refusals."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from texts.datastore.config import DEFAULT_THRESHOLD, current_config
from texts.interpreter.errors import TextsError


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("type: disk\n", "type"),
        ("inline-threshold: many\n", "inline-threshold"),
        ("format: xml\n", "format"),
        ("compress: maybe\n", "compress"),
        ("path: 3\n", "path"),
        ("colour: blue\n", "colour"),
    ],
)
def test_an_invalid_value_names_the_key(
    configure: Callable[..., Path], tmp_path: Path, text: str, key: str
) -> None:
    configure()
    (tmp_path / "home" / "datastore.yaml").write_text(text)
    with pytest.raises(TextsError, match=key) as error:
        current_config()
    assert error.value.label == "Configuration error"


def test_the_resource_section_is_read_and_the_dedicated_file_wins(
    configure: Callable[..., Path], tmp_path: Path
) -> None:
    configure()
    home = tmp_path / "home"
    (home / "datastore.yaml").write_text("format: hdf5\n")
    (home / "res_config.yaml").write_text(
        "datastore:\n  type_: gridfs\n  format_: yaml\n  inline_threshold: 7\n  use_sha256: true\n"
    )
    config = current_config()
    assert (config.type, config.format, config.inline_threshold) == ("gridfs", "hdf5", 7)
    assert config.compress and config.path == home / ".fireworks" / "vre-language-datastore"


def test_defaults_and_type_null(configure: Callable[..., Path], tmp_path: Path) -> None:
    configure()
    (tmp_path / "home" / "datastore.yaml").write_text("type: null\n")
    config = current_config()
    assert config.type is None and config.inline_threshold == DEFAULT_THRESHOLD


def test_importing_creates_no_directory(tmp_path: Path) -> None:
    code = "import texts.datastore.offloading, texts.datastore.documents"
    subprocess.run([sys.executable, "-c", code], check=True, env={"HOME": str(tmp_path)})
    assert list(tmp_path.iterdir()) == []
