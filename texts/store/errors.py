"""Why a store cannot be used: one class, so that every front end reports it alike."""


class StoreError(RuntimeError):
    """A store cannot be opened or used; the one-line message names its file or database."""


class DamagedRecord(StoreError):
    """A record read back from a store is not one texts wrote (damaged, or forged)."""


class StoreLockTimeout(StoreError, TimeoutError):
    """Another process kept the store locked for longer than the caller was willing to wait."""


class LaunchpadError(StoreError):
    """A launchpad file or its MongoDB cannot be used; the one-line message names the file."""


class ModelNotFound(StoreError):
    """No stored model has the UUID asked for."""
