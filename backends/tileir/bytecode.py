"""Compiles generated cuTile Python to Tile IR bytecode with cuTile itself (no GPU or tileiras needed).

``to_bytecode(source, launches)`` loads the module the emitter wrote and
exports each launch's kernel through ``cuda.tile.compilation.export_kernel``
as architecture-independent bytecode, with a signature made from the
parameters' kinds (``param_specs`` of the emitter: memrefs as arrays of their
element type and rank, index values as int32 scalars, floats as float32). cuTile type-checks
and lowers the whole kernel on the way, so a kernel that exports is one that
``tileiras`` gets to see. The export runs in a child process (``_export``), so a
crash of cuTile's compiler cannot take the caller down (an early session saw
one with the MLIR bindings loaded in the same process; the launcher, which
runs both in one process on the GPU, has not).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BYTECODE_VERSION = "13.3"  # the first that exports without a target GPU


def available() -> tuple[bool, str]:
    """Whether cuTile Python is installed (checked in a child process: see ``_export``)."""
    probe = subprocess.run([sys.executable, "-c", "import cuda.tile, cuda.tile.compilation"], capture_output=True,
                           text=True)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return False, f"cuTile Python is not installed ({last}); pip install cuda-tile==1.7.0"
    return True, ""


def to_bytecode(source: str, launches: list[dict[str, Any]], timeout: float = 300) -> list[bytes]:
    """Tile IR bytecode of every launch's kernel; raises RuntimeError with cuTile's message if it rejects one."""
    with tempfile.TemporaryDirectory(prefix="tegula-cutile-") as d:
        folder = Path(d)
        (folder / "kernels.py").write_text(source)  # cuTile reads a kernel's source from its file
        specs = [{"kernel": ln["kernel"], "params": ln["param_specs"], "bytecode_version": BYTECODE_VERSION}
                 for ln in launches]
        (folder / "launches.json").write_text(json.dumps(specs))
        run = subprocess.run([sys.executable, "-m", "tegula.backends.tileir._export", d], capture_output=True,
                             text=True, timeout=timeout)
        if run.returncode != 0:
            tail = "\n".join(run.stderr.strip().splitlines()[-6:])
            raise RuntimeError(f"cuTile rejected the generated kernels:\n{tail}")
        return [(folder / f"{ln['kernel']}.tileirbc").read_bytes() for ln in launches]
