"""``vary`` in workflow mode: one model per parameter row, sharing the group UUID."""

from __future__ import annotations

import re
from pathlib import Path

from texts.store.embedded import EmbeddedStore


def write(tmp_path: Path, text: str, name: str = "model.vm") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def group_rows(tmp_path: Path) -> list[tuple[str, dict[str, str], str, list[str]]]:
    """(group, vary row, state, statements) of every stored model, oldest first."""
    with EmbeddedStore(tmp_path / ".texts") as launchpad:
        return [
            (
                workflow["metadata"]["g_uuid"],
                workflow["metadata"]["texts"]["vary"],
                workflow["state"],
                workflow["metadata"]["texts"]["statements"],
            )
            for workflow in launchpad.workflows.find({}, sort=[("created_on", 1)])
        ]


def output(result) -> str:
    """The output frame of the active model (the first of the group)."""
    return result.out.partition("\n")[2].partition("<<<\n")[0] + "<<<\n"


def group_table(result) -> list[str]:
    """The table of every model of the group after the frame, UUIDs written as UUID and
    runs of spaces and rules shortened."""
    table = result.out.partition("<<<\n")[2]
    table = re.sub(r"-{2,}", "--", re.sub(r" {2,}", " ", table))
    return re.sub(r"[0-9a-f]{32}", "UUID", table).splitlines()


def stored_model(run_texts, tmp_path: Path, text: str) -> str:
    """Store a model (not run); its UUID."""
    return run_texts(str(write(tmp_path, text)), "-m", "workflow", "--quiet").out.split()[2]


def refusal(run_texts, tmp_path: Path, uuid: str, text: str) -> tuple[int, str]:
    """The status and standard error of an input to a stored model."""
    refused = run_texts(
        str(write(tmp_path, text, "wrong.vm")), "-m", "workflow", "--quiet", "-u", uuid
    )
    return refused.status, refused.err


def test_one_model_per_row_and_the_first_is_shown(run_texts, tmp_path: Path) -> None:
    model = write(tmp_path, "vary ((x: 1, 2, 3), (k: 10, 20, 30))\ny = x * k\nprint(x, y)\n")
    result = run_texts(str(model), "-m", "workflow", "--quiet", "-r")
    assert (result.status, output(result), result.err) == (
        0,
        "program output: >>>\n1 10\n<<<\n",
        "",
    )
    assert group_table(result) == [
        "vary group of 3 models:",
        "+--+--+--+--+",
        "| x | k | model UUID | output |",
        "+--+--+--+--+",
        "| 1 | 10 | UUID | 1 10 |",
        "| 2 | 20 | UUID | 2 40 |",
        "| 3 | 30 | UUID | 3 90 |",
        "+--+--+--+--+",
    ]
    rows = group_rows(tmp_path)
    assert [row[1] for row in rows] == [
        {"x": "1", "k": "10"},
        {"x": "2", "k": "20"},
        {"x": "3", "k": "30"},
    ]
    assert len({row[0] for row in rows}) == 1  # one group
    assert {row[2] for row in rows} == {"COMPLETED"}  # autorun runs the whole group
    assert [row[3] for row in rows] == [["y = x * k"]] * 3  # vary itself is not a statement


def test_vary_tables_are_crossed_and_keep_units(run_texts, tmp_path: Path) -> None:
    model = write(
        tmp_path, "vary ((T: 300, 400) [K])\nvary ((p: 'a', 'b'))\nh = T * 2\nprint(h, p)\n"
    )
    result = run_texts(str(model), "-m", "workflow", "--quiet", "-r")
    assert output(result) == "program output: >>>\n600 [kelvin] 'a'\n<<<\n"
    assert [row[1] for row in group_rows(tmp_path)] == [
        {"T": "300 [K]", "p": "'a'"},
        {"T": "300 [K]", "p": "'b'"},
        {"T": "400 [K]", "p": "'a'"},
        {"T": "400 [K]", "p": "'b'"},
    ]


def test_only_literals_may_be_varied(run_texts, tmp_path: Path) -> None:
    model = write(tmp_path, "a = 1\nvary ((x: a, 2))\nprint(x)\n")
    result = run_texts(str(model), "-m", "workflow", "--quiet", "-r")
    assert (result.status, result.out) == (1, "")
    assert result.err == "Vary error: only literals may be used in vary statements\n"
    assert group_rows(tmp_path) == []


def test_a_parameter_is_not_defined_twice(run_texts, tmp_path: Path) -> None:
    model = write(tmp_path, "vary ((x: 1, 2))\nx = 3\nprint(x)\n")
    result = run_texts(str(model), "-m", "workflow", "--quiet")
    assert result.status == 1
    assert result.err == (
        f'Initialization error: {model}:2:1 --> x = 3 <--\nRepeated initialization of "x"\n'
        "    2 | x = 3\n"
        "      | ^^^^^\n"
    )


