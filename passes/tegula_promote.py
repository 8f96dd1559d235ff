"""``tegula-promote``: keep tiles that are read more than once in local buffers; stage pipelined loops.

Contract
--------
Works on the tile dialect before or after ``tegula-tile``. A ``tile.load`` of
a tensor tile is *promoted* — its uses read ``"tile.local"(%load)`` instead —
when

- ``promote-operands``: it is an operand of a ``tile.dot`` inside a
  sequential ``scf.for`` (the tiles of a k loop: the dot reads every element
  of each many times), or
- ``promote-reused``: two or more ops read it (the row of a softmax or a
  layer norm, read by the max, the sum and the output).

``tile.local`` has its operand's value, so promotion never changes results;
it tells the backend to read the tile from a buffer of its own (see
``dialects/tile.py``): the CPU copies it once into a packed, aligned buffer
reused by every program of a thread; Triton keeps it on chip. With
``stages=S`` (S > 0) every ``scf.for`` whose body promotes a tile gets
``tile.stages = S``: the backend keeps S buffers of each such tile and loads
the next iterations' tiles while computing this one (Triton: ``tl.range``'s
``num_stages``); a backend that cannot pipeline ignores it. ``stages=0``
leaves the choice to the backend (Triton: its ``num_stages``).

The pass is idempotent: a load already read through a ``tile.local`` is left
alone. Example (a k loop)::

    %r = scf.for %k = %c0 to %K step %c32 iter_args(%acc = %z) -> (tensor<?x?xf32>) {
      %a = "tile.load"(%A, %tm, %tk) ...
      %d = "tile.dot"(%a, %b, %acc) ...

becomes, with ``stages=3``::

    %r = scf.for ... {
      %a = "tile.load"(%A, %tm, %tk) ...
      %la = "tile.local"(%a) ...
      %d = "tile.dot"(%la, %lb, %acc) ...
    } {tile.stages = 3 : i64}
"""

from __future__ import annotations

from dataclasses import dataclass

from tegula.compiler import tunables
from tegula.compiler.mlir import ir
from tegula.compiler.pipeline import TegulaPass, option
from tegula.dialects import tile as tiled
from tegula.passes.util import kernels, walk

OPERANDS = tunables.boolean("promote_operands", True, doc="keep the tiles a dot reads inside a loop in local buffers")
REUSED = tunables.boolean("promote_reused", False, doc="keep tiles that several ops read in local buffers")
STAGES = tunables.integer("stages", 0, 8, 0, doc="buffers per promoted tile of a pipelined loop (0: the backend's)")


def _users(v: ir.Value) -> list[ir.Operation]:
    out: list[ir.Operation] = []
    for use in v.uses:
        op = use.owner
        op = op if isinstance(op, ir.Operation) else op.operation
        if op not in out:
            out.append(op)
    return out


def _enclosing_loop(op: ir.Operation) -> ir.Operation | None:
    """The innermost ``scf.for`` around ``op`` inside its program (launch, tile loop or kernel)."""
    parent = op.parent
    while parent is not None and parent.name not in ("tile.launch", "tile.for", "func.func"):
        if parent.name == "scf.for":
            return parent
        parent = parent.parent
    return None


@dataclass(frozen=True)
class Promote(TegulaPass):
    name = "tegula-promote"
    summary = "keep tiles read more than once in local buffers (tile.local); stage the loops that read them"

    promote_operands: bool = option(True, "promote the dot operands loaded inside a sequential loop", OPERANDS)
    promote_reused: bool = option(False, "promote tiles that two or more ops read", REUSED)
    stages: int = option(0, "tile.stages of the loops that promote a tile (0: the backend's choice)", STAGES)

    def run(self, module: ir.Operation) -> None:
        for fn in kernels(module):
            staged: list[ir.Operation] = []
            for load in walk(fn, "tile.load"):
                if not isinstance(load.results[0].type, ir.RankedTensorType):
                    continue
                users = _users(load.results[0])
                if any(u.name == "tile.local" for u in users):
                    continue
                in_loop_dot = any(u.name == "tile.dot" and _enclosing_loop(u) is not None
                                  and load.results[0] in list(u.operands)[:2] for u in users)
                if not ((self.promote_operands and in_loop_dot) or (self.promote_reused and len(users) >= 2)):
                    continue
                with ir.InsertionPoint.after(load), load.location:
                    local = tiled.LocalOp(load.results[0], load.results[0].type).result
                load.results[0].replace_all_uses_except(local, local.owner.operation)
                loop = _enclosing_loop(load)
                if loop is not None and loop not in staged:
                    staged.append(loop)
            if self.stages > 0:
                for loop in staged:
                    loop.attributes["tile.stages"] = ir.IntegerAttr.get(ir.IntegerType.get_signless(64), self.stages)
