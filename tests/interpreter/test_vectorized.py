"""Work on whole arrays means what the element loops mean.

``map``, ``filter``, ``reduce``, queries and ``in`` run on NumPy arrays where they can and
fall back to element loops elsewhere. Every model here is run twice, once as it is and
once with the whole-array paths switched off, and must print the same lines and report
the same errors both times: values, integer or float results, units, nulls, and which
element fails first. The random models vary data (integers near the 64-bit limit, floats,
nulls, units) and element-wise bodies (arithmetic, comparisons, ``if``, ``and``/``or``,
``in``, ``real``/``imag``, calls).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from texts.executors import EXECUTORS
from texts.grammar import parse_program
from texts.interpreter.checks import check_program
from texts.interpreter.errors import TextsError
from texts.interpreter.evaluation import builtins, higher_order, queries
from texts.interpreter.evaluation.vectors import Unsupported


def run(text: str) -> tuple[list[str], list[str]]:
    """Printed lines and rendered errors of an instant run."""
    try:
        model = check_program(parse_program(text, "model.vm"), "instant")
    except TextsError as error:
        return [], [error.render()]
    errors: list[str] = []
    lines = EXECUTORS["instant"](model, lambda e: errors.append(e.render(model.source))).run().lines
    return lines, errors


def unsupported(*args: object, **kwargs: object) -> object:
    raise Unsupported


def run_in_loops(text: str) -> tuple[list[str], list[str]]:
    """The same run with every whole-array path switched off."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(higher_order, "apply_to_vectors", unsupported)
        patch.setattr(higher_order, "_fold", lambda *args: higher_order._LOOP)
        patch.setattr(queries, "_decided", unsupported)
        patch.setattr(builtins, "contains_series", unsupported)
        return run(text)


