"""Offloaded files are trusted only when their content hash matches, and a reference
record cannot point outside the configured store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import model_uuid, offloaded_files

from texts.datastore.offloading import Origin, load, offload
from texts.datastore.payload import Payload
from texts.interpreter.errors import TextsError
from texts.interpreter.units import registry
from texts.interpreter.values import Series

Runner = Callable[..., tuple[int, str, str]]
MODEL = "big = range(0, 300, 1)\n"


def _stored(texts_in: Runner, directory: Path) -> str:
    (directory / "model.vm").parent.mkdir(parents=True, exist_ok=True)
    (directory / "model.vm").write_text(MODEL)
    status, out, err = texts_in(directory, "model.vm", "-m", "workflow", "--quiet", "-r")
    assert (status, err) == (0, "")
    return model_uuid(out)


def _print_big(texts_in: Runner, directory: Path, uuid: str) -> tuple[int, str, str]:
    (directory / "show.vm").write_text("print(big)\n")
    return texts_in(directory, "show.vm", "-m", "workflow", "--quiet", "-u", uuid)


@pytest.mark.parametrize("damage", ["corrupt", "remove"])
def test_a_damaged_file_is_an_error_naming_file_and_variable(
    texts_in: Runner, configure: Callable[..., Path], tmp_path: Path, damage: str
) -> None:
    store = configure(format="json", compress=False)
    uuid = _stored(texts_in, tmp_path / "work")
    (path,) = offloaded_files(store)
    if damage == "corrupt":
        path.write_text(path.read_text().replace("299", "298"))
    else:
        path.unlink()
    status, out, err = _print_big(texts_in, tmp_path / "work", uuid)
    assert status == 1 and "(big: 0" not in out
    reason = "corrupted (content hash mismatch)" if damage == "corrupt" else "missing"
    assert err.startswith("Datastore error:")
    assert f"the stored value of big is {reason}: {path}" in err


def _record(configure: Callable[..., Path]) -> dict[str, object]:
    configure()
    record = offload(
        Payload(Series("s", list(range(300)), registry().dimensionless, numeric=True)), Origin("s")
    )
    assert record is not None
    return record


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("file", "../" + "0" * 64 + ".json.gz"),
        ("file", "/etc/passwd"),
        ("location", "/etc"),
        ("location", "{store}/../elsewhere"),
    ],
)
def test_a_record_pointing_outside_the_store_is_refused(
    configure: Callable[..., Path], tmp_path: Path, field: str, value: str
) -> None:
    record = _record(configure)
    record[field] = value.format(store=tmp_path / "store")
    with pytest.raises(TextsError, match="outside the configured store") as error:
        load(record, Origin("s"))
    assert error.value.label == "Datastore error" and "value of s" in error.value.message


def test_equal_values_are_stored_once_and_load_back(configure: Callable[..., Path]) -> None:
    first, second = _record(configure), _record(configure)
    assert first == second
    assert len(offloaded_files(configure())) == 1
    assert load(first, Origin("s")).elements == list(range(300))


def test_a_changed_path_keeps_old_values_readable_when_listed(
    configure: Callable[..., Path], tmp_path: Path
) -> None:
    record = _record(configure)
    configure(path=str(tmp_path / "new"))
    with pytest.raises(TextsError, match="outside the configured store"):
        load(record, Origin("s"))
    configure(path=[str(tmp_path / "new"), str(tmp_path / "store")])
    assert len(load(record, Origin("s")).elements) == 300


def test_a_value_file_replaced_by_a_directory_is_an_error_naming_it(
    texts_in: Runner, configure: Callable[..., Path], tmp_path: Path
) -> None:
    store = configure(format="json", compress=False)
    uuid = _stored(texts_in, tmp_path / "work")
    (path,) = offloaded_files(store)
    path.unlink()
    path.mkdir()
    status, out, err = _print_big(texts_in, tmp_path / "work", uuid)
    assert status == 1 and "(big: 0" not in out
    assert err.startswith("Datastore error:")
    assert (
        f"the stored value of big cannot be read: {path}: Is a directory. Restore the file"
        " from a copy; running the model anew (a new workflow) computes the value again.\n"
    ) in err


def test_in_instant_mode_a_cached_value_whose_file_is_a_directory_is_computed_again(
    texts_in: Runner, configure: Callable[..., Path], tmp_path: Path
) -> None:
    store = configure(format="json", compress=False)
    work = tmp_path / "work"
    work.mkdir()
    (work / "model.vm").write_text(MODEL + "print(big[299])\n")
    assert texts_in(work, "model.vm")[:2] == (0, "program output: >>>\n299\n<<<\n")
    (path,) = offloaded_files(store)
    path.unlink()
    path.mkdir()
    for _ in range(2):  # read, then (the value cannot be stored again there) not cached
        status, out, err = texts_in(work, "model.vm", "--verbose")
        assert (status, out.splitlines()[:3]) == (0, ["program output: >>>", "299", "<<<"])
        assert "big: computed" in out + err
        assert "Traceback" not in err
    assert path.is_dir()
