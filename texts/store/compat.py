"""Every touch of a private internal of FireWorks, mongomock and mongomock-persistence.

The store makes FireWorks' embedded (mongomock) mode fast and durable and refreshes
workflows incrementally. That needs a few names that these libraries do not publish:
they are all here, each with the reason it is needed, so that an upgrade is checked in one
place. Importing this module checks that the installed versions are the ones these touches
were written for and refuses to run otherwise (``pyproject.toml`` pins them): a write that
an upgrade routed around an override would otherwise be missed by the index and the
journal without a word.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.metadata
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import fireworks.core.launchpad as fireworks_launchpad
import mongomock
import mongomock.collection
import mongomock.database
import mongomock.gridfs
import mongomock_persistence.store  # noqa: F401 - adds (de)serialisation to mongomock's stores
from fireworks import LaunchPad, Workflow
from fireworks.core import rocket
from fireworks.core.launchpad import LazyFirework, WFLock
from fireworks.utilities.fw_utilities import DataServer, FWData
from mongomock import helpers
from mongomock.filtering import filter_applies
from mongomock.store import CollectionStore, DatabaseStore, ServerStore

from texts.store.collection import (
    MISSING,
    PlainTests,
    may_match,
    plain_conditions,
    plain_copy,
    project_paths,
    through_documents,
    updated_paths,
    value_at,
)

VERSIONS = {"FireWorks": "2.1.4", "mongomock": "4.3.0", "mongomock-persistence": "0.0.5"}
"""The versions whose internals this module was written for."""


class IncompatibleLibrary(ImportError):
    """An installed library is not the version the store's overrides were written for."""


def check_versions() -> None:
    """Refuse to run with versions the touches below were not written for."""
    for package, wanted in VERSIONS.items():
        found = importlib.metadata.version(package)
        if found != wanted:
            raise IncompatibleLibrary(
                f"textS's store was written for {package} {wanted}, but {package} {found} is"
                f" installed: install {package}=={wanted} (texts/store/compat.py names the"
                " private parts it relies on)"
            )


check_versions()

# ---- mongomock's stores of documents ------------------------------------------------


def documents_of(store: CollectionStore) -> dict[Any, dict[str, Any]]:
    """mongomock's own mapping of a collection store's documents by key (``_documents``).
    Reading it as a plain ``dict`` avoids the store's per-access lock and TTL check, and
    iterating it as a ``dict`` avoids hashing each ObjectId again in Python."""
    return store._documents  # type: ignore[no-any-return]


def store_key(document_id: Any) -> Any:
    """The key mongomock files a document under: a dict ``_id`` is hashed as mongomock
    does (``helpers.hashdict``)."""
    return helpers.hashdict(document_id) if isinstance(document_id, dict) else document_id


def as_stored(value: Any) -> Any:
    """A filter or update as mongomock stores it (datetimes naive UTC, to the millisecond;
    ``helpers.patch_datetime_awareness_in_document``)."""
    return helpers.patch_datetime_awareness_in_document(value)


def attached(store: CollectionStore, name: str) -> Any:
    """A value this package attached to a collection store (``None`` if none): the index
    and the journal's notes must live and die with the store mongomock keeps."""
    return store.__dict__.get(name)


def attach(store: CollectionStore, name: str, value: Any) -> Any:
    store.__dict__[name] = value
    return value


def collection_stores(server: ServerStore) -> Iterator[tuple[str, str, CollectionStore]]:
    """Every collection store of a server (``ServerStore._databases`` and
    ``DatabaseStore._collections``, which mongomock_persistence's ``to_dict`` walks too)."""
    for db, database in server._databases.items():
        for name, store in database._collections.items():
            yield db, name, store


def documents_as_data(store: CollectionStore) -> dict[Any, Any]:
    """A store's documents by key, through mongomock_persistence's ``to_dict``."""
    return dict(store.to_dict()["documents"])


