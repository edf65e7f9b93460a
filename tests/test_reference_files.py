"""Data files are interchangeable with the reference: textS reads the files the reference
wrote (``tests/data/reference``, from the language reference's ``files_formats`` example)
and writes the same bytes for the same values."""

from __future__ import annotations

import gzip
import http.server
import shutil
import threading
from pathlib import Path

import pytest

REFERENCE = Path(__file__).parent / "data" / "reference"
VALUES = {
    "q.yaml": ("Quantity", "2.5 [m/s]", "2.5 [meter / second]"),
    "c.json": ("Quantity", "1 + 2 j", "1.0+2.0 j"),
    "b.yaml": ("Bool", "true", "true"),
    "s.yaml": ("Series", "(n: 1, null, 3) [s]", "(n: 1, null, 3) [second]"),
    "w.json": ("Series", "(w: 'a', 'b')", "(w: 'a', 'b')"),
    "t.json": (
        "Table",
        "((x: 1.5, 2.5) [m], (label: 'p', 'q'))",
        "((x: 1.5, 2.5) [meter], (label: 'p', 'q'))",
    ),
    "a.json": ("FloatArray", "[[1.0, 2.0]] [cm]", "[[1.0, 2.0]] [centimeter]"),
    "x.json": ("ComplexArray", "[[1+2 j, 3 j]] [V]", "[[1.0+2.0 j, 0.0+3.0 j]] [volt]"),
    "z.json.zz": ("Series", "(n: 1, null, 3) [s]", "(n: 1, null, 3) [second]"),
    "y.yaml.zz": (
        "Table",
        "((x: 1.5, 2.5) [m], (label: 'p', 'q'))",
        "((x: 1.5, 2.5) [meter], (label: 'p', 'q'))",
    ),
    "h.h5": ("Quantity", "2.5 [m/s]", "2.5 [meter / second]"),
    "k.h5.zz": (
        "Table",
        "((x: 1.5, 2.5) [m], (label: 'p', 'q'))",
        "((x: 1.5, 2.5) [meter], (label: 'p', 'q'))",
    ),
    "g.json.gz": ("Series", "(w: 'a', 'b')", "(w: 'a', 'b')"),
}
WRITTEN_ONLY = {"u.json": "(1, 'x')", "d.json": "{k: 1, l: 'z'}"}
READ_ONLY = {"h.h5", "k.h5.zz", "g.json.gz"}
"""Files whose bytes differ by design: HDF5 files carry the writing library's metadata,
and the reference writes plain JSON into a .gz file, textS a gzip file (both read both)."""


@pytest.mark.parametrize("name", sorted(VALUES))
def test_reads_files_written_by_the_reference(name: str, run_texts, tmp_path: Path) -> None:
    shutil.copy(REFERENCE / name, tmp_path / name)
    kind, _, printed = VALUES[name]
    model = tmp_path / "read.vm"
    model.write_text(f'v = {kind} from file "{name}"\nprint(v)\n', encoding="utf-8")
    result = run_texts(str(model))
    assert (result.status, result.err) == (0, "")
    assert result.out == f"program output: >>>\n{printed}\n<<<\n"


@pytest.mark.parametrize("name", sorted(set(VALUES) - READ_ONLY | set(WRITTEN_ONLY)))
def test_writes_the_same_bytes_as_the_reference(name: str, run_texts, tmp_path: Path) -> None:
    literal = VALUES[name][1] if name in VALUES else WRITTEN_ONLY[name]
    model = tmp_path / "write.vm"
    model.write_text(f'v = {literal}\nv to file "{name}"\n', encoding="utf-8")
    result = run_texts(str(model))
    assert (result.status, result.err) == (0, "")
    assert (tmp_path / name).read_bytes() == (REFERENCE / name).read_bytes()


@pytest.fixture
def http_directory(tmp_path: Path):
    """A web server on the loopback interface serving ``tmp_path``."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    def handler(*args: object, **kwargs: object) -> Quiet:
        return Quiet(*args, directory=str(tmp_path), **kwargs)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_files_it_writes_differently_read_back(name: str, run_texts, tmp_path: Path) -> None:
    kind, literal, printed = VALUES[name]
    model = tmp_path / "both.vm"
    model.write_text(f'v = {literal}\nv to file "{name}"\nprint({kind} from file "{name}")\n')
    result = run_texts(str(model))
    assert (result.status, result.err) == (0, "")
    assert result.out == f"program output: >>>\n{printed}\n<<<\n"


def test_a_gz_file_is_gzip_compressed(run_texts, tmp_path: Path) -> None:
    model = tmp_path / "gz.vm"
    model.write_text("v = (w: 'a', 'b')\nv to file \"w.json.gz\"\n")
    assert run_texts(str(model)).status == 0
    written = gzip.decompress((tmp_path / "w.json.gz").read_bytes())
    assert written == (REFERENCE / "w.json").read_bytes()


def test_reads_from_a_url(http_directory: str, run_texts, tmp_path: Path) -> None:
    shutil.copy(REFERENCE / "s.yaml", tmp_path / "s.yaml")
    model = tmp_path / "url.vm"
    model.write_text(f'v = Series from url "{http_directory}/s.yaml"\nprint(v)\n')
    result = run_texts(str(model))
    assert result.out == "program output: >>>\n(n: 1, null, 3) [second]\n<<<\n"


def test_unreachable_url_is_an_operating_system_error(run_texts, tmp_path: Path) -> None:
    model = tmp_path / "url.vm"
    model.write_text('v = Series from url "http://127.0.0.1:9/s.json"\nprint(v)\n')
    result = run_texts(str(model))
    assert result.status == 1
    assert result.err.startswith(f"Operating system error: {model}:1:5 --> Series from url")
