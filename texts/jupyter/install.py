"""``texts kernel install``: write the kernel spec Jupyter finds the textS kernel by."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

KERNEL_NAME = "texts"
DISPLAY_NAME = "textS"
LANGUAGE = "texts"
FILE_EXTENSION = ".vm"
MIME_TYPE = "text/x-texts"


def kernel_spec() -> dict[str, Any]:
    """The spec: run this Python's ``texts.jupyter`` with the connection file."""
    return {
        "argv": [sys.executable, "-m", "texts.jupyter", "-f", "{connection_file}"],
        "display_name": DISPLAY_NAME,
        "language": LANGUAGE,
        "metadata": {"file_extension": FILE_EXTENSION, "mimetype": MIME_TYPE},
    }


def install(user: bool = False, prefix: str | None = None) -> str:
    """Install the spec (for the user, under ``prefix``, or system-wide); its directory."""
    # lazily for start-up: a cell imports only what it runs
    from jupyter_client.kernelspec import KernelSpecManager  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as directory:
        (Path(directory) / "kernel.json").write_text(json.dumps(kernel_spec(), indent=1))
        return KernelSpecManager().install_kernel_spec(
            directory, KERNEL_NAME, user=user, prefix=prefix
        )


def add_kernel_parser(commands: Any) -> None:
    """The ``kernel`` sub-command of ``texts``."""
    kernel = commands.add_parser("kernel", help="manage the Jupyter kernel")
    actions = kernel.add_subparsers(dest="kernel_action", required=True, metavar="{install}")
    install_parser = actions.add_parser("install", help="install the kernel spec")
    where = install_parser.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="for the current user")
    where.add_argument(
        "--sys-prefix", action="store_true", help="in this Python environment (sys.prefix)"
    )
    where.add_argument("--prefix", help="under this prefix, e.g. a virtual environment")


def run_kernel_command(args: argparse.Namespace) -> int:
    prefix = sys.prefix if args.sys_prefix else args.prefix
    try:
        directory = install(user=args.user, prefix=prefix)
    except ImportError:
        print("The kernel needs Jupyter: pip install 'texts[jupyter]'", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Operating system error: {error}", file=sys.stderr)
        return 1
    print(f"Installed the {DISPLAY_NAME} kernel spec in {directory}")
    return 0