class LoadedServerStore(ServerStore):
    """mongomock's server store, filled by texts rather than by ``mongomock_persistence``.

    Importing ``mongomock_persistence.store`` patches mongomock's store classes with
    ``to_dict``/``from_dict`` (the format of FireWorks' mongomock mode, which texts keeps).

    mongomock_persistence replaces ``ServerStore.__init__`` by one that reads
    ``MONGOMOCK_SERVERSTORE_FILE`` and registers a non-atomic save at exit: this
    constructor sets only the databases, and the store keeps the (de)serialisation methods
    that mongomock_persistence adds (``to_dict``, ``DatabaseStore.from_dict``).
    """

    def __init__(self, databases: dict[str, DatabaseStore]) -> None:
        self._databases = databases

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> LoadedServerStore:
        return cls({name: DatabaseStore.from_dict(db) for name, db in data.items()})

    def to_data(self) -> dict[str, Any]:
        return self.to_dict()  # type: ignore[no-any-return]


# ---- mongomock's collection, narrowed -------------------------------------------------

_COLLECTION_MODULE_COPY = threading.local()


class PlainFirstCopy:
    """The ``copy`` module as mongomock's collection code sees it while a texts collection
    updates: deep copies of plain documents made directly, the rest by ``copy``.

    mongomock snapshots every document it updates with ``copy.deepcopy`` (to tell whether
    the update changed it), a module global of ``mongomock.collection``; it is rebound
    only for the duration of an update of a texts collection (``_plain_copies``)."""

    copy = staticmethod(copy.copy)
    deepcopy = staticmethod(lambda value, memo=None: plain_copy(value, copy.deepcopy))


_UPDATE_GUARD = threading.Lock()


@contextlib.contextmanager
def _plain_copies() -> Iterator[None]:
    with _UPDATE_GUARD:
        saved = mongomock.collection.copy  # type: ignore[attr-defined]
        mongomock.collection.copy = PlainFirstCopy  # type: ignore[attr-defined]
        try:
            yield
        finally:
            mongomock.collection.copy = saved  # type: ignore[attr-defined]


class CollectionHooks:
    """What a texts collection tells its store's index and journal after each write; the
    embedded store provides it (``collection.StoreHooks``)."""

    def written(
        self, store: CollectionStore, keys: list[Any], paths: list[list[str]] | None
    ) -> None:
        """Documents filed under ``keys`` were inserted, changed (only at ``paths``, when
        given) or deleted."""

    def candidates(
        self, store: CollectionStore, documents: dict[Any, Any], tests: PlainTests
    ) -> list[Any] | None:
        """The keys of the documents that may pass ``tests`` (in store order), or
        ``None`` when no index answers."""
        return None


