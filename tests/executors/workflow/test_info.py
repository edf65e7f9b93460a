"""``info(x)`` in workflow mode: the type as in every mode, then the metadata of x's node."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from fireworks import FWorker

from texts.grammar.loader import GRAMMAR_VERSION
from texts.serialization import SCHEMA_VERSION
from texts.store.embedded import EmbeddedStore

UUID = "'[0-9a-f]{32}'"
TIME = r"'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00'"
SECONDS = r"\d+\.\d+(?:e-\d+)?"
TYPE_OF_B = (("name", "'b'"), ("type", "'Quantity'"), ("scalar", "true"), ("numeric", "true"))
UNITS = (("dimensionality", "'dimensionless'"), ("units", "'dimensionless'"))


def line(*fields: tuple[str, str]) -> str:
    """The pattern of a printed one-row table: printed column names, value patterns."""
    return r"\(" + ", ".join(rf"\({re.escape(key)}: {value}\)" for key, value in fields) + r"\)"


def literal(value: object) -> str:
    return re.escape(str(value))


def run(run_texts, tmp_path: Path, text: str, *options: str):
    model = tmp_path / "model.vm"
    model.write_text(text, encoding="utf-8")
    return run_texts("script", "-f", str(model), "-m", "workflow", "--quiet", *options)


def output(result) -> list[str]:
    """The printed lines between the frame's markers."""
    return result.out.split("program output: >>>\n")[1].removesuffix("<<<\n").splitlines()


def nodes(tmp_path: Path) -> dict[str, dict]:
    with EmbeddedStore(tmp_path / ".texts") as launchpad:
        return {doc["name"]: doc for doc in launchpad.fireworks.find({})}


def node_fields(
    result, stored: dict[str, dict], state: str, *launch_fields: tuple[str, str]
) -> tuple[tuple[str, str], ...]:
    """The fields up to the launches: those of b = a * ... in the model just run."""
    model_uuid = result.out.partition("\n")[0].removeprefix("program UUID: ")
    return (
        ("'group UUID'", f"(?:{UUID}|null)"),  # null for models stored without a group
        ("'model UUID'", literal(f"'{model_uuid}'")),
        ("'node UUID'", literal(f"'{stored['b']['spec']['_texts']['uuid']}'")),
        ("'node ID'", literal(stored["b"]["fw_id"])),
        ("'parent IDs'", literal(f"({stored['a']['fw_id']},)")),
        ("'node state'", literal(f"'{state}'")),
        ("'created on'", TIME),
        ("'updated on'", TIME),
        ("'grammar version'", literal(GRAMMAR_VERSION)),
        ("'data schema version'", literal(SCHEMA_VERSION)),
        ("category", "null"),
        *launch_fields,
    )


def test_info_reports_the_node_after_the_type(run_texts, tmp_path: Path) -> None:
    result = run(run_texts, tmp_path, "a = 21\nb = a * 2\nprint(info(b))\n", "-r")
    assert (result.status, result.err) == (0, "")
    launch_dir = literal(f"('{tmp_path / '.texts' / 'launches'}',)")
    launches = (
        ("fworker", "'texts'"),
        ("dupefinder", "true"),  # duplicate detection by signature is on by default
        ("'reservation ID'", "null"),
        ("'number of launches'", "1"),
        ("'number of archived launches'", "0"),
        ("launch_dir", launch_dir),
        ("'archived launch_dir'", r"\(\)"),
        ("runtime_secs", f"(?P<secs>{SECONDS})"),
        ("'runtime_secs total'", "(?P=secs)"),
        ("'lost launch'", "false"),
    )
    fields = node_fields(result, nodes(tmp_path), "COMPLETED", *launches)
    expected = line(*TYPE_OF_B, ("datatype", "'Integer'"), *UNITS, *fields)
    assert re.fullmatch(expected, output(result)[0]), output(result)[0]


def test_a_node_not_yet_run_has_no_launch(run_texts, tmp_path: Path) -> None:
    result = run(run_texts, tmp_path, "a = 21\nb = a * 2\nprint(info(b))\n")
    launches = (
        ("fworker", "null"),
        ("dupefinder", "true"),  # duplicate detection by signature is on by default
        ("'reservation ID'", "null"),
        ("'number of launches'", "0"),
        ("'number of archived launches'", "0"),
        ("launch_dir", r"\(\)"),
        ("'archived launch_dir'", r"\(\)"),
        ("runtime_secs", "null"),
        ("'runtime_secs total'", "0"),
        ("'lost launch'", "false"),
    )
    fields = node_fields(result, nodes(tmp_path), "WAITING", *launches)
    expected = line(*TYPE_OF_B, ("datatype", "'Integer'"), *fields)  # no value, no units
    assert re.fullmatch(expected, output(result)[0]), output(result)[0]


