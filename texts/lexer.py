"""Syntax highlighting of textS models for Pygments (``pygmentize -l texts``, MkDocs,
the session and Jupyter).

A lexer only colours text: it never decides whether a model is valid, so it follows the
reserved words and token shapes of the grammar (``texts/grammar/texts.tx``) without its
ordered choices. Words that are keywords only in one position (``file``, ``url``, the
view modes, ``cores``, ``detail``) are coloured only in that position, so a variable
named ``file`` stays a name. Every character of a valid model gets a token other than
``Error``; the tests check that over the program corpus.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pygments.lexer import RegexLexer, bygroups, include, words
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

TYPE_NAMES = (
    "String", "Quantity", "Bool", "Series", "Table", "BoolArray", "StrArray", "IntArray",
    "FloatArray", "ComplexArray", "Structure", "Calculator", "Algorithm", "Property",
    "FixedAtoms", "FixedLine", "FixedPlane", "FixedCOM", "Species", "Reaction",
)  # fmt: skip
CONSTANTS = ("true", "false", "True", "False", "null", "default")
STATEMENT_WORDS = (
    "print", "view", "vary", "tag", "use", "from", "to", "with", "select", "where",
    "column", "in", "chunks", "step", "if", "else",
)  # fmt: skip
BUILTINS = ("info", "real", "imag", "all", "any", "sum", "range", "map", "filter", "reduce")
WORD_OPERATORS = ("not", "and", "or")
VIEW_MODES = (
    "lineplot", "scatterplot", "structure", "trajectory", "vibration", "neb", "bs", "eos",
    "waterfall",
)  # fmt: skip

IDENTIFIER = r"[^\W\d]\w*"
_MANTISSA = r"(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+"
FLOAT = rf"(?:{_MANTISSA})(?![\w.])"
INTEGER = r"\d+(?![\w.])"
IMAGINARY = rf"(?:{_MANTISSA}|\d+)[ \t]+[jJ](?!\w)"
#: the unit text of a quantity: unit words joined by ``*``, ``/`` and ``**`` powers, or
#: a leading ``1`` (``[1/s]``). An index (``s[1]``) is a number alone and a bracket that
#: holds only ``true`` or ``false`` is an array, so neither reads as units.
UNITS = (
    r"(?!\s*(?:true|false|True|False)\s*\])"
    r"\s*(?:[^\W\d]\w*|1(?=\s*[*/]))(?:\s*(?:\*\*\s*[+-]?\d+(?:\.\d+)?|[*/]\s*\w+))*\s*"
)


class TextsLexer(RegexLexer):
    """Lexer for models of the textS language (compatible with vre-language)."""

    name = "textS"
    aliases: ClassVar[list[str]] = ["texts", "texts-model", "vre-language"]
    filenames: ClassVar[list[str]] = ["*.vm"]
    mimetypes: ClassVar[list[str]] = ["text/x-texts"]
    url = "https://pypi.org/project/vre-language/"
    flags = re.MULTILINE | re.UNICODE
    #: Velocity templates use ``*.vm`` too; a model file is more likely here
    priority = 0.3

    @staticmethod
    def analyse_text(text: str) -> float:
        """Guess from content (Pygments asks when two lexers claim ``*.vm``): a model
        prints with ``print(...)`` at the start of a line and imports with ``use``."""
        if re.search(r"^\s*(print|view)\s*\(|^\s*use\s+\w+\.\w+", text, re.MULTILINE):
            return 0.5
        return 0.0

    tokens: ClassVar[dict] = {
        "root": [
            (r"\s+", Whitespace),
            (r'"""', Comment.Multiline, "block-comment"),
            (r"#.*?$", Comment.Single),
            include("strings"),
            # positional keywords: only coloured where the grammar gives them a meaning
            (r"\b(from|to)(\s+)(file|url)\b", bygroups(Keyword, Whitespace, Keyword)),
            (
                words(VIEW_MODES, prefix=r"\b(view)(\s+)(", suffix=r")\b"),
                bygroups(Keyword, Whitespace, Name.Builtin),
            ),
            (
                r"\b(on)(\s+)(\d+)(\s+)(cores?)\b",
                bygroups(Keyword, Whitespace, Number.Integer, Whitespace, Keyword),
            ),
            (r"\bfor(?=\s+[-+]?[\d.])", Keyword),
            (
                r"\b(detail)(\s*)(:)(\s*)(less|more|all)\b",
                bygroups(Keyword, Whitespace, Punctuation, Whitespace, Keyword.Constant),
            ),
            (r"(?<=[\w)\]])(:)(array|columns|name)\b", bygroups(Punctuation, Name.Attribute)),
            (words(TYPE_NAMES, suffix=r"\b"), Keyword.Type),
            (words(CONSTANTS, suffix=r"\b"), Keyword.Constant),
            (words(WORD_OPERATORS, suffix=r"\b"), Operator.Word),
            (words(STATEMENT_WORDS, suffix=r"\b"), Keyword),
            (words(BUILTINS, suffix=r"\b"), Name.Builtin),
            include("numbers"),
            (rf"(\.)(\s*)({IDENTIFIER})", bygroups(Punctuation, Whitespace, Name.Attribute)),
            (rf"{IDENTIFIER}(?=\s*\()", Name.Function),
            (IDENTIFIER, Name),
            (rf"(\[)({UNITS})(\])", bygroups(Punctuation, Name.Constant, Punctuation)),
            (r":=|\*\*|<=|>=|!=|==|->|\+/-|[-+*/<>=±?]", Operator),
            (r"[()\[\]{},;:.]", Punctuation),
        ],
        "numbers": [
            # a calculator's version (``vasp >= 6.4.2-beta.1+build5``)
            (r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?", Number.Other),
            (rf"{IMAGINARY}", Number.Float),
            (FLOAT, Number.Float),
            (INTEGER, Number.Integer),
            (r"\d+(?:\.\d*)?(?=[^\W\d])", Number),  # a reaction coefficient: ``2H2O``
        ],
        "strings": [
            (r'"', String.Double, "string-double"),
            (r"'", String.Single, "string-single"),
        ],
        "string-double": [
            (r'\\"', String.Escape),
            (r'[^"\\]+|\\', String.Double),
            (r'"', String.Double, "#pop"),
        ],
        "string-single": [
            (r"\\'", String.Escape),
            (r"[^'\\]+|\\", String.Single),
            (r"'", String.Single, "#pop"),
        ],
        "block-comment": [
            (r'[^"]+|"(?!"")', Comment.Multiline),
            (r'"""', Comment.Multiline, "#pop"),
        ],
    }