class NarrowingCollection(mongomock.collection.Collection):
    """mongomock's collection, with mongomock's answers reached by shorter ways.

    It overrides the private methods through which every public pymongo method of
    mongomock 4.3 reads and writes (``_iter_documents``, ``_insert``, ``_update``,
    ``_delete``) and those that copy documents (``_copy_only_fields``,
    ``_internalize_dict``): queries are narrowed by ``_id`` and by the store's index
    before mongomock's own filter decides; ``$set``/``$unset`` updates snapshot only their
    paths; and every write is reported to the store's ``hooks`` (index and journal).
    ``tests/store/test_overrides.py`` writes through every public write method and checks
    that the index and the journal saw it.
    """

    hooks: CollectionHooks = CollectionHooks()

    # -- copies ---------------------------------------------------------------------

    def _copy_only_fields(self, doc: Any, fields: Any, container: Any) -> Any:
        if container is dict:
            if fields is None:
                return plain_copy(doc, _copy_field)
            projected = project_paths(doc, fields)
            if projected is not None:
                return projected
        return super()._copy_only_fields(doc, fields, container)

    def _internalize_dict(self, d: dict[str, Any]) -> dict[str, Any]:
        return plain_copy(d, copy.deepcopy)

    # -- queries --------------------------------------------------------------------

    def _iter_documents(self, filter: Any) -> Iterator[dict[str, Any]]:
        store = self._store
        if store.is_empty:  # (mongomock's way: this also expires documents of TTL indexes)
            return super()._iter_documents(filter)
        documents = documents_of(store)
        key = _id_key(filter)
        if key is not MISSING:
            found = [documents[key]] if key in documents else []
        else:
            tests = plain_conditions(filter)
            if not tests:
                return super()._iter_documents(filter)
            keys = self.hooks.candidates(store, documents, tests)
            candidates = (
                list(dict.values(documents))
                if keys is None
                else [documents[k] for k in keys if k in documents]
            )
            found = [
                document
                for document in candidates
                if all(may_match(document.get(f, MISSING), values) for f, values in tests)
            ]
        return (document for document in found if filter_applies(filter, document))

    # -- writes ---------------------------------------------------------------------

    def _written(self, keys: Iterable[Any], paths: list[list[str]] | None = None) -> None:
        self.hooks.written(self._store, list(keys), paths)

    def _insert(self, data: Any, *args: Any, **kwargs: Any) -> Any:
        inserted = super()._insert(data, *args, **kwargs)
        if isinstance(data, Mapping):  # mongomock inserts a list one document at a time
            self._written([store_key(inserted)])
        return inserted

    def _delete(self, filter: Any, *args: Any, **kwargs: Any) -> Any:
        keys = self._matching_keys(filter)
        try:
            return super()._delete(filter, *args, **kwargs)
        finally:
            self._written(keys)

    def _matching_keys(self, filter: Any) -> list[Any]:
        """The store keys of the documents a write's filter matches (before the write)."""
        if not isinstance(filter, dict):
            return []
        return [store_key(d["_id"]) for d in self._iter_documents(as_stored(filter))]

    def _update(
        self,
        spec: Any,
        document: Any,
        upsert: bool = False,
        manipulate: bool = False,
        multi: bool = False,
        check_keys: bool = False,
        **kwargs: Any,
    ) -> Any:
        paths = updated_paths(document)
        if paths is None or upsert or any(kwargs.values()) or not isinstance(spec, dict):
            keys = self._matching_keys(spec)
            try:
                with _plain_copies():
                    return super()._update(
                        spec, document, upsert, manipulate, multi, check_keys, **kwargs
                    )
            finally:
                self._written(keys)
        return self._update_paths(as_stored(spec), as_stored(document), paths, multi)

    def _update_paths(
        self, spec: Any, document: dict[str, Any], paths: list[list[str]], multi: bool
    ) -> dict[str, Any]:
        """mongomock's ``_update`` for ``$set``/``$unset`` of named paths: the same result,
        with a snapshot of those paths instead of the whole document."""
        unique_fields = self._unique_top_fields()
        matched = modified = 0
        for existing in self._iter_documents(spec):
            matched += 1
            if any(path[0] in unique_fields for path in paths) or not all(
                through_documents(existing, path) for path in paths
            ):
                # mongomock's way: a whole snapshot, uniqueness checked, rolled back
                whole = plain_copy(existing)
                self._apply_update_document(existing, spec, document, False)
                if existing != whole:
                    key = store_key(existing["_id"])
                    try:
                        self._ensure_uniques(existing)
                    except mongomock.DuplicateKeyError:
                        self._store[key] = whole
                        raise
                    finally:
                        self._written([key])
                    modified += 1
            else:
                before = [plain_copy(value_at(existing, path)) for path in paths]
                self._apply_update_document(existing, spec, document, False)
                if before != [value_at(existing, path) for path in paths]:
                    self._written([store_key(existing["_id"])], paths)
                    modified += 1
            if not multi:
                break
        return {
            "connectionId": self.database.client._id,
            "err": None,
            "n": matched,
            "nModified": modified,
            "ok": 1,
            "upserted": None,
            "updatedExisting": matched > 0,
        }

    def _unique_top_fields(self) -> set[str]:
        """The top-level fields of this collection's unique indexes."""
        return {
            key.split(".")[0]
            for index in self._store.indexes.values()
            if index.get("unique")
            for key, _ in index.get("key", ())
        }


def _copy_field(value: Any) -> Any:
    return mongomock.collection._copy_field(value, container=dict)


def _id_key(filter: Any) -> Any:
    """The store key a filter names with a plain ``_id`` equality, else ``MISSING``."""
    if not isinstance(filter, dict) or "_id" not in filter:
        return MISSING
    value = filter["_id"]
    if isinstance(value, (dict, list, float, bool)) or value is None:
        return MISSING  # operators, arrays, numbers that mongomock compares by value
    try:
        hash(value)
    except TypeError:
        return MISSING
    return value


# ---- FireWorks' LaunchPad on the embedded store -----------------------------------------

_CONSTRUCTION_LOCK = threading.Lock()


