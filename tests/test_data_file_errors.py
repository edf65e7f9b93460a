"""What a data file that is not what its name says gets: a ``Data input error`` naming
the file and what is wrong in it (where the text says where), or the run-time type error
of the value it holds."""

from __future__ import annotations

from pathlib import Path

import pytest

QUANTITY = '"_fw_name": "{{virtmat.language.utilities.serializable.FWQuantity}}"'


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.yaml", "a: [1, 2\n", "bad.yaml: not valid YAML: expected ',' or ']', but got"),
        (
            "two.yaml",
            "--- 1\n--- 2\n",
            "two.yaml: not valid YAML: expected a single document in the stream, but found"
            " another document (line 2, column 1)",
        ),
        (
            "tag.yaml",
            "!!python/object:os.system {}\n",
            "tag.yaml: not valid YAML: could not determine a constructor for the tag",
        ),
        ("bad.json", '{"a": ', "bad.json: not valid JSON: Expecting value (line 1, column 7)"),
        (
            "shape.json",
            f'{{"data": [1, [], 3], {QUANTITY}}}',
            "shape.json: malformed FWQuantity: 'data' must be [magnitude, units]",
        ),
        ("plain.json.zz", "{}", "plain.json.zz: not zlib-compressed data, as the suffix .zz says"),
        ("text.h5", "not HDF5", "text.h5: not a valid HDF5 file"),
    ],
)
def test_a_broken_file_is_a_data_input_error(
    name: str, content: str, message: str, run_texts, tmp_path: Path
) -> None:
    (tmp_path / name).write_text(content)
    model = tmp_path / "read.vm"
    model.write_text(f"q = Quantity from file '{name}'\nprint(q)\n")
    result = run_texts(str(model))
    assert result.status == 1
    head, text = result.err.split("\n", 1)
    assert head == f"Data input error: {model}:1:5 --> Quantity from file '{name}' <--"
    assert text.startswith(message)
    assert "Traceback" not in result.err and "<unicode string>" not in result.err


def test_an_hdf5_file_without_a_value(run_texts, tmp_path: Path) -> None:
    # only this test needs it
    import h5py  # noqa: PLC0415

    with h5py.File(tmp_path / "other.h5", "w") as file:
        file.create_dataset("something", data=[1, 2])
    model = tmp_path / "read.vm"
    model.write_text("print(Quantity from file 'other.h5')\n")
    result = run_texts(str(model))
    assert result.err.endswith(
        "\nother.h5: an HDF5 file of a value has a dataset 'value'\n"
        "    1 | print(Quantity from file 'other.h5')\n"
        "      |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    )


def test_plain_data_is_read_as_the_reference_reads_it(run_texts, tmp_path: Path) -> None:
    """A mapping without a type tag is a dict (the reference's reading): the wrong type
    for every declared type of a data file."""
    (tmp_path / "plain.yaml").write_text("a: 1\nb: [1, 2]\n")
    model = tmp_path / "read.vm"
    model.write_text("print(Series from file 'plain.yaml')\n")
    result = run_texts(str(model))
    assert result.err == (
        f"Type error: {model}:1:7 --> Series from file 'plain.yaml' <--\n"
        "type must be Series but is Dict\n"
        "    1 | print(Series from file 'plain.yaml')\n"
        "      |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    )
