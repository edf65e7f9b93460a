"""Comments are blanked out before parsing without moving any other character."""

from __future__ import annotations

from texts.grammar.comments import blank_comments


def test_line_and_block_comments_become_spaces() -> None:
    text = 'a = 1 # note\n"""\nblock\n"""\nb = (a, """x""" 2)'
    blanked = blank_comments(text)
    assert len(blanked) == len(text)
    assert blanked.splitlines() == ["a = 1       ", "   ", "     ", "   ", "b = (a,         2)"]


def test_comment_characters_inside_strings_are_kept() -> None:
    text = 'c = \'# not a comment\' # but this is\nd = "it\\"s # still a string"'
    comment = "# but this is"
    assert blank_comments(text) == text.replace(comment, " " * len(comment))


def test_unterminated_block_comment_runs_to_the_end() -> None:
    assert blank_comments('a = 1\n""" open\nb = 2') == "a = 1\n" + " " * 8 + "\n" + " " * 5
