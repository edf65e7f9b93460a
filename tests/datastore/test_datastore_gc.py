"""``texts datastore gc`` removes what no stored model references, and nothing else."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import model_uuid, offloaded_files

Runner = Callable[..., tuple[int, str, str]]


def test_gc_removes_the_values_of_archived_launches_only(
    texts_in: Runner, configure: Callable[..., Path], tmp_path: Path
) -> None:
    store = configure()
    work, other = tmp_path / "work", tmp_path / "other"
    work.mkdir()
    other.mkdir()
    (other / "m.vm").write_text("kept = range(0, 400, 1)\n")
    kept = model_uuid(texts_in(other, "m.vm", "-m", "workflow", "-r")[1])
    (work / "m.vm").write_text("big = range(0, 300, 1)\n")
    uuid = model_uuid(texts_in(work, "m.vm", "-m", "workflow", "-r")[1])
    (work / "u.vm").write_text("big := range(0, 500, 1)\n")
    assert texts_in(work, "u.vm", "-m", "workflow", "-r", "-u", uuid)[0] == 0
    before = offloaded_files(store)
    assert len(before) == 3  # other's value, big's old and new value

    status, out, _ = texts_in(work, "datastore", "gc", "--dry-run", "--min-age", "0")
    assert status == 0 and offloaded_files(store) == before
    assert out.count("would remove ") == 2 and "would remove 1 unreferenced files" in out

    assert texts_in(work, "datastore", "gc")[1].startswith("removed 0 ")  # too recent
    status, out, _ = texts_in(work, "datastore", "gc", "--min-age", "0")
    assert status == 0 and "removed 1 unreferenced files" in out
    assert len(offloaded_files(store)) == 2
    (work / "p.vm").write_text("print(big)\n")
    status, out, _ = texts_in(work, "p.vm", "-m", "workflow", "-u", uuid)
    assert status == 0 and "499)" in out
    (other / "p.vm").write_text("print(kept)\n")
    status, out, _ = texts_in(other, "p.vm", "-m", "workflow", "-u", kept)
    assert status == 0 and "399)" in out  # another store's value was kept


def test_gc_forgets_stores_that_are_gone(
    texts_in: Runner, configure: Callable[..., Path], tmp_path: Path
) -> None:

    store = configure()
    gone, work = tmp_path / "gone", tmp_path / "work"
    gone.mkdir()
    (gone / "m.vm").write_text("lost = range(0, 400, 1)\n")
    assert texts_in(gone, "m.vm", "-m", "workflow", "-r")[0] == 0
    shutil.rmtree(gone / ".texts")
    status, out, _ = texts_in(work, "datastore", "gc", "--min-age", "0")
    assert status == 0 and "removed 1 unreferenced files" in out
    assert offloaded_files(store) == []
