"""Each imported function runs once per distinct call site and inputs, in every executor.

The model imports ``tick`` from a module in the working directory that appends one line
per call to ``calls.txt``, so the count is what a user would see, in the process that
runs the model or in a workflow worker. Every shape below makes its statement wait for a
variable that is only needed on some path (an ``if`` branch, a later ``and``/``or``
operand, a function argument, a ``?`` variable, a lambda body), which suspends and resumes
the statement: the call before the suspension must not run again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

MODULE = """
def tick(x):
    with open("calls.txt", "a") as calls:
        calls.write(f"{x.magnitude}\\n")
    return x
"""

HEADER = "use tickmod.tick\nf(x) = x * 2\nb = 1\nc = 2\nflag = true\nk = 10\n"
MODES = ("instant", "deferred", "workflow")

# (model after HEADER, printed lines, calls of tick in order)
SHAPES = {
    "the issue's example": ("y = tick(1) + f(b) + f(c)\nprint(y)", ["7"], ["1"]),
    "if branch": ("y = tick(1) + if(flag, b, c)\nprint(y)", ["2"], ["1"]),
    "nested if branches": (
        "y = tick(1) * if(flag, if(b > 0, k, c), c) + if(not flag, b, c)\nprint(y)",
        ["12"],
        ["1"],
    ),
    "if condition": ("y = if(tick(1) > 0, b, c)\nprint(y)", ["1"], ["1"]),
    "unselected branch": ("y = if(flag, tick(1), tick(2)) + k\nprint(y)", ["11"], ["1"]),
    "and/or operands": (
        "p = b > 0\nq = c > 5\ny = (tick(1) > 0) and p or q\nprint(y)",
        ["true"],
        ["1"],
    ),
    "nested function calls": (
        "g(x) = f(x) + k\nh(x, y) = g(x) * y\nz = h(tick(1), c)\nprint(z)",
        ["24"],
        ["1"],
    ),
    "argument used twice": ("d(x) = x + x * k\ny = d(tick(1))\nprint(y)", ["11"], ["1"]),
    "argument needed after a suspension": (
        "g(x, y) = if(flag, y + x, x)\ny = g(tick(1), k)\nprint(y)",
        ["11"],
        ["1"],
    ),
    "same call site in two calls of a function": (
        "g(x) = x + tick(1) + k\ny = g(b) + g(c)\nprint(y)",
        ["25"],
        ["1"],
    ),
    "two call sites": ("y = tick(1) + if(flag, tick(2), k)\nprint(y)", ["3"], ["1", "2"]),
    "nonstrict variable": (
        "bad = 1 / 0\ny = if(tick(1) > 0, b, bad) ?\nprint(y)",
        ["1"],
        ["1"],
    ),
    "map lambda": (
        "s = (n: 1, 2, 3)\nm = map((x: x * tick(2) + k), s)\nprint(m)",
        ["(m: 12, 14, 16)"],
        ["2"],
    ),
    "map lambda with a branch": (
        "s = (n: 1, 2, 3)\nm = map((x: if(x > 1, x * k, x + tick(1))), s)\nprint(m)",
        ["(m: 2, 20, 30)"],
        ["1"],
    ),
    "map lambda calling per element": (
        "s = (n: 1, 2, 3)\nm = map((x: tick(x) * k), s)\nprint(m)",
        ["(m: 10, 20, 30)"],
        ["1", "2", "3"],
    ),
    "filter lambda": (
        "s = (n: 1, 5, 9)\nr = filter((x: (x > tick(2)) and (x < k)), s)\nprint(r)",
        ["(r: 5, 9)"],
        ["2"],
    ),
    "reduce lambda": (
        "s = (n: 1, 2, 3)\nr = reduce((x, y: x + y * k + tick(0)), s)\nprint(r)",
        ["51"],
        ["0"],
    ),
    "function passed to map": (
        "s = (n: 1, 2)\ng(x) = x * k + tick(1)\nm = map(g, s)\nprint(m)",
        ["(m: 11, 21)"],
        ["1"],
    ),
    "print of several variables": (
        "y = tick(1) + if(flag, b, c)\nz = y * k\nprint(y, z, if(flag, k, c) + tick(3))",
        ["2 20 13"],
        ["1", "3"],
    ),
    "two prints of one variable": (
        "y = tick(1) + if(flag, k, c)\nprint(y)\nprint(y)",
        ["11", "11"],
        ["1"],
    ),
    "table query": (
        "t = ((a: 1, 2, 3), (w: 4, 5, 6))\nq = t where column:a > tick(1) and column:w < k\n"
        "print(q)",
        ["((a: 2, 3), (w: 5, 6))"],
        ["1"],
    ),
}


@pytest.fixture
def counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working directory, with the ``tickmod`` module importable from it."""
    (tmp_path / "tickmod.py").write_text(MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    return tmp_path


def calls(directory: Path) -> list[str]:
    path = directory / "calls.txt"
    return path.read_text().split() if path.exists() else []


def run_model(run_texts, directory: Path, text: str, mode: str) -> list[str]:
    (directory / "model.vm").write_text(text)
    options = ["--autorun", "--quiet"] if mode == "workflow" else []
    result = run_texts("script", "-f", "model.vm", "-m", mode, *options)
    assert result.err == ""
    lines = result.out.splitlines()
    if mode == "workflow":
        assert lines.pop(0).startswith("program UUID: ")
    assert lines[0] == "program output: >>>" and lines[-1] == "<<<"
    return lines[1:-1]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_call_site_runs_once(shape: str, mode: str, run_texts, counted: Path) -> None:
    text, printed, expected_calls = SHAPES[shape]
    assert run_model(run_texts, counted, HEADER + text, mode) == printed
    assert calls(counted) == expected_calls


@pytest.mark.parametrize("mode", MODES)
def test_exported_value_is_computed_once(mode: str, run_texts, counted: Path) -> None:
    text = HEADER + "y = tick(1) + if(flag, k, c)\ny to file 'y.json'\nprint(y)"
    assert run_model(run_texts, counted, text, mode) == ["11"]
    assert calls(counted) == ["1"]
    assert (counted / "y.json").exists()


@pytest.mark.parametrize("mode", ("instant", "deferred"))
def test_statement_waiting_for_many_inputs_calls_once(mode: str, run_texts, counted: Path) -> None:
    """Every lazy input suspends the statement once more; the call still runs once."""
    lazy = "".join(f"v{i} = {i}\n" for i in range(30))
    total = " + ".join(f"if(flag, v{i}, 0)" for i in range(30))
    text = HEADER + lazy + f"y = tick(1) + {total}\nprint(y)"
    assert run_model(run_texts, counted, text, mode) == [str(1 + sum(range(30)))]
    assert calls(counted) == ["1"]
