"""Batch nodes: statements with a resources annotation run as jobs of a batch queue.

With a FireWorks queue adapter file (``-q FILE``, ``%qadapter 'FILE'``), a node whose
statement asks for resources (``x = f(y) for 2 [hours] on 4 cores with 8 [GB]``) is not run
in-process: FireWorks' own queue launcher submits it in reservation mode, so the node is
RESERVED for that job and never submitted twice, and the job runs ``texts worker``, which
opens the same store and runs exactly that node with FireWorks' rocket.

The annotation is stored with the node in queue-neutral units (seconds, cores, megabytes)
and turned into the adapter's fields only at submission, so the same stored model can go to
any queue type. The adapter file is FireWorks' usual one (``_fw_name: CommonAdapter``,
``_fw_q_type: SLURM``, ...), except that its ``rocket_launch`` names the command that starts
texts in the job (default: the Python running texts now, ``-m texts``); texts adds the
worker's arguments.
"""

from __future__ import annotations

import ast
import contextlib
import io
import logging
import math
import os
import shlex
import string
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fireworks import FWorker
from fireworks.queue.queue_adapter import QueueAdapterBase
from fireworks.queue.queue_launcher import launch_rocket_to_queue
from fireworks.utilities.fw_serializers import load_object, load_object_from_file

from texts.interpreter import ir
from texts.interpreter.errors import TextsError
from texts.interpreter.units import quantity, units_at
from texts.paths import STORE_DIRECTORY_NAME
from texts.store.compat import QUEUE_LOGGERS, SUBMIT_ERROR_RESPONSE
from texts.store.mongodb import configured_launchpad_file
from texts.store.workflows import WorkflowStore

LAUNCHES_DIRECTORY = Path(STORE_DIRECTORY_NAME) / "launches"
"""Where nodes run, below the user's directory; each batch job gets ``<name>-<fw_id>``."""

_CORES: dict[str, Callable[[int], dict[str, Any]]] = {
    # the annotation decides the task count: a per-node count of the file would contradict it
    "SLURM": lambda n: {"ntasks": n, "ntasks_per_node": None},
    "LoadSharingFacility": lambda n: {"ntasks": n},
    "PBS": lambda n: {"nnodes": 1, "ppnode": n},
    "LoadLeveler": lambda n: {"nnodes": 1, "ppnode": n},
    "MOAB": lambda n: {"nodes": 1, "ppn": n},
}
"""The template fields of each queue type for a number of cores (FireWorks' templates)."""


def resource_request(resources: ir.Resources) -> dict[str, float | int]:
    """A checked resources annotation in the units stored with a node: walltime in seconds,
    memory in megabytes rounded up (what queues count in), cores as written."""

    def amount(number: ir.Number, unit: str) -> float:
        value = quantity(number.value, units_at(number.units or "", number.span))
        return float(value.to(unit).magnitude)

    request: dict[str, float | int] = {}
    if resources.walltime is not None:
        request["walltime"] = amount(resources.walltime, "second")
    if resources.ncores is not None:
        request["cores"] = resources.ncores
    if resources.memory is not None:
        request["memory"] = math.ceil(amount(resources.memory, "megabyte"))
    return request


def queue_fields(q_type: str | None, request: dict[str, Any]) -> dict[str, Any]:
    """The template fields of a queue type for a node's resources (submission leaves out
    those the adapter's template lacks); a resource without a field keeps what the adapter
    file says about it."""
    fields: dict[str, Any] = {}
    if "walltime" in request:  # LSF's -W takes hours and minutes, the others a clock time
        fields["walltime"] = _clock(request["walltime"], q_type != "LoadSharingFacility")
    cores = request.get("cores")
    if cores is not None and q_type in _CORES:
        fields.update(_CORES[q_type](cores))
    if "memory" in request:
        if q_type == "SLURM":
            fields["mem"] = request["memory"]  # sbatch --mem counts megabytes
        elif q_type == "PBS":
            fields["pmem"] = f"{math.ceil(request['memory'] / (cores or 1))}mb"  # per process
    return fields


def _template_keys(adapter: Any) -> set[str]:
    """The fields of the adapter's job script template, found as FireWorks finds them."""
    try:
        template = Path(adapter.template_file).read_text(encoding="utf-8")
    except OSError:
        return set()
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def _clock(seconds: float, with_seconds: bool) -> str:
    """``HH:MM:SS`` (or ``HH:MM``), rounded up: a job must not be cut short."""
    total = math.ceil(seconds) if with_seconds else math.ceil(seconds / 60) * 60
    minutes, secs = divmod(total, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}" if with_seconds else f"{hours:02d}:{minutes:02d}"


