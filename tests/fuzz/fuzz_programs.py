"""A grammar-aware generator of programs: statements built from the language's rules.

The programs are mostly well formed, so they get past the parser into the checks and the
evaluation, and they mix types and units freely, so many of them fail there. Names come
from a small pool, which makes references, redefinitions, cycles and calls of undefined
functions frequent. Numbers stay small where a size follows from them (``range``,
powers), so an example runs in milliseconds; the limits have tests of their own.
"""

from __future__ import annotations

from hypothesis import strategies as st

NAMES = ("a", "b", "c", "s", "t", "d", "f", "g")
FUNCTIONS = ("f", "g", "sqrt")
UNITS = ("m", "s", "km/h", "m**2", "degC", "dimensionless", "kg*m/s**2", "1/s", "cm", "furlong_x")
IMPORTS = ("use math.sqrt", "from math use sin, cos", "use math.pi", "use nosuch.thing")
FILES = ("'data.json'", "'data.yaml'", "'data.csv'", "''", "'missing.json'")

_numbers = st.one_of(
    st.integers(-20, 20).map(str),
    st.sampled_from(["0", "1.5", "-2.25", "1e308", "1e-320", "0.0", "10000000000000000000000"]),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
    st.sampled_from(["1 + 2 j", "3 j", "1.0 +/- 0.1", "2 ± 0.5", "null +/- 0.1"]),
)
_units = st.none() | st.sampled_from(UNITS)
_words = st.sampled_from(["true", "false", "null", "'text'", '"x y"', "''", "default"])
_small = st.integers(-3, 12).map(str)
_binary = st.sampled_from(["+", "-", "*", "/", "**", "^", "==", "!=", "<", ">=", "and", "or"])
_properties = st.sampled_from(["name", "columns", "type", "units", "datalen", "array", "a"])
_reducers = st.sampled_from(["sum", "all", "any", "real", "imag"])
_higher_order = st.sampled_from(
    ["map((x: x * 2), {})", "filter((x: x > 1), {})", "reduce((x, y: x + y), {})"]
)
_names = st.sampled_from(NAMES)
_functions = st.sampled_from(FUNCTIONS)
_files = st.sampled_from(FILES)
_readers = st.sampled_from(["Quantity", "Series", "Table"])
_atom_kinds = st.integers(0, 4)
_stop = st.integers(0, 3)
_counts = st.integers(1, 3)
_shapes = st.sampled_from(
    [
        "binary", "paren", "negate", "not", "if", "iffunction", "tuple", "series", "array",
        "table", "dict", "index", "slice", "member", "property", "call", "higher", "reducer",
        "range", "in", "query",
    ]
)  # fmt: skip


def _atom(draw: st.DrawFn) -> str:
    kind = draw(_atom_kinds)
    if kind == 0:
        number, units = draw(_numbers), draw(_units)
        return f"{number} [{units}]" if units else number
    if kind == 1:
        return draw(_names)
    if kind == 2:
        return draw(_words)
    return f"{draw(_readers)} from file {draw(_files)}"


def _items(draw: st.DrawFn, depth: int) -> str:
    return ", ".join(_expression(draw, depth) for _ in range(draw(_counts)))


def _expression(draw: st.DrawFn, depth: int) -> str:
    """An expression at most ``depth`` levels deep (a plain function, not a strategy per
    level: hypothesis then labels a handful of strategies instead of thousands)."""
    if depth == 0 or draw(_stop) == 0:
        return _atom(draw)
    inner = depth - 1
    shape = draw(_shapes)
    x = _expression(draw, inner)
    if shape == "binary":
        return f"{x} {draw(_binary)} {_expression(draw, inner)}"
    if shape in ("paren", "negate", "not"):
        return {"paren": f"({x})", "negate": f"-{x}", "not": f"not {x}"}[shape]
    if shape == "if":
        return f"{x} if {_expression(draw, inner)} else {_expression(draw, inner)}"
    if shape == "iffunction":
        return f"if({x}, {_expression(draw, inner)}, {_expression(draw, inner)})"
    if shape == "tuple":
        return f"({x}, {_items(draw, inner)})"
    if shape == "series":
        return f"({draw(_names)}: {x}, {_items(draw, inner)})"
    if shape == "array":
        return f"[{x}, {_items(draw, inner)}]"
    if shape == "table":
        return f"((a: {x}), (b: {_items(draw, inner)}))"
    if shape == "dict":
        return f"{{{draw(_names)}: {x}}}"
    if shape == "index":
        return f"{x}[{draw(_small)}]"
    if shape == "slice":
        return f"{x}[{draw(_small)}:{draw(_small)}]"
    if shape == "member":
        return f"{x}.{draw(_names)}"
    if shape == "property":
        return f"{x}:{draw(_properties)}"
    if shape == "call":
        return f"{draw(_functions)}({x})"
    if shape == "higher":
        return draw(_higher_order).format(x)
    if shape == "reducer":
        return f"{draw(_reducers)}({x})"
    if shape == "range":
        return f"range({draw(_small)}, {draw(_small)}, {draw(_small)})"
    if shape == "in":
        return f"{x} in ({_items(draw, inner)})"
    return f"{x} select a where column:a > {draw(_small)}"


@st.composite
def expressions(draw: st.DrawFn, depth: int = 3) -> str:
    return _expression(draw, depth)


_statement = st.one_of(
    st.builds(lambda n, e: f"{n} = {e}", _names, expressions()),
    st.builds(lambda n, e: f"{n} = {e}?", _names, expressions()),
    st.builds(lambda n, e: f"{n} := {e}", _names, expressions()),
    st.builds(
        lambda f, ps, e: f"{f}({ps}) = {e}",
        st.sampled_from(("f", "g")),
        st.sampled_from(("x", "x, y", "")),
        expressions(),
    ),
    st.lists(expressions(), min_size=1, max_size=3).map(lambda xs: f"print({', '.join(xs)})"),
    st.builds(lambda e, u: f"print({e} [{u}])", expressions(), st.sampled_from(UNITS)),
    _names.map(lambda n: f"print(info({n}))"),
    st.sampled_from(IMPORTS),
    st.builds(lambda n, p: f"{n} to file {p}", _names, _files),
    st.builds(lambda e: f"vary (({e}),)", expressions(2)),
    st.builds(lambda e: f"tag {{k: {e}}}", expressions(2)),
    st.builds(lambda e: f"view lineplot({e})", expressions(2)),
)

programs = st.lists(_statement, min_size=1, max_size=6).map(
    lambda statements: "\n".join([*statements, "print(a)"])
)
