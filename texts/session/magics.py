"""The session's ``%`` commands: one handler per magic, dispatched by name.

A handler gets the session and the rest of the line; it writes what it shows with
``session.write`` and raises ``TextsError`` for a mistake, which the session reports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from texts.interpreter.errors import TextsError
from texts.interpreter.source import Source
from texts.session.help import MAGIC_NAMES, help_text
from texts.session.tables import ruled_table

if TYPE_CHECKING:
    from texts.session.session import Session

if TYPE_CHECKING:
    from texts.store.workflows import StoredModelDocument

Handler = Callable[["Session", str], None]
_EXITS = ("exit", "bye", "close", "quit")
_HANDLERS: dict[str, Handler] = {}


def magic(*names: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for name in names:
            _HANDLERS[name] = handler
        return handler

    return register


def run_magic(session: Session, line: str) -> bool:
    """Run ``%name argument``; ``False`` for the magics that end the session."""
    name, _, argument = line.strip().partition(" ")
    if name in _EXITS:
        return False
    if name not in _HANDLERS:
        raise TextsError("Magic error", f"unknown magic %{name}: see %help magics")
    _HANDLERS[name](session, argument.strip())
    return True


def _switch(argument: str, current: bool) -> bool | None:
    """``on``/``off`` (any case) as a new value, ``None`` to only show the current one."""
    word = argument.lower()
    if not word:
        return None
    if word not in ("on", "off"):
        raise TextsError("Magic error", f"expected on or off, not {argument!r}")
    return word == "on"


def _on_off(value: bool) -> str:
    return "on" if value else "off"


def _toggle(option: str) -> Handler:
    """A magic that shows an option (``on``/``off``) or sets it."""

    def handler(session: Session, argument: str) -> None:
        current = getattr(session.options, option)
        new = _switch(argument, current)
        if new is None:
            session.write(_on_off(current))
        else:
            session.with_options(**{option: new})
            session.write(f"{option}: {_on_off(new)}")

    return handler


for _name, _option in (
    ("on_demand", "on_demand"),
    ("unique_launchdir", "unique_launchdir"),
    ("detect_duplicates", "detect_duplicates"),
):
    magic(_name)(_toggle(_option))


@magic("signature")
def _signature(session: Session, argument: str) -> None:
    # lazily for start-up: an input or a magic imports only what it runs
    from texts.provenance.reuse import MODES  # noqa: PLC0415

    if not argument:
        session.write(session.options.signature)
        return
    if argument not in MODES:
        raise TextsError("Magic error", f"the signature mode is one of {', '.join(MODES)}")
    reuse = argument not in ("ignore", "force")
    session.with_options(signature=argument, detect_duplicates=reuse)
    session.write(f"signature: {argument}")


@magic("help")
def _help(session: Session, argument: str) -> None:
    session.write(help_text(argument.split()).rstrip("\n") + "\n")


@magic("version")
def _version(session: Session, _argument: str) -> None:
    # lazily for start-up: an input or a magic imports only what it runs
    from texts.cli.main import version_report  # noqa: PLC0415

    session.write(version_report())


@magic("uuid")
def _uuid(session: Session, argument: str) -> None:
    if argument:
        session.switch(_unquoted(argument))
        session.write(f"Switched to model {session.uuid}")
        return
    active = f"'{session.uuid}'" if session.uuid else "null"
    group = session.group() or [None]
    members = ", ".join(f"'{uuid}'" if uuid else "null" for uuid in group)
    session.write(
        f"uuids: {active} ({members},)" if len(group) == 1 else f"uuids: {active} ({members})"
    )


def _unquoted(text: str) -> str:
    return text.strip().strip("'\"")


@magic("new")
def _new(session: Session, argument: str) -> None:
    if argument:
        session.load_file(_unquoted(argument), new_model=True)
        session.write(f"New model {session.uuid} from {_unquoted(argument)}")
    else:
        session.uuid = None
        session.write("New model: the next statements start it")


@magic("load")
def _load(session: Session, argument: str) -> None:
    if not argument:
        raise TextsError("Magic error", "%load needs a file: %load 'model.vm'")
    session.load_file(_unquoted(argument), new_model=False)
    session.write(f"Loaded {_unquoted(argument)} into model {session.uuid}")


@magic("start")
def _start(session: Session, _argument: str) -> None:
    session.with_options(autorun=True)
    if session.options.background:
        _background(session).start()
        seconds = f"{session.options.sleep_seconds:g}"
        session.write(f"Evaluation on, in the background every {seconds} seconds")
    else:
        session.write("Evaluation on")


@magic("stop")
def _stop(session: Session, _argument: str) -> None:
    session.with_options(autorun=False)
    if session.background is not None:
        session.background.stop()
    session.write("Evaluation off: new statements are only stored")


@magic("async")
def _async(session: Session, argument: str) -> None:
    new = _switch(argument, session.options.background)
    if new is None:
        session.write(_on_off(session.options.background))
        return
    session.with_options(background=new)
    session.write(f"async: {_on_off(new)}")
    if new and session.options.autorun:
        _background(session).start()
    elif not new and session.background is not None:
        session.background.stop()


def _background(session: Session) -> Any:
    # lazily for start-up: an input or a magic imports only what it runs
    from texts.session.background import BackgroundEvaluation  # noqa: PLC0415

    if session.background is None:
        session.background = BackgroundEvaluation(session)
    return session.background


@magic("sleep")
def _sleep(session: Session, argument: str) -> None:
    if not argument:
        session.write(f"{session.options.sleep_seconds:g}")
        return
    try:
        seconds = float(argument)
    except ValueError:
        seconds = -1.0
    if seconds <= 0:
        raise TextsError("Magic error", f"the sleep time must be a positive number, not {argument}")
    session.with_options(sleep_seconds=seconds)
    session.write(f"Background evaluation every {seconds:g} seconds")


@magic("warnings")
def _warnings(session: Session, argument: str) -> None:
    new = _switch(argument, session.console.show_warnings)
    if new is None:
        session.write(_on_off(session.console.show_warnings))
    else:
        session.console.show_warnings = new
        session.write(f"warnings: {_on_off(new)}")


@magic("logging")
def _logging(session: Session, argument: str) -> None:
    logger = logging.getLogger("texts")
    word = argument.upper()
    if not word:
        level = logger.level if logger.handlers else None
        shown = f"Current level: {logging.getLevelName(level)}" if level else None
        session.write(shown or "Logging not activated.")
        return
    if word == "OFF":
        logger.handlers.clear()
        logger.setLevel(logging.NOTSET)
        session.write("Logging off")
        return
    level = logging.INFO if word == "ON" else logging.getLevelName(word)
    if not isinstance(level, int):
        raise TextsError("Magic error", f"unknown logging level {argument}")
    if not logger.handlers:
        logger.addHandler(logging.StreamHandler())
    logger.setLevel(level)
    session.write(f"Logging at level {logging.getLevelName(level)}")


@magic("logfile")
def _logfile(session: Session, argument: str) -> None:
    logger = logging.getLogger("texts")
    files = [h for h in logger.handlers if isinstance(h, logging.FileHandler)]
    if not argument:
        session.write(f"Current logfile: {files[0].baseFilename}" if files else "No logfile.")
        return
    for handler in files:
        logger.removeHandler(handler)
        handler.close()
    logger.addHandler(logging.FileHandler(_unquoted(argument)))
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    session.write(f"Logging to {_unquoted(argument)}")


@magic("launchpad")
def _launchpad(session: Session, argument: str) -> None:
    if not argument:
        shown = session.options.launchpad_file or "embedded store in .texts"
        session.write(f"Launchpad: {shown}")
        return
    session.with_options(launchpad_file=_unquoted(argument))
    session.uuid = None  # another database: a new session
    session.write(f"Launchpad: {_unquoted(argument)} (no model loaded)")


@magic("qadapter")
def _qadapter(session: Session, argument: str) -> None:
    if not argument:
        current = session.options.qadapter_file
        session.write(f"Current qadapter file: {current}" if current else "No qadapter file.")
        return
    session.with_options(qadapter_file=_unquoted(argument))
    session.write(f"Current qadapter file: {_unquoted(argument)}")


@magic("history", "hist")
def _history(session: Session, _argument: str) -> None:
    # lazily for start-up: an input or a magic imports only what it runs
    from texts.executors.workflow.control import history, lost_nodes  # noqa: PLC0415

    session.require_model()
    with session.store() as store:
        model = session.active(store)
        rows = history(store, model)
        reserved, running = lost_nodes(store, model)
    session.write(ruled_table(("Updated on", "State", "Statements"), rows))
    session.write(f"Lost RESERVED: {_names(reserved)}")
    session.write(f"Lost RUNNING: {_names(running)}")


@magic("runs")
def _runs(session: Session, argument: str) -> None:
    # lazily for start-up: an input or a magic imports only what it runs
    from texts.provenance.report import runs_text  # noqa: PLC0415

    _show_lineage(session, lambda lineage: runs_text(lineage, argument or None, 20))


@magic("log")
def _log(session: Session, argument: str) -> None:
    # lazily for start-up: an input or a magic imports only what it runs
    from texts.provenance.report import log_text  # noqa: PLC0415

    words = argument.split()
    files, full = "--files" in words, "--full" in words
    query = " ".join(word for word in words if word not in ("--files", "--full"))
    query = None if files else _unquoted(query) or None
    _show_lineage(session, lambda lineage: log_text(lineage, query, files, None, full=full))


def _show_lineage(session: Session, show: Callable[[Any], list[str]]) -> None:
    """Show what the run log of the session's store says (as ``texts runs``/``log``)."""
    # lazily for start-up: an input or a magic imports only what it runs
    from texts.provenance.lineage import Lineage, LineageError  # noqa: PLC0415
    from texts.provenance.recordstore import open_record_store  # noqa: PLC0415
    from texts.store.errors import StoreError  # noqa: PLC0415

    options = session.options
    try:
        with open_record_store(options.launchpad_file, options.workdir) as records:
            records.require_readable()
            lines = show(Lineage(records))
    except LineageError as error:
        raise TextsError("Lineage error", str(error)) from None
    except StoreError as error:
        raise TextsError("Store error", str(error)) from None
    session.write("\n".join(lines))


