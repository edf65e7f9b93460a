"""Properties in workflow mode: a relaxation killed with ``kill -9`` is resumed by the next
run without recomputing the properties that had finished; a Property with resource
annotations is a batch node that goes to the queue with ``-q``."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from processes import TEXTS, finished
from rounding import assert_printed, same_up_to_rounding
from stand_in_slurm import cluster

CU4 = (
    "cu4 = Structure cu4 ((atoms: ((symbols: 'Cu', 'Cu', 'Cu', 'Cu'),"
    " (x: 0.0, 2.5, 0.0, 1.25) [angstrom], (y: 0.0, 0.0, 2.5, 1.25) [angstrom],"
    " (z: 0.0, 0.0, 0.0, 2.0) [angstrom])))\n"
    "emt = Calculator emt ()\n"
)
RELAX_THEN_MD = CU4 + (
    "bfgs = Algorithm BFGS ((fmax: 0.01) [eV/angstrom])\n"
    "relax = Property energy ((structure: cu4), (calculator: emt), (algorithm: bfgs))\n"
    "md = Algorithm VelocityVerlet ((timestep: 1.0) [fs], (steps: 1500), (trajectory: true),"
    " (interval: 500))\n"
    "run = Property energy ((structure: relax.output_structure), (calculator: emt),"
    " (algorithm: md))\n"
    "print(relax.energy, run.energy)\n"
)
SCRIPT = [*TEXTS, "script", "-f", "model.vm", "-m", "workflow", "-r"]


def test_a_killed_run_resumes_without_recomputing_finished_properties(tmp_path: Path) -> None:
    (tmp_path / "model.vm").write_text(RELAX_THEN_MD)
    env = {**os.environ, "TEXTS_VIEWS": "off"}
    first = subprocess.Popen(
        SCRIPT, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    trajectories = tmp_path / ".texts" / "trajectories"
    deadline = time.monotonic() + 120
    while not (trajectories.exists() and any(trajectories.iterdir())):  # the MD has started
        assert first.poll() is None, "the run ended before its molecular dynamics started"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait()

    again = finished([*SCRIPT, "--verbose"], tmp_path, env, timeout=300)
    assert again.returncode == 0, again.stderr
    assert again.stdout.split("\n")[1] == "program output: >>>"
    assert_printed(
        again.stdout.split("\n")[2],
        "(energy: 4.68389141991789) [electron_volt] (energy: 4.683891406444683) [electron_volt]",
    )
    decisions = dict(line.split(": ", 1) for line in again.stderr.splitlines() if ": " in line)
    assert decisions["relax"] == "cached"  # finished before the kill: not computed again
    assert decisions["run"].startswith("computed")


BATCH = CU4 + (
    "sp = Property energy ((structure: cu4), (calculator: emt)) for 1 [hour] on 2 cores\n"
    "print(sp.energy)\n"
)


def test_a_property_with_resources_runs_as_a_batch_job(tmp_path: Path) -> None:
    env = cluster(tmp_path, "runs")  # the job starts at once, as on a free cluster
    (tmp_path / "model.vm").write_text(BATCH)
    first = finished([*SCRIPT, "-q", "q.yaml"], tmp_path, env)
    assert first.returncode == 0, first.stderr
    uuid = first.stdout.split("\n")[0].removeprefix("program UUID: ")
    script = (tmp_path / "bin" / "submitted.log").read_text()
    assert "#SBATCH --ntasks=2\n" in script and "#SBATCH --job-name=sp\n" in script
    (tmp_path / "model.vm").write_text("print(sp.energy)\n")
    deadline = time.monotonic() + 120
    while True:  # the job computes the Property in the same store
        later = finished([*SCRIPT[:-1], "-u", uuid], tmp_path, env)
        printed = later.stdout.split("\n")[2:3]
        if printed and same_up_to_rounding(
            "(energy: 5.808318726846176) [electron_volt]", printed[0]
        ):
            break
        assert time.monotonic() < deadline, later.stdout + later.stderr
        time.sleep(0.5)


def test_a_failed_property_fails_its_node_and_its_dependants(run_texts, tmp_path: Path) -> None:
    (tmp_path / "model.vm").write_text(
        "u2 = Structure u2 ((atoms: ((symbols: 'U', 'U'), (x: 0.0, 2.5) [angstrom],"
        " (y: 0.0, 0.0) [angstrom], (z: 0.0, 0.0) [angstrom])))\n"
        "emt = Calculator emt ()\n"
        "bad = Property energy ((structure: u2), (calculator: emt))\n"
        "e = bad.energy\nprint(bad.energy)\nprint(e)\n"
    )
    result = run_texts("script", "-f", "model.vm", "-m", "workflow", "--quiet", "-r")
    assert result.status == 1
    assert result.out.split("\n")[1:] == ["program output: >>>", "", "<<<", ""]
    assert result.err.replace(str(tmp_path / "model.vm"), "model.vm").splitlines() == [
        "Not implemented: model.vm:3:7 --> Property energy ((structure: u2), (calculator: emt))"
        " <--",
        "No EMT-potential for U",
        "    3 | bad = Property energy ((structure: u2), (calculator: emt))",
        "      |       " + "^" * 52,
        "Ancestor evaluation error: model.vm:4:1 --> e = bad.energy <--",
        "Evaluation of e not possible due to failed ancestors: bad",
        "    4 | e = bad.energy",
        "      | ^^^^^^^^^^^^^^",
    ]


@pytest.mark.parametrize("fmt", ["json", "yaml", "hdf5"])
def test_properties_are_offloaded_to_the_datastore_and_read_back(
    run_texts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    store = tmp_path / "store"
    (tmp_path / "datastore.yaml").write_text(
        f"type: file\ninline-threshold: 100\npath: {store}\nformat: {fmt}\n"
    )
    monkeypatch.setenv("DATASTORE_CONFIG", str(tmp_path / "datastore.yaml"))
    (tmp_path / "model.vm").write_text(
        CU4
        + "opt = Algorithm BFGS ((fmax: 0.05) [eV/angstrom], (trajectory: true))\n"
        + "p = Property energy, trajectory ((structure: cu4), (calculator: emt),"
        + " (algorithm: opt))\n"
        + "print(p.energy, p.trajectory[0].structure.number_of_atoms[0])\n"
    )
    result = run_texts("script", "-f", "model.vm", "-m", "workflow", "-r")
    assert result.status == 0, result.err
    assert_printed(result.out.split("\n")[2], "(energy: 4.683999863112938) [electron_volt] 4")
    assert any(store.iterdir())  # the structure, the calculator, the Property: in files
