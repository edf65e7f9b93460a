"""Cutting a program text into statements without the parser, as the parse cache does."""

from __future__ import annotations

import re

import pytest

from texts.grammar.comments import blank_comments
from texts.grammar.loader import GRAMMAR_FILE
from texts.grammar.statements import RESERVED, STRING, split_statements


def statements(text: str) -> list[str] | None:
    cuts = split_statements(blank_comments(text))
    return None if cuts is None else [text[start:end] for start, end in cuts]


def grammar_rule(name: str) -> str:
    match = re.search(rf"^{name}:\s*/(.*)/\s*;", GRAMMAR_FILE.read_text(), re.M)
    assert match is not None
    return match.group(1)


def test_the_reserved_words_are_those_the_grammar_refuses_as_names() -> None:
    refused = re.match(r"\(\?!\((.*?)\)\(\?!\\w\)\)", grammar_rule("Name"))
    assert refused is not None
    assert set(refused.group(1).split("|")) == RESERVED


def test_strings_are_read_as_the_grammar_reads_them() -> None:
    assert STRING.pattern == grammar_rule("STRINGLIT")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a = 1\nb = 2\n", ["a = 1", "b = 2"]),
        ("  a = 1 ;b = 2;  c = 3  \n\n\n d = 4", ["a = 1", "b = 2", "c = 3", "d = 4"]),
        ("a = 1;\nb = 2", ["a = 1", "b = 2"]),
        ("s = 'x;\ny = (' # ) ;\nt = 2", ["s = 'x;\ny = ('", "t = 2"]),
        ('s = "it\\"s; ("\nt = 2', ['s = "it\\"s; ("', "t = 2"]),
        ("t = (a: 1,\n 2; 3)\nu = [1,\n2]", ["t = (a: 1,\n 2; 3)", "u = [1,\n2]"]),
        ('a = 1 """ one\ntwo """ + 2\nb = 3', ['a = 1 """ one\ntwo """ + 2', "b = 3"]),
        ("e = a +\n    b\nf = a\n  * b", ["e = a +\n    b", "f = a\n  * b"]),
        ("x = y\nif c else d\nz = 1", ["x = y\nif c else d", "z = 1"]),
        ("x = a if\nc else\nd", ["x = a if\nc else\nd"]),
        ("x = not a\nand b\nformat = 1", ["x = not a\nand b", "format = 1"]),
        ("x = f\n(1)\ny = 3\n[m]", ["x = f\n(1)", "y = 3\n[m]"]),
        ("use a,\nb from c\nprint(x)", ["use a,\nb from c", "print(x)"]),
        ("x = true\nin_y = 1", ["x = true", "in_y = 1"]),
        ("x = 1 # note\n# only a comment\n", ["x = 1"]),
        ("", []),
        ("\n  \n", []),
    ],
)
def test_statements_are_cut_where_the_grammar_separates_them(
    text: str, expected: list[str]
) -> None:
    assert statements(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a = (1, 2\nb = 3",  # unclosed bracket
        "a = (1, 2]]",  # brackets that do not match
        "a = 1)\nb = 2",
        "s = 'open",  # unclosed string
        "a = 1;;b = 2",  # ';' without a statement on one side
        ";a = 1",
        "a = 1;",
        "a = 1\n; b = 2",
    ],
)
def test_texts_only_the_parser_can_judge_are_not_cut(text: str) -> None:
    assert statements(text) is None
