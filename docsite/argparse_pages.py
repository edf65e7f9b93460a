"""Markdown pages of the command line, read from the argument parsers themselves.

argparse has no public API to list a parser's arguments and sub-commands; its
``_actions`` list is the one it formats ``--help`` from (unchanged since Python 2.7),
so it is read here and nowhere else.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

#: the width the usage lines are wrapped at on the pages
USAGE_WIDTH = 80


@dataclass(frozen=True)
class Command:
    """One command of the command line: its words after ``texts``, summary and parser."""

    words: tuple[str, ...]
    summary: str
    parser: argparse.ArgumentParser

    @property
    def slug(self) -> str:
        return "-".join(self.words)

    @property
    def title(self) -> str:
        return " ".join(("texts", *self.words))


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def commands(parser: argparse.ArgumentParser) -> list[Command]:
    """The top-level commands of ``texts``, in the order the parser declares them."""
    action = _subparsers(parser)
    if action is None:
        return []
    summaries = {choice.dest: choice.help or "" for choice in action._choices_actions}
    return [
        Command((name,), summaries.get(name, "") or (sub.description or ""), sub)
        for name, sub in action.choices.items()
    ]


def _subcommands(command: Command) -> list[Command]:
    action = _subparsers(command.parser)
    if action is None:
        return []
    summaries = {choice.dest: choice.help or "" for choice in action._choices_actions}
    return [
        Command((*command.words, name), summaries.get(name, ""), sub)
        for name, sub in action.choices.items()
    ]


@contextmanager
def _usage_width() -> Iterator[None]:
    """argparse wraps usage lines at the terminal's width (``COLUMNS``): fix it."""
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(USAGE_WIDTH)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _names(action: argparse.Action) -> str:
    if not action.option_strings:
        return f"`{action.metavar or action.dest}`"
    if action.nargs == 0:
        return ", ".join(f"`{flag}`" for flag in action.option_strings)
    value = action.metavar or (
        "{" + ",".join(map(str, action.choices)) + "}" if action.choices else action.dest.upper()
    )
    return ", ".join(f"`{flag} {value}`" for flag in action.option_strings)


def _details(action: argparse.Action) -> str:
    text = (action.help or "").replace("%(default)s", str(action.default))
    text = text[:1].upper() + text[1:]
    if text and not text.endswith("."):
        text += "."
    if action.choices and action.option_strings and not isinstance(action.choices, dict):
        text += " One of " + ", ".join(f"`{choice}`" for choice in action.choices) + "."
    shows_default = action.option_strings and action.nargs != 0
    if shows_default and action.default not in (None, argparse.SUPPRESS, False):
        text += f" Default: `{action.default}`."
    if action.required and action.option_strings:
        text += " Required."
    return _cell(text.strip())


def arguments_table(parser: argparse.ArgumentParser) -> list[str]:
    rows = [
        f"| {_names(action)} | {_details(action)} |"
        for action in parser._actions
        if not isinstance(action, (argparse._HelpAction, argparse._SubParsersAction))
        and action.help != argparse.SUPPRESS
    ]
    if not rows:
        return []
    return ["| argument | meaning |", "|---|---|", *rows, ""]


def _section(command: Command, level: int) -> list[str]:
    with _usage_width():
        usage = command.parser.format_usage().strip()
    lines = [f"{'#' * level} `{command.title}`", ""]
    for text in (command.summary, command.parser.description):
        if text:
            lines += [text[0].upper() + text[1:] + ("" if text.endswith(".") else "."), ""]
    lines += ["```text", usage, "```", ""]
    lines += arguments_table(command.parser)
    for sub in _subcommands(command):
        lines += _section(sub, level + 1)
    return lines


def command_page(command: Command) -> str:
    """The Markdown page of one command and its sub-commands."""
    header = [
        "<!-- Generated from the argument parser when the site is built; do not edit. -->",
        "",
    ]
    return "\n".join(header + _section(command, 1))


def index_page(parser: argparse.ArgumentParser, link: str = "{slug}.md") -> str:
    """The overview: ``texts`` itself and a line per command."""
    with _usage_width():
        usage = parser.format_usage().strip()
    lines = [
        "<!-- Generated from the argument parser when the site is built; do not edit. -->",
        "",
        "# Command line",
        "",
        (parser.description or "").strip(),
        "",
        "```text",
        usage,
        "```",
        "",
        *arguments_table(parser),
        "`texts FILE.vm [options]` is short for `texts script -f FILE.vm [options]`.",
        "",
        "| command | what it does |",
        "|---|---|",
    ]
    for command in commands(parser):
        target = link.format(slug=command.slug)
        lines.append(f"| [`{command.title}`]({target}) | {_cell(command.summary)} |")
    return "\n".join([*lines, ""])
