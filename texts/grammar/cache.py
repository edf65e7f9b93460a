"""The parse cache: parsed and lowered statements on disk, looked up by their text.

Like Python's ``.pyc`` files, it spares a run the work of parsing what has not changed:
a statement whose text was parsed before is read back instead of parsed, and a run whose
statements are all known never builds the parser at all.

The cache lives in the user's cache directory (``$TEXTS_CACHE_DIR``, else the platform's,
such as ``$XDG_CACHE_HOME/texts``), never in the working directory. Each model file has a
cache file there, named after its path; inputs without a file (session inputs, cells)
share one. A cache file holds a fingerprint of the grammar and of the code that lowers it
(a file written by another version is foreign), a hash of its content (a torn or edited
file is corrupt), then the statements. A foreign or corrupt file is ignored and written
anew; a directory that cannot be read or written only means parsing as if it were empty.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import threading
import time
from pathlib import Path

import platformdirs

from texts.atomic import write_atomically
from texts.grammar.codec import Encoded, decode_statement, encode
from texts.interpreter import ir

DIRECTORY_VARIABLE = "TEXTS_CACHE_DIR"
"""Names the directory of textS's caches instead of the platform's user cache directory."""
MAGIC = b"textS parse cache 1\n"
#: a file's hash: BLAKE2b of everything after it
DIGEST_SIZE = 32
#: cache files kept in the directory; the least recently written (or read after a day
#: without writing) go first
MAX_FILES = 256
#: statements a cache file keeps that the last run of its model did not use (edits undone,
#: other session inputs)
MAX_UNUSED = 1000
#: a cache file read that was written longer ago than this is marked as recently written
RECENT_SECONDS = 24 * 3600
#: temporary files older than this were left by a process that died while writing
STALE_SECONDS = 3600
#: the modules whose code decides what a statement text parses into
_PARSING_CODE = (
    *sorted(Path(__file__).parent.glob("*.py")),
    Path(__file__).with_name("texts.tx"),
    Path(ir.__file__),
)


def cache_directory() -> Path:
    """Where the parse cache keeps its files."""
    configured = os.environ.get(DIRECTORY_VARIABLE)
    root = Path(configured) if configured else Path(platformdirs.user_cache_dir("texts", False))
    return root / "statements"


@functools.cache
def fingerprint() -> bytes:
    """What a cache file must have been written by: the grammar, the parsing and lowering
    code, the IR classes and the format of :mod:`marshal`."""
    digest = hashlib.blake2b(f"{MAGIC!r} {marshal.version}".encode(), digest_size=DIGEST_SIZE)
    for path in _PARSING_CODE:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.digest()


class StatementCache:
    """The cached statements of one model file (or of all inputs without a file).

    Statements are read from disk at the first lookup; :meth:`save` writes back what
    this process used and added, with up to :data:`MAX_UNUSED` statements it did not use.
    """

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self._stored: dict[str, Encoded] = {}
        self._read_state: tuple[int, int] | None = None
        self._used: dict[str, Encoded] = {}
        self._changed = False
        self._lock = threading.Lock()  # a session parses inputs while its background runs

    def lookup(self, text: str, offset: int) -> ir.Statement | None:
        """The statement of ``text`` standing at ``offset``, or ``None`` if not cached."""
        with self._lock:
            found = self._used.get(text)
            if found is None:
                found = self._stored.get(text)
                if found is None:
                    return None
            try:
                statement = decode_statement(found, offset)
            except Exception:  # an entry not made by this code: parse the text instead
                self._stored.pop(text, None)
                self._used.pop(text, None)
                return None
            self._used[text] = found
            return statement

    def add(self, text: str, statement: ir.Statement, offset: int) -> None:
        """Remember the statement parsed from ``text`` standing at ``offset``."""
        with self._lock:
            self._used[text] = encode(statement, offset)
            self._changed = True

    def refresh(self) -> None:
        """Read the file again if another process replaced it since it was read."""
        with self._lock:
            if self.file is None:
                return
            try:
                status = self.file.stat()
            except OSError:
                return
            state = (status.st_mtime_ns, status.st_size)
            if state == self._read_state:
                return
            self._stored = read_entries(self.file)
            self._read_state = state
            if self._stored and time.time() - status.st_mtime > RECENT_SECONDS:
                # kept by :func:`prune`, which removes the least recently written files
                with contextlib.suppress(OSError):
                    os.utime(self.file)
                    self._read_state = (self.file.stat().st_mtime_ns, status.st_size)

    def save(self) -> None:
        """Write the statements back if any was added; a failure leaves the file as it was
        and stops further attempts (the directory is read-only, or full)."""
        with self._lock:
            if not self._changed or self.file is None:
                return
            self._changed = False
            used = self._used
            unused = [(text, data) for text, data in self._stored.items() if text not in used]
            entries = dict(unused[-MAX_UNUSED:])
            entries.update(self._used)
            try:
                new = not self.file.exists()
                write_entries(self.file, entries)
                status = self.file.stat()
            except OSError:
                self.file = None
                return
            self._stored, self._read_state = entries, (status.st_mtime_ns, status.st_size)
            if new:
                prune(self.file.parent)


def read_entries(file: Path) -> dict[str, Encoded]:
    """The statements of a cache file; none if it is missing, foreign or corrupt."""
    try:
        raw = file.read_bytes()
    except OSError:
        return {}
    header = MAGIC + fingerprint()
    if not raw.startswith(header):
        return {}
    digest = raw[len(header) : len(header) + DIGEST_SIZE]
    payload = raw[len(header) + DIGEST_SIZE :]
    if hashlib.blake2b(payload, digest_size=DIGEST_SIZE).digest() != digest:
        return {}
    try:
        entries = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return {}
    return entries if type(entries) is dict else {}


def write_entries(file: Path, entries: dict[str, Encoded]) -> None:
    payload = marshal.dumps(entries)
    digest = hashlib.blake2b(payload, digest_size=DIGEST_SIZE).digest()
    file.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(file, MAGIC + fingerprint() + digest + payload, durable=False)


def prune(directory: Path) -> None:
    """Keep the :data:`MAX_FILES` most recently written cache files, and remove temporary
    files that a process which died while writing left behind."""
    now = time.time()
    files: list[tuple[float, Path]] = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            with contextlib.suppress(OSError):
                written = entry.stat().st_mtime
                if entry.name.endswith(".tmp"):
                    if now - written > STALE_SECONDS:
                        os.unlink(entry.path)
                else:
                    files.append((written, Path(entry.path)))
    for _, path in sorted(files)[:-MAX_FILES]:
        with contextlib.suppress(OSError):
            path.unlink()


_open: dict[Path, StatementCache] = {}
_open_lock = threading.Lock()


def statement_cache(model_path: str | None) -> StatementCache:
    """The cache of a model file (``None``, or a name in angle brackets such as
    ``<input 3>``, for inputs that are not files); a cache without a file when the
    parsing code cannot be read to fingerprint it."""
    scope = model_path if model_path and not model_path.startswith("<") else "<inputs>"
    try:
        version = fingerprint().hex()[:16]
    except OSError:
        return StatementCache(None)
    name = hashlib.blake2b(scope.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    file = cache_directory() / f"{name}-{version}"
    with _open_lock:
        cache = _open.get(file)
        if cache is None:
            cache = _open[file] = StatementCache(file)
    cache.refresh()
    return cache
