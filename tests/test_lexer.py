"""The Pygments lexer: what a reader of highlighted models sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Comment, Error, Keyword, Name, Number, Operator, String, _TokenType

from texts.lexer import TextsLexer

PROGRAMS = Path(__file__).parent / "programs"
EXAMPLES = Path(__file__).parent.parent / "examples"


def is_valid(program: Path) -> bool:
    errors = program.with_suffix(".err")
    return not (errors.exists() and "Syntax error" in errors.read_text(encoding="utf-8"))


VALID = sorted(p for p in PROGRAMS.rglob("*.vm") if is_valid(p)) + sorted(EXAMPLES.rglob("*.vm"))


def tokens(text: str) -> list[tuple[_TokenType, str]]:
    return [(kind, value) for kind, value in TextsLexer().get_tokens(text) if value.strip()]


@pytest.mark.parametrize("program", VALID, ids=lambda p: p.stem)
def test_valid_programs_have_no_error_tokens(program: Path) -> None:
    text = program.read_text(encoding="utf-8")
    lexed = list(TextsLexer(stripnl=False).get_tokens(text))
    assert [value for kind, value in lexed if kind in Error] == []
    assert "".join(value for _, value in lexed) == text + ("" if text.endswith("\n") else "\n")


def test_the_corpus_is_not_empty() -> None:
    assert len(VALID) > 100


def test_pygments_finds_the_lexer_by_name_and_file_suffix() -> None:
    """The ``pygments.lexers`` entry point: what ``pygmentize -l texts`` and MkDocs use."""
    assert isinstance(get_lexer_by_name("texts"), TextsLexer)
    assert isinstance(get_lexer_for_filename("model.vm"), TextsLexer)
    assert isinstance(get_lexer_for_filename("model.vm", "a = 1\nprint(a)"), TextsLexer)


def test_words_are_coloured_by_their_role() -> None:
    lexed = tokens("s = Series from file 'x.json'\nok = not (a and b)\nprint(sum(s), true, null)")
    assert (Keyword.Type, "Series") in lexed
    assert (Keyword, "from") in lexed and (Keyword, "file") in lexed
    assert (Operator.Word, "not") in lexed and (Operator.Word, "and") in lexed
    assert (Keyword, "print") in lexed and (Name.Builtin, "sum") in lexed
    assert (Keyword.Constant, "true") in lexed and (Keyword.Constant, "null") in lexed
    assert (String.Single, "x.json") in lexed


def test_positional_words_stay_names_elsewhere() -> None:
    lexed = tokens("file = 5\nview lineplot(y, x)\nlineplot = 2")
    assert (Name, "file") in lexed
    assert (Name.Builtin, "lineplot") in lexed and (Name, "lineplot") in lexed


def test_units_numbers_and_complex_literals() -> None:
    lexed = tokens("a = 1.5e3 [kg*m**2/s**2]\nc = 1 + 2 j\nu = 2.0 ± 0.1 [m]\nr = [1/s]")
    assert (Name.Constant, "kg*m**2/s**2") in lexed
    assert (Number.Float, "1.5e3") in lexed
    assert (Number.Float, "2 j") in lexed
    assert (Operator, "±") in lexed
    assert (Name.Constant, "1/s") in lexed


def test_indices_and_boolean_arrays_are_not_units() -> None:
    lexed = tokens("x = s[1]\nb = [true]")
    assert (Number.Integer, "1") in lexed
    assert (Keyword.Constant, "true") in lexed


def test_comments_and_strings_with_escaped_quotes() -> None:
    lexed = tokens('"""a block\ncomment"""\nx = \'it\\\'s\' # note')
    assert lexed[0] == (Comment.Multiline, '"""')
    assert (Comment.Single, "# note") in lexed
    assert (String.Escape, "\\'") in lexed


def test_html_output_marks_keywords() -> None:
    html = highlight("print(1 [m])", TextsLexer(), HtmlFormatter())
    assert '<span class="k">print</span>' in html
