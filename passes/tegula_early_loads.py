"""``tegula-early-loads``: issue each load as early as its block allows (load scheduling).

Contract
--------
Expects tiled kernels (``tile.launch`` bodies, after ``tegula-tile``). With
``early-loads`` (off by default; a tunable), every ``tile.load`` in a launch
body or in a loop nested in it moves up its own block to just below the
nearest op above it that it must stay below:

- the op that defines one of its operands (a value defined outside the block
  does not hold it: a launch-invariant ``weight`` row moves to the top);
- a ``tile.store``, or an op whose regions hold one: memory written before
  the load keeps being written before it, whatever the arguments alias;
- another load: loads keep their order.

It passes everything else: arithmetic, ``tile.reduce``, and loops and ifs that
store nothing (a rolled reduction's loop). A load whose value a ``tile.local``
or a ``tile.dot`` reads stays where it is (the promotion and the dot's own
software pipelining place those). Nothing else changes, so the results are the
same bit for bit.

Why: a GPU program waits for a load only where it first uses the value, but
Triton's compiler does not move a load above a reduction (a reduction across
warps holds a barrier). A layer norm that reads its weight and bias after the
row's mean and variance waits for them after two barriers; moved up, their
latency overlaps the row's. The cost is registers: the loaded tiles are live
for longer, which is why it is a tunable.

Example::

    %x = "tile.load"(%arg1, %t, %H)
    %m = "tile.reduce"(%x) {kind = "sum", dim = 1}
    ...
    %w = "tile.load"(%arg3, %H)          // weight: no operand from this block

becomes::

    %x = "tile.load"(%arg1, %t, %H)
    %w = "tile.load"(%arg3, %H)
    %m = "tile.reduce"(%x) {kind = "sum", dim = 1}
    ...
"""

from __future__ import annotations

from dataclasses import dataclass

from tegula.compiler import tunables
from tegula.compiler.mlir import ir
from tegula.compiler.pipeline import TegulaPass, option
from tegula.passes.util import kernels, walk

EARLY_LOADS = tunables.boolean("early_loads", False,
                               doc="issue each load as early as its block allows (above reductions and loops "
                                   "that store nothing)")

#: users that place their load themselves
_PINNED_BY = ("tile.local", "tile.dot")


def _stores(op: ir.Operation) -> bool:
    return op.name == "tile.store" or bool(walk(op, "tile.store"))


def _block_ops(block: ir.Block) -> list[ir.Operation]:
    return [o.operation for o in block.operations]


@dataclass(frozen=True)
class EarlyLoads(TegulaPass):
    name = "tegula-early-loads"
    summary = "move each tile.load up its block, past ops that neither define its operands nor store"

    early_loads: bool = option(False, "move loads up (off: the pass does nothing)", EARLY_LOADS)

    def run(self, module: ir.Operation) -> None:
        if not self.early_loads:
            return
        for fn in kernels(module):
            for launch in walk(fn, "tile.launch"):
                self._schedule(launch)

    def _schedule(self, op: ir.Operation) -> None:
        for region in op.regions:
            for block in region.blocks:
                self._block(block)
                for child in _block_ops(block):
                    if child.regions:
                        self._schedule(child)

    @staticmethod
    def _block(block: ir.Block) -> None:
        ops = _block_ops(block)
        for i, load in enumerate(ops):
            if load.name != "tile.load":
                continue
            if any(u.owner.name in _PINNED_BY for u in load.results[0].uses):
                continue
            operands = set(load.operands)
            j = i
            while j > 0:
                above = ops[j - 1]
                if (above.name == "tile.load" or _stores(above)
                        or any(r in operands for r in above.results)):
                    break
                j -= 1
            if j == i:
                continue
            load.move_before(ops[j])
            ops.insert(j, ops.pop(i))
