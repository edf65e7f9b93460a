"""A SLURM queue for tests of batch nodes: a qadapter file for FireWorks' CommonAdapter and
an ``sbatch`` on the ``PATH`` that records each job script in ``bin/submitted.log`` and then
holds the job, starts it at once (as a free cluster would) or refuses it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

QADAPTER = """_fw_name: CommonAdapter
_fw_q_type: SLURM
rocket_launch: {python} -m texts
nodes: 1
ntasks_per_node: 1
walltime: '00:10:00'
"""
SUBMITTED = "Submitted batch job 12345"
SBATCH = {
    # records the script; the job never starts
    "holds": f'cat "$1" >> "$(dirname "$0")/submitted.log"\necho "{SUBMITTED}"\n',
    # records the script and starts the job at once, as a free cluster would
    "runs": f'cat "$1" >> "$(dirname "$0")/submitted.log"\n'
    f'nohup sh "$1" >/dev/null 2>&1 &\necho "{SUBMITTED}"\n',
    "fails": 'echo "sbatch: error: invalid partition specified: nope" >&2\nexit 1\n',
}


def cluster(tmp_path: Path, sbatch: str) -> dict[str, str]:
    """A qadapter file ``q.yaml`` and an ``sbatch`` of the given behaviour (``holds``,
    ``runs`` or ``fails``); the environment to use it."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "sbatch").write_text(f"#!/bin/sh\n{SBATCH[sbatch]}")
    (bin_dir / "sbatch").chmod(0o755)
    (tmp_path / "q.yaml").write_text(QADAPTER.format(python=sys.executable))
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
