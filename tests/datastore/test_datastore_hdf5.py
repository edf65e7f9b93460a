"""HDF5 compression is used where it pays: arrays that shrink are deflated, noise is not."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy
import pytest

from texts.datastore.hdf5 import Hdf5Format
from texts.datastore.payload import Payload
from texts.interpreter.units import quantity


@pytest.mark.parametrize(
    ("values", "deflated"),
    [
        (numpy.arange(100_000, dtype=float), True),
        (numpy.random.default_rng(0).random(100_000), False),
    ],
)
def test_compression_only_where_it_pays(values, deflated: bool, tmp_path: Path) -> None:
    path = tmp_path / "value.h5"
    value = quantity(values, "m")
    Hdf5Format().write(Payload(value), path, compress=True)
    with h5py.File(path) as file:
        assert (file["array"].compression == "gzip") is deflated
    restored = Hdf5Format().read(path, compress=True)
    assert numpy.array_equal(restored.magnitude, values) and str(restored.units) == "meter"
