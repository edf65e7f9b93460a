"""How a notebook cell is split into session inputs."""

from __future__ import annotations

from texts.jupyter.cells import cell_inputs


def test_statements_group_and_expressions_and_magics_stand_alone() -> None:
    code = "b = a * 2\na = 1\nb + 1\n# a note\nt = ((x: 1,\n 2))\n%hist\n\nx\n"
    assert cell_inputs(code) == ["b = a * 2\na = 1", "b + 1", "t = ((x: 1,\n 2))", "%hist", "x"]


def test_comments_stay_with_the_statements_before_them() -> None:
    assert cell_inputs('a = 1\n# note\n"""block"""\nb = 2') == ['a = 1\n# note\n"""block"""\nb = 2']
    assert cell_inputs("# only a comment\n") == []
