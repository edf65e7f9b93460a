"""The CLI reference is generated from the parsers: every command has a page that names
each of its options."""

from __future__ import annotations

import argparse

from docsite import argparse_pages
from texts.cli.main import build_parser


def test_every_command_and_option_is_on_a_page() -> None:
    parser = build_parser()
    commands = argparse_pages.commands(parser)
    index = argparse_pages.index_page(parser)
    assert {"script", "session", "runs", "log"} <= {c.slug for c in commands}
    for command in commands:
        assert f"({command.slug}.md)" in index
        page = argparse_pages.command_page(command)
        assert page.splitlines()[2] == f"# `{command.title}`"
        for action in command.parser._actions:
            hidden = action.help == argparse.SUPPRESS  # old spellings that only explain
            if not isinstance(action, argparse._HelpAction) and not hidden:
                for flag in action.option_strings:
                    assert f"`{flag}" in page, (command.title, flag)


def test_usage_lines_are_those_of_help() -> None:
    script = next(c for c in argparse_pages.commands(build_parser()) if c.slug == "script")
    page = argparse_pages.command_page(script)
    assert "usage: texts script [-h] [-f MODEL_FILE]" in page
    assert "| `-m {instant,deferred,workflow}`, `--mode {instant,deferred,workflow}` |" in page
