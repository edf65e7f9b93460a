"""Values the workflow executor has not computed yet print as ``n.c.``."""

from __future__ import annotations

from texts.grammar import parse_program
from texts.interpreter.checks import check_program
from texts.interpreter.evaluation import print_text
from texts.interpreter.units import quantity
from texts.interpreter.values import NOT_COMPUTED


def test_not_computed_propagates_per_item_and_tuple_element() -> None:
    model = check_program(
        parse_program("a = 1\nb = (a, 2)\nc = 3\nprint(a, b, a + c, (a, c), 'x')")
    )
    values = {"a": quantity(1), "b": NOT_COMPUTED, "c": NOT_COMPUTED}
    assert print_text(model, model.prints[0], values) == "1 n.c. n.c. (1, n.c.) 'x'"
