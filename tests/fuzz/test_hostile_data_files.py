"""Data files are data: a file naming a Python class, a pickle or an unsafe YAML tag is
refused with a labelled error, and nothing it asks for is built or run."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from texts.datastore.documents import from_document
from texts.interpreter.errors import TextsError

QUANTITY = "{{virtmat.language.utilities.serializable.FWQuantity}}"
#: each file would create the directory ``pwned`` if its instructions were followed
HOSTILE = {
    "class.json": json.dumps({"_fw_name": "{{os.mkdir}}", "path": "pwned"}),
    "pickle_tag.json": json.dumps({"py/object": "os.mkdir", "_fw_name": QUANTITY, "data": [1, []]}),
    "apply.yaml": '!!python/object/apply:os.mkdir ["pwned"]\n',
    "name.yaml": "a: !!python/name:os.mkdir\n",
    "new.yaml": "!!python/object/new:os.mkdir [pwned]\n",
    "units.json": json.dumps({"_fw_name": QUANTITY, "data": [1, [['__import__("os")', 1]]]}),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused(name: str, run_texts, tmp_path: Path) -> None:
    (tmp_path / name).write_text(HOSTILE[name], encoding="utf-8")
    (tmp_path / "model.vm").write_text(f"q = Quantity from file '{name}'\nprint(q)\n")
    result = run_texts("model.vm")
    assert result.status == 1
    assert result.out == "program output: >>>\n\n<<<\n"
    label = result.err.split(":", 1)[0]
    assert label in ("Data input error", "Units error"), result.err
    assert not (tmp_path / "pwned").exists()


def test_pickle_is_not_unpickled(run_texts, tmp_path: Path) -> None:
    (tmp_path / "value.json").write_bytes(pickle.dumps(Path("pwned")))
    (tmp_path / "model.vm").write_text("q = Quantity from file 'value.json'\nprint(q)\n")
    result = run_texts("model.vm")
    assert result.status == 1
    assert result.err.startswith("Data input error: ")


def test_foreign_class_error_names_the_file_and_the_class(run_texts, tmp_path: Path) -> None:
    (tmp_path / "class.json").write_text(HOSTILE["class.json"], encoding="utf-8")
    (tmp_path / "model.vm").write_text("q = Quantity from file 'class.json'\nprint(q)\n")
    err = run_texts("model.vm").err
    assert err.splitlines()[1:] == [
        "class.json: unsupported value type in data file: '{{os.mkdir}}'",
        "    1 | q = Quantity from file 'class.json'",
        "      |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    ]


@pytest.mark.parametrize(
    "document",
    [
        {"_texts_type": "{{os.mkdir}}", "path": "pwned"},
        {"_texts_type": QUANTITY, "py/reduce": [{"py/function": "os.mkdir"}], "data": [1, []]},
    ],
)
def test_workflow_values_refuse_foreign_classes(
    document: dict, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TextsError) as raised:
        from_document(document)
    assert raised.value.label == "Data input error"
    assert not (tmp_path / "pwned").exists()


def alias_bomb(levels: int) -> str:
    """A few hundred bytes of YAML whose aliases expand to 9**levels strings."""
    text = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    previous = "a"
    for name in "bcdefghijk"[: levels - 1]:
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text


@pytest.mark.parametrize("levels", [7, 10])
def test_a_yaml_alias_bomb_is_refused_at_once(run_texts, tmp_path: Path, levels: int) -> None:
    (tmp_path / "bomb.yaml").write_text(alias_bomb(levels))
    (tmp_path / "model.vm").write_text("s = String from file 'bomb.yaml'\nprint(s)\n")
    run = run_texts("model.vm")
    assert run.status == 1
    assert "Data input error" in run.err
    assert "aliases expand it beyond 1000000 nodes; refused" in run.err
    assert "Traceback" not in run.err


def test_a_yaml_file_with_a_few_aliases_is_read(run_texts, tmp_path: Path) -> None:
    (tmp_path / "aliased.yaml").write_text(
        "_fw_name: '{{virtmat.language.utilities.serializable.FWSeries}}'\n"
        "_version: 17\ndata: [&w word, *w, *w]\ndatatype: object\nname: s\n"
    )
    (tmp_path / "model.vm").write_text("s = Series from file 'aliased.yaml'\nprint(s)\n")
    run = run_texts("model.vm")
    assert (run.status, run.err) == (0, "")
    assert run.out.count("'word'") == 3
