"""The ``texts`` command as users run it: a real process, real exit statuses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def texts(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "texts", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def write(tmp_path: Path, text: str, name: str = "model.vm") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_short_and_long_forms_print_the_same_frame(tmp_path: Path) -> None:
    model = write(tmp_path, "a = 2 [m]\nprint(a * 3)\n")
    short = texts(str(model), cwd=tmp_path)
    long = texts("script", "-f", str(model), "-m", "deferred", cwd=tmp_path)
    assert short.returncode == long.returncode == 0
    assert short.stdout == long.stdout == "program output: >>>\n6 [meter]\n<<<\n"


def test_quickstart_example_runs(tmp_path: Path) -> None:
    example = Path(__file__).parents[2] / "examples" / "quickstart.vm"
    result = texts(str(example), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == (
        "20.897234832851836 [kilometer / hour] 2.8711932693447086 [minute / kilometer]"
    )


def test_quickstart_example_runs_in_workflow_mode(tmp_path: Path) -> None:
    example = Path(__file__).parents[2] / "examples" / "quickstart.vm"
    result = texts(str(example), "-m", "workflow", "--autorun", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    header, _, output = result.stdout.partition("\n")
    assert header.startswith("program UUID: ")
    assert output.splitlines()[2] == "'elite'"
    assert (tmp_path / ".texts" / "launchpad.json").exists()


def test_runtime_error_exits_non_zero_after_the_frame(tmp_path: Path) -> None:
    model = write(tmp_path, "a = 1 / 0\nprint(a)\nprint(2)\n")
    result = texts(str(model), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == "program output: >>>\n2\n<<<\n"
    assert result.stderr == (
        f"Arithmetic error: {model}:1:5 --> 1 / 0 <--\ndivision by zero\n"
        "    1 | a = 1 / 0\n"
        "      |     ^^^^^\n"
    )
    assert "Traceback" not in result.stderr


def test_static_error_prints_no_frame(tmp_path: Path) -> None:
    model = write(tmp_path, "a = 2 [meter]\nb = a + 1 [second]\nprint(1)\n")
    result = texts(str(model), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Dimensionality error: {model}:2:5 --> a + 1 [second] <--",
        "Cannot convert from 'meter' ([length]) to 'second' ([time])",
        "    2 | b = a + 1 [second]",
        "      |     ^^^^^^^^^^^^^^",
    ]


def test_missing_file_is_an_operating_system_error(tmp_path: Path) -> None:
    result = texts("nothing.vm", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "Operating system error: [Errno 2] No such file or directory: 'nothing.vm'\n"
    )


def test_usage_error_exits_2(tmp_path: Path) -> None:
    result = texts("script", "-m", "instant", cwd=tmp_path)
    assert result.returncode == 2
    assert "the following arguments are required: -f/--model-file" in result.stderr


def test_version(tmp_path: Path) -> None:
    result = texts("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("textS: ")


def test_workflow_options_warn_in_instant_mode_and_w_silences(tmp_path: Path) -> None:
    model = write(tmp_path, "vary ((x: 1, 2))\na = 1 + 1\nprint(a)\n")
    loud = texts("script", "-f", str(model), "-r", "-u", "0123", cwd=tmp_path)
    assert loud.stderr.splitlines() == [
        "Warning: argument uuid will be ignored in instant mode",
        "Warning: argument autorun will be ignored in instant mode",
        "Warning: vary statement has no effect",
    ]
    assert loud.returncode == 0
    quiet = texts("script", "-f", str(model), "-w", cwd=tmp_path)
    assert quiet.stderr == ""
    assert quiet.stdout == "program output: >>>\n2\n<<<\n"


def test_no_interpreter_checks_and_exports_but_prints_nothing(tmp_path: Path) -> None:
    model = write(tmp_path, 'a = 5 [s]\na to file "a.json"\nprint(a)\n')
    result = texts("script", "-f", str(model), "--no-interpreter", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (tmp_path / "a.json").read_text().startswith('{"data": [5, [["second", 1]]]')


def test_show_model_writes_a_graphviz_file(tmp_path: Path) -> None:
    model = write(tmp_path, "a = 1\nb = a + 1\nprint(b)\n")
    result = texts("script", "-f", str(model), "--show-model", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    dot = (tmp_path / "model.dot").read_text()
    assert dot.startswith("digraph model {")
    assert "s0 -> s1;" in dot and "s1 -> s2;" in dot


def test_logging_turns_errors_into_log_lines(tmp_path: Path) -> None:
    model = write(tmp_path, "a = 1 / 0\nprint(a)\n")
    result = texts(
        "script", "-f", str(model), "--enable-logging", "--logging-level", "ERROR", cwd=tmp_path
    )
    assert result.stderr == (
        f"ERROR:texts.errors:Arithmetic error: {model}:1:5 --> 1 / 0 <-- division by zero\n"
    )


def test_empty_program_prints_nothing(tmp_path: Path) -> None:
    model = write(tmp_path, "# only a comment\n")
    result = texts(str(model), cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_crlf_line_ends(tmp_path: Path) -> None:
    model = tmp_path / "crlf.vm"
    model.write_bytes(b"a = 1\r\nb = a + 1\r\nprint(b)\r\n")
    result = texts(str(model), cwd=tmp_path)
    assert result.stdout == "program output: >>>\n2\n<<<\n"


def test_non_utf8_input_is_a_labelled_error(tmp_path: Path) -> None:
    model = tmp_path / "latin1.vm"
    model.write_bytes(b"a = '\xe9'\nprint(a)\n")
    result = texts(str(model), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Operating system error: ")
    assert "not UTF-8" in result.stderr