def test_extension_goes_to_every_model_and_new_rows_are_crossed(run_texts, tmp_path) -> None:
    first = run_texts(str(write(tmp_path, "vary ((x: 1, 2))\n")), "-m", "workflow", "--quiet")
    uuid = first.out.split()[2]
    more = write(tmp_path, "w = x + 100\nvary ((q: 7, 8))\nprint(w, q)\n", "more.vm")
    result = run_texts(str(more), "-m", "workflow", "--quiet", "-r", "-u", uuid)
    assert (result.status, result.out.split()[2]) == (0, uuid)
    assert output(result) == "program output: >>>\n101 7\n<<<\n"
    rows = group_rows(tmp_path)
    assert sorted((row[1]["x"], row[1]["q"]) for row in rows) == [
        ("1", "7"),
        ("1", "8"),
        ("2", "7"),
        ("2", "8"),
    ]
    assert all(row[3] == ["w = x + 100"] and row[2] == "COMPLETED" for row in rows)


def test_rows_for_varied_parameters_add_models(run_texts, tmp_path: Path) -> None:
    uuid = stored_model(run_texts, tmp_path, "vary ((x: 1, 2), (k: 0, 0))\ny = x * 10\n")
    more = write(tmp_path, "vary ((x: 2, 5), (k: 0, 0))\nprint(y)\n", "more.vm")
    result = run_texts(str(more), "-m", "workflow", "--quiet", "-r", "-u", uuid)
    assert output(result) == "program output: >>>\n10\n<<<\n"
    assert [row[1] for row in group_rows(tmp_path)] == [
        {"x": "1", "k": "0"},
        {"x": "2", "k": "0"},
        {"x": "5", "k": "0"},
    ]
    for text, error in [
        ("vary ((x: 9))", "missing variables in vary: k"),
        ("vary ((x: 9), (k: 1), (z: 3))", "new and varied parameters in one vary: z"),
    ]:
        assert refusal(run_texts, tmp_path, uuid, text) == (1, f"Vary error: {error}\n")
    assert len(group_rows(tmp_path)) == 3  # nothing stored


def launch_counts(tmp_path: Path, uuid: str) -> dict[str, int]:
    """How often each node of a stored model ran (old launches of a rerun included)."""
    with EmbeddedStore(tmp_path / ".texts") as launchpad:
        return {
            doc["name"]: len(doc["launches"]) + len(doc.get("archived_launches", []))
            for doc in launchpad.fireworks.find({"spec._texts.model": uuid})
            if not doc["name"].startswith("_")
        }


def test_a_defined_variable_varied_later_becomes_the_models_row(run_texts, tmp_path) -> None:
    """As in the reference: ``x = 1`` stored, then ``vary ((x: 2, 3))`` with ``-u``, gives
    three models, x = 1 (the stored one, its nodes not run again), 2 and 3."""
    first = run_texts(str(write(tmp_path, "x = 1 [m]\ny = x * 10\n")), "-m", "workflow", "-r")
    uuid = first.out.split()[2]
    more = write(tmp_path, "vary ((x: 2, 3) [m])\nprint(y)\n", "more.vm")
    result = run_texts(str(more), "-m", "workflow", "--quiet", "-r", "-u", uuid)
    assert (result.status, result.out.split()[2], result.err) == (0, uuid, "")
    assert output(result) == "program output: >>>\n10 [meter]\n<<<\n"
    assert group_table(result) == [
        "vary group of 3 models:",
        "+--+--+--+",
        "| x | model UUID | output |",
        "+--+--+--+",
        "| 1 [m] | UUID | 10 [meter] |",
        "| 2 [m] | UUID | 20 [meter] |",
        "| 3 [m] | UUID | 30 [meter] |",
        "+--+--+--+",
    ]
    rows = group_rows(tmp_path)
    assert [(row[1], row[3]) for row in rows] == [
        ({"x": "1 [m]"}, ["y = x * 10"]),
        ({"x": "2 [m]"}, ["y = x * 10"]),
        ({"x": "3 [m]"}, ["y = x * 10"]),
    ]
    assert len({row[0] for row in rows}) == 1
    assert launch_counts(tmp_path, uuid) == {"x": 1, "y": 1}
    # the stored value is now a row like the others: a vary adds only the rows that differ
    again = write(tmp_path, "vary ((x: 1, 3, 4) [m])\n", "again.vm")
    run_texts(str(again), "-m", "workflow", "--quiet", "-u", uuid)
    assert [row[1]["x"] for row in group_rows(tmp_path)] == ["1 [m]", "2 [m]", "3 [m]", "4 [m]"]
    assert refusal(run_texts, tmp_path, uuid, "x := 5 [m]\n") == (
        1,
        'Variable update error: "x" is a varied parameter: vary it instead.\n',
    )


def test_only_a_variable_defined_by_a_literal_can_be_varied_later(run_texts, tmp_path) -> None:
    uuid = stored_model(run_texts, tmp_path, "x = 2 * 3\nk = 1\nvary ((a: 1, 2))\ny = x * k + a\n")
    before = group_rows(tmp_path)
    for text, error in [
        (
            "vary ((x: 2, 3))",
            '"x" cannot be varied: its definition x = 2 * 3 is not a plain literal',
        ),
        ("vary ((k: 2, 3))", "missing variables in vary: a"),
        ("vary ((k: 2), (a: 1), (w: 4))", "new and varied parameters in one vary: w"),
    ]:
        assert refusal(run_texts, tmp_path, uuid, text) == (1, f"Vary error: {error}\n")
    assert group_rows(tmp_path) == before  # nothing stored