def test_detail_chooses_how_much_of_the_node_is_shown(run_texts, tmp_path: Path) -> None:
    text = "a = 21\nb = a * 2\nprint(info(b, detail: less))\nprint(info(b, detail: all))\n"
    less, everything = output(run(run_texts, tmp_path, text, "-r"))
    assert less == (
        "((name: 'b'), (type: 'Quantity'), (scalar: true), (numeric: true),"
        " (datatype: 'Integer'), (dimensionality: 'dimensionless'), (units: 'dimensionless'))"
    )
    assert everything.startswith(less[:-1] + ", ('group UUID': ")
    data = rf"\{{host: '[^']+', ip: '[^']*', time_start: {TIME}, time_end: {TIME}\}}"
    assert re.search(rf", \('lost launch': false\), \('runtime data': {data}\)\)$", everything)


def test_only_variables_have_a_node(run_texts, tmp_path: Path) -> None:
    text = "use math.pi\na = 21\nprint(info(a * 2))\nprint(info(pi))\n"
    lines = output(run(run_texts, tmp_path, text, "-r"))
    assert lines[0].startswith("((name: null), (type: 'Quantity')")
    assert lines[1].startswith("((name: 'pi'), (type: 'Quantity')")
    assert not any("node ID" in printed for printed in lines)


def test_a_failed_node_shows_its_state_without_units(run_texts, tmp_path: Path) -> None:
    result = run(run_texts, tmp_path, "a = 0\nb = 1 / a\nprint(info(b))\n", "-r")
    (printed,) = output(result)
    assert printed.startswith(
        "((name: 'b'), (type: 'Quantity'), (scalar: true), (numeric: true),"
        " (datatype: 'Float'), ('group UUID': "
    )
    assert "('node state': 'FIZZLED')" in printed
    assert "('number of launches': 1)" in printed


def test_an_update_archives_the_previous_launch(run_texts, tmp_path: Path) -> None:
    first = run(run_texts, tmp_path, "a = 1\nb = a * 10\n", "-r")
    model_uuid = first.out.partition("\n")[0].removeprefix("program UUID: ")
    update = "a := 2\nprint(info(b))\n"
    (printed,) = output(run(run_texts, tmp_path, update, "-r", "-u", model_uuid))
    launch_dir = literal(f"('{tmp_path / '.texts' / 'launches'}',)")
    assert f"('model UUID': '{model_uuid}')" in printed
    assert "('node state': 'COMPLETED')" in printed
    assert "('number of launches': 1), ('number of archived launches': 1)" in printed
    assert re.search(
        rf"\(launch_dir: {launch_dir}\), \('archived launch_dir': {launch_dir}\)", printed
    )
    secs = re.search(
        rf"\(runtime_secs: ({SECONDS})\), \('runtime_secs total': ({SECONDS})\)", printed
    )
    assert secs is not None and float(secs[2]) > float(secs[1])


def test_a_run_silent_for_hours_is_a_lost_launch(run_texts, tmp_path: Path) -> None:
    stored = run(run_texts, tmp_path, "a = 1\n", "-r", "-d")  # no print needs a: only the root runs
    model_uuid = stored.out.partition("\n")[0].removeprefix("program UUID: ")
    with EmbeddedStore(tmp_path / ".texts") as launchpad:
        fw_id = launchpad.fireworks.find_one({"name": "a"})["fw_id"]
        _, launch_id = launchpad.checkout_fw(FWorker(query={"fw_id": fw_id}), str(tmp_path))
        silent_since = (datetime.now(timezone.utc) - timedelta(hours=5)).isoformat()
        launchpad.launches.update_one(
            {"launch_id": launch_id}, {"$set": {"state_history.0.updated_on": silent_since}}
        )
    (printed,) = output(run(run_texts, tmp_path, "print(info(a))\n", "-u", model_uuid))
    assert "('node state': 'RUNNING')" in printed
    assert printed.endswith(
        "(runtime_secs: null), ('runtime_secs total': 0), ('lost launch': true))"
    )