CASES = {
    "integers": "s = (n: 1, 2, 3, 4)\nprint(map((x: x * 2 + 1), s), map((x: x / 2), s))",
    "integer nulls": "s = (n: 1, null, 3) [m]\nprint(map((x: x * 2), s), map((x: x > 1 [m]), s))",
    "float nulls": "s = (n: 1.5, null, 3.0) [m]\nprint(map((x: x + 1 [cm]), s), sum(s))",
    "units of the left operand": (
        "a = (n: 1, 2) [m]\nb = (k: 50, 100) [cm]\n"
        "print(map((x, y: x + y), a, b), map((x, y: y + x), a, b), map((x, y: x * y), a, b))"
    ),
    "dimensionality error": "s = (n: 1, 2) [m]\nm = map((x: x + 1 [s]), s)\nprint(m)",
    "division by zero at an element": "s = (n: 2, 1, 0)\nm = map((x: 6 / x), s)\nprint(m)",
    "float division by zero": "s = (n: 2.0, 0.0)\nm = map((x: 6.0 / x), s)\nprint(m)",
    "unselected branch with a division by zero": (
        "s = (n: 2, 0, 3)\nm = map((x: if(x > 0, 6 / x, x)), s)\nprint(m)"
    ),
    "branches of two kinds": "s = (n: 1, 2, 3)\nprint(map((x: if(x > 1, x * 1.5, x)), s))",
    "branches in two units": (
        "s = (n: 1, 2, 3)\nprint(map((x: if(x > 1, x * 1 [m], x * 1 [cm])), s))"
    ),
    "null condition": (
        "s = (n: 1, null, 3)\nprint(map((x: if(x > 1, x, 0)), s), map((x: (x > 1) and true), s))"
    ),
    "three-valued logic": (
        "s = (n: 1, null, 3)\n"
        "print(map((x: (x > 1) or (x < 2)), s), map((x: not (x > 1)), s), "
        "map((x: all((x > 0), (x < 2))), s), map((x: any((x > 2), (x < 0))), s))"
    ),
    "integers past 64 bits": (
        "s = (n: 4611686018427387904, 3)\nprint(map((x: x * 4), s), map((x: x + x), s))"
    ),
    "powers": (
        "s = (n: 2, 3)\nf = (v: 2.0, 0.5)\n"
        "print(map((x: x ** 2), s), map((x: x ** -1), s), map((x: x ** 0.5), f), "
        "map((x: x ** 0), s))"
    ),
    "real power of a negative number": "f = (v: -8.0)\nm = map((x: x ** 0.5), f)\nprint(m)",
    "complex numbers": (
        "c = (z: 1 + 2 j, 3 - 1 j)\n"
        "print(map((x: x * x), c), map((x: x / (1 + 1 j)), c), map((x: real(x) + imag(x)), c))"
    ),
    "real and imag of integers": "s = (n: 1, 2)\nprint(map((x: imag(x)), s), map((x: real(x)), s))",
    "imag of a null": "s = (n: 1, null)\nprint(map((x: imag(x)), s))",
    "zeros compared": "s = (s: 0, 0)\nprint(filter((x: 0 == x), s), map((x: x == 0), s))",
    "strings": ("s = (w: 'a', 'b', null)\nprint(map((x: x == 'a'), s), filter((x: x != 'a'), s))"),
    "membership": (
        "s = (n: 1, 2, null)\nh = (h: 2, 4)\n"
        "print(map((x: x in (1, 3)), s), map((x: x in h), s), map((x: x in (1, null)), s), "
        "2 in s, 5 in s, null in s, 200 [cm] in (d: 1, 2) [m])"
    ),
    "functions": (
        "sq(x) = x ** 2\ng(a, b) = if(a > 1, a + b, a)\ns = (n: 1, 2, 3)\n"
        "print(map(sq, s), map((x: g(x, x * 10)), s), map((x: g(x, 1 / 0)), (n: 1)))"
    ),
    "argument used in one branch": (
        "g(a, b) = if(a > 1, b, a)\ns = (n: 1, 0, 3)\nprint(map((x: g(x, 6 / x)), s))"
    ),
    "tables": (
        "t = ((a: 1, 2, 3), (b: 10, 20, 30))\n"
        "print(map((r: r.a * r.b), t), map((r: {total: r.a + r.b, big: r.b > 15}), t), "
        "filter((r: r.a != 2), t), reduce((x, y: {a: x.a + y.a, b: x.b * y.b}), t))"
    ),
    "filters": (
        "s = (n: 3, null, 8, 1)\nf = (v: 1.5, 2.5) [m]\n"
        "print(filter((x: x > 2), s), filter((x: x > 100), s), filter((x: x > 2 [m]), f))"
    ),
    "reduces": (
        "s = (n: 4, 7, 1)\nf = (v: 0.1, 0.2, 0.3) [m]\nn = (k: 1, null, 2)\nd = (d: 2, 3)\n"
        "print(reduce((x, y: x + y), s), reduce((x, y: y + x), f), reduce((x, y: x * y), s), "
        "reduce((x, y: x + y), n), reduce((x, y: x * y), d), reduce((x, y: x - y), s))"
    ),
    "large products": (
        "s = (n: 4611686018427387904, 4611686018427387904, 3)\nprint(reduce((x, y: x * y), s))"
    ),
    "queries": (
        "t = ((a: 1, 2, 3, 4), (b: 10, 20, 30, 40), (c: 'w', 'x', 'y', 'z'))\nlimit = 2\n"
        "hits = (m: 2, 4)\n"
        "print(t where column:a > limit, t select c where column:b <= 20, "
        "t where column:a > 1 and not column:c == 'y', "
        "t where any(column:a == 1, column:c == 'z'), "
        "t where c in ('x', 'z'), t where a in hits, t where column:a < column:b, "
        "t.b where column:b > 15, t where column:a > 10)"
    ),
    "query with units": (
        "t = ((x: 1.0, 2.0, 3.0) [m], (y: 1, 2, 3))\n"
        "print(t where column:x > 150 [cm])\nprint(t where column:x > 150)"
    ),
    "query with nulls": (
        "t = ((a: 1, null, 3), (b: 'p', null, 'q'))\n"
        "print(t where column:a > 1, t where column:b == 'q', t where not column:a > 1)"
    ),
    "query with a wrong column name": "s = (n: 1, 2)\nprint(s where column:m > 1)",
    "sum, all and any": (
        "s = (d: 1, 2, 3) [m]\nb = (b: true, null, false)\nc = (c: true, true)\n"
        "print(sum(s), sum((n: 1, null)), sum((f: 0.1, 0.2, 0.3)), all(b), any(b), all(c), any(c))"
    ),
    "print conversion": (
        "s = (d: 1, 250, null) [cm]\nprint(s [mm], s [m], map((x: x * 2), s) [mm])"
    ),
    "ranges": (
        "a = range(0, 5, 1)\nb = range(0 [cm], 1.0 [m], 25 [cm])\n"
        "print(map((x: x * x), a), map((x: x + 1 [cm]), b), filter((x: x > 30 [cm]), b))"
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_whole_arrays_mean_what_element_loops_mean(case: str) -> None:
    assert run(CASES[case]) == run_in_loops(CASES[case])


def test_the_values_are_the_languages() -> None:
    """The comparisons above are against the loops; these are the language's values."""
    assert run(CASES["integer nulls"]) == (
        ["(map: 2, null, 6) [meter] (map: false, null, true)"],
        [],
    )
    assert run(CASES["division by zero at an element"]) == (
        [],
        [
            "Arithmetic error: model.vm:2:13 --> 6 / x <--\ndivision by zero\n"
            "    2 | m = map((x: 6 / x), s)\n"
            "      |             ^^^^^"
        ],
    )
    assert run(CASES["integers past 64 bits"]) == (
        ["(map: 18446744073709551616, 12) (map: 9223372036854775808, 6)"],
        [],
    )


# ---------------------------------------------------------------------------
# random models


@st.composite
def numeric_series(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["int", "float", "big"]))
    if kind == "int":
        element = st.integers(-20, 20)
    elif kind == "big":
        element = st.integers(-(2**62), 2**62)
    else:
        element = st.floats(-100, 100, allow_nan=False).map(lambda f: repr(float(f)))
    values = draw(st.lists(st.one_of(element.map(str), st.just("null")), min_size=1, max_size=6))
    units = draw(st.sampled_from(["", " [m]"]))
    return f"(s: {', '.join(values)}){units}", units


LITERALS = st.sampled_from(["2", "0", "3.5", "-1", "0.5", "1 [m]", "20 [cm]", "1 [s]", "null"])


CONDITIONS = st.sampled_from(
    [
        "column:s > 1",
        "column:m <= column:s",
        "2 < column:s",
        "column:s in (1, 2, null)",
        "column:m != 0",
        "column:s > 20 [cm]",
        "column:s == null",
    ]
)


@st.composite
def where_clauses(draw: st.DrawFn) -> str:
    first, second = draw(CONDITIONS), draw(CONDITIONS)
    form = draw(st.sampled_from(["{a}", "{a} and {b}", "{a} or not {b}", "any({a}, {b})"]))
    return form.format(a=first, b=second)


def numeric(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(st.just("x"), st.just("x"), LITERALS)
    if depth == 0:
        return leaf
    inner = numeric(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        inner.map(lambda e: f"-({e})"),
        st.tuples(inner, st.sampled_from(["2", "3", "-1", "0.5"])).map(
            lambda t: f"({t[0]}) ** {t[1]}"
        ),
        st.tuples(boolean(depth - 1), inner, inner).map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(["real", "imag"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"sum({t[0]}, {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"g({t[0]}, {t[1]})"),
    )


def boolean(depth: int) -> st.SearchStrategy[str]:
    inner = numeric(max(depth - 1, 0))
    comparison = st.tuples(inner, st.sampled_from(["<", ">", "==", "!=", ">="]), inner).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    membership = st.tuples(inner, LITERALS, LITERALS).map(lambda t: f"({t[0]} in ({t[1]}, {t[2]}))")
    if depth == 0:
        return st.one_of(comparison, membership)
    nested = boolean(depth - 1)
    return st.one_of(
        comparison,
        membership,
        st.tuples(nested, st.sampled_from(["and", "or"]), nested).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        nested.map(lambda e: f"(not {e})"),
    )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=numeric_series(), body=numeric(2), condition=boolean(1), where=where_clauses())
def test_random_models_mean_the_same_on_whole_arrays(
    data: tuple[str, str], body: str, condition: str, where: str
) -> None:
    series, _ = data
    text = (
        f"g(a, b) = if(a > b, a - b, b)\ns = {series}\n"
        f"m = map((x: {body}), s)\nf = filter((x: {condition}), s)\n"
        f"t = Table (s, m)\nq = t where {where}\n"
        "print(m)\nprint(f)\nprint(q)\nprint(reduce((x, y: x + y), s), sum(s))"
    )
    assert run(text) == run_in_loops(text)
