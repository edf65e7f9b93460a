"""Non-strict variables (``?``) in workflow mode: a failure they do not need is harmless."""

from __future__ import annotations

from pathlib import Path

from texts.store.embedded import EmbeddedStore


def run(run_texts, tmp_path: Path, text: str):
    model = tmp_path / "model.vm"
    model.write_text(text, encoding="utf-8")
    return model, run_texts(str(model), "-m", "workflow", "--quiet", "-r")


def states(tmp_path: Path) -> dict[str, str]:
    with EmbeddedStore(tmp_path / ".texts") as launchpad:
        return {
            node["name"]: node["state"]
            for node in launchpad.fireworks.find({"name": {"$ne": "_root"}})
        }


def test_unneeded_failures_do_not_stop_non_strict_variables(run_texts, tmp_path) -> None:
    _, result = run(
        run_texts,
        tmp_path,
        "x = 1 / 0\nz = x > 0\nc = true\nb = if(c, 1, x) ?\nd = (c or z) ?\nprint(b, d)\n",
    )
    assert (result.status, result.err) == (0, "")
    assert result.out.partition("\n")[2] == "program output: >>>\n1 true\n<<<\n"
    assert states(tmp_path) == {
        "x": "FIZZLED",
        "z": "FIZZLED",  # it may be needed by d: it runs, and fails for want of x
        "c": "COMPLETED",
        "b": "COMPLETED",
        "d": "COMPLETED",
    }


def test_a_needed_failure_names_the_failed_ancestor(run_texts, tmp_path) -> None:
    model, result = run(
        run_texts, tmp_path, "x = 1 / 0\nz = x + 1\nc = false\nb = if(c, 1, z) ?\nprint(b)\n"
    )
    assert result.status == 1
    assert result.err == (
        f"Ancestor evaluation error: {model}:4:14 --> z <--\n"
        "Evaluation of b not possible due to failed ancestors: x\n"
        "    4 | b = if(c, 1, z) ?\n"
        "      |              ^\n"
    )


def test_strict_descendants_of_a_failure_keep_waiting(run_texts, tmp_path) -> None:
    _, result = run(run_texts, tmp_path, "x = 1 / 0\nz = x + 1\nprint(1)\n")
    assert result.status == 0
    assert states(tmp_path) == {"x": "FIZZLED", "z": "WAITING"}
