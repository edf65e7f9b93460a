"""The workflow executor on the embedded store: policies, n.c., failures, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest

from texts.store.embedded import EmbeddedStore

MODEL = "a = 2 [m]\nb = a * 3\nunused = 1 / 0\nc = unused + 1\nprint(a, b, (a, b), 'text')\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "model.vm"
    path.write_text(text, encoding="utf-8")
    return path


def states(tmp_path: Path) -> dict[str, str]:
    with EmbeddedStore(tmp_path / ".texts") as launchpad:
        nodes = launchpad.fireworks.find({"name": {"$ne": "_root"}})
        return {doc["name"]: doc["state"] for doc in nodes}


def test_without_autorun_nothing_runs_and_prints_show_nc(run_texts, tmp_path: Path) -> None:
    model = write(tmp_path, MODEL)
    result = run_texts("script", "-f", str(model), "-m", "workflow", "--quiet")
    header, _, rest = result.out.partition("\n")
    assert header.startswith("program UUID: ") and len(header.split()[-1]) == 32
    assert rest == "program output: >>>\nn.c. n.c. (n.c., n.c.) 'text'\n<<<\n"
    assert (result.status, result.err) == (0, "")
    assert set(states(tmp_path).values()) <= {"READY", "WAITING"}


def test_autorun_computes_everything_and_keeps_failures_apart(run_texts, tmp_path) -> None:
    model = write(tmp_path, MODEL + "print(c)\n")
    result = run_texts("script", "-f", str(model), "-m", "workflow", "--quiet", "--autorun")
    assert result.out.partition("\n")[2] == (
        "program output: >>>\n2 [meter] 6 [meter] (2 [meter], 6 [meter]) 'text'\n<<<\n"
    )
    assert result.status == 1
    assert result.err == (
        f"Ancestor evaluation error: {model}:4:1 --> c = unused + 1 <--\n"
        "Evaluation of c not possible due to failed ancestors: unused\n"
        "    4 | c = unused + 1\n"
        "      | ^^^^^^^^^^^^^^\n"
    )
    assert states(tmp_path) == {
        "a": "COMPLETED",
        "b": "COMPLETED",
        "unused": "FIZZLED",
        "c": "WAITING",
    }


def test_on_demand_runs_only_what_the_prints_need(run_texts, tmp_path: Path) -> None:
    model = write(tmp_path, MODEL)
    result = run_texts("script", "-f", str(model), "-m", "workflow", "--quiet", "-r", "-d")
    assert result.status == 0
    assert states(tmp_path) == {
        "a": "COMPLETED",
        "b": "COMPLETED",
        "unused": "READY",
        "c": "WAITING",
    }


def test_error_points_at_the_failing_expression(run_texts, tmp_path: Path) -> None:
    model = write(tmp_path, "f(x) = x / 0\nd = 1 + f(2)\nprint(d)\n")
    result = run_texts("script", "-f", str(model), "-m", "workflow", "--quiet", "-r")
    assert result.err == (
        f"Arithmetic error: {model}:1:8 --> x / 0 <--\ndivision by zero\n"
        "    1 | f(x) = x / 0\n"
        "      |        ^^^^^\n"
    )


def test_exports_write_relative_to_the_working_directory(run_texts, tmp_path: Path) -> None:
    model = write(tmp_path, 's = (n: 1, 2) [s]\ns to file "s.json"\nprint(1)\n')
    result = run_texts("script", "-f", str(model), "-m", "workflow", "--quiet", "-r")
    assert result.status == 0
    assert (tmp_path / "s.json").read_text().startswith('{"name": "n", "data": [1, 2]')


def test_models_accumulate_in_the_store(run_texts, tmp_path: Path) -> None:
    model = write(tmp_path, "x = 1\nprint(x)\n")
    first = run_texts("script", "-f", str(model), "-m", "workflow", "--quiet", "-r")
    second = run_texts("script", "-f", str(model), "-m", "workflow", "--quiet", "-r")
    assert first.out.split("\n")[0] != second.out.split("\n")[0]
    with EmbeddedStore(tmp_path / ".texts") as launchpad:
        assert launchpad.workflows.count_documents({}) == 2


def uuid_of(result) -> str:
    return result.out.partition("\n")[0].removeprefix("program UUID: ")


def test_extending_a_stored_model_reuses_its_results(run_texts, tmp_path: Path) -> None:
    first = run_texts(
        "script",
        "-f",
        str(write(tmp_path, "a = 1\nb = a * 10\nprint(b)\n")),
        "-m",
        "workflow",
        "-r",
    )
    model = uuid_of(first)
    more = tmp_path / "more.vm"
    more.write_text("c = b + 1\nd = 5\nprint(a, b, c, d)\n")
    result = run_texts("script", "-f", str(more), "-m", "workflow", "--quiet", "-r", "-u", model)
    assert result.out == f"program UUID: {model}\nprogram output: >>>\n1 10 11 5\n<<<\n"
    with EmbeddedStore(tmp_path / ".texts") as launchpad:
        assert launchpad.workflows.count_documents({}) == 1
        launches = {doc["name"]: len(doc["launches"]) for doc in launchpad.fireworks.find({})}
    assert launches == {"_root": 1, "a": 1, "b": 1, "c": 1, "d": 1}


def test_extension_errors_point_at_the_new_file(run_texts, tmp_path: Path) -> None:
    first = run_texts("script", "-f", str(write(tmp_path, "a = 1\n")), "-m", "workflow", "--quiet")
    again = tmp_path / "again.vm"
    again.write_text("\nb = 2\na = 7\n")
    result = run_texts(
        "script", "-f", str(again), "-m", "workflow", "--quiet", "-u", uuid_of(first)
    )
    assert result.status == 1
    assert result.err == (
        f'Initialization error: {again}:3:1 --> a = 7 <--\nRepeated initialization of "a"\n'
        "    3 | a = 7\n"
        "      | ^^^^^\n"
    )
    with EmbeddedStore(tmp_path / ".texts") as launchpad:
        assert sorted(doc["name"] for doc in launchpad.fireworks.find({})) == ["_root", "a"]


def test_unknown_model(run_texts, tmp_path: Path) -> None:
    result = run_texts(
        "script", "-f", str(write(tmp_path, "a = 1\n")), "-m", "workflow", "--quiet", "-u", "0123"
    )
    assert (result.status, result.err) == (1, "Model not found: uuid 0123\n")


def test_update_reruns_exactly_the_dependants(run_texts, tmp_path: Path) -> None:
    model = write(tmp_path, "a = 1\nb = a * 10\nc = 3\nprint(b)\n")
    uuid = uuid_of(run_texts("script", "-f", str(model), "-m", "workflow", "--quiet", "-r"))
    update = tmp_path / "update.vm"
    update.write_text("a := 2\nprint(a, b, c)\n")
    result = run_texts("script", "-f", str(update), "-m", "workflow", "--quiet", "-r", "-u", uuid)
    assert result.out == f"program UUID: {uuid}\nprogram output: >>>\n2 20 3\n<<<\n"
    with EmbeddedStore(tmp_path / ".texts") as launchpad:
        runs = {
            doc["name"]: len(doc["archived_launches"]) + len(doc["launches"])
            for doc in launchpad.fireworks.find({})
        }
        statements = launchpad.workflows.find_one({})["metadata"]["texts"]["statements"]
    assert runs == {"_root": 1, "a": 2, "b": 2, "c": 1}
    assert statements == ["a = 2", "b = a * 10", "c = 3"]
    again = tmp_path / "again.vm"
    again.write_text("print(a, b)\n")
    later = run_texts("script", "-f", str(again), "-m", "workflow", "--quiet", "-u", uuid)
    assert later.out.endswith("program output: >>>\n2 20\n<<<\n")


def test_update_must_keep_the_references(run_texts, tmp_path: Path) -> None:
    model = write(tmp_path, "a = 1\nc = 3\nb = a * 10\n")
    uuid = uuid_of(run_texts("script", "-f", str(model), "-m", "workflow", "--quiet"))
    update = tmp_path / "update.vm"
    update.write_text("b := c * 10\n")
    result = run_texts("script", "-f", str(update), "-m", "workflow", "--quiet", "-u", uuid)
    assert result.status == 1
    assert result.err == (
        f"Variable update error: {update}:1:1 --> b := c * 10 <--\n"
        "Invalid or missing references: ['a', 'c']\n"
        "hint: an update of b must use the variables its definition uses (a); this one uses"
        " c. To change what b depends on, define a new variable\n"
        "    1 | b := c * 10\n"
        "      | ^^^^^^^^^^^\n"
    )
    constant = tmp_path / "constant.vm"
    constant.write_text("b := 5\n")
    result = run_texts("script", "-f", str(constant), "-m", "workflow", "--quiet", "-u", uuid)
    assert result.status == 1
    assert result.err == (
        f"Variable update error: {constant}:1:1 --> b := 5 <--\n"
        "Invalid or missing references: ['a']\n"
        "hint: an update of b must use the variables its definition uses (a); this one uses"
        " none. To change what b depends on, define a new variable\n"
        "    1 | b := 5\n"
        "      | ^^^^^^\n"
    )


def test_tags_are_stored_with_the_model(run_texts, tmp_path: Path) -> None:
    model = write(tmp_path, "tag {project: 'demo', n: 2}\na = 1\nprint(a)\n")
    result = run_texts("script", "-f", str(model), "-m", "workflow", "--quiet")
    assert (result.status, result.err) == (0, "")  # no "tags only in workflow mode" warning
    more = tmp_path / "more.vm"
    more.write_text("tag ((stage: 'fit'))\n")
    run_texts("script", "-f", str(more), "-m", "workflow", "--quiet", "-u", uuid_of(result))
    with EmbeddedStore(tmp_path / ".texts") as launchpad:
        tag = launchpad.workflows.find_one({"metadata.texts.tag.project": "demo"})
    assert tag is not None
    assert tag["metadata"]["texts"]["tag"]["stage"] == "fit"
    assert tag["metadata"]["texts"]["tag"]["n"]["data"] == [2, []]


@pytest.mark.parametrize(
    ("statement", "error"),
    [
        (
            "a = 1 for 2 [m]",
            "Invalid units error: FILE:1:11 --> 2 [m] <--\ninvalid unit of walltime: m\n"
            "    1 | a = 1 for 2 [m]\n"
            "      |           ^^^^^",
        ),
        (
            "a = 1 on 2 cores with 2 [s]",
            "Invalid units error: FILE:1:23 --> 2 [s] <--\ninvalid unit of memory: s\n"
            "    1 | a = 1 on 2 cores with 2 [s]\n"
            "      |                       ^^^^^",
        ),
        (
            "a = 1 on 0 cores",
            "Value error: FILE:1:7 --> on 0 cores <--\n"
            "number of cores must be a positive integer number\n"
            "    1 | a = 1 on 0 cores\n"
            "      |       ^^^^^^^^^^",
        ),
        (
            "a = 1 ?",
            "Type error: FILE:1:1 --> a = 1 ? <--\n"
            "non-strict annotation only valid with if and boolean expressions\n"
            "    1 | a = 1 ?\n"
            "      | ^^^^^^^",
        ),
        (
            "s = (n: 1)\nb = map((x: x), s) in 0 chunks",
            "Value error: FILE:2:5 --> map((x: x), s) in 0 chunks <--\n"
            "number of chunks must be a positive integer number\n"
            "    2 | b = map((x: x), s) in 0 chunks\n"
            "      |     ^^^^^^^^^^^^^^^^^^^^^^^^^^",
        ),
    ],
)
def test_workflow_annotations_are_validated(statement, error, run_texts, tmp_path) -> None:
    model = write(tmp_path, f"{statement}\nprint(1)\n")
    result = run_texts("script", "-f", str(model), "-m", "workflow", "--quiet")
    assert (result.status, result.out) == (1, "")
    assert result.err.replace(str(model), "FILE") == error + "\n"
    accepted = run_texts("script", "-f", str(model))  # other modes accept and ignore them
    assert accepted.status == 0


def test_resources_within_limits_run_locally(run_texts, tmp_path: Path) -> None:
    model = write(tmp_path, "a = 6 * 7 for 1 [hour] on 4 cores with 2 [GB]\nprint(a)\n")
    result = run_texts("script", "-f", str(model), "-m", "workflow", "--quiet", "-r")
    assert result.out.partition("\n")[2] == "program output: >>>\n42\n<<<\n"
