"""A mutator of the corpus programs: what typos, truncated copies and hostile files look
like. Each example takes one program of ``tests/programs/`` and applies a few edits;
the result is text, or bytes when an edit inserted invalid UTF-8. Texts stay below
:data:`MAX_CHARS`, so each example takes milliseconds; ``test_hostile_inputs`` runs a few
very large inputs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import strategies as st

CORPUS = sorted((Path(__file__).parents[1] / "programs").rglob("*.vm"))
TEXTS = [path.read_text(encoding="utf-8") for path in CORPUS]
#: characters that matter to the grammar, so insertions reach past the first token
MAX_CHARS = 8_000
ALPHABET = "()[]{}:;,.=+-*/^<>!?'\"#\n \t0123456789abcxyz_jeE±"
TOKENS = (
    "print(", "if", "else", "(", ")", "[", "]", "**", "null", "true", "'", '"""', "#",
    ":=", "=", "map(", "range(", "from file", "to file", "use", "j", "[m]", ",", ";",
    "\r", "\x00", "\u00a0", "\ufeff", "ℓ", "é",
)  # fmt: skip

Edit = Callable[[str], str]


@st.composite
def _edit(draw: st.DrawFn) -> Edit:
    """One edit at a position drawn relative to the text it is applied to."""
    kind = draw(
        st.sampled_from(
            ["delete", "duplicate", "swap", "insert", "token", "truncate", "nest", "long", "repeat"]
        )
    )
    where = draw(st.floats(0, 1))
    length = draw(st.integers(1, 12))
    char = draw(st.sampled_from(ALPHABET) | st.characters(codec="utf-8"))
    token = draw(st.sampled_from(TOKENS))
    depth = draw(st.integers(1, 3000))

    def apply(text: str) -> str:
        at = int(where * len(text))
        if kind == "delete":
            return text[:at] + text[at + length :]
        if kind == "duplicate":
            return text[:at] + text[at : at + length] * 2 + text[at + length :]
        if kind == "swap" and at + 1 < len(text):
            return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
        if kind == "insert":
            return text[:at] + char * length + text[at:]
        if kind == "token":
            return text[:at] + token + text[at:]
        if kind == "truncate":
            return text[:at]
        if kind == "nest":  # deep nesting around whatever follows the position
            return (
                text[:at] + "(" * depth + text[at : at + length] + ")" * depth + text[at + length :]
            )
        if kind == "long":  # a very long line
            return text[:at] + text[at : at + length] * (depth * 10) + text[at:]
        if kind == "repeat":  # many statements: the program's lines over and over
            return text * (depth // 100 + 1)
        return text

    return apply


@st.composite
def mutated_programs(draw: st.DrawFn) -> str | bytes:
    """A corpus program with one to four edits, sometimes with invalid UTF-8 bytes."""
    text = draw(st.sampled_from(TEXTS))
    for edit in draw(st.lists(_edit(), min_size=1, max_size=4)):
        text = edit(text)[:MAX_CHARS]
    if draw(st.integers(0, 9)) == 0:
        raw = text.encode("utf-8", "surrogatepass")
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    return text
