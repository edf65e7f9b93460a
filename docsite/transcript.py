"""Comparing a documented terminal transcript with what a run printed.

Some text differs from run to run by nature: model UUIDs, run ids and hashes, clock
times, durations and library versions. Both texts are normalised the same way before
they are compared, and each hexadecimal id of the page is bound to the id printed in
the same place, so a later command of the page that names it (``-u UUID``) is run with
the real one.
"""

from __future__ import annotations

import re

#: an id: 12 to 64 lower-case hexadecimal digits, at least one of them a letter
HEX = re.compile(r"(?<![0-9A-Za-z])(?=[0-9]*[a-f])[0-9a-f]{12,64}(?![0-9A-Za-z])")
VOLATILE = (
    (re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:?\d{2}|Z)?"), "<time>"),
    (re.compile(r"\b\d+\.\d+ ?s\b"), "<seconds>"),
    (re.compile(r"(?<=\| )\d+\.\d{3}(?= +\|)"), "<seconds>"),  # a table's seconds column
    (re.compile(r"\b\d+\.\d+\.\d+(\.?[a-z]+\d*)?\b"), "<version>"),
)


def _shape(text: str) -> str:
    text = HEX.sub("<id>", text)
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    text = re.sub(r"-{3,}", "---", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def bind(expected: str, actual: str, bindings: dict[str, str]) -> None:
    """Bind the page's ids to the printed ones, in the order they appear."""
    for documented, printed in zip(HEX.findall(expected), HEX.findall(actual)):
        bindings.setdefault(documented, printed)


def same(expected: str, actual: str) -> bool:
    return _shape(expected) == _shape(actual)


def substitute(command: str, bindings: dict[str, str]) -> str:
    """A documented command with the page's ids replaced by this run's."""
    return HEX.sub(lambda match: bindings.get(match.group(0), match.group(0)), command)
