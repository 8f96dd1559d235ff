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

import itertools

from tegula.compiler import tunables
from tegula.compiler.mlir import ir, scf
from tegula.compiler.pipeline import PipelineError, TegulaPass, option
from tegula.dialects import tile as tiled
from tegula.passes.util import index_const as _idx
from tegula.passes.util import index_op as _arith
from tegula.passes.util import kernels, walk

BLOCK_SIZES = tunables.per_symbol(
    "block_sizes", tunables.pow2("block_size", 1, 8192, 64),
    doc="size of each tile.block_size symbol of kind 'tile', by id",
)
LOOP_ORDERS = tunables.per_symbol(
    "loop_orders", tunables.integer("loop_order", 0, 5, 0), over="loops2d",
    doc="per top-level loop: which permutation of its dimensions (lexicographic index; 0 = the last varies fastest)",
)
L2_GROUPINGS = tunables.per_symbol(
    "l2_groupings", tunables.pow2("l2_grouping", 1, 64, 1), over="loops2d",
    doc="per top-level loop of 2+ dimensions: programs sweep groups of this many tiles of the slower dimension",
)
PERSISTENT = tunables.enum(
    "persistent", ("none", "blocked", "interleaved"), "none",
    doc="launch a fixed number of programs that loop over the tiles (blocked: contiguous runs; interleaved: strided)",
)
PROGRAMS = tunables.integer("programs", 0, 1 << 16, 0, doc="programs of a persistent launch (0: the backend's)",
                            tune=False)
UNROLL = tunables.per_symbol(
    "unroll_factors", tunables.pow2("unroll_factor", 1, 16, 1), over="sequential_loops",
    doc="per sequential loop inside a launch (pre-order): unroll factor, honoured where the backend can",
)


def permutations(rank: int) -> list[tuple[int, ...]]:
    """The orders of a ``rank``-D loop's dimensions, outermost first; index 0 keeps the last fastest."""
    return list(itertools.permutations(range(rank)))


def next_pow2(n: int) -> int:
    return 1 if n <= 1 else 1 << (n - 1).bit_length()


