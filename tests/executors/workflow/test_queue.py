"""Batch nodes (-q): submitted to a stand-in SLURM queue and computed by ``texts worker``."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from processes import TEXTS, finished
from stand_in_slurm import QADAPTER, cluster

from texts.executors.workflow.queue import queue_fields
from texts.session.session import Session, SessionOptions
from texts.store.embedded import DATABASE_NAME, load_server

pytestmark = pytest.mark.filterwarnings(  # FireWorks imports its own tests to find the adapter
    "ignore::pytest.PytestUnknownMarkWarning"
)
MODEL = "a = 6 * 7 for 1 [hour] on 4 cores with 2 [GB]\nb = 1\nc = a + b\nprint(a, b)\n"
SCRIPT = ("script", "-f", "model.vm", "-m", "workflow", "--quiet")


def texts(tmp_path: Path, env: dict[str, str], model: str, *options: str) -> tuple[int, str, str]:
    """A run in a process of its own: the job waits for the store that it holds."""
    (tmp_path / "model.vm").write_text(model)
    result = finished([*TEXTS, *SCRIPT, *options], tmp_path, env)
    return result.returncode, result.stdout, result.stderr


def here(run_texts: Any, *options: str) -> tuple[int, str, str]:
    """A run in this process, of the model in model.vm."""
    result = run_texts(*SCRIPT, *options)
    return result.status, result.out, result.err


def output(status: int, out: str, err: str) -> tuple[str, str]:
    """The model UUID and the printed lines of a successful run."""
    assert status == 0, err
    header, _, rest = out.partition("\nprogram output: >>>\n")
    return header.removeprefix("program UUID: "), rest.removesuffix("\n<<<\n")


def stored(tmp_path: Path, collection: str) -> list[dict]:
    server, _ = load_server(tmp_path / ".texts" / "launchpad.json")
    return list(server[DATABASE_NAME][collection].documents)


def states(tmp_path: Path) -> dict[str, str]:
    return {node["name"]: node["state"] for node in stored(tmp_path, "fireworks")}


def node_id(tmp_path: Path, name: str) -> int:
    return next(node["fw_id"] for node in stored(tmp_path, "fireworks") if node["name"] == name)


def test_a_batch_node_is_submitted_once_with_its_resources_and_reserved_for_its_job(
    tmp_path: Path, run_texts, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", cluster(tmp_path, "holds")["PATH"])
    (tmp_path / "model.vm").write_text(MODEL)
    uuid, printed = output(*here(run_texts, "-r", "-q", "q.yaml"))
    assert printed == "n.c. 1"
    assert states(tmp_path) == {
        "_root": "COMPLETED",
        "a": "RESERVED",
        "b": "COMPLETED",
        "c": "WAITING",
    }
    fw_id = node_id(tmp_path, "a")
    reservation = next(
        launch for launch in stored(tmp_path, "launches") if launch["fw_id"] == fw_id
    )
    assert reservation["state_history"][-1]["reservation_id"] == "12345"
    script = (tmp_path / "bin" / "submitted.log").read_text()
    for line in ("--time=01:00:00", "--ntasks=4", "--mem=2000", "--job-name=a", "--nodes=1"):
        assert f"#SBATCH {line}\n" in script
    assert "--ntasks-per-node" not in script  # the annotation decides the task count
    assert f"cd {tmp_path}/.texts/launches/a-{fw_id}\n" in script
    assert f"-m texts worker --workdir {tmp_path} singleshot --fw_id {fw_id}\n" in script

    (tmp_path / "model.vm").write_text("print(a, c)\n")
    _, printed = output(*here(run_texts, "-u", uuid, "-r", "-q", "q.yaml"))
    assert printed == "n.c. n.c."
    assert (tmp_path / "bin" / "submitted.log").read_text() == script  # not submitted again


def test_the_job_computes_the_batch_node_and_a_later_run_its_dependants(
    tmp_path: Path, run_texts
) -> None:
    env = cluster(tmp_path, "runs")
    uuid, printed = output(*texts(tmp_path, env, MODEL, "-r", "-q", "q.yaml"))
    assert printed == "n.c. 1"
    (tmp_path / "model.vm").write_text("print(a)\n")
    deadline = time.monotonic() + 60
    while printed != "42" and time.monotonic() < deadline:
        time.sleep(0.2)
        _, printed = output(*here(run_texts, "-u", uuid))
    assert printed == "42"
    (tmp_path / "model.vm").write_text("print(c)\n")
    _, printed = output(*here(run_texts, "-u", uuid, "-r", "-q", "q.yaml"))
    assert printed == "43"
    launch = tmp_path / ".texts" / "launches" / f"a-{node_id(tmp_path, 'a')}"
    assert {"FW_submit.script", "FW_job.out", "FW_job.error"} <= {p.name for p in launch.iterdir()}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Cannot read the qadapter file q.yaml: No such file or directory"),
        ("_fw_name: CommonAdapter\n", "The qadapter file q.yaml has no '_fw_q_type' setting."),
        (
            "_fw_name: CommonAdapter\n_fw_q_type: SLURM\nrocket_launch: rlaunch singleshot\n",
            "The rocket_launch of the qadapter file q.yaml runs rlaunch",
        ),
    ],
)
def test_an_unusable_qadapter_file_is_reported_before_anything_is_stored(
    tmp_path: Path, run_texts, content: str | None, message: str
) -> None:
    if content is not None:
        (tmp_path / "q.yaml").write_text(content)
    (tmp_path / "model.vm").write_text(MODEL)
    result = run_texts(*SCRIPT, "-r", "-q", "q.yaml")
    assert (result.status, result.out) == (1, "")
    assert result.err.startswith(f"Configuration error: {message}")
    assert result.err.count("\n") == 1
    assert not (tmp_path / ".texts").exists()


def test_a_failed_submission_says_what_the_queue_answered_and_leaves_the_node_ready(
    tmp_path: Path, run_texts, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", cluster(tmp_path, "fails")["PATH"])
    (tmp_path / "model.vm").write_text(MODEL)
    result = run_texts(*SCRIPT, "-r", "-q", "q.yaml")
    assert result.status == 1
    assert result.err == (
        "Queue error: Submitting a to the queue failed:"
        " sbatch: error: invalid partition specified: nope\n"
    )
    assert states(tmp_path) == {
        "_root": "COMPLETED",
        "a": "READY",
        "b": "COMPLETED",
        "c": "WAITING",
    }


def test_a_session_submits_batch_nodes_to_its_qadapter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    class Console:
        source = None

        def warn(self, message: str) -> None: ...

        def error(self, error) -> None:
            raise AssertionError(error.render())

    monkeypatch.setenv("PATH", cluster(tmp_path, "holds")["PATH"])
    written: list[str] = []
    options = SessionOptions(autorun=True, workdir=tmp_path)
    session = Session(options, Console(), written.append)
    session.handle(f"%qadapter '{tmp_path / 'q.yaml'}'")
    session.handle("a = 6 * 7 for 2 [minutes]")
    session.handle("a")
    assert written == [f"Current qadapter file: {tmp_path / 'q.yaml'}", "Output > n.c."]
    assert states(tmp_path)["a"] == "RESERVED"
    assert "#SBATCH --time=00:02:00\n" in (tmp_path / "bin" / "submitted.log").read_text()


@pytest.mark.parametrize(
    ("q_type", "fields"),
    [
        ("SLURM", {"walltime": "00:01:31", "ntasks": 4, "ntasks_per_node": None, "mem": 1500}),
        ("PBS", {"walltime": "00:01:31", "nnodes": 1, "ppnode": 4, "pmem": "375mb"}),
        ("LoadSharingFacility", {"walltime": "00:02", "ntasks": 4}),
        ("SGE", {"walltime": "00:01:31"}),
    ],
)
def test_resources_become_the_fields_of_each_queue_type_rounded_up(
    q_type: str, fields: dict[str, object]
) -> None:
    assert queue_fields(q_type, {"walltime": 90.5, "cores": 4, "memory": 1500}) == fields


def test_reading_an_adapter_prints_nothing_into_the_program_output(tmp_path: Path) -> None:
    """Without ``requests``, one of FireWorks' adapter modules logs a warning to standard
    output when FireWorks imports it while looking for the adapter's class."""
    (tmp_path / "q.yaml").write_text(QADAPTER.format(python=sys.executable))
    script = (
        "import sys; sys.modules['requests'] = None\n"
        "from texts.executors.workflow.queue import _read_adapter\n"
        "_read_adapter('q.yaml')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert run.stdout == ""