def _names(names: list[str]) -> str:
    # lazily for start-up: an input or a magic imports only what it runs
    from texts.interpreter.format import format_value  # noqa: PLC0415

    return format_value(tuple(names))


def _state_change(action: str) -> Handler:
    def handler(session: Session, argument: str) -> None:
        # lazily for start-up: an input or a magic imports only what it runs
        from texts.executors.workflow.control import change_states  # noqa: PLC0415

        session.require_model()
        names = [name.strip() for name in argument.split(",") if name.strip()]
        if not names:
            raise TextsError("Magic error", f"%{action} needs variable names: %{action} a, b")
        with session.store() as store:
            change_states(store, session.active(store), action, names, session.options.workdir)
        session.write(f"{_DONE[action]}: {', '.join(names)}")

    return handler


_DONE = {
    "rerun": "To be evaluated again (with what depends on them)",
    "cancel": "Cancelled",
    "recover": "To be recovered from their last launch",
}


for _action in ("rerun", "cancel", "recover"):
    magic(_action)(_state_change(_action))


@magic("tag")
def _tag(session: Session, argument: str) -> None:
    # lazily for start-up: an input or a magic imports only what it runs
    from texts.datastore.documents import from_document  # noqa: PLC0415
    from texts.interpreter.evaluation.structures import make_series, make_table  # noqa: PLC0415
    from texts.interpreter.format import format_value  # noqa: PLC0415

    if argument:  # %tag {key: value}: as the tag statement, then show the tag
        session.run_program(Source(f"tag {argument}", f"<input {session.inputs}>"))
        session.write(f"Tagged model {session.require_model()}:")
    session.require_model()
    with session.store() as store:
        tags = session.active(store).tags
    if not tags:
        session.write("null")
        return
    columns = [make_series(key, [from_document(value)]) for key, value in tags.items()]
    session.write(format_value(make_table(columns)))


