"""Parsing: what the grammar accepts, how it reads it, and how syntax errors look."""

from __future__ import annotations

import pytest

from texts.grammar import parse_program
from texts.grammar.lower import parse_number, unquote
from texts.interpreter import ir
from texts.interpreter.errors import TextsError


def value_of(text: str) -> ir.Expr:
    statement = parse_program(text).statements[0]
    assert isinstance(statement, ir.VarDef)
    return statement.value


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("007", 7),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("5.", 5.0),
        ("1 + 2 j", 1 + 2j),
        ("3 j", 3j),
        ("-2 j", complex(0, -2)),
        ("1.5-0.5 J", 1.5 - 0.5j),
        ("1e400", float("inf")),
    ],
)
def test_numbers(text: str, number: object) -> None:
    assert parse_number(text) == number
    assert type(parse_number(text)) is type(number)


def test_strings_unescape_only_quotes() -> None:
    assert unquote(r"'it\'s'") == "it's"
    assert unquote(r'"tab\tand\\"') == r"tab\tand\\"


def test_precedence_and_associativity() -> None:
    value = value_of("x = 1 + 2 * 3 ** 2 ** 2 - 4")
    assert isinstance(value, ir.Arith) and value.ops == ("+", "-")
    product = value.operands[1]
    assert isinstance(product, ir.Arith) and product.ops == ("*",)
    power = product.operands[1]
    assert isinstance(power, ir.Power) and isinstance(power.exponent, ir.Power)


def test_unary_minus_binds_tighter_than_power() -> None:
    value = value_of("x = -a ** 2")
    assert isinstance(value, ir.Power) and isinstance(value.base, ir.Unary)


def test_long_sums_are_one_flat_node() -> None:
    value = value_of("x = " + " + ".join(f"a{i}" for i in range(5000)))
    assert isinstance(value, ir.Arith) and len(value.operands) == 5000


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a = 1;\nprint(a);", (2, 10)),
        ("step = 2", (1, 1)),
        ("a = 1 b = 2", (1, 7)),
        ("x = 5\nbad = x > 3 and x < 10", (2, 13)),
        ("b = 'a' + 1", (1, 9)),
        (";a = 1", (1, 1)),
    ],
)
def test_syntax_errors_have_positions(text: str, position: tuple[int, int]) -> None:
    with pytest.raises(TextsError) as raised:
        parse_program(text, "/m.vm")
    rendered = raised.value.render()
    assert rendered.startswith(f"Syntax error: /m.vm:{position[0]}:{position[1]} --> ")
    assert rendered.splitlines()[1].startswith("Expected ")


def test_syntax_error_excerpt_marks_the_position() -> None:
    with pytest.raises(TextsError) as raised:
        parse_program("x = 1\ny = (x + ) * 2\nprint(y)", "/m.vm")
    lines = raised.value.render().splitlines()
    assert lines[0] == "Syntax error: /m.vm:2:10 --> y = (x + *) * 2 <--"  # its line only
    assert lines[-2:] == ["    2 | y = (x + ) * 2", "      |          ^"]


def test_statements_may_span_lines_and_share_a_line_with_semicolons() -> None:
    program = parse_program("a = 1; b = 2 ;c = 3\n   d = (a,\n        b, c)\ne = a +\n    b")
    assert [s.name for s in program.statements] == ["a", "b", "c", "d", "e"]
