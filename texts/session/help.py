"""Searchable help for the interactive session, shown by ``%help [keywords]``.

The help is a small tree of topics held as plain data, so that adding or correcting a
topic never touches the lookup and formatting code below. A topic is shown by its path
(``magics:find``); its name is what users type to get exactly that topic, and all the
texts are searched when no topic has that name. A text that shows topics ends with a
newline, so that printing it leaves a blank line before the next prompt, as the reference
does.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """One help topic: a few lines of text and, optionally, subtopics."""

    name: str
    lines: tuple[str, ...]
    children: tuple[Topic, ...] = ()
    aliases: tuple[str, ...] = ()  # other names that select the topic, e.g. ``hist``


# Every magic command the session accepts, aliases included; the session dispatches on
# these names, and every one of them must have a topic under ``magics``.
MAGIC_NAMES: tuple[str, ...] = (
    "async",
    "bye",
    "cancel",
    "close",
    "detect_duplicates",
    "exit",
    "find",
    "help",
    "hist",
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
)

_END_SESSION = "The session stops background evaluation, prints Exiting and ends."

MAGICS = Topic(
    "magics",
    (
        "Magic commands start with % and control the session: the current model, how and when",
        "it is evaluated, and what is displayed. A command written with [on|off] shows the",
        "current setting when given no argument; on and off are case-insensitive.",
        'Commands that need a model print "No model is currently loaded." when there is none.',
    ),
    (
        Topic(
            "async",
            (
                "%async [on|off] shows or switches background evaluation. When on, a thread wakes",
                "every few seconds (see %sleep) and evaluates the variables that are ready, so",
                "the prompt returns at once. Also selected with the session option -a.",
            ),
        ),
        Topic("bye", ("%bye ends the session, like %exit, %quit and %close.", _END_SESSION)),
        Topic(
            "cancel",
            (
                "%cancel v1, v2, ... stops the pending evaluation of the named variables.",
                "Failed or paused variables are deactivated, waiting or ready ones paused and",
                "running ones stopped; completed variables cannot be cancelled.",
                "Use %rerun to evaluate a cancelled variable again.",
            ),
        ),
        Topic("close", ("%close ends the session, like %exit, %quit and %bye.", _END_SESSION)),
        Topic(
            "detect_duplicates",
            (
                "%detect_duplicates [on|off] shows or switches the reuse of identical",
                "computations: a variable whose content signature (definition, inputs, code",
                "and files it reads) equals that of one already evaluated takes over its result.",
                "On by default; the session option --no-duplicate-detection starts with it off.",
            ),
        ),
        Topic("exit", ("%exit ends the session, like %quit, %bye and %close.", _END_SESSION)),
        Topic(
            "find",
            (
                "%find <query> [load one] searches all models in the database and prints a table",
                "of the matches; with load one the session switches to the first match.",
                "The query is a dict with one or more of the keys tags (the model's tag, see",
                "the tag statement), meta (the model, e.g. its state) and data (its variables).",
                "Keys starting with ~ name a tag entry or a variable; MongoDB operators are",
                "quoted keys. Example: %find {tags: {'~project': {'$in': ('a', 'b')}}} load one",
            ),
        ),
        Topic(
            "help",
            (
                "%help [keywords] shows this help. Without keywords it lists the main topics;",
                "a topic name shows that topic and its subtopics; other words search all help",
                "texts for topics that contain every word. Example: %help units",
            ),
        ),
        Topic(
            "history",
            (
                "%history (short: %hist) prints a table of the model's statements with the time",
                "of their last update and their evaluation state (e.g. COMPLETED, FIZZLED),",
                "followed by the evaluations that were reserved or running but got lost.",
            ),
            aliases=("hist",),
        ),
        Topic(
            "log",
            (
                "%log name shows how a variable's value was made: its value, its definition as",
                "it was when computed, its run, code and files, and its upstream dataflow down",
                "to literals and files. %log also takes a node hash (or a prefix of it), a file",
                "path (which nodes read or wrote it, in which runs) or --files (every file read",
                "or written, with its content hash). A long value shows its start and end;",
                "%log --full name shows it whole. The command line's texts log does the same.",
            ),
        ),
        Topic(
            "launchpad",
            (
                "%launchpad [path] shows the database settings file (the launchpad) in use,",
                "or switches to the database described in the given file.",
            ),
        ),
        Topic(
            "load",
            (
                "%load <path> adds the statements of a model file to the current model and",
                "processes them like typed input.",
            ),
        ),
        Topic(
            "logfile",
            (
                '%logfile [path] shows the file log messages are written to ("No logfile." when',
                "they go to the terminal), or sets it.",
            ),
        ),
        Topic(
            "logging",
            (
                '%logging [on|off|LEVEL] shows the logging state ("Logging not activated." or',
                '"Current level: X"), switches logging on or off, or sets the level: NOTSET,',
                "DEBUG, INFO, WARNING, ERROR or CRITICAL.",
            ),
        ),
        Topic(
            "new",
            (
                "%new [path] starts a new model. With a path, the model is built from the",
                "statements of that file and its output is printed.",
            ),
        ),
        Topic(
            "on_demand",
            (
                "%on_demand [on|off] shows or switches evaluation on demand: only the variables",
                "that the print and view statements of an input need are evaluated, the others",
                "wait. Also selected with the session option -d.",
            ),
        ),
        Topic(
            "qadapter",
            (
                '%qadapter [path] shows the default queue adapter file ("No qadapter file." if',
                "none is set) or sets it; it describes how variables with resource requests",
                "are submitted to a batch queue.",
            ),
        ),
        Topic("quit", ("%quit ends the session, like %exit, %bye and %close.", _END_SESSION)),
        Topic(
            "recover",
            (
                "%recover v1, v2, ... evaluates again variables whose evaluation failed or whose",
                "running evaluation was lost, continuing from the files of the last attempt.",
            ),
        ),
        Topic(
            "rerun",
            (
                "%rerun v1, v2, ... evaluates the named variables again: failed, cancelled,",
                "paused, running or completed ones. Rerunning a completed variable also resets",
                "the variables that depend on it.",
            ),
        ),
        Topic(
            "runs",
            (
                "%runs lists the newest runs of the store (each script run and session input is",
                "one): id, start, executor, status, nodes, whether results were reused. %runs id",
                "shows one run (an id prefix is enough) with its nodes. As texts runs.",
            ),
        ),
        Topic(
            "signature",
            (
                "%signature [mode] shows or sets how results are reused by content signature:",
                "default (reuse a completed node with the same signature, in any model),",
                "ignore or force (compute everything again), assert and build (as default).",
                "Same as the --signature option of texts script and texts session.",
            ),
        ),
        Topic(
            "sleep",
            (
                "%sleep [n] shows or sets the number of seconds background evaluation waits",
                "between two rounds (default 30). Example: %sleep 5",
            ),
        ),
        Topic(
            "start",
            (
                "%start switches evaluation on: ready variables are evaluated after each input",
                "(in the background when %async is on). %stop switches it off again.",
            ),
        ),
        Topic(
            "stop",
            (
                "%stop switches evaluation off: new statements are only stored and values not",
                "yet computed print as n.c. %start switches it on again.",
            ),
        ),
        Topic(
            "tag",
            (
                "%tag prints the tag of the current model (set with the tag statement) as a",
                "table, or null if the model has no tag. %tag {project: 'alpha'} adds to the",
                "tag as the tag statement does and shows it. Tags are searched with %find.",
            ),
        ),
        Topic(
            "unique_launchdir",
            (
                "%unique_launchdir [on|off] shows or switches unique launch directories: when on,",
                "every evaluation runs in a new directory of its own (relative export paths end",
                "up there); when off, all run in the current directory.",
            ),
        ),
        Topic(
            "uuid",
            (
                "%uuid prints the UUID of the current model and those of the session's models,",
                "e.g. uuids: '<uuid>' ('<uuid>',). %uuid <uuid> switches to another model.",
            ),
        ),
        Topic(
            "vary",
            (
                "%vary prints the table of varied parameters of the current model group (see the",
                "vary statement), with a %uuid column naming the model of each row.",
            ),
        ),
        Topic(
            "version",
            (
                "%version prints the version report, as texts --version does: the versions of",
                "the interpreter, the grammar and the data schema, the compatible versions and",
                "the Python version.",
            ),
        ),
        Topic(
            "warnings",
            ("%warnings [on|off] shows or switches the display of warnings.",),
        ),
    ),
)

TEXTS = Topic(
    "texts",
    (
        "A textS program is a sequence of statements separated by line breaks or ;.",
        "Every name is defined once and never changes; names may be used before the",
        "statement that defines them, and values are computed only when needed.",
        'Comments run from # to the end of the line, or between """ and """.',
        "Example: a = 2 [m]; b = a * 3; print(b)",
    ),
    (
        Topic(
            "array",
            (
                "[1, 2, 3], [[1.5, 2], [3, 4]] [m], [1 + 2 j, 3 j], [true, false] and ['a', 'b']",
                "are n-dimensional arrays; elements are literals of one kind, without null.",
                "a[i] drops the first axis, a[i:j] keeps it. Arrays take no part in arithmetic;",
                "use imported NumPy functions, or map over a series.",
            ),
        ),
        Topic(
            "dict",
            (
                "{key: value, ...} maps names or strings to values of any type; d.key reads a",
                "value. Mapping a function that returns a dict over a table gives a table.",
                "Example: d = {a: 1, 'b c': 'text'}; print(d.a, d.'b c')",
            ),
        ),
        Topic(
            "export",
            (
                'value to file "path" (or to url "address") writes a value as YAML (.yaml, .yml)',
                "or JSON (.json). Exports run before the prints and never overwrite a file.",
                'Example: s to file "series.yaml"',
            ),
        ),
        Topic(
            "function",
            (
                "name(p1, p2, ...) = value defines a function; a call substitutes the arguments",
                "for the parameters in the body. Parameters: at least one, distinct, all used.",
                "Recursion is not allowed. A function can be called, or passed by name to map,",
                "filter and reduce. Example: f(x, y) = x * y + 1; print(f(2, 3))",
            ),
        ),
        Topic(
            "import",
            (
                'Type from file "path" (or from url "address") reads a value from a data file',
                "when it is first needed. Type is Quantity, Bool, String, Series, Table,",
                "IntArray, FloatArray, ComplexArray, BoolArray or StrArray; the path may also be",
                "a string variable.",
                'Example: t = Table from file "table.json"',
            ),
        ),
        Topic(
            "lambda",
            (
                "(x: body) or (x, y: body) is an anonymous function, allowed only as the first",
                "argument of map, filter and reduce. Its parameters follow the rules of",
                "function parameters. Example: map((x: x ** 2), s)",
            ),
        ),
        Topic(
            "literals",
            (
                "Strings are in single or double quotes and may span lines; only \\' and \\\" are",
                "escapes. Booleans are true and false (also True, False). null, or its synonym",
                "default, marks a missing value and counts as unknown in logic.",
            ),
        ),
        Topic(
            "numbers",
            (
                "Integers (42), floats (1.5, .5, 1e3) and complex numbers (1 + 2 j, 3 j; a space",
                "before j) may be followed by units: 2.5 [m]. value +/- error (or ±) gives an",
                "uncertain number whose uncertainty propagates: 1.0 +/- 0.1 [m].",
            ),
        ),
        Topic(
            "print",
            (
                "print(item, ...) evaluates its items and writes them, separated by spaces, as",
                "one output line. item [units] converts a numeric item (see units:conversion).",
                "If an item fails, the error is shown and the whole line is left out.",
                "Example: print(a, a [km], info(a))",
            ),
        ),
        Topic(
            "query",
            (
                "subject select col1, col2 where condition keeps the listed columns and the rows",
                "that fulfil the condition, of a table or series; either clause may be omitted.",
                "Conditions: column:a > 2, column:a < column:b, a in (1, 2), not, and, or,",
                "all(c1, c2), any(c1, c2). Example: t select name where column:mass > 2 [kg]",
            ),
        ),
        Topic(
            "resources",
            (
                "name = value for <time> on <n> cores with <memory> requests computing resources",
                "for the variable in workflow mode; each part is optional. Other modes ignore it.",
                "Example: a = 6 * 7 for 1 [hour] on 4 cores with 2 [GB]",
            ),
        ),
        Topic(
            "series",
            (
                "(name: e1, e2, ...) is a named column of elements of one type; null elements",
                "are allowed, and units may follow: (d: 1.5, null) [m]. s[i] is an element,",
                "s[i:j] a series, s:name its name and s:array its elements as an array.",
            ),
        ),
        Topic(
            "table",
            (
                "((a: 1, 2), (b: 'x', 'y')) is a table of equally long series with distinct",
                "names; Table (s1, s2) builds one from references. t[i] is a row (a tuple),",
                "t.a a column, t[i:j] some rows and t:columns the column names (see query).",
            ),
        ),
        Topic(
            "tag",
            (
                "tag {key: value, ...} (or tag with a one-row table) attaches metadata to the",
                "model in workflow mode, to be searched with %find; other modes warn and ignore",
                "it. Example: tag {project: 'demo', params: {cutoff: 400.0 [eV]}}",
            ),
        ),
        Topic(
            "tuple",
            (
                "(v1, v2, ...) is a fixed-length tuple of any values; one element needs a comma:",
                "(1,). t[i] is an element, t[i:j] a tuple; negative indices count from the end.",
            ),
        ),
        Topic(
            "types",
            (
                "Values are quantities (numbers with units), booleans, strings, null, tuples,",
                "series, tables, dicts and arrays. Types are checked before anything is",
                "evaluated; print(info(x)) shows what the checker knows about x.",
            ),
        ),
        Topic(
            "update",
            (
                "name := value replaces the definition of a variable in a stored model and",
                "recomputes what depends on it. Workflow mode only; the new value must refer",
                "to the same variables as the old one. Example: a := 2",
            ),
        ),
        Topic(
            "use",
            (
                "use module.name, use a, b from package.module or from package.module use a, b",
                "imports Python objects. Imported functions can be called or passed to map,",
                "filter and reduce; numbers become dimensionless quantities.",
                "Example: use sin, pi from math; print(sin(pi / 2))",
            ),
        ),
        Topic(
            "variable",
            (
                "name = value defines a variable. A trailing ? (name = value ?) marks it",
                "non-strict: in workflow mode it is computed as soon as the inputs it actually",
                "needs are ready (only for if and boolean values). Example: big = n > 2",
            ),
        ),
        Topic(
            "vary",
            (
                "vary table declares parameters: each column is one, each row one combination.",
                "In workflow mode a group of models is created, one per row; other modes only",
                "warn. Example: vary ((x: 1, 2, 3), (k: 10, 20, 30))",
            ),
        ),
        Topic(
            "view",
            (
                "view mode(item, ...) shows a plot instead of text; the modes are lineplot and",
                "scatterplot. Items: (table, 'x column', 'y column'), (y values, x values) or",
                "(values, index, columns). Example: view lineplot(y [cm], x). The atomistic",
                "modes are structure, trajectory, vibration, neb, bs, eos and waterfall.",
            ),
        ),
    ),
)

FUNCTIONS = Topic(
    "functions",
    (
        "Built-in functions are keywords with their own syntax; they cannot be redefined or",
        "passed as values. An iterable is a series, a table, a query or property result, or",
        "the result of map, filter or range (a tuple is not iterable).",
    ),
    (
        Topic(
            "all",
            (
                "all(iterable) or all(b1, b2, ...) is true when every boolean is true; evaluation",
                "stops once the result is known. null counts as unknown: all(true, null) is null,",
                "all(false, null) is false.",
            ),
        ),
        Topic(
            "any",
            (
                "any(iterable) or any(b1, b2, ...) is true when some boolean is true; evaluation",
                "stops once the result is known. null counts as unknown: any(true, null) is true,",
                "any(false, null) is null.",
            ),
        ),
        Topic(
            "chunks",
            (
                "name = map(...) in N chunks (also filter and reduce) splits the work into N",
                "parallel steps in workflow mode; other modes compute the same result at once.",
                "Allowed only as the whole value of a variable, with references as inputs.",
            ),
        ),
        Topic(
            "filter",
            (
                "filter(function, iterable) keeps the elements, or table rows, for which a",
                "one-parameter function returns true; null elements are dropped.",
                "Example: filter((x: x > 2), s)",
            ),
        ),
        Topic(
            "if",
            (
                "if(condition, a, b) or a if condition else b gives a when the condition is true",
                "and b otherwise; only that branch is evaluated, and a null condition gives null.",
                "Both branches must have compatible types. Parenthesise a computed true branch:",
                "(x + 1) if x > 0 else 0. Example: size = if(x > 5, 'large', 'small')",
            ),
        ),
        Topic(
            "imag",
            (
                "imag(x) is the imaginary part of a number, keeping its units; zero for a real",
                "number. Example: imag(3 + 4 j [V]) is 4.0 [volt]",
            ),
        ),
        Topic(
            "in",
            (
                "x in series or x in (v1, v2, ...) tests membership by equality, comparing",
                "quantities after unit conversion. With nulls the result may be unknown:",
                "3 in (null, 4) is null. Parenthesise a computed element: (x + 1) in s",
            ),
        ),
        Topic(
            "info",
            (
                "info(x), allowed only inside print, describes the inferred type of x as a one-row",
                "table: name, type, datatype, size, dimensionality and units where they apply.",
                "In workflow mode it also reports the evaluation state of a variable.",
                "Example: print(info(a))",
            ),
        ),
        Topic(
            "map",
            (
                "map(function, iterable, ...) applies a function with one parameter per iterable",
                "element by element; the function is a lambda or a defined or imported function.",
                "A table passes its rows, read with r.column; dict results give a table.",
                "Example: map((x, y: x + y), a, b)",
            ),
        ),
        Topic(
            "range",
            (
                "range(start, stop, step) or range from start to stop step step is the numeric",
                "series from start (included) to stop (excluded); a negative step counts down.",
                "It has the units of start. Example: range(0 [cm], 1.0 [m], 25 [cm])",
            ),
        ),
        Topic(
            "real",
            (
                "real(x) is the real part of a number, keeping its units; a real number is",
                "returned unchanged. Example: real(3 + 4 j [V]) is 3.0 [volt]",
            ),
        ),
        Topic(
            "reduce",
            (
                "reduce(function, iterable) folds the elements from the left with a",
                "two-parameter function. For a table the function combines two rows into a",
                "dict and the result is a one-row table. Example: reduce((x, y: x + y), s)",
            ),
        ),
        Topic(
            "sum",
            (
                "sum(iterable) adds the elements of a numeric series, sum(a, b, ...) adds numbers;",
                "units are kept and a null element gives null.",
                "Example: sum((d: 1, 2, 3) [m]) is 6 [meter]",
            ),
        ),
    ),
)

UNITS = Topic(
    "units",
    (
        "Every number is a quantity with units, written in brackets: 2.5 [m], 3 [km/h],",
        "(t: 1, 2) [s], [1, 2] [cm]; without units it is dimensionless. Unit names are those of",
        "the Pint library (m, s, kg, eV, degC, angstrom, ...); write [1/m/s], without",
        "parentheses or factors. + and - need the same dimensionality and give the units of",
        "the left operand; * and / combine units. Results print with full unit names.",
    ),
    (
        Topic(
            "conversion",
            (
                "print(x [units]) converts a number, numeric series or numeric array to compatible",
                "units. Special targets: _base (SI base units), _root (root units), _reduced",
                "(cancel compatible units), _compact (a readable prefix).",
                "Example: print(1500 [m] [km], 3 [kWh] [_base])",
            ),
        ),
        Topic(
            "temperature",
            (
                "Offset units such as degC cannot be added to each other; add a difference such as",
                "delta_degC instead. In products and quotients they are converted to kelvin:",
                "25 [degC] * 2 is 596.3 [kelvin].",
            ),
        ),
    ),
)

MATH = Topic(
    "math",
    (
        "Arithmetic operators, from tightest to loosest binding: unary + and -;",
        "** (right-associative); * and /; binary + and -. Unary minus binds tighter than **:",
        "-a ** 2 is (-a) ** 2. Of the boolean operators not binds tightest, then and, then or;",
        "parenthesise comparisons that are combined with them. Parentheses group as usual.",
    ),
    (
        Topic(
            "arithmetic",
            (
                "a + b, a - b, a * b, a / b and a ** b work on numbers with units; series and",
                "arrays are not operands (use map). / always gives a float (8 / 2 is 4.0) and",
                "2 ** 3 ** 2 is 2 ** 9. Division by zero is an error.",
            ),
        ),
        Topic(
            "boolean",
            (
                "not, and, or combine booleans; evaluation stops once the result is known. null",
                "counts as unknown: null and false is false, null or true is true. A boolean",
                "value must start with not, true, false or a parenthesis: (x > 1) and (x < 5).",
            ),
        ),
        Topic(
            "comparison",
            (
                "==, !=, <, <=, >, >= compare two numbers, strings or booleans; null if an operand",
                "is null. Strings, booleans and complex numbers allow only == and !=. Quantities",
                "are compared after unit conversion. Comparisons do not chain.",
            ),
        ),
    ),
)

ATOMISTIC = Topic(
    "atomistic",
    (
        "Atomic structures, energy models and algorithms, simulated with ASE: a Property",
        "names what to compute and runs the simulation once when first needed. Species and",
        "reactions describe chemistry. Example: p = Property energy ((structure: s),",
        "(calculator: c)); print(p.energy)",
    ),
    (
        Topic(
            "structure",
            (
                "Structure name ((atoms: ((symbols: 'H', 'H'), (x: 0, 0.74) [angstrom], (y: ...),",
                "(z: ...))), (cell: [[...]] [angstrom]), (pbc: [true, true, true])): one row per",
                "configuration. Members: atoms, cell, pbc, chemical_formula, number_of_atoms,",
                "cell_volume, distance_matrix, ... Structure from file 'f.xyz' reads any format",
                "ASE reads.",
            ),
        ),
        Topic(
            "calculator",
            (
                "Calculator emt (), Calculator lj ((sigma: 2.0) [angstrom]), task: single point:",
                "an energy model (emt, lj, free_electrons; vasp, turbomole and elk need their",
                "programs, found through ASE's configuration). () gives all default parameters.",
            ),
        ),
        Topic(
            "algorithm",
            (
                "Algorithm BFGS ((fmax: 0.01) [eV/angstrom]): an optimiser (BFGS, FIRE, ...), MD",
                "(VelocityVerlet, Langevin, ...) or analysis (Vibrations, EquationOfState, RDF,",
                "RMSD, NeighborList, NEB, Dimer, ...). , many_to_one: all configurations, one job.",
            ),
        ),
        Topic(
            "property",
            (
                "Property energy, forces ((structure: s), (calculator: c), (algorithm: a),",
                "(constraints: (f,)), (seed: 'UUID')): results as members with units (p.energy,",
                "p.forces, p.trajectory, p.output_structure, p.results, ...).",
            ),
        ),
        Topic(
            "constraint",
            (
                "FixedAtoms where mask, FixedLine collinear to [0, 0, 1] where mask, FixedPlane",
                "normal to [0, 0, 1] where mask, FixedCOM; mask: one boolean per atom.",
            ),
        ),
        Topic(
            "chemistry",
            (
                "Species H2O, composition: 'H2O' ((energy: -14.22) [eV], (zpe: 0.56) [eV]) and",
                "Reaction 2 H2 + O2 = 2 H2O (or ->): reaction properties are sums over the",
                "species' with the coefficients; a reaction with compositions must be balanced.",
            ),
        ),
    ),
)

ROOT = Topic(
    "help",
    (
        "Help on the textS language and the interactive session. %help <topic> shows a",
        "topic with its subtopics; %help <keywords> searches all help texts.",
    ),
    (MAGICS, TEXTS, FUNCTIONS, UNITS, MATH, ATOMISTIC),
)


def _walk(topic: Topic, prefix: str = "") -> Iterator[tuple[str, Topic]]:
    """Yield ``(path, topic)`` for every topic below ``topic``, parents before children,
    siblings in name order, so that matches are shown in the order of the listings."""
    for child in sorted(topic.children, key=lambda t: t.name):
        path = f"{prefix}:{child.name}" if prefix else child.name
        yield path, child
        yield from _walk(child, path)


def _render(title: str, topic: Topic) -> list[str]:
    """The lines of one shown topic, starting with the blank line that separates it."""
    lines = ["", f"**{title}**", "", *topic.lines]
    if topic.children:
        lines += ["", "TOPICS:", *(f"* {name}" for name in sorted(c.name for c in topic.children))]
    return lines


def _exact(path: str, topic: Topic, word: str) -> bool:
    """Whether ``word`` names the topic: its name, an alias or its full path."""
    return word in (topic.name, path, *topic.aliases)


def _contains_all(path: str, topic: Topic, words: Sequence[str]) -> bool:
    """Whether every word occurs in the topic's path, aliases or text."""
    haystack = " ".join((path, *topic.aliases, *topic.lines)).lower()
    return all(word in haystack for word in words)


def help_text(words: Sequence[str]) -> str:
    """The help shown for `%help words...`: with no words, the list of top-level topics;
    otherwise the topics matching the words."""
    if not words:
        return "\n".join([*_render(ROOT.name, ROOT)[1:], ""])
    # ``%help %find`` is as natural to type as ``%help find``.
    keys = [word.lower().removeprefix("%") for word in words]
    topics = list(_walk(ROOT))
    shown = [(p, t) for p, t in topics if any(_exact(p, t, key) for key in keys)]
    if shown:
        header = f"Showing {len(shown)} exact match(es):"
    else:
        shown = [(p, t) for p, t in topics if _contains_all(p, t, keys)]
        header = f'Showing {len(shown)} match(es) for "{" ".join(words)}":'
    if not shown:
        names = ", ".join(sorted(t.name for t in ROOT.children))
        return f'No help found for "{" ".join(words)}". Topics: {names}.'
    lines = [header]
    for path, topic in shown:
        lines += _render(f"{ROOT.name}:{path}", topic)
    return "\n".join([*lines, ""])
