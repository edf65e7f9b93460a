"""One command line: each flag means one thing in every command, help shows the short
form, usage errors name the right form, and flags that need another imply it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pexpect
from pexpect.popen_spawn import PopenSpawn

UUID = re.compile(r"[0-9a-f]{32}")


def model(tmp_path: Path, text: str, name: str = "model.vm") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_help_shows_the_short_form_and_hides_internal_commands(texts) -> None:
    shown = texts("--help")
    assert shown.returncode == 0
    assert "texts FILE.vm [options] is short for texts script -f FILE.vm" in shown.stdout
    for command in ("script", "session", "models", "runs", "log", "datastore", "export"):
        assert f"    {command} " in shown.stdout
    assert "worker" not in shown.stdout


def test_script_help_lists_the_options_with_their_one_meaning(texts) -> None:
    shown = texts("script", "--help").stdout
    for option in ("--signature MODE", "--verbose", "--quiet", "--retry-failed", "(implies -r)"):
        assert option in shown
    assert "-s " not in shown and "-v," not in shown  # the reference's -s and -v mean else


def test_options_before_the_command_are_a_usage_error_naming_the_right_form(texts) -> None:
    wrong = texts("-f", "x.vm")
    assert wrong.returncode == 2
    assert "texts script -f x.vm" in wrong.stderr
    assert "worker" not in wrong.stderr and "invalid choice" not in wrong.stderr
    typo = texts("scrpit")
    assert typo.returncode == 2
    assert "unknown command 'scrpit'" in typo.stderr and "models" in typo.stderr
    assert "worker" not in typo.stderr


def test_reference_spellings_keep_the_reference_meaning(texts, tmp_path) -> None:
    path = model(tmp_path, "print(1)\n")
    version = texts("-v")
    assert version.returncode == 0 and version.stdout.startswith("textS: ")
    for flag, right in (("-s", "--signature MODE"), ("-v", "--verbose")):
        refused = texts(str(path), flag, "force" if flag == "-s" else "--quiet")
        assert refused.returncode == 2, flag
        assert right in refused.stderr.splitlines()[-1]
    assert texts(str(path), "--signature", "force", "--verbose").returncode == 0


def test_an_old_spelling_without_a_reference_meaning_still_works_with_a_warning(texts) -> None:
    listed = texts("runs", "-n", "1")
    assert listed.returncode == 0
    assert "Warning: texts runs -n is deprecated; use --limit N" in listed.stderr


def test_a_script_needs_a_file_or_a_stored_model(texts) -> None:
    missing = texts("script")
    assert missing.returncode == 2
    assert "(or -u UUID to run a stored model)" in missing.stderr
    retry = texts("script", "-f", "model.vm", "--retry-failed")
    assert retry.returncode == 2 and "-u UUID --retry-failed" in retry.stderr


def test_on_demand_implies_autorun(texts, tmp_path) -> None:
    path = model(tmp_path, "a = 1\nb = a + 2\nunused = 5\nprint(b)\n")
    result = texts(str(path), "-m", "workflow", "-d", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == ["program output: >>>", "3", "<<<"]
    shown = texts("models", "show", UUID.search(result.stdout).group())
    assert "| COMPLETED | b = a + 2" in shown.stdout
    assert "| READY     | unused = 5" in shown.stdout  # on demand: only what print needs


def test_session_background_evaluation_implies_autorun(tmp_path, user_environment) -> None:
    session = PopenSpawn(
        [sys.executable, "-m", "texts", "session", "-a", "-s", "0.2"],
        cwd=str(tmp_path),
        env=user_environment,
        encoding="utf-8",
        timeout=60,
    )
    session.sendline("x = 2 * 21")
    for _ in range(100):  # the background thread computes x within a few turns
        session.sendline("x")
        if session.expect([r"Output > 42", r"Output > n\.c\."]) == 0:
            break
    else:
        raise AssertionError("x was never computed in the background")
    session.sendline("%exit")
    session.expect(pexpect.EOF)