def launchpad_on_mongomock(
    server: ServerStore, collection: type[mongomock.collection.Collection], name: str
) -> LaunchPad:
    """A LaunchPad built by FireWorks' own constructor on a mongomock client of
    ``server`` whose collections are of class ``collection``.

    FireWorks makes its client from the module global ``MongoClient`` of
    ``fireworks.core.launchpad`` (mongomock's when its mongomock mode is on, which is
    chosen once per process), and mongomock's databases make collections from the module
    global ``Collection`` of ``mongomock.database``: both are bound for the construction
    only, under a lock.
    """
    mongomock.gridfs.enable_gridfs_integration()  # as FireWorks' mongomock mode does

    def client(*_args: Any, **_kwargs: Any) -> mongomock.MongoClient:
        return mongomock.MongoClient(_store=server)

    with (
        _CONSTRUCTION_LOCK,
        _bound(fireworks_launchpad, "MongoClient", client),
        _bound(mongomock.database, "Collection", collection),
    ):
        # FireWorks logs every reset, tune-up and insertion at INFO: only problems matter here
        return LaunchPad(name=name, strm_lvl="ERROR")


@contextlib.contextmanager
def _bound(module: Any, name: str, value: Any) -> Iterator[None]:
    """Temporarily rebind a module global, restoring it whatever happens."""
    original = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, original)


def uses_mongomock(launchpad: LaunchPad) -> bool:
    return isinstance(launchpad.connection, mongomock.MongoClient)


def is_multiprocess_stand_in(launchpad: LaunchPad) -> bool:
    """A LaunchPad that FireWorks rebuilt from the parent's settings for a task in a
    multi-process launch (``FWData().MULTIPROCESSING``, FireWorks' internal flag): for the
    embedded store, a default client on no real server."""
    return (
        bool(FWData().MULTIPROCESSING) and not launchpad.uri_mode and launchpad.host == "localhost"
    )


class DefaultsLaunchPad(LaunchPad):
    """FireWorks' own reading of a launchpad file with other defaults where it is silent.

    ``LaunchPad.from_file`` reads the file and passes its settings to ``cls.from_dict``
    (an internal step): this class is the one point between the two, before any
    connection or logger is made. ``LaunchPad.from_dict`` builds a plain LaunchPad.
    """

    defaults: Callable[[dict[str, Any]], dict[str, Any]] = staticmethod(lambda d: d)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LaunchPad:
        return LaunchPad.from_dict(cls.defaults(d))