@magic("vary")
def _vary(session: Session, _argument: str) -> None:
    # lazily for start-up: an input or a magic imports only what it runs
    from texts.executors.workflow.models import find_group  # noqa: PLC0415
    from texts.interpreter.evaluation.structures import make_series, make_table  # noqa: PLC0415
    from texts.interpreter.format import format_value  # noqa: PLC0415

    session.require_model()
    with session.store() as store:
        members = find_group(store, session.active(store))
    names = list(members[0].vary)
    if not names:
        session.write("null")
        return
    columns = [
        make_series(name, [_literal(member.vary[name]) for member in members]) for name in names
    ]
    columns.append(make_series("%uuid", [member.uuid for member in members]))
    session.write(format_value(make_table(columns)))


def _literal(text: str) -> Any:
    """The value of a literal as written in a ``vary`` row."""
    # lazily for start-up: an input or a magic imports only what it runs
    from texts.grammar import parse_program  # noqa: PLC0415
    from texts.interpreter.checks.definitions import collect  # noqa: PLC0415
    from texts.interpreter.evaluation import evaluate_variable  # noqa: PLC0415

    model = collect(parse_program(f"value = {text}", None))
    return evaluate_variable(model, "value", {})


@magic("find")
def _find(session: Session, argument: str) -> None:
    # lazily for start-up: an input or a magic imports only what it runs
    from texts.executors.workflow.search import find_models  # noqa: PLC0415

    query_text, _, load = argument.partition(" load ")
    if load.strip() not in ("", "one"):
        raise TextsError("Magic error", "usage: %find <query> [load one]")
    query = _evaluate_query(query_text.strip() or "null")
    with session.store() as store:
        found = find_models(store, query)
        rows = [_overview(model) for model in found]
    if not found:
        session.write("No matching models.")
        return
    if load.strip() == "one":
        session.uuid = found[0].uuid
        session.write(f"Switched to model {session.uuid}")
        return
    session.write(ruled_table(("Updated on", "Model UUID", "States", "Tags"), rows))


