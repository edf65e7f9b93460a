"""The textS kernel started by Jupyter's own client, as a notebook front end talks to it.

One kernel serves the module (starting one takes seconds); it runs in a fresh directory
with a home of its own, so its embedded store and FireWorks' configuration are the test's.
"""

from __future__ import annotations

import base64
import io
import json
import sys
from collections.abc import Iterator
from os import environ
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.manager import KernelManager, start_new_kernel
from PIL import Image

from texts.jupyter.install import kernel_spec

TIMEOUT = 60


@pytest.fixture(scope="module")
def kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("kernel")
    spec_dir = root / "jupyter" / "kernels" / "texts"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps(kernel_spec()))
    work = root / "work"
    work.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(root / "jupyter"))
        manager, client = start_new_kernel(
            kernel_name="texts", cwd=str(work), env=kernel_environment(root)
        )
    assert isinstance(manager, KernelManager)
    yield client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def kernel_environment(home: Path) -> dict[str, str]:

    return {**environ, "HOME": str(home)}


def execute(client: Any, code: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Run a cell: the execute reply's content and the cell's output messages."""
    outputs: list[dict[str, Any]] = []

    def keep(message: dict[str, Any]) -> None:
        if message["msg_type"] in ("stream", "display_data", "execute_result", "error"):
            outputs.append({"type": message["msg_type"], **message["content"]})

    reply = client.execute_interactive(code, output_hook=keep, timeout=TIMEOUT)
    return reply["content"], outputs


def text(outputs: list[dict[str, Any]], name: str) -> str:
    return "".join(o["text"] for o in outputs if o["type"] == "stream" and o["name"] == name)


def test_definitions_then_a_print_and_an_expression(kernel: Any) -> None:
    reply, outputs = execute(kernel, "a = 2 [m]\nb = a * 2")
    assert (reply["status"], outputs) == ("ok", [])
    reply, outputs = execute(kernel, "print(b)\nb + 1 [m]")
    assert reply["status"] == "ok"
    assert text(outputs, "stdout") == "4 [meter]\n5 [meter]\n"


def test_an_error_is_shown_on_stderr_and_in_the_reply(kernel: Any) -> None:
    reply, outputs = execute(kernel, "c = 1 / 0\nprint(c)")
    assert reply["status"] == "error"
    assert reply["ename"] == "Arithmetic error"
    assert reply["evalue"].endswith("--> 1 / 0 <--\ndivision by zero")
    pointed = "    1 | c = 1 / 0\n      |     ^^^^^\n"  # the line, shown on stderr only
    assert text(outputs, "stderr") == f"Arithmetic error: {reply['evalue']}\n{pointed}"


def test_session_magics_work_in_cells(kernel: Any) -> None:
    reply, outputs = execute(kernel, "%uuid\n%warnings")
    assert reply["status"] == "ok"
    uuid_line, warnings = text(outputs, "stdout").splitlines()
    assert uuid_line.startswith("uuids: '")
    assert warnings == "on"


def test_views_are_shown_inline_as_png(kernel: Any) -> None:
    code = "x = (x: 1, 2, 3)\ny = (y: 1, 4, 9) [m]\nview lineplot(y [cm], x)\nprint('plotted')"
    reply, outputs = execute(kernel, code)
    assert reply["status"] == "ok"
    assert text(outputs, "stdout") == "'plotted'\n"
    (image,) = [o for o in outputs if o["type"] == "display_data"]
    picture = Image.open(io.BytesIO(base64.b64decode(image["data"]["image/png"])))
    assert picture.size == (640, 480)


def test_structures_are_drawn_inline_as_png(kernel: Any) -> None:
    code = (
        "h2 = Structure h2 ((atoms: ((symbols: 'H', 'H'), (x: 0.0, 0.74) [angstrom],"
        " (y: 0.0, 0.0) [angstrom], (z: 0.0, 0.0) [angstrom])))\nview structure(h2)"
    )
    reply, outputs = execute(kernel, code)
    assert reply["status"] == "ok"
    (image,) = [o for o in outputs if o["type"] == "display_data"]
    assert image["data"]["text/plain"] == "<structure h2: 1 configuration>"
    picture = Image.open(io.BytesIO(base64.b64decode(image["data"]["image/png"])))
    assert picture.size == (640, 480)


def test_completion_offers_model_names_and_keywords(kernel: Any) -> None:
    execute(kernel, "alpha = 1")
    kernel.complete("print(al", 8)
    reply = kernel.get_shell_msg(timeout=TIMEOUT)["content"]
    assert {"alpha", "all"} <= set(reply["matches"])
    assert (reply["cursor_start"], reply["cursor_end"]) == (6, 8)
    kernel.complete("%hi", 3)
    assert kernel.get_shell_msg(timeout=TIMEOUT)["content"]["matches"] == ["%hist", "%history"]


def test_is_complete_follows_the_session(kernel: Any) -> None:
    kernel.is_complete("t = ((a: 1,")
    assert kernel.get_shell_msg(timeout=TIMEOUT)["content"]["status"] == "incomplete"
    kernel.is_complete("t = ((a: 1, 2))")
    assert kernel.get_shell_msg(timeout=TIMEOUT)["content"]["status"] == "complete"


def test_texts_kernel_install_writes_the_spec(run_texts, tmp_path: Path) -> None:
    result = run_texts("kernel", "install", "--prefix", str(tmp_path / "env"))
    written = tmp_path / "env" / "share" / "jupyter" / "kernels" / "texts" / "kernel.json"
    assert result.status == 0
    assert str(written.parent) in result.out
    assert json.loads(written.read_text()) == kernel_spec()


def test_kernel_spec_runs_this_python() -> None:
    spec = kernel_spec()
    assert spec["argv"] == [sys.executable, "-m", "texts.jupyter", "-f", "{connection_file}"]
    assert (spec["display_name"], spec["language"]) == ("textS", "texts")
    assert spec["metadata"]["file_extension"] == ".vm"


def test_kernel_info_names_the_models_lexer(kernel: Any) -> None:
    """Notebook front ends highlight cells with the Pygments lexer the kernel names."""
    reply = kernel.kernel_info(reply=True, timeout=TIMEOUT)
    assert reply["content"]["language_info"]["pygments_lexer"] == "texts"
