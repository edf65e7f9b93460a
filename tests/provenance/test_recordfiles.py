"""The embedded store's record files: what a crash, a repeat or a second writer leaves."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from texts.provenance.recordfiles import FileRecords
from texts.provenance.records import CodeIdentity, RunRecord


def run_record(number: int) -> RunRecord:
    return RunRecord(
        run=f"run{number}",
        model="m",
        model_hash="h",
        model_file=None,
        executor="instant",
        status="success",
        started=f"2026-01-01T00:00:{number % 60:02d}",
        ended=None,
        cached=False,
        rerun_of=None,
        tag={},
        code="c",
        workdir="/w",
    )


def runs(directory: Path) -> list[str]:
    return [d["run"] for d in FileRecords(directory).documents(RunRecord)]


def test_a_torn_line_is_skipped_and_the_next_append_starts_a_line_of_its_own(
    tmp_path: Path,
) -> None:
    records = FileRecords(tmp_path)
    records.append([run_record(1)])
    path = records.directory / "runs.jsonl"
    whole = path.read_bytes()
    path.write_bytes(whole + whole[: len(whole) // 2])  # a crash in the middle of a line
    records.append([run_record(2)])
    assert runs(tmp_path) == ["run1", "run2"]


def test_a_line_whose_checksum_fails_is_skipped(tmp_path: Path) -> None:
    records = FileRecords(tmp_path)
    records.append([run_record(1), run_record(2)])
    path = records.directory / "runs.jsonl"
    path.write_bytes(path.read_bytes().replace(b'"run1"', b'"runX"'))
    assert runs(tmp_path) == ["run2"]


def test_a_record_appended_twice_is_read_once_and_adding_counts_only_new_ones(
    tmp_path: Path,
) -> None:
    code = CodeIdentity("0.1.0", "3.11", {}, None)
    records = FileRecords(tmp_path)
    records.append([code, run_record(1)])
    records.append([code, run_record(1)])
    assert runs(tmp_path) == ["run1"]
    assert FileRecords(tmp_path).ids(CodeIdentity) == {code.id}
    again = [code.document(), run_record(1).document(), run_record(2).document()]
    assert FileRecords(tmp_path).add_documents(again) == 1


def _append_many(directory: str, first: int) -> None:
    records = FileRecords(Path(directory))
    for number in range(first, first + 100):
        records.append([run_record(number)])


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    writers = [
        context.Process(target=_append_many, args=(str(tmp_path), first)) for first in (0, 100)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
    assert sorted(runs(tmp_path)) == sorted(f"run{number}" for number in range(200))