@dataclass(frozen=True)
class TileSizes(TegulaPass):
    name = "tegula-tile"
    summary = "assign block sizes to block-size symbols and turn top-level tile loops into launches"

    block_sizes: list = option([], "block size per tile symbol id ('none' for the default)", BLOCK_SIZES)
    default_block_size: int = option(64, "block size for symbols block-sizes leaves out (capped by the hint)")
    reductions: str = option("exact", "size of ':' (reduction) symbols: exact (the extent) or pow2 (of the hint)")
    loop_orders: list = option([], "per top-level loop: permutation index of its dimensions (0: row-major)",
                               LOOP_ORDERS)
    l2_groupings: list = option([], "per top-level loop: group size along the slower of its two fastest dimensions",
                                L2_GROUPINGS)
    persistent: str = option("none", "none, blocked or interleaved persistent launches", PERSISTENT)
    programs: int = option(0, "programs of a persistent launch (0: as many as tiles)", PROGRAMS)
    unroll_factors: list = option([], "per sequential loop inside a launch (pre-order): unroll factor", UNROLL)

    def run(self, module: ir.Operation) -> None:
        if self.reductions not in ("exact", "pow2"):
            raise PipelineError(f"tegula-tile: reductions must be 'exact' or 'pow2', got '{self.reductions}'")
        if self.persistent not in PERSISTENT.choices:
            raise PipelineError(f"tegula-tile: persistent must be {PERSISTENT.domain()}, got '{self.persistent}'")
        for fn in kernels(module):
            for op in walk(fn, "tile.block_size"):
                self._assign(op)
            for i, loop in enumerate(walk(fn, "scf.for")):  # the kernel's own loops, not persistent ones
                factor = self.unroll_factors[i] if i < len(self.unroll_factors) else None
                if factor is not None and factor > 1:
                    loop.attributes["tile.unroll"] = ir.IntegerAttr.get(ir.IntegerType.get_signless(64), factor)
            loops = [op.operation for op in fn.regions[0].blocks[0].operations if op.operation.name == "tile.for"]
            for i, op in enumerate(loops):
                self._launch(op, i)

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

    def _order(self, index: int, rank: int) -> tuple[int, ...]:
        choice = self.loop_orders[index] if index < len(self.loop_orders) else None
        perms = permutations(rank)
        if choice is None:
            return perms[0]
        if not 0 <= choice < len(perms):
            raise PipelineError(f"tegula-tile: loop-orders[{index}] = {choice}, but loop {index} has {rank} "
                                f"dimension(s): {len(perms)} order(s), 0 to {len(perms) - 1}")
        return perms[choice]

    def _coords(self, v: ir.Value, counts: list[ir.Value], order: tuple[int, ...], group: int) -> list[ir.Value]:
        """The tile coordinates of virtual program ``v``: ``order[-1]`` varies fastest, and with ``group > 1``
        programs sweep ``group`` tiles of ``order[-2]`` for each tile of ``order[-1]`` (L2 reuse)."""
        coords: list[ir.Value] = [None] * len(counts)  # type: ignore[list-item]
        rest = v
        inner = list(order)
        if group > 1 and len(order) >= 2:
            a, b = order[-2], order[-1]
            inner = list(order[:-2])
            span = _arith("muli", counts[a], counts[b])
            local = _arith("remsi", v, span) if inner else v
            rest = _arith("divsi", v, span)
            per_group = _arith("muli", _idx(group), counts[b])
            first = _arith("muli", _arith("divsi", local, per_group), _idx(group))
            size = _arith("minsi", _arith("subi", counts[a], first), _idx(group))
            within = _arith("remsi", local, per_group)
            coords[a] = _arith("addi", first, _arith("remsi", within, size))
            coords[b] = _arith("divsi", within, size)
        for k, d in enumerate(reversed(inner)):
            if k == len(inner) - 1:
                coords[d] = rest
            else:
                coords[d] = _arith("remsi", rest, counts[d])
                rest = _arith("divsi", rest, counts[d])
        return coords

    def _launch(self, loop: ir.Operation, index: int) -> None:
        for_op = loop.opview
        lbs, ubs, steps = list(for_op.lower), list(for_op.upper), list(for_op.step)
        rank = len(lbs)
        order = self._order(index, rank)
        group = self.l2_groupings[index] if index < len(self.l2_groupings) else None
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
            grid = total
            if self.persistent != "none" and self.programs > 0:
                grid = _arith("minsi", total, _idx(self.programs))
            launch = tiled.LaunchOp(grid)
            block = launch.body.blocks.append()
        inner_loop = None
        with ir.InsertionPoint(block), loop.location:
            pid = tiled.ProgramIdOp().result
            virtual = pid
            if grid is not total:
                one = _idx(1)
                if self.persistent == "interleaved":  # program p takes tiles p, p + P, p + 2P, ...
                    inner_loop = scf.ForOp(pid, total, grid)
                else:  # blocked: program p takes a contiguous run of ceil(total / P) tiles
                    per = _arith("ceildivsi", total, grid)
                    lo = _arith("muli", pid, per)
                    hi = _arith("minsi", _arith("addi", lo, per), total)
                    inner_loop = scf.ForOp(lo, hi, one)
        if inner_loop is not None:
            # a backend may software-pipeline this loop over tiles (the Triton backend gives it num_stages)
            inner_loop.operation.attributes["tile.persistent"] = ir.UnitAttr.get()
            ip = ir.InsertionPoint(inner_loop.body)
            virtual = inner_loop.induction_variable
        else:
            ip = ir.InsertionPoint(block)
        with ip, loop.location:
            coords = self._coords(virtual, counts, order, group or 1)
            handles = []
            for d in range(rank):
                begin = _arith("addi", lbs[d], _arith("muli", coords[d], steps[d]))
                handles.append(tiled.MakeTileOp(begin, ubs[d], steps[d]).result)
            if inner_loop is not None:
                end = scf.YieldOp([])
        for d in range(rank):
            body.arguments[d].replace_all_uses_with(handles[d])
        ops = [op.operation for op in body.operations]
        if inner_loop is None:
            anchor = handles[-1].owner
            for op in ops:
                op.move_after(anchor)
                anchor = op
        else:
            for op in ops[:-1]:  # the body, then the launch's terminator after the loop
                op.move_before(end.operation)
            ops[-1].move_after(inner_loop.operation)
        loop.erase()
