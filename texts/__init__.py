"""textS: an interpreter for a declarative language for scientific computing."""

from typing import Any

__version__ = "0.1.0"


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext texts``: register the ``%%texts`` and ``%texts`` magics. The Jupyter
    part is imported only here, so ``import texts`` stays light."""
    # lazily for start-up: Jupyter only for %load_ext
    from texts.jupyter.magic import TextsMagics  # noqa: PLC0415

    ipython.register_magics(TextsMagics)
