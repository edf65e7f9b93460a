"""The run log as text: what ``texts runs``, ``texts log`` and the session's ``%runs`` and
``%log`` show, made from the records ``provenance.lineage`` finds."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from texts.interpreter.errors import TextsError
from texts.interpreter.format import format_value
from texts.paths import shown_path
from texts.provenance.lineage import Lineage, LineageError, Upstream
from texts.provenance.records import CodeIdentity, FileRecord, NodeRecord, RunRecord
from texts.session.tables import ruled_table

SHORT_HASH = 12
FILE_USES_SHOWN = 20
"""The newest uses of a file that ``texts log FILE`` lists unless asked for all."""
VALUE_SHOWN = 400
"""The characters of a value that ``texts log NAME`` shows unless asked for all
(``--full``): the lineage of a series of a million numbers must stay readable."""


# ---- runs


def runs_text(
    lineage: Lineage,
    run_id: str | None,
    limit: int | None,
    groups: Mapping[str, str] | None = None,
) -> list[str]:
    """The newest runs as a table, or one run (``run_id``, a prefix) with its nodes;
    ``groups`` names the vary group of each stored model by UUID."""
    if run_id:
        return run_text(lineage, lineage.run(run_id))
    rows = []
    for run in lineage.runs(limit):
        rows.append(
            [
                run.run[:SHORT_HASH],
                _when(run.started),
                run.executor,
                run.status,
                str(lineage.node_count(run.run)),
                "yes" if run.cached else "no",
                _model(run),
                run.model if run.executor == "workflow" else "",  # a stored model's
                (groups or {}).get(run.model, "")[:SHORT_HASH],
            ]
        )
    if not rows:
        return ["no runs recorded yet"]
    header = [
        "run",
        "started",
        "executor",
        "status",
        "nodes",
        "cached",
        "model",
        "model UUID",
        "group",
    ]
    return [ruled_table(header, rows)]


def run_text(lineage: Lineage, run: RunRecord) -> list[str]:
    """One run: what it ran, how it ended, and each node."""

    lines = [
        f"run:        {run.run}",
        f"model:      {_model(run)} (uuid {run.model})",
        f"definitions: {run.model_hash[:SHORT_HASH]}",
        f"executor:   {run.executor}",
        f"status:     {run.status}",
        f"started:    {run.started}",
        f"ended:      {run.ended or '-'}",
        f"cached:     {'yes' if run.cached else 'no'}",
    ]
    if run.rerun_of:
        lines.append(f"rerun of:   {run.rerun_of}")
    if run.tag:
        lines.append(f"tag:        {_tag(run.tag)}")
    code = lineage.code(run)
    if code is not None:
        lines.append(f"code:       {_code(code)}")
    rows = [
        [
            node.name,
            node.status,
            "yes" if node.cached else "no",
            str(len(node.attempts)),
            _duration(node),
            node.hash[:SHORT_HASH],
        ]
        for node in lineage.nodes(run.run)
    ]
    if rows:
        header = ["node", "status", "cached", "attempts", "seconds", "hash"]
        lines.append(ruled_table(header, rows))
    return lines


# ---- log


def log_text(
    lineage: Lineage,
    query: str | None,
    files: bool,
    run: str | None,
    uses: int | None = FILE_USES_SHOWN,
    full: bool = False,
) -> list[str]:
    """Every file (``files``), or what the run log knows of a file (its newest ``uses``,
    all when ``None``), variable or node hash (its value whole when ``full``)."""
    if files:
        return files_text(lineage)
    if not query:
        raise LineageError("say what to log: a variable, a node hash, a file, or --files")
    if lineage.knows_file(query):
        return file_text(lineage, query, uses)
    return node_text(lineage, lineage.node(query, run), full)


def node_text(lineage: Lineage, node: NodeRecord, full: bool = False) -> list[str]:
    """A node's value (its start and end if it is long, unless ``full``), its definition
    as computed, its run and code, and its upstream."""
    run = lineage.run(node.run)
    value = _value(lineage, node)
    lines = [
        f"{node.name} = {value if full else _shortened(value, VALUE_SHOWN)}",
        f"  definition: {node.definition}",
        f"  where:      {_where(run, node)}{f', line {node.line}' if node.line else ''}",
        f"  node:       {node.hash} ({node.status}{', cached' if node.cached else ''})",
        f"  run:        {run.run} ({run.executor}, {run.status}, {_when(run.started)})",
    ]
    for number, attempt in enumerate(node.attempts, start=1):
        seconds = f"{attempt.duration:.3f} s" if attempt.duration is not None else "not ended"
        error = f": {attempt.error}" if attempt.error else ""
        lines.append(f"  attempt {number}:  {attempt.status}, {seconds}, {attempt.start}{error}")
    code = lineage.code(node)
    if code is not None:
        imports = ", ".join(f"{name} {version}" for name, version in node.imports.items())
        lines.append(f"  code:       {_code(code)}{f'; imports {imports}' if imports else ''}")
    for use in lineage.files_of(node):
        lines.append(f"  file:       {_file(use)}")
    lines.append("upstream:")
    lines.extend(_upstream_line(item) for item in lineage.upstream(node))
    return lines


def _upstream_line(item: Upstream) -> str:
    indent = "  " * (item.depth + 1)
    if item.file is not None:
        return f"{indent}{_file(item.file)}"
    node = item.node
    assert node is not None
    if item.repeated:
        return f"{indent}{node.name} [{node.hash[:SHORT_HASH]}] (shown above)"
    leaf = "  (no inputs)" if not node.inputs else ""
    return f"{indent}{node.name} [{node.hash[:SHORT_HASH]}] {node.definition}{leaf}"


def files_text(lineage: Lineage) -> list[str]:
    files = lineage.files()
    if not files:
        return ["no files recorded yet"]
    return [_file(record) for record in files]


def file_text(lineage: Lineage, path: str, limit: int | None = FILE_USES_SHOWN) -> list[str]:
    """Which nodes wrote and read a file, in which runs, newest first: the newest
    ``limit`` uses and how many older ones there are (a file read by every run has a use
    per run, and the answer must not grow with the history), or every use."""
    uses = lineage.file_uses(path, limit)
    lines = [shown_path(uses[0][0].path)]
    for use, run in uses:
        verb = "written" if use.mode == "w" else "read"
        when = f"{run.run} ({run.executor}, {_when(run.started)})" if run else use.run
        digest = (use.sha256 or "unknown")[:SHORT_HASH]
        lines.append(
            f"  {verb} by {use.name} [{use.node[:SHORT_HASH]}] in run {when}, sha256 {digest}"
        )
    if limit is not None and len(uses) == limit:
        older = lineage.file_use_count(path) - len(uses)
        if older:
            plural = "s" if older > 1 else ""
            lines.append(f"  and {older} older use{plural} (--all lists every one)")
    return lines


# ---- pieces


def _value(lineage: Lineage, node: NodeRecord) -> str:
    """The value as a print shows it, decoded from its record only now."""
    # lazily for start-up: it imports numpy
    from texts.datastore.documents import from_document  # noqa: PLC0415

    if node.status == "fail":
        failed = next((a.error for a in reversed(node.attempts) if a.error), None)
        return f"(failed: {failed})" if failed else "(failed)"
    document = lineage.value(node)
    if document is None:
        return "(no value recorded)"
    try:
        return format_value(from_document(document))
    except TextsError as error:
        return f"(value not readable: {error.label}: {error.message})"


def _shortened(text: str, limit: int) -> str:
    """A long value's start and end, cut between elements as NumPy shortens an array,
    and how long it is."""
    if len(text) <= limit:
        return text
    head = text[: limit * 3 // 4]
    head = head[: head.rfind(", ")] if ", " in head else head
    tail = text[-(limit // 4) :]
    tail = tail[tail.find(", ") + 2 :] if ", " in tail else tail
    return f"{head}, ..., {tail}  ({len(text):,} characters; --full shows all)"


def _file(record: FileRecord) -> str:
    return f"{record.mode} {(record.sha256 or 'unknown')[:SHORT_HASH]} {shown_path(record.path)}"


def _where(run: RunRecord, node: NodeRecord) -> str:
    """The file of a node's statement: the run's model file unless the record names
    another (a stored statement that this run's input changed, or redefined)."""
    return Path(node.file).name if node.file else _model(run)


def _model(run: RunRecord) -> str:
    return Path(run.model_file).name if run.model_file else run.model


def _when(iso: str) -> str:
    return iso[:19].replace("T", " ")


def _duration(node: NodeRecord) -> str:
    durations = [a.duration for a in node.attempts if a.duration is not None]
    return f"{sum(durations):.3f}" if durations else "-"


def _tag(tag: dict[str, Any]) -> str:
    return ", ".join(f"{key}: {value}" for key, value in tag.items())


def _code(code: CodeIdentity) -> str:
    git = code.git
    where = "no git repository"
    if git:
        state = "clean" if git.get("clean") else "uncommitted changes"
        where = f"git {(git.get('commit') or 'no commit')[:SHORT_HASH]} ({state})"
    return f"textS {code.texts}, Python {code.python}, {where}"