def launchpad_from_file(path: str, defaults: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """A LaunchPad of a launchpad file, its settings passed through ``defaults`` first."""
    reader = type("DefaultsFor", (DefaultsLaunchPad,), {"defaults": staticmethod(defaults)})
    return reader.from_file(path)


# ---- FireWorks' workflow refresh --------------------------------------------------------


def install_refresh(launchpad: LaunchPad, refresh: Callable[[LaunchPad, int], None]) -> None:
    """Make ``launchpad`` refresh workflows with ``refresh``.

    Every FireWorks method that refreshes a workflow (``checkout_fw``,
    ``complete_launch``, ``defuse_fw``, ...) calls the private ``self._refresh_wf``: the
    attribute is set on this LaunchPad object only, so no other LaunchPad changes.
    """
    launchpad._refresh_wf = lambda fw_id: refresh(launchpad, fw_id)  # type: ignore[method-assign]


def upsert_fireworks(launchpad: LaunchPad, fireworks: list[Any]) -> dict[int, int]:
    """Store updated and new Fireworks as ``LaunchPad._update_wf`` does (the private
    ``_upsert_fws``, which numbers new ones); the renumbering of the new ones."""
    return launchpad._upsert_fws(fireworks)  # type: ignore[no-any-return]


def lazy_firework(launchpad: LaunchPad, fw_id: int) -> LazyFirework:
    """FireWorks' ``LazyFirework`` of a node (it reads the node's document only when an
    attribute needs it; ``gridfs_fallback`` is the LaunchPad's internal GridFS)."""
    return LazyFirework(fw_id, launchpad.fireworks, launchpad.launches, launchpad.gridfs_fallback)


class WorkflowShell(Workflow):
    """A FireWorks ``Workflow`` whose entries its subclass provides.

    ``Workflow.__init__`` needs every Firework of the workflow, which is what an
    incremental refresh must not read: the subclass sets the attributes itself.
    FireWorks' ``append_wf`` renumbers new nodes through the private ``_reassign_ids``,
    which is routed to :meth:`renumber`.
    """

    def __init__(self) -> None:
        pass

    def _reassign_ids(self, old_new: dict[int, int]) -> None:
        self.renumber(old_new)

    def renumber(self, old_new: dict[int, int]) -> None:
        raise TypeError("a WorkflowShell subclass renumbers its own entries")


class _LockView:
    """The LaunchPad as FireWorks' ``WFLock`` uses it (its ``m_logger`` and the
    ``find_one_and_update``/``find_one`` of ``workflows``), answering with the workflow
    document's ``_id`` only: the lock discards the document it finds, which FireWorks asks
    for whole. The ``_id`` of the locked document is kept for the refresh."""

    def __init__(self, launchpad: LaunchPad) -> None:
        self.m_logger = launchpad.m_logger
        self.workflows = self
        self._workflows = launchpad.workflows
        self.workflow_id: Any = None

    def find_one_and_update(self, filter: Any, update: Any, **kwargs: Any) -> Any:
        found = self._workflows.find_one_and_update(filter, update, {"_id": 1}, **kwargs)
        if found is not None and "locked" not in update.get("$unset", {}):
            self.workflow_id = found["_id"]
        return found

    def find_one(self, filter: Any, *_args: Any, **_kwargs: Any) -> Any:
        return self._workflows.find_one(filter, {"_id": 1})


@contextlib.contextmanager
def workflow_lock(launchpad: LaunchPad, fw_id: int) -> Iterator[Any]:
    """FireWorks' own lock (``WFLock``: expiry, waiting, kill) of the workflow holding
    ``fw_id``; yields the ``_id`` of its document. Raises FireWorks'
    ``LockedWorkflowError`` when it cannot be had."""
    view = _LockView(launchpad)
    with WFLock(view, fw_id):
        yield view.workflow_id


# ---- FireWorks' rockets, launchers and queue --------------------------------------------


@contextlib.contextmanager
def quiet_rockets() -> Iterator[None]:
    """Launch in-process without FireWorks' console chatter, its ping thread or FW.json.

    The rocket logs every step at INFO on the console and starts a thread that pings the
    launch; the ping detects lost runs of remote workers, but here the rocket runs in this
    process, and the embedded store must only be used from one thread. The copy of each
    node that it writes to ``FW.json`` in the shared launch directory is overwritten by the
    next node: the store holds the node anyway. All three are module globals of
    ``fireworks.core.rocket``.
    """
    saved = rocket.ROCKET_STREAM_LOGLEVEL, rocket.start_ping_launch, rocket.PRINT_FW_JSON
    rocket.ROCKET_STREAM_LOGLEVEL = "CRITICAL"
    rocket.start_ping_launch = lambda *_args: None
    rocket.PRINT_FW_JSON = False
    try:
        yield
    finally:
        rocket.ROCKET_STREAM_LOGLEVEL, rocket.start_ping_launch, rocket.PRINT_FW_JSON = saved


def serve_in_threads(served: Any, password: bytes) -> int:
    """Serve ``served`` as the LaunchPad of FireWorks' multi-launcher ``DataServer``, from
    threads of this process; the port.

    ``launch_multiprocess`` starts that server in a new process holding a copy of the
    LaunchPad: the embedded store lives in this process's memory, so its writes would be
    lost. The server's pieces are used instead: the registration, ``get_server`` and its
    connection accepter (a method of ``multiprocessing``'s manager server), with the
    ``stop_event`` that ``serve_forever`` would set up. The accepter stays blocked on its
    socket when the run ends; it holds nothing of the store.
    """
    DataServer.register_launchpad(lambda: served)
    server = DataServer(address=("127.0.0.1", 0), authkey=password).get_server()
    server.stop_event = threading.Event()
    threading.Thread(target=server.accepter, daemon=True).start()
    return int(server.address[1])


def representative_launch(firework: Any) -> Any:
    """FireWorks' choice of "the" launch of a node (``Workflow._get_representative_launch``),
    as its tools show it; ``None`` before any launch."""
    return Workflow._get_representative_launch(firework)


SUBMIT_ERROR_RESPONSE = "The error response reads: "
"""How FireWorks' CommonAdapter logs what a failed submit command wrote to stderr: the only
place that tells what the queue answered."""
QUEUE_LOGGERS = ("queue", "qadapter")
"""The loggers (and their children) of FireWorks' queue launcher and adapters."""
