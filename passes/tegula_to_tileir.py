"""``tegula-to-tileir``: lower the bodies of tiled launches to the ``tileir`` dialect (CUDA Tile IR's model).

Contract
--------
Expects the tile dialect after ``tegula-tile`` (top-level ``tile.launch``
ops, constant power-of-two block sizes) and before any backend. Inside every
launch it rewrites, in place:

- ``tile.program_id`` -> ``tileir.block_id {dim = 0}``;
- each ``tile.load`` / ``tile.store`` -> ``tileir.load_view`` /
  ``tileir.store_view`` on a partition view of the argument's tensor view
  whose tile is the handles' block sizes, at tile index ``begin / block``
  (``begin`` must be provably a multiple of the block: ``x * block``, a
  constant, a loop counter whose start and step are multiples, or sums of
  those); a fixed (scalar) index is a unit tile dimension at that index,
  reshaped away; out-of-bounds elements load as zero and are not stored;
- elementwise ``arith``/``math`` ops on tiles -> the same ops on the static
  tile types (every ``?`` dimension becomes its handle's block size);
- ``tile.broadcast`` / ``tile.reshape`` / ``tile.full`` -> ``tileir.broadcast``
  / ``tileir.reshape`` / ``tileir.full``;
- ``tile.begin`` / ``tile.end`` / ``tile.index`` -> index arithmetic on the
  tile index (``end`` clamped to the bound) and ``tileir.iota``;
- ``tile.reduce`` (sum, prod, max, min) -> ``tileir.reduce``, its lanes outside
  the handle's range replaced by the neutral element first when the handle may
  be ragged (padding is never observable), and reshaped back to ``keepdim``;
- ``scf.for`` -> the same loop, its carried tiles given static types and its
  body lowered; ``tile.dot`` -> ``tileir.mma`` (a zero accumulator when it has
  none, float32 for 16-bit results, then truncated); ``tile.permute`` ->
  ``tileir.permute``; ``tile.local`` -> its value (placement is tileiras's).

The host part (launch sizes, the handles of ``:`` dimensions) stays as it
is; each host handle a launch uses gets a ``tileir.host_bound`` before the
launch, so the host still checks its extent once the handle itself is gone. Anything else inside a launch (argmax/argmin reductions, an access by
scalars only, a block that is not a constant power of two) is an error that
names the op and the kernel's source line: the backend then reports it and
the autotuner keeps to the other backends.
Lit test: ``tests/lit/passes/tegula-to-tileir.mlir``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tegula.compiler.errors import TegulaCompileError
from tegula.compiler.mlir import ir
from tegula.compiler.pipeline import TegulaPass
from tegula.dialects import tileir
from tegula.dialects.tile import dims_of
from tegula.passes.util import const_int, defining_op, kernels, walk

_NEUTRAL = {"sum": 0.0, "prod": 1.0, "max": float("-inf"), "min": float("inf")}
_LOC = re.compile(r'loc\("([^"]+)":(\d+):(\d+)')


def _unsupported(op: ir.Operation, what: str) -> TegulaCompileError:
    m = _LOC.search(str(op.location))
    message = f"the tileir backend cannot express {what} (`{op.name}`)"
    if m:
        return TegulaCompileError(message, m.group(1), int(m.group(2)), int(m.group(3)))
    return TegulaCompileError(message)


def _attribute_names(op: ir.Operation) -> list[str]:
    return [a if isinstance(a, str) else a.name for a in op.attributes]


def _multiple(v: ir.Value, size: int) -> bool:
    """Whether index ``v`` is a multiple of ``size`` by construction (constants, products, sums, loop counters)."""
    c = const_int(v)
    if c is not None:
        return c % size == 0
    op = defining_op(v)
    if op is None:
        owner = v.owner
        parent = owner.owner.operation if isinstance(owner, ir.Block) else None
        if parent is not None and parent.name == "scf.for" and ir.BlockArgument(v).arg_number == 0:
            lb, _, step = list(parent.operands)[:3]
            return _multiple(lb, size) and _multiple(step, size)
        return False
    if op.name == "arith.muli":
        return _multiple(op.operands[0], size) or _multiple(op.operands[1], size)
    if op.name in ("arith.addi", "arith.subi"):
        return _multiple(op.operands[0], size) and _multiple(op.operands[1], size)
    return False


@dataclass
class _Handle:
    index: ir.Value  # the tile index: begin / block
    block: int
    bound: ir.Value
    ragged: bool  # may the last tile hang over the bound?


@dataclass(frozen=True)
class ToTileIR(TegulaPass):
    name = "tegula-to-tileir"
    summary = "lower launch bodies to the tileir dialect (tensor/partition views, static power-of-two tiles)"

    def run(self, module: ir.Operation) -> None:
        tileir.load_dialect(module.context)
        for fn in kernels(module):
            for launch in [op for op in walk(fn, "tile.launch")]:
                _Lowering(launch).run()


class _Lowering:
    def __init__(self, launch: ir.Operation) -> None:
        self.launch = launch
        self.body = launch.regions[0].blocks[0]
        self.map: dict[Any, ir.Value] = {}
        self.handles: dict[Any, _Handle] = {}
        self.views: dict[tuple, ir.Value] = {}
        self.tensor_views: dict[Any, ir.Value] = {}

    def run(self) -> None:
        old = [op.operation for op in self.body.operations]
        first = old[0]  # lowered ops go before it, in the order made (dominance holds)
        with ir.InsertionPoint(first), self.launch.location:  # views and constants go before this marker
            idx = ir.IndexType.get()
            self.anchor = ir.Operation.create("arith.constant", results=[idx],
                                              attributes={"value": ir.IntegerAttr.get(idx, 0)})
        with ir.InsertionPoint(first):
            for op in old:
                if op.name != "tile.yield":
                    with op.location:
                        self.lower(op)
        for op in reversed(old):
            if op.name != "tile.yield":
                op.erase()
        self.anchor.erase()

    # -- values
    def value(self, v: ir.Value) -> ir.Value:
        return self.map.get(v, v)

    def static(self, v: ir.Value) -> ir.Type:
        """``v``'s tile type with every ``?`` dimension replaced by its handle's block size."""
        t = v.type
        if not isinstance(t, ir.RankedTensorType):
            return t
        shape = []
        for d in dims_of(v):
            shape.append(1 if isinstance(d, int) else self.handle(d, defining_op(v)).block)
        return ir.RankedTensorType.get(shape, ir.RankedTensorType(t).element_type)

    def handle(self, h: ir.Value, user: ir.Operation | None) -> _Handle:
        if h in self.handles:
            return self.handles[h]
        mk = defining_op(h)
        if mk is None or mk.name != "tile.make_tile":
            raise _unsupported(user or self.launch, "a tile handle that is not made by tile.make_tile")
        begin, bound, block = mk.operands
        size = const_int(block)
        if size is None or size <= 0 or size & (size - 1):
            raise _unsupported(user or mk, "a block size that is not a constant power of two")
        index = self.tile_index(begin, size, user or mk)
        if mk.parent is not None and mk.parent.name == "func.func":  # a host handle: keep its bound check
            with ir.InsertionPoint(self.launch), mk.location:
                tileir.HostBoundOp(begin, bound, ir.IntegerAttr.get(ir.IntegerType.get_signless(64), size))
        extent = const_int(bound)
        ragged = extent is None or extent % size != 0
        self.handles[h] = _Handle(index, size, self.value(bound), ragged)
        return self.handles[h]

    def tile_index(self, begin: ir.Value, size: int, user: ir.Operation) -> ir.Value:
        """``begin / size`` as a value, where ``begin`` is provably a multiple of ``size``."""
        c = const_int(begin)
        if c is not None and c % size == 0:
            return self._index_const(c // size, user)
        if size == 1:
            return self.value(begin)
        b = defining_op(begin)
        if b is not None and b.name == "arith.muli":  # x * size: the index is x
            for x, k in ((b.operands[0], b.operands[1]), (b.operands[1], b.operands[0])):
                if const_int(k) == size:
                    return self.value(x)
        if not _multiple(begin, size):
            raise _unsupported(user, "a tile that does not start at a multiple of its block size")
        idx = ir.IndexType.get()
        block = ir.Operation.create("arith.constant", results=[idx], attributes={"value": ir.IntegerAttr.get(idx, size)})
        return ir.Operation.create("arith.divsi", results=[idx], operands=[self.value(begin), block.result]).result

    def _index_const(self, n: int, near: ir.Operation) -> ir.Value:
        with ir.InsertionPoint(self.anchor), near.location:
            return ir.Operation.create("arith.constant", results=[ir.IndexType.get()],
                                       attributes={"value": ir.IntegerAttr.get(ir.IndexType.get(), n)}).result

    def partition(self, memref: ir.Value, tile: list[int]) -> ir.Value:
        key = (memref, tuple(tile))
        if key not in self.views:
            with ir.InsertionPoint(self.anchor), self.launch.location:
                if memref not in self.tensor_views:
                    self.tensor_views[memref] = tileir.MakeTensorViewOp(memref).result
                tile_attr = ir.DenseI64ArrayAttr.get(tile)
                self.views[key] = tileir.MakePartitionViewOp(self.tensor_views[memref], tile_attr,
                                                             ir.StringAttr.get("zero")).result
        return self.views[key]

    # -- ops
    def lower(self, op: ir.Operation) -> None:
        name = op.name
        if name == "tile.program_id":
            self.map[op.results[0]] = tileir.BlockIdOp(ir.IntegerAttr.get(ir.IntegerType.get_signless(64), 0)).result
        elif name == "tile.make_tile":  # handles are read through self.handle; index them here (dominance)
            try:
                self.handle(op.results[0], None)
            except TegulaCompileError:
                pass  # reported at the first use, with that op's line
        elif name == "scf.for":
            self.loop(op)
        elif name == "scf.yield":
            ir.Operation.create("scf.yield", operands=[self.value(v) for v in op.operands])
        elif name == "tile.dot":
            self.dot(op)
        elif name == "tile.local":  # on-chip placement is tileiras's to choose: the value itself
            self.map[op.results[0]] = self.value(op.operands[0])
        elif name == "tile.permute":
            self.map[op.results[0]] = tileir.PermuteOp(self.value(op.operands[0]), op.attributes["perm"],
                                                       self.static(op.results[0])).result
        elif name in ("tile.load", "tile.store"):
            self.access(op)
        elif name == "tile.reduce":
            self.reduce(op)
        elif name in ("tile.begin", "tile.end", "tile.index"):
            self.bounds(op)
        elif name == "tile.broadcast":
            src = self.value(op.operands[0])
            self.map[op.results[0]] = tileir.BroadcastOp(src, self.static(op.results[0])).result
        elif name == "tile.reshape":
            if not isinstance(op.results[0].type, ir.RankedTensorType):
                raise _unsupported(op, "a reshape to a scalar")
            self.map[op.results[0]] = tileir.ReshapeOp(self.value(op.operands[0]), self.static(op.results[0])).result
        elif name == "tile.full":
            self.map[op.results[0]] = tileir.FullOp(self.value(op.operands[0]), self.static(op.results[0])).result
        elif (name.startswith("arith.") or name.startswith("math.")) and not op.regions:
            results = [self.static(r) for r in op.results]
            new = ir.Operation.create(name, results=results, operands=[self.value(v) for v in op.operands],
                                      attributes={n: op.attributes[n] for n in _attribute_names(op)})
            for r, n in zip(op.results, new.results):
                self.map[r] = n
        else:
            raise _unsupported(op, "this op")

    def loop(self, op: ir.Operation) -> None:
        """``scf.for`` inside a launch: the same loop, its carried tiles of static types, its body lowered."""
        lb, ub, step, *inits = [self.value(v) for v in op.operands]
        types = [v.type for v in inits]
        new = ir.Operation.create("scf.for", results=types, operands=[lb, ub, step, *inits], regions=1)
        old = op.regions[0].blocks[0]
        block = new.regions[0].blocks.append(ir.IndexType.get(), *types)
        for o, n in zip(old.arguments, block.arguments):
            self.map[o] = n
        with ir.InsertionPoint(block):
            for body_op in old.operations:
                with body_op.location:
                    self.lower(body_op.operation)
        for r, n in zip(op.results, new.results):
            self.map[r] = n

    def dot(self, op: ir.Operation) -> None:
        """``tile.dot`` -> ``tileir.mma`` with a float32 accumulator for 16-bit operands (cuTile's mma table)."""
        a, b = self.value(op.operands[0]), self.value(op.operands[1])
        if a.type != b.type and ir.RankedTensorType(a.type).element_type != ir.RankedTensorType(b.type).element_type:
            raise _unsupported(op, "a dot of two element types")
        out = ir.RankedTensorType(self.static(op.results[0]))
        f32 = ir.F32Type.get()
        narrow = str(out.element_type) in ("f16", "bf16")
        acc_t = ir.RankedTensorType.get(list(out.shape), f32) if narrow else out
        if len(op.operands) > 2:
            acc = self.value(op.operands[2])
            if acc.type != acc_t:
                acc = ir.Operation.create("arith.extf", results=[acc_t], operands=[acc]).result
        else:
            elem = acc_t.element_type
            zero = ir.IntegerAttr.get(elem, 0) if isinstance(elem, ir.IntegerType) else ir.FloatAttr.get(elem, 0.0)
            acc = tileir.FullOp(ir.Operation.create("arith.constant", results=[elem],
                                                    attributes={"value": zero}).result, acc_t).result
        r = tileir.MmaOp(a, b, acc, acc_t).result
        if narrow:
            r = ir.Operation.create("arith.truncf", results=[out], operands=[r]).result
        self.map[op.results[0]] = r

    def access(self, op: ir.Operation) -> None:
        """A tile-indexed load/store through a partition view; a fixed (scalar) index is a unit tile dimension at
        that index, reshaped away (load) or added (store)."""
        layout = ir.StringAttr(op.attributes["layout"]).value
        if set(layout) - {"t", "s"} or "t" not in layout:
            raise _unsupported(op, "an access indexed by a tensor (a gather) or by scalars only")
        memref = op.operands[0]
        n_tiles = layout.count("t")
        tiles = iter(list(op.operands)[1:1 + n_tiles])
        scalars = iter(list(op.operands)[1 + n_tiles:1 + len(layout)])
        tile, indices, kept = [], [], []
        for ch in layout:
            if ch == "t":
                h = self.handle(next(tiles), op)
                tile.append(h.block)
                indices.append(h.index)
                kept.append(h.block)
            else:
                tile.append(1)
                indices.append(self.value(next(scalars)))
        view = self.partition(memref, tile)
        elem = ir.MemRefType(memref.type).element_type
        if op.name == "tile.load":
            r = tileir.LoadViewOp(view, indices, ir.RankedTensorType.get(tile, elem)).result
            if len(kept) != len(tile):
                r = tileir.ReshapeOp(r, ir.RankedTensorType.get(kept, elem)).result
            self.map[op.results[0]] = r
        else:
            v = self.value(op.operands[-1])
            if len(kept) != len(tile):
                v = tileir.ReshapeOp(v, ir.RankedTensorType.get(tile, elem)).result
            tileir.StoreViewOp(view, indices, v)

    def bounds(self, op: ir.Operation) -> None:
        """``tile.begin`` = index * block, ``tile.end`` = min(begin + block, bound), ``tile.index`` = begin + iota."""
        h = self.handle(op.operands[0], op)
        idx = ir.IndexType.get()

        def index_op(name: str, a: ir.Value, b: ir.Value) -> ir.Value:
            return ir.Operation.create(f"arith.{name}", results=[idx], operands=[a, b]).result

        block = ir.Operation.create("arith.constant", results=[idx],
                                    attributes={"value": ir.IntegerAttr.get(idx, h.block)}).result
        begin = index_op("muli", h.index, block)
        if op.name == "tile.begin":
            self.map[op.results[0]] = begin
        elif op.name == "tile.end":
            self.map[op.results[0]] = index_op("minsi", index_op("addi", begin, block), h.bound)
        else:
            t = ir.RankedTensorType(self.static(op.results[0]))
            lanes = tileir.IotaOp(ir.RankedTensorType.get([h.block], ir.IntegerType.get_signless(32))).result
            if t.element_type != ir.IntegerType.get_signless(32):
                lanes = ir.Operation.create("arith.extsi", results=[t], operands=[lanes]).result
            start = ir.Operation.create("arith.index_cast", results=[t.element_type], operands=[begin]).result
            self.map[op.results[0]] = ir.Operation.create("arith.addi", results=[t], operands=[
                lanes, tileir.FullOp(start, t).result]).result

    def reduce(self, op: ir.Operation) -> None:
        kind = ir.StringAttr(op.attributes["kind"]).value
        if kind not in _NEUTRAL:
            raise _unsupported(op, f"an {kind} reduction" if kind[0] in "aeiou" else f"a {kind} reduction")
        dim = ir.IntegerAttr(op.attributes["dim"]).value
        keep = ir.BoolAttr(op.attributes["keepdim"]).value
        src = op.operands[0]
        x = self.value(src)
        t = ir.RankedTensorType(x.type)
        d = dims_of(src)[dim]
        if not isinstance(d, int) and self.handle(d, op).ragged:  # lanes past the bound: the neutral element
            x = self.masked(x, dim, self.handle(d, op), kind)
        shape = [n for i, n in enumerate(t.shape) if i != dim]
        out_t = ir.RankedTensorType.get(shape, t.element_type) if shape else t.element_type
        r = tileir.ReduceOp(x, op.attributes["dim"], op.attributes["kind"], out_t).result
        if keep:
            kept = ir.RankedTensorType.get([1 if i == dim else n for i, n in enumerate(t.shape)], t.element_type)
            r = tileir.ReshapeOp(r, kept).result
        self.map[op.results[0]] = r

    def masked(self, x: ir.Value, dim: int, h: _Handle, kind: str) -> ir.Value:
        """``x`` with the lanes of ``dim`` at ``index * block + i >= bound`` set to ``kind``'s neutral."""
        t = ir.RankedTensorType(x.type)
        i32 = ir.IntegerType.get_signless(32)
        lanes = ir.RankedTensorType.get([h.block], i32)
        iota = tileir.IotaOp(lanes).result
        block = ir.Operation.create("arith.constant", results=[ir.IndexType.get()],
                                    attributes={"value": ir.IntegerAttr.get(ir.IndexType.get(), h.block)}).result
        start = ir.Operation.create("arith.muli", results=[ir.IndexType.get()], operands=[h.index, block]).result
        left = ir.Operation.create("arith.subi", results=[ir.IndexType.get()], operands=[h.bound, start]).result
        left32 = ir.Operation.create("arith.index_cast", results=[i32], operands=[left]).result
        limit = tileir.FullOp(left32, lanes).result
        bool_t = ir.IntegerType.get_signless(1)
        slt = ir.IntegerAttr.get(ir.IntegerType.get_signless(64), 2)
        inside = ir.Operation.create("arith.cmpi", results=[ir.RankedTensorType.get([h.block], bool_t)],
                                     operands=[iota, limit], attributes={"predicate": slt}).result
        shape1 = [h.block if i == dim else 1 for i in range(t.rank)]
        mask = tileir.ReshapeOp(inside, ir.RankedTensorType.get(shape1, bool_t)).result
        mask = tileir.BroadcastOp(mask, ir.RankedTensorType.get(list(t.shape), bool_t)).result
        elem = t.element_type
        if isinstance(elem, ir.IntegerType):
            w = elem.width
            n = {"sum": 0, "prod": 1, "max": -(1 << (w - 1)), "min": (1 << (w - 1)) - 1}[kind] if w > 1 else \
                {"sum": 0, "prod": 1, "max": 0, "min": 1}[kind]
            value = ir.IntegerAttr.get(elem, n)
        else:
            value = ir.FloatAttr.get(elem, _NEUTRAL[kind])
        neutral = ir.Operation.create("arith.constant", results=[elem], attributes={"value": value}).result
        fill = tileir.FullOp(neutral, t).result
        return ir.Operation.create("arith.select", results=[t], operands=[mask, x, fill]).result
