"""``tegula-tile``: give every block-size symbol a size and map loops to launches.

Contract
--------
Expects a ``tile.kernel`` function whose block sizes may still be
``tile.block_size`` symbols and whose top-level loops are ``tile.for``.
Afterwards:

- every ``tile.block_size`` of kind ``tile`` is an ``arith.constant`` taken
  from ``block-sizes`` (indexed by the symbol's id; a missing or ``none``
  entry falls back to ``default-block-size`` capped by the symbol's size hint);
- every ``tile.block_size`` of kind ``reduction`` (a ``:`` slice) covers its
  whole extent: with ``reductions=exact`` it becomes the extent itself (for
  backends with dynamic shapes), with ``reductions=pow2`` the next power of
  two of its hint (for backends with static shapes; the caller keys its
  cache on that bucket);
- every top-level ``tile.for`` is a ``tile.launch`` of
  ``prod(ceildiv(upper - lower, block))`` programs; program ``pid`` takes
  tile ``(pid / n1, pid % n1)`` of a 2-D loop (row-major: the last dimension
  varies fastest) and rebuilds its handles with ``tile.make_tile``.

Nested ``tile.for`` loops are left alone. Example::

    %bs = "tile.block_size"() {id = 0, kind = "tile", hint = 1000} : () -> index
    "tile.for"(%c0, %n, %bs) ({ ^bb0(%t: !tile.tile): ... })

with ``block-sizes=64`` becomes::

    %c64 = arith.constant 64 : index
    %np = arith.ceildivsi %n, %c64 : index
    "tile.launch"(%np) ({
      %pid = "tile.program_id"() : () -> index
      %b = arith.muli %pid, %c64 : index
      %t = "tile.make_tile"(%b, %n, %c64) : (index, index, index) -> !tile.tile
      ...
    })
"""

from __future__ import annotations

from dataclasses import dataclass

from tegula.compiler import tunables
from tegula.compiler.mlir import ir
from tegula.compiler.pipeline import TegulaPass, option
from tegula.dialects import tile as tiled

BLOCK_SIZES = tunables.per_symbol(
    "block_sizes", tunables.pow2("block_size", 1, 8192, 64),
    doc="size of each tile.block_size symbol of kind 'tile', by id",
)


def _idx(v: int) -> ir.Value:
    return ir.Operation.create("arith.constant", results=[ir.IndexType.get()],
                               attributes={"value": ir.IntegerAttr.get(ir.IndexType.get(), v)}).result


def _arith(name: str, a: ir.Value, b: ir.Value) -> ir.Value:
    return ir.Operation.create(f"arith.{name}", results=[ir.IndexType.get()], operands=[a, b]).result


def kernels(module: ir.Operation) -> list[ir.Operation]:
    body = module.regions[0].blocks[0]
    return [op.operation for op in body.operations if op.operation.name == "func.func"
            and "tile.kernel" in op.operation.attributes]


def walk(op: ir.Operation, name: str) -> list[ir.Operation]:
    """Every op called ``name`` nested in ``op`` (pre-order)."""
    out = []
    for region in op.regions:
        for block in region.blocks:
            for child in block.operations:
                child = child.operation
                if child.name == name:
                    out.append(child)
                out.extend(walk(child, name))
    return out


def next_pow2(n: int) -> int:
    return 1 if n <= 1 else 1 << (n - 1).bit_length()


@dataclass(frozen=True)
class TileSizes(TegulaPass):
    name = "tegula-tile"
    summary = "assign block sizes to block-size symbols and turn top-level tile loops into launches"

    block_sizes: list = option([], "block size per tile symbol id ('none' for the default)", BLOCK_SIZES)
    default_block_size: int = option(64, "block size for symbols block-sizes leaves out (capped by the hint)")
    reductions: str = option("exact", "size of ':' (reduction) symbols: exact (the extent) or pow2 (of the hint)")

    def run(self, module: ir.Operation) -> None:
        if self.reductions not in ("exact", "pow2"):
            raise ValueError(f"tegula-tile: reductions must be 'exact' or 'pow2', got '{self.reductions}'")
        for fn in kernels(module):
            for op in walk(fn, "tile.block_size"):
                self._assign(op)
            for op in list(fn.regions[0].blocks[0].operations):
                if op.operation.name == "tile.for":
                    self._launch(op.operation)

    def block_size_for(self, bid: int, hint: int) -> int:
        if bid < len(self.block_sizes) and self.block_sizes[bid] is not None:
            return int(self.block_sizes[bid])
        size = self.default_block_size
        if hint > 0:
            size = min(size, next_pow2(hint))
        return size

    def _assign(self, op: ir.Operation) -> None:
        kind = ir.StringAttr(op.attributes["kind"]).value
        bid = ir.IntegerAttr(op.attributes["id"]).value
        hint = ir.IntegerAttr(op.attributes["hint"]).value
        with ir.InsertionPoint(op), op.location:
            if kind == "tile":
                new = _idx(self.block_size_for(bid, hint))
            elif self.reductions == "exact":
                new = op.operands[0]
            else:
                new = _idx(next_pow2(max(hint, 1)))
        op.results[0].replace_all_uses_with(new)
        op.erase()

    def _launch(self, loop: ir.Operation) -> None:
        for_op = loop.opview
        lbs, ubs, steps = list(for_op.lower), list(for_op.upper), list(for_op.step)
        rank = len(lbs)
        body = for_op.body.blocks[0]
        with ir.InsertionPoint(loop), loop.location:
            zero = _idx(0)
            counts = []
            for lb, ub, bs in zip(lbs, ubs, steps):
                span = _arith("maxsi", _arith("subi", ub, lb), zero)
                counts.append(_arith("ceildivsi", span, bs))
            total = counts[0]
            for n in counts[1:]:
                total = _arith("muli", total, n)
            launch = tiled.LaunchOp(total)
            block = launch.body.blocks.append()
        with ir.InsertionPoint(block), loop.location:
            pid = tiled.ProgramIdOp().result
            rest = pid
            coords: list[ir.Value] = [None] * rank  # type: ignore[list-item]
            for d in reversed(range(rank)):
                if d == 0:
                    coords[d] = rest
                else:
                    coords[d] = _arith("remsi", rest, counts[d])
                    rest = _arith("divsi", rest, counts[d])
            handles = []
            for d in range(rank):
                begin = _arith("addi", lbs[d], _arith("muli", coords[d], steps[d]))
                handles.append(tiled.MakeTileOp(begin, ubs[d], steps[d]).result)
        for d in range(rank):
            body.arguments[d].replace_all_uses_with(handles[d])
        anchor = handles[-1].owner
        for op in list(body.operations):
            op.operation.move_after(anchor)
            anchor = op.operation
        loop.erase()
