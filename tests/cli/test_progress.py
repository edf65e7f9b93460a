"""A long run says its model's UUID at once, shows its progress on a terminal and stops
on Ctrl-C keeping what was computed (exit status 130), ready to be resumed."""

from __future__ import annotations

import re
import subprocess
import sys

import pexpect

UUID = re.compile(r"[0-9a-f]{32}")
RESUME = re.compile(r"Resume with: texts script -u ([0-9a-f]{32}) -r")


def test_the_uuid_comes_on_stderr_before_anything_is_evaluated(
    slow_chain, tmp_path, user_environment
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "texts", "slow.vm", "-m", "workflow", "-r"],
        cwd=tmp_path,
        env=user_environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = process.stderr.readline()
    assert process.poll() is None  # still evaluating: 6 seconds of nodes
    out, err = process.communicate(timeout=120)
    uuid = UUID.search(first).group()
    assert first == f"Model UUID: {uuid}\n"
    assert out == f"program UUID: {uuid}\nprogram output: >>>\n4\n<<<\n"
    assert err == ""  # and no progress line: standard error is not a terminal


def test_quiet_says_nothing_on_stderr(texts, slow_chain) -> None:
    result = texts("slow.vm", "-m", "workflow", "-r", "--quiet")
    assert (result.returncode, result.stderr) == (0, "")


def test_a_terminal_shows_a_live_progress_line_on_stderr_only(terminal, tmp_path, slow_chain):
    run = terminal(command=f"{sys.executable} -m texts slow.vm -m workflow -r > out.txt")
    run.expect(r"Model UUID: [0-9a-f]{32}")
    run.expect(r"1/4 nodes done, 1 running, now: b \[00:0\d\]")
    run.expect(r"3/4 nodes done, 1 running, now: d")
    run.expect(pexpect.EOF)
    run.close()
    assert run.exitstatus == 0
    out = (tmp_path / "out.txt").read_text()
    assert out.splitlines()[1:] == ["program output: >>>", "4", "<<<"]


def test_long_instant_runs_show_progress_too(terminal, slow_chain) -> None:
    run = terminal("slow.vm")
    run.expect(r"nodes done, 1 running, now: [bc]")
    run.expect(r"program output: >>>\r\n4\r\n<<<")
    run.expect(pexpect.EOF)
    assert "Model UUID" not in run.before


def states(texts, uuid: str) -> dict[str, str]:
    shown = texts("models", "show", uuid).stdout
    rows = re.findall(r"\| [\d: -]+ \| (\w+) +\| (\w) = ", shown)
    return {name: state for state, name in rows}


def test_ctrl_c_stops_launching_and_lets_the_running_node_finish(
    texts, terminal, slow_chain
) -> None:
    run = terminal("slow.vm", "-m", "workflow", "-r")
    run.expect("now: b")
    run.sendintr()
    run.expect("Stopping: no further node is started; the running node finishes")
    run.expect("Stopped by Ctrl-C: 2 of 4 nodes are complete and kept.")
    run.expect(RESUME)
    uuid = run.match.group(1)
    run.expect(pexpect.EOF)
    run.close()
    assert run.exitstatus == 130
    assert states(texts, uuid) == {"a": "COMPLETED", "b": "COMPLETED", "c": "READY", "d": "WAITING"}
    resumed = texts("script", "-u", uuid, "-r", "--verbose", "--quiet")
    assert resumed.returncode == 0
    assert resumed.stderr.splitlines() == [
        "a: cached",
        "b: cached",
        "c: computed (resumed)",
        "d: computed (resumed)",
        "Nodes: 2 cached, 2 computed",
    ]


def test_a_second_ctrl_c_interrupts_the_running_node_and_sets_it_back(
    texts, terminal, slow_chain
) -> None:
    for jobs in ("1", "2"):
        run = terminal("slow.vm", "-m", "workflow", "-r", "-j", jobs)
        run.expect("now: b")
        run.sendintr()
        run.expect("Ctrl-C again")
        run.sendintr()
        run.expect("Interrupting the running node")
        run.expect("Interrupted and set back to run again: b.")
        run.expect(RESUME)
        uuid = run.match.group(1)
        run.expect(pexpect.EOF)
        run.close()
        assert run.exitstatus == 130, jobs
        # no node is left failed without a reason of its own
        assert states(texts, uuid) == {
            "a": "COMPLETED",
            "b": "READY",
            "c": "WAITING",
            "d": "WAITING",
        }, jobs
    resumed = texts("script", "-u", uuid, "-r", "--quiet")
    assert resumed.returncode == 0
    assert "| COMPLETED | d = slow(c + 1)" in texts("models", "show", uuid).stdout
