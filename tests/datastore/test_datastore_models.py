"""Real workflow models print the same whether their values are offloaded or not, in
every backend x format x compression combination."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import model_uuid, offloaded_files


def _numbers(count: int, scale: float) -> str:
    return ", ".join(repr(round(i * scale, 3)) for i in range(count))


def _words(prefix: str, count: int) -> str:
    return ", ".join(f"'{prefix}{i}'" for i in range(count))


_ROW = _numbers(12, 0.125)
MODEL = f"""\
small = 1 [m]
floats = range(0.5 [m], 300 [m], 1.5 [m])
nulls = (v: {_numbers(40, 0.5)}, null, 1e300, -0.0) [eV]
arr = [[{_ROW}], [{_ROW}], [{_ROW}], [{_ROW}]] [angstrom]
iarr = [[{", ".join(map(str, range(60)))}], [{", ".join(map(str, range(60, 120)))}]]
carr = [1 + 2 j, 3 - 4 j, 0.5 j, {_numbers(40, 1.0)}] [m]
words = (names: {_words("w", 40)})
table = ((x: {", ".join(map(str, range(40)))}) [m], (y: {_words("t", 40)}),
         (z: 0.25, null, {_numbers(38, 0.75)}))
flags = [{", ".join(["true", "false", "false"] * 30)}]
tup = (floats, 'text', true, {{b: 'z', c: iarr}})
print(small, floats, nulls, arr, iarr)
print(carr, words, table, flags, tup)
"""

COMBINATIONS = list(itertools.product(["file", "gridfs"], ["json", "yaml", "hdf5"], [True, False]))


def _run(texts_in: Callable[..., tuple[int, str, str]], directory: Path) -> str:
    directory.mkdir()
    (directory / "model.vm").write_text(MODEL)
    status, out, err = texts_in(directory, "model.vm", "-m", "workflow", "--quiet", "-r")
    assert (status, err) == (0, ""), err
    return out.split("program output: >>>", 1)[1]


_INLINE: list[str] = []


def _inline_output(
    texts_in: Callable[..., tuple[int, str, str]], configure: Callable[..., Path], tmp_path: Path
) -> str:
    """The output with offloading switched off (computed once)."""
    if not _INLINE:
        configure(type=None)
        _INLINE.append(_run(texts_in, tmp_path / "inline"))
    return _INLINE[0]


@pytest.mark.parametrize(("kind", "fmt", "compress"), COMBINATIONS)
def test_offloaded_values_print_as_inline_ones(
    texts_in: Callable[..., tuple[int, str, str]],
    configure: Callable[..., Path],
    tmp_path: Path,
    kind: str,
    fmt: str,
    compress: bool,
) -> None:
    inline = _inline_output(texts_in, configure, tmp_path)
    store = configure(type=kind, format=fmt, compress=compress)
    offloaded = _run(texts_in, tmp_path / "offloaded")
    assert offloaded == inline
    if kind == "file":  # every value but the scalar, whose records would be larger
        names = [path.name for path in offloaded_files(store)]
        suffix = {"json": ".json", "yaml": ".yaml", "hdf5": ".h5"}[fmt]
        suffix += ".gz" if compress and fmt != "hdf5" else ""
        assert len(names) == 9 and all(name.endswith(suffix) for name in names), names
    else:
        assert not store.exists()


def test_a_later_run_reads_offloaded_values_back(
    run_texts: Callable[..., object], configure: Callable[..., Path], tmp_path: Path
) -> None:
    """``-u`` prints stored values; a changed configuration leaves old values readable."""
    configure(format="hdf5")
    (tmp_path / "model.vm").write_text("a = range(0, 200, 1)\nb = map((x: x * 3), a)\n")
    uuid = model_uuid(run_texts("model.vm", "-m", "workflow", "--quiet", "-r").out)
    configure(format="yaml", compress=False)
    (tmp_path / "more.vm").write_text("c = sum(b)\nprint(c, b)\n")
    result = run_texts("more.vm", "-m", "workflow", "--quiet", "-r", "-u", uuid)
    assert result.status == 0, result.err
    assert "59700 " in result.out and "597)" in result.out
