"""Tegula's passes, one per file; importing this package registers them.

Each module states its contract in its docstring and has a lit test under
``tests/lit/passes/<pass-name>.mlir``. ``tegula-opt --list-passes`` prints
every pass with its options and tunables.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from tegula.passes import tegula_early_loads, tegula_fuse, tegula_promote, tegula_roll, tegula_tile, tegula_to_tileir  # noqa: F401


def default_pipeline(config: dict[str, Any], reductions: str, workers: int) -> str:
    """The tile-level pipeline both in-tree backends run, its options taken from ``config``.

    ``reductions`` is ``tegula-tile``'s: ``exact`` (the CPU keeps exact extents) or ``pow2`` (Triton);
    ``workers`` is how many programs a persistent launch runs when ``programs`` is not set (the
    backend's parallelism: SMs, threads).
    """
    fuse = tegula_fuse.FuseLoops.from_config(config)
    roll = tegula_roll.RollReductions.from_config(config)
    tile = tegula_tile.TileSizes.from_config(config)
    programs = tile.programs or (workers if tile.persistent != "none" else 0)
    tile = dataclasses.replace(tile, reductions=reductions, programs=programs)
    promote = tegula_promote.Promote.from_config(config)
    return f"canonicalize,cse,{fuse.spec()},cse,{roll.spec()},{tile.spec()},canonicalize,cse,{promote.spec()}"
