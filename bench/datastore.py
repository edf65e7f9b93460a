"""Datastore throughput: write and read back one large float array through each format.

    python bench/datastore.py [--elements N] [--formats json,yaml,hdf5] [--dir DIRECTORY]

The array (10^7 float64 elements, 80 MB, by default) goes through the datastore exactly as
a workflow value does (serialise, write to a temporary file, hash, fsync, rename; read,
check the hash, parse), with and without compression, into a directory on the same disk
as the ``numpy.save``/``numpy.load`` baseline. MB/s counts the array's 8 bytes per element.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy

from texts.datastore.offloading import Origin, load, offload
from texts.datastore.payload import Payload
from texts.interpreter.units import quantity


def _seconds(action: object) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()  # type: ignore[operator]
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elements", type=int, default=10**7)
    parser.add_argument("--formats", default="json,yaml,hdf5")
    parser.add_argument("--dir", default=None, help="where files go (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as directory:
        run(Path(directory), args.elements, args.formats.split(","))


def run(directory: Path, elements: int, formats: list[str]) -> None:

    array = numpy.random.default_rng(1).random(elements)
    megabytes = array.nbytes / 1e6
    value = quantity(array, "meter")
    print(f"{elements} float64 elements, {megabytes:.0f} MB")
    print("| format | compress | file MB | write MB/s | read MB/s |")
    print("|---|---|---|---|---|")
    baseline = directory / "baseline.npy"
    write, _ = _seconds(lambda: numpy.save(baseline, array))
    read, _ = _seconds(lambda: numpy.load(baseline))
    size = baseline.stat().st_size / 1e6
    print(f"| numpy.save | - | {size:.0f} | {megabytes / write:.0f} | {megabytes / read:.0f} |")
    config = directory / "datastore.yaml"
    os.environ["DATASTORE_CONFIG"] = str(config)
    for fmt in formats:
        for compress in (False, True):
            config.write_text(
                f"format: {fmt}\ncompress: {str(compress).lower()}\npath: {directory / fmt}\n"
            )
            write, record = _seconds(lambda: offload(Payload(value), Origin("x")))
            read, loaded = _seconds(lambda: load(record, Origin("x")))  # noqa: B023
            assert numpy.array_equal(loaded.magnitude, array)
            size = record["size"] / 1e6
            print(
                f"| {fmt} | {compress} | {size:.0f} | {megabytes / write:.0f} "
                f"| {megabytes / read:.0f} |"
            )


if __name__ == "__main__":
    main()