def _evaluate_query(text: str) -> Any:
    # lazily for start-up: an input or a magic imports only what it runs
    from texts.executors.workflow.search import QUERY_KEYS  # noqa: PLC0415

    try:
        value = _literal(text)
    except TextsError as error:
        raise TextsError("Query error", f"the query is not a valid dict: {error.message}") from None
    if not isinstance(value, dict):
        raise TextsError("Query error", f"a query is a dict with the keys {', '.join(QUERY_KEYS)}")
    return value


def _overview(model: StoredModelDocument) -> list[str]:
    # lazily for start-up: an input or a magic imports only what it runs
    from collections import Counter  # noqa: PLC0415

    # lazily for start-up: an input or a magic imports only what it runs
    from texts.datastore.documents import from_document  # noqa: PLC0415
    from texts.interpreter.format import format_value  # noqa: PLC0415

    states = Counter(model.node_states.values())
    updated = model.updated_on
    return [
        updated.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(updated, datetime)
        else str(updated)[:19],
        model.uuid,
        " ".join(f"{state}: {count}" for state, count in sorted(states.items())),
        "\n".join(
            f"{key}: {format_value(from_document(value))}" for key, value in model.tags.items()
        ),
    ]


UNHANDLED = sorted(set(MAGIC_NAMES) - set(_HANDLERS) - set(_EXITS))
"""Magics with help but no handler: must stay empty (a test checks it)."""
