"""The result cache of the instant and deferred executors, in the working directory.

``.texts/cache/values/<ab>/<signature>.json`` holds one computed value in the form the
workflow database uses: inline, or for a large value the record of the file the
offloading datastore wrote (large values leave the cache as they leave documents).
``.texts/cache/models/<key>.json`` remembers, per model file, the signature parts each
node had when it last ran, so that a rerun can say *what* changed. One file per entry
needs no lock: two runs may write the same entry at once, and the atomic rename makes
either copy win, both being the same value.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from texts.atomic import write_atomically
from texts.interpreter.errors import TextsError
from texts.paths import STORE_DIRECTORY_NAME
from texts.provenance.signature import digest

CACHE_DIRECTORY = Path(STORE_DIRECTORY_NAME) / "cache"
MISSING = object()
"""What :meth:`ResultCache.value` returns when nothing is stored for a signature."""


class ResultCache:
    """Values by signature, and each model's last signature parts by node."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _value_path(self, signature: str) -> Path:
        return self.directory / "values" / signature[:2] / f"{signature}.json"

    def value(self, signature: str, name: str) -> Any:
        """The stored value of variable ``name``, ``MISSING``, or an error if the entry was
        tampered with. An offloaded value whose file is gone (``texts datastore gc`` does
        not know the cache) is ``MISSING``: it is computed again."""
        from texts.datastore.documents import from_document

        path = self._value_path(signature)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return MISSING
        except (OSError, ValueError):
            return MISSING  # an unreadable entry is recomputed and rewritten
        document = entry.get("value")
        if entry.get("sha256") != digest(json.dumps(document, sort_keys=True)):
            raise TextsError(
                "Signature error", f"the cached value {path} does not match its content hash"
            )
        try:
            return from_document(document, self._origin(name))
        except TextsError:
            return MISSING

    def store(self, signature: str, name: str, value: Any) -> bool:
        """Keep a value; ``False`` when it has no stored form (it is then recomputed)."""
        from texts.datastore.documents import store_value

        try:
            document = store_value(value, self._origin(name))
            text = json.dumps(document, sort_keys=True)
        except (TypeError, ValueError, TextsError):
            return False
        path = self._value_path(signature)
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = f'{{"sha256": "{digest(text)}", "value": {text}}}'
        write_atomically(path, entry.encode("utf-8"), durable=False)
        return True

    def _origin(self, name: str) -> Any:
        from texts.datastore.offloading import Origin

        return Origin(name)

    def _model_path(self, model_key: str) -> Path:
        return self.directory / "models" / f"{digest(model_key)[:32]}.json"

    def nodes(self, model_key: str) -> dict[str, dict[str, Any]]:
        """What each node of a model was when it last ran (nothing for a new model)."""
        try:
            return json.loads(self._model_path(model_key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def record_nodes(self, model_key: str, nodes: dict[str, dict[str, Any]]) -> None:
        path = self._model_path(model_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(nodes, sort_keys=True, indent=1).encode("utf-8")
        write_atomically(path, data, durable=False)
