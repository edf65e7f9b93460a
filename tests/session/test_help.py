"""What users see from ``%help``: the topic listing, exact topics, keyword search."""

from __future__ import annotations

from collections.abc import Iterator

from texts.session.help import MAGIC_NAMES, ROOT, Topic, help_text

# The magic commands listed by ``%help magics`` in the reference session.
LISTED_MAGICS = [
    "async",
    "bye",
    "cancel",
    "close",
    "detect_duplicates",
    "exit",
    "find",
    "help",
    "history",
    "launchpad",
    "load",
    "log",
    "logfile",
    "logging",
    "new",
    "on_demand",
    "qadapter",
    "quit",
    "recover",
    "rerun",
    "runs",
    "signature",
    "sleep",
    "start",
    "stop",
    "tag",
    "unique_launchdir",
    "uuid",
    "vary",
    "version",
    "warnings",
]


def topics_listed(text: str) -> list[str]:
    """The ``* name`` lines of a help text, in order."""
    return [line[2:] for line in text.splitlines() if line.startswith("* ")]


def test_without_words_lists_the_top_level_topics() -> None:
    text = help_text([])
    assert text.startswith("**help**\n\n")
    assert "\nTOPICS:\n* atomistic\n* functions\n* magics\n* math\n* texts\n* units\n" in text


def test_magics_lists_every_magic_in_the_layout_of_the_reference() -> None:
    text = help_text(["magics"])
    assert text.startswith("Showing 1 exact match(es):\n\n**help:magics**\n\n")
    assert "\n\nTOPICS:\n* async\n" in text
    assert topics_listed(text) == LISTED_MAGICS
    assert text.endswith("\n* warnings\n")


def test_a_topic_name_shows_that_topic() -> None:
    text = help_text(["find"])
    assert text.startswith("Showing 1 exact match(es):\n\n**help:magics:find**\n\n%find <query>")
    assert "[load one]" in text
    assert all(key in text for key in ("tags", "meta", "data"))
    assert "TOPICS:" not in text


def test_a_name_shared_by_a_magic_and_a_statement_shows_both() -> None:
    text = help_text(["vary"])
    assert text.startswith("Showing 2 exact match(es):\n")
    assert "\n**help:magics:vary**\n" in text
    assert "\n**help:texts:vary**\n" in text


def test_topics_are_found_by_path_alias_and_percent_sign() -> None:
    assert "**help:magics:find**" in help_text(["magics:find"])
    assert "**help:magics:history**" in help_text(["hist"])
    assert "**help:magics:sleep**" in help_text(["%sleep"])


def test_keywords_find_topics_by_their_text() -> None:
    text = help_text(["kelvin"])
    assert text.startswith('Showing 1 match(es) for "kelvin":\n\n**help:units:temperature**\n')


def test_every_keyword_must_occur() -> None:
    both = help_text(["background", "thread"])
    assert both.startswith('Showing 1 match(es) for "background thread":\n')
    assert "**help:magics:async**" in both
    assert help_text(["background", "kelvin"]).startswith("No help found")


def test_unknown_words_give_the_top_level_topics() -> None:
    assert help_text(["xyzzy"]) == (
        'No help found for "xyzzy". Topics: atomistic, functions, magics, math, texts, units.'
    )


def test_words_are_case_insensitive() -> None:
    assert help_text(["FIND"]) == help_text(["find"])
    # The header quotes the words as typed; the matches are the same.
    assert help_text(["Kelvin"]).splitlines()[1:] == help_text(["kelvin"]).splitlines()[1:]


def test_every_magic_of_the_session_has_a_topic() -> None:
    for name in MAGIC_NAMES:
        assert help_text([name]).count("**help:magics:") == 1, name
    assert set(LISTED_MAGICS) < set(MAGIC_NAMES)


def test_every_built_in_has_a_topic() -> None:
    listed = topics_listed(help_text(["functions"]))
    built_ins = ("map", "filter", "reduce", "sum", "all", "any", "in", "range", "real", "imag")
    assert set(built_ins) | {"info"} <= set(listed)


def test_topic_texts_are_short_enough_to_read_at_the_prompt() -> None:
    def walk(topic: Topic) -> Iterator[Topic]:
        yield topic
        for child in topic.children:
            yield from walk(child)

    for topic in walk(ROOT):
        assert 1 <= len(topic.lines) <= 6, topic.name
        assert all(len(line) <= 88 for line in topic.lines), topic.name