@dataclass(frozen=True)
class BatchQueue:
    """A loaded queue adapter and where its jobs find the store."""

    adapter: QueueAdapterBase  # as read from the file
    workdir: Path
    launchpad_file: str | None

    def submit(self, store: WorkflowStore, fw_id: int) -> None:
        """Submit a READY node as a job that runs it, reserving the node for the job.

        A node whose duplicate had completed is completed from it instead (FireWorks checks
        for duplicates when it reserves). A submission that fails leaves the node READY.
        """
        node = store.node(fw_id)
        with _quiet_class_search():
            adapter = load_object(self.adapter.to_dict())
        fields = queue_fields(getattr(adapter, "q_type", None), node.spec["resources"])
        known = _template_keys(adapter)  # FireWorks warns about any other field
        adapter.update({key: value for key, value in fields.items() if key in known})
        adapter["rocket_launch"] = self._worker_command()
        directory = self.workdir.absolute() / LAUNCHES_DIRECTORY / f"{node.name}-{fw_id}"
        directory.mkdir(parents=True, exist_ok=True)
        with _logged_errors() as messages, warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # deprecated helpers FireWorks uses
            try:
                launch_rocket_to_queue(
                    store.launchpad,
                    FWorker(name="texts", query={"fw_id": fw_id}),
                    adapter,
                    str(directory),
                    reserve=True,
                    strm_lvl="CRITICAL",
                    fw_id=fw_id,
                )
            except ValueError as error:  # FireWorks' checks of the adapter's settings
                messages.append(str(error))
        if store.state(fw_id) == "READY":
            raise TextsError(
                "Queue error", f"Submitting {node.name} to the queue failed: {_reason(messages)}"
            )

    def _worker_command(self) -> str:
        """The job's command: texts (as the file's ``rocket_launch`` starts it) running the
        node on this store. FireWorks appends ``--fw_id N``; its reservation mode insists on
        the word ``singleshot``, which the worker takes as ``rlaunch`` does."""
        texts = self.adapter.get("rocket_launch") or f"{shlex.quote(sys.executable)} -m texts"
        command = [texts, "worker", "--workdir", shlex.quote(str(self.workdir.absolute()))]
        launchpad_file = self.launchpad_file or configured_launchpad_file()
        if launchpad_file:  # the job's directory may not see the same FireWorks configuration
            command += ["-l", shlex.quote(os.path.abspath(launchpad_file))]
        return " ".join([*command, "singleshot"])


def batch_queue(
    qadapter_file: str | None, launchpad_file: str | None, workdir: Path
) -> BatchQueue | None:
    """The queue of a qadapter file (``None`` without one), read and checked now, before
    anything is stored; a file that cannot be used is a one-line configuration error."""
    if qadapter_file is None:
        return None
    adapter = _read_adapter(qadapter_file)
    if "rlaunch" in str(adapter.get("rocket_launch") or ""):
        raise TextsError(
            "Configuration error",
            f"The rocket_launch of the qadapter file {qadapter_file} runs rlaunch: name the"
            " command that starts texts (e.g. texts); texts adds what the job runs.",
        )
    return BatchQueue(adapter, workdir, launchpad_file)


def _read_adapter(path: str) -> QueueAdapterBase:
    try:
        with _quiet_class_search():
            adapter = load_object_from_file(path)
    except OSError as error:
        raise TextsError(
            "Configuration error", f"Cannot read the qadapter file {path}: {error.strerror}"
        ) from None
    except KeyError as error:  # the adapter's class, or CommonAdapter's queue type
        raise TextsError(
            "Configuration error", f"The qadapter file {path} has no {error} setting."
        ) from None
    except Exception as error:  # YAML, JSON, an unknown class or queue type: FireWorks' own
        raise TextsError(
            "Configuration error", f"The qadapter file {path} is not valid: {_one_line(str(error))}"
        ) from None
    if not isinstance(adapter, QueueAdapterBase):
        raise TextsError(
            "Configuration error", f"The qadapter file {path} does not describe a queue adapter."
        )
    return adapter


@contextlib.contextmanager
def _quiet_class_search() -> Iterator[None]:
    """FireWorks finds an adapter's class by importing every module of its queue adapters;
    one of them logs to standard output, when ``requests`` is missing, that it cannot be
    used. That line would land in the middle of a program's output: send it nowhere."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield


@contextlib.contextmanager
def _logged_errors() -> Iterator[list[str]]:
    """The errors FireWorks' queue launcher and adapters log while submitting: the only
    place that tells what the queue's submit command answered."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collect(logging.ERROR)
    loggers = [logging.getLogger(name) for name in QUEUE_LOGGERS]  # and their children
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield messages
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def _reason(messages: list[str]) -> str:
    """Why a submission failed, in one line: what the submit command wrote to stderr, else
    the first exception FireWorks logged, else the first message."""
    for message in messages:
        if SUBMIT_ERROR_RESPONSE in message:
            return _one_line(_decoded(message.split(SUBMIT_ERROR_RESPONSE, 1)[1]))
    tracebacks = [m for m in messages if m.startswith("Traceback")]
    if tracebacks:
        return _one_line(tracebacks[0].strip().splitlines()[-1])
    return _one_line(messages[0]) if messages else "the queue adapter submitted no job"


def _decoded(response: str) -> str:
    """FireWorks logs the command's stderr as a bytes literal (``b'...'``)."""
    with contextlib.suppress(ValueError, SyntaxError):
        value = ast.literal_eval(response.strip())
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
    return response


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "no message"
