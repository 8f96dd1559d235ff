"""The ``tileir`` dialect: Tegula's model of CUDA Tile IR, the target of the tileir backend.

Contract
--------
Modelled on the ops ``tileiras`` compiles (``tileirdisasm`` of a cuTile kernel
prints them): global memory is reached only through views. A kernel argument
(a strided ``memref``) becomes a *tensor view* (``tileir.make_tensor_view``:
its runtime shape and strides); a tensor view split into tiles of one static
shape is a *partition view* (``tileir.make_partition_view {tile, padding}``).
``tileir.load_view`` reads the tile at a tile index (element index / tile
size, per dimension); elements outside the tensor read as the view's
``padding`` (``zero``, ``neg_inf``, ``pos_inf``, ``nan``; ``none``: the
program promises it reads none), which is how ragged edges are handled.
``tileir.store_view`` writes a tile at a tile index and drops the elements
outside the tensor.

Tile values are builtin ranked tensors with static shapes whose dimensions
are powers of two (as in Tile IR); elementwise math is upstream
``arith``/``math`` on them, loops are upstream ``scf.for``. Tiles are made by
``tileir.full`` (a scalar everywhere) and ``tileir.iota``; changed by
``tileir.broadcast`` (size-1 dimensions stretched), ``tileir.reshape`` (same
elements) and ``tileir.permute``; combined by ``tileir.reduce`` (drops the
dimension), ``tileir.scan`` (keeps it) and ``tileir.mma`` (``acc + a @ b``,
batched over a leading dimension). A program finds itself with
``tileir.block_id`` and the grid with ``tileir.num_blocks`` (dimensions 0-2).

Ops print in MLIR's generic form (Python-defined dialects have no custom
assembly). Lit tests: ``tests/lit/dialects/tileir/``.
"""

# No ``from __future__ import annotations`` here: ``ext`` reads the field
# annotations of the op classes as live types.
import math
from collections.abc import Sequence
from typing import Any

from tegula.compiler.mlir import ext, ir
from tegula.dialects.tile import (
    REDUCTION_KINDS,
    _fail,
    _flat_builder,
    _ReadsFirstOperand,
    _require,
    _single_variadic,
    _WritesFirstOperand,
)

PADDINGS = ("zero", "neg_inf", "pos_inf", "nan", "none")
SCAN_KINDS = ("sum", "prod", "max", "min")


class TileIRDialect(ext.Dialect, name="tileir"):
    """The Tile IR model (Python-defined, registered through IRDL)."""


class TensorViewType(TileIRDialect.Type, name="tensor_view"):
    """``!tileir.tensor_view``: a global tensor seen with its runtime shape and strides."""


class PartitionViewType(TileIRDialect.Type, name="partition_view"):
    """``!tileir.partition_view``: a tensor view split into tiles of one static shape."""


def _index() -> ir.Type:
    return ir.IndexType.get()


def _is(value: ir.Value, type_name: str) -> bool:
    return str(value.type) == type_name


def _defining(value: ir.Value) -> ir.Operation | None:
    owner = value.owner
    return owner.operation if isinstance(owner, ir.OpView) else (owner if isinstance(owner, ir.Operation) else None)


def _static_tile(op: ir.OpView, t: ir.Type, what: str) -> ir.RankedTensorType | None:
    """``t`` as a tile type: a ranked tensor of static power-of-two dimensions (else an error, None)."""
    if not isinstance(t, ir.RankedTensorType):
        _fail(op, f"{what} must be a ranked tensor, got {t}")
        return None
    r = ir.RankedTensorType(t)
    for i in range(r.rank):
        n = r.get_dim_size(i) if not r.is_dynamic_dim(i) else -1
        if n <= 0 or n & (n - 1):
            _fail(op, f"{what} {t} must have static power-of-two dimensions")
            return None
    return r


def _source_and_result(op: ir.OpView) -> tuple[ir.RankedTensorType, ir.RankedTensorType] | None:
    """The source and result tile types of a one-operand shape op (else an error, None)."""
    s = _static_tile(op, op.operation.operands[0].type, "source")
    r = _static_tile(op, op.operation.results[0].type, "result") if s is not None else None
    return (s, r) if r is not None else None


def _view_source(op: ir.OpView, pview: ir.Value) -> tuple[ir.Operation, ir.MemRefType] | None:
    """The ``make_partition_view`` behind ``pview`` and the memref of its tensor view (else an error)."""
    part = _defining(pview)
    if part is None or part.name != "tileir.make_partition_view":
        _fail(op, "view operand must come from tileir.make_partition_view")
        return None
    tv = _defining(part.operands[0])
    if tv is None or tv.name != "tileir.make_tensor_view":
        _fail(op, "partition view must be made from tileir.make_tensor_view")
        return None
    return part, ir.MemRefType(tv.operands[0].type)


def _verify_view_access(op: ir.OpView, pview: ir.Value, indices: list[ir.Value], tile_type: ir.Type) -> bool:
    src = _view_source(op, pview)
    if src is None:
        return False
    part, memref = src
    tile = list(ir.DenseI64ArrayAttr(part.attributes["tile"]))
    if len(indices) != memref.rank:
        return _fail(op, f"needs {memref.rank} tile indices for a rank-{memref.rank} view, got {len(indices)}")
    if any(not isinstance(i.type, ir.IndexType) for i in indices):
        return _fail(op, "tile indices must be index values")
    t = _static_tile(op, tile_type, "tile")
    if t is None:
        return False
    if list(t.shape) != tile:
        return _fail(op, f"tile {tile_type} differs from the view's tile shape {tile}")
    if t.element_type != memref.element_type:
        return _fail(op, f"tile element type {t.element_type} differs from the tensor's {memref.element_type}")
    return True


class MakeTensorViewOp(TileIRDialect.Operation, name="make_tensor_view", traits=[ext.Pure]):
    """A view of a kernel's global tensor (its runtime shape and strides)."""

    source: ext.Operand[ir.MemRefType]
    result: ext.Result[TensorViewType] = ext.result(default_factory=TensorViewType.get)

    def verify_invariants(self) -> bool:
        if not isinstance(self.operation.operands[0].type, ir.MemRefType):
            return _fail(self, f"source must be a memref, got {self.operation.operands[0].type}")
        return True


class MakePartitionViewOp(TileIRDialect.Operation, name="make_partition_view", traits=[ext.Pure]):
    """A tensor view split into tiles of shape ``tile``; out-of-bounds reads give ``padding``."""

    view: ext.Operand[TensorViewType]
    tile: Any  # a DenseI64ArrayAttr (checked below)
    padding: ir.StringAttr
    result: ext.Result[PartitionViewType] = ext.result(default_factory=PartitionViewType.get)

    def verify_invariants(self) -> bool:
        if not _require(self, tile=ir.DenseI64ArrayAttr, padding=ir.StringAttr):
            return False
        tv = _defining(self.operation.operands[0])
        if tv is None or tv.name != "tileir.make_tensor_view":
            return _fail(self, "view must come from tileir.make_tensor_view")
        rank = ir.MemRefType(tv.operands[0].type).rank
        tile = list(ir.DenseI64ArrayAttr(self.attributes["tile"]))
        if len(tile) != rank:
            return _fail(self, f"tile {tile} needs {rank} sizes for a rank-{rank} tensor")
        if any(n <= 0 or n & (n - 1) for n in tile):
            return _fail(self, f"tile sizes must be powers of two, got {tile}")
        padding = ir.StringAttr(self.attributes["padding"]).value
        if padding not in PADDINGS:
            return _fail(self, f"padding must be one of {PADDINGS}, got '{padding}'")
        return True


class LoadViewOp(TileIRDialect.Operation, name="load_view"):
    """The tile at tile index ``indices`` of a partition view (outside the tensor: its padding)."""

    view: ext.Operand[PartitionViewType]
    indices: Sequence[ext.Operand[ir.IndexType]]
    result: ext.Result[ir.RankedTensorType]

    def verify_invariants(self) -> bool:
        ops = list(self.operation.operands)
        return _verify_view_access(self, ops[0], ops[1:], self.operation.results[0].type)


class StoreViewOp(TileIRDialect.Operation, name="store_view"):
    """Writes ``value`` at tile index ``indices``; elements outside the tensor are dropped."""

    view: ext.Operand[PartitionViewType]
    indices: Sequence[ext.Operand[ir.IndexType]]
    value: ext.Operand[ir.RankedTensorType]

    def verify_invariants(self) -> bool:
        ops = list(self.operation.operands)
        return _verify_view_access(self, ops[0], ops[1:-1], ops[-1].type)


def _verify_dim(op: ir.OpView) -> bool:
    if not _require(op, dim=ir.IntegerAttr):
        return False
    dim = ir.IntegerAttr(op.attributes["dim"]).value
    if not 0 <= dim <= 2:
        return _fail(op, f"dim must be 0, 1 or 2, got {dim}")
    return True


class BlockIdOp(TileIRDialect.Operation, name="block_id", traits=[ext.Pure]):
    """The running program's block index along grid dimension ``dim``."""

    dim: ir.IntegerAttr
    result: ext.Result[ir.IndexType] = ext.result(default_factory=_index)

    def verify_invariants(self) -> bool:
        return _verify_dim(self)


class NumBlocksOp(TileIRDialect.Operation, name="num_blocks", traits=[ext.Pure]):
    """The grid's size along dimension ``dim``."""

    dim: ir.IntegerAttr
    result: ext.Result[ir.IndexType] = ext.result(default_factory=_index)

    def verify_invariants(self) -> bool:
        return _verify_dim(self)


class HostBoundOp(TileIRDialect.Operation, name="host_bound"):
    """Host side, before a launch: the launch was compiled for ``bound - begin <= block`` (a ':' extent in one
    tile). The launcher checks it before each call and has the kernel recompiled past it; it has effects, so it
    stays after its handle's last use is gone."""

    begin: ext.Operand[ir.IndexType]
    bound: ext.Operand[ir.IndexType]
    block: ir.IntegerAttr

    def verify_invariants(self) -> bool:
        if not _require(self, block=ir.IntegerAttr):
            return False
        if ir.IntegerAttr(self.attributes["block"]).value <= 0:
            return _fail(self, "block must be positive")
        parent = self.operation.parent
        if parent is not None and parent.name == "tile.launch":
            return _fail(self, "is a host-side check: it must be outside tile.launch")
        return True


class FullOp(TileIRDialect.Operation, name="full", traits=[ext.Pure]):
    """A tile with ``value`` everywhere."""

    value: ext.Operand[Any]
    result: ext.Result[ir.RankedTensorType]

    def verify_invariants(self) -> bool:
        t = _static_tile(self, self.operation.results[0].type, "result")
        if t is None:
            return False
        if self.operation.operands[0].type != t.element_type:
            return _fail(self, f"value {self.operation.operands[0].type} differs from the element type of {t}")
        return True


class IotaOp(TileIRDialect.Operation, name="iota", traits=[ext.Pure]):
    """``[0, 1, ..., n - 1]`` as a 1-D integer tile."""

    result: ext.Result[ir.RankedTensorType]

    def verify_invariants(self) -> bool:
        t = _static_tile(self, self.operation.results[0].type, "result")
        if t is None:
            return False
        if t.rank != 1 or not isinstance(t.element_type, ir.IntegerType):
            return _fail(self, f"result must be a 1-D integer tile, got {t}")
        return True


class BroadcastOp(TileIRDialect.Operation, name="broadcast", traits=[ext.Pure]):
    """Stretches size-1 dimensions to the result's (same rank, same element type)."""

    source: ext.Operand[ir.RankedTensorType]
    result: ext.Result[ir.RankedTensorType]

    def verify_invariants(self) -> bool:
        got = _source_and_result(self)
        if got is None:
            return False
        s, r = got
        if s.rank != r.rank or s.element_type != r.element_type or any(
                a != b and a != 1 for a, b in zip(s.shape, r.shape)):
            return _fail(self, f"cannot broadcast {s} to {r}")
        return True


class ReshapeOp(TileIRDialect.Operation, name="reshape", traits=[ext.Pure]):
    """The same elements, in row-major order, under another shape."""

    source: ext.Operand[ir.RankedTensorType]
    result: ext.Result[ir.RankedTensorType]

    def verify_invariants(self) -> bool:
        got = _source_and_result(self)
        if got is None:
            return False
        s, r = got
        if math.prod(s.shape) != math.prod(r.shape) or s.element_type != r.element_type:
            return _fail(self, f"cannot reshape {s} to {r}: element count or type differs")
        return True


class PermuteOp(TileIRDialect.Operation, name="permute", traits=[ext.Pure]):
    """Result dimension ``i`` is source dimension ``perm[i]``."""

    source: ext.Operand[ir.RankedTensorType]
    perm: Any  # a DenseI64ArrayAttr (checked below)
    result: ext.Result[ir.RankedTensorType]

    def verify_invariants(self) -> bool:
        if not _require(self, perm=ir.DenseI64ArrayAttr):
            return False
        got = _source_and_result(self)
        if got is None:
            return False
        s, r = got
        perm = list(ir.DenseI64ArrayAttr(self.attributes["perm"]))
        if sorted(perm) != list(range(s.rank)):
            return _fail(self, f"perm {perm} is not a permutation of {s.rank} dimensions")
        if list(r.shape) != [s.shape[p] for p in perm] or r.element_type != s.element_type:
            return _fail(self, f"result {r} does not match {s} permuted by {perm}")
        return True


def _verify_over_dim(op: ir.OpView, kinds: tuple[str, ...]) -> tuple[ir.RankedTensorType, int, str] | None:
    if not _require(op, dim=ir.IntegerAttr, kind=ir.StringAttr):
        return None
    s = _static_tile(op, op.operation.operands[0].type, "source")
    if s is None:
        return None
    kind = ir.StringAttr(op.attributes["kind"]).value
    dim = ir.IntegerAttr(op.attributes["dim"]).value
    if kind not in kinds:
        _fail(op, f"kind must be one of {kinds}, got '{kind}'")
        return None
    if not 0 <= dim < s.rank:
        _fail(op, f"dim {dim} out of range for {s}")
        return None
    return s, dim, kind


class ReduceOp(TileIRDialect.Operation, name="reduce", traits=[ext.Pure]):
    """Combines dimension ``dim`` away (``argmax``/``argmin``: i32 positions in the tile)."""

    source: ext.Operand[ir.RankedTensorType]
    dim: ir.IntegerAttr
    kind: ir.StringAttr
    result: ext.Result[Any]

    def verify_invariants(self) -> bool:
        got = _verify_over_dim(self, REDUCTION_KINDS)
        if got is None:
            return False
        s, dim, kind = got
        elem = ir.IntegerType.get_signless(32) if kind.startswith("arg") else s.element_type
        shape = [n for i, n in enumerate(s.shape) if i != dim]
        got = self.operation.results[0].type
        if shape:
            ok = isinstance(got, ir.RankedTensorType) and list(ir.RankedTensorType(got).shape) == shape \
                and ir.RankedTensorType(got).element_type == elem
        else:
            ok = got == elem
        if not ok:
            want = f"tensor<{'x'.join(map(str, shape))}x{elem}>" if shape else str(elem)
            return _fail(self, f"result must be {want}, got {got}")
        return True


class ScanOp(TileIRDialect.Operation, name="scan", traits=[ext.Pure]):
    """Inclusive prefix combination along ``dim`` (``reverse``: from the end)."""

    source: ext.Operand[ir.RankedTensorType]
    dim: ir.IntegerAttr
    kind: ir.StringAttr
    reverse: ir.IntegerAttr  # a BoolAttr (builtin.integer of i1)
    result: ext.Result[ir.RankedTensorType]

    def verify_invariants(self) -> bool:
        if _verify_over_dim(self, SCAN_KINDS) is None or not _require(self, reverse=ir.BoolAttr):
            return False
        if self.operation.results[0].type != self.operation.operands[0].type:
            return _fail(self, "result type must be the source's")
        return True


class MmaOp(TileIRDialect.Operation, name="mma", traits=[ext.Pure]):
    """``acc + a @ b`` on ``[M, K] x [K, N] -> [M, N]`` tiles (or batched ``[B, ...]``)."""

    a: ext.Operand[ir.RankedTensorType]
    b: ext.Operand[ir.RankedTensorType]
    acc: ext.Operand[ir.RankedTensorType]
    result: ext.Result[ir.RankedTensorType]

    def verify_invariants(self) -> bool:
        a, b, acc = (_static_tile(self, v.type, w) for v, w in zip(self.operation.operands, ("a", "b", "acc")))
        if a is None or b is None or acc is None:
            return False
        if not (a.rank == b.rank == acc.rank and a.rank in (2, 3)):
            return _fail(self, "a, b and acc must all be 2-D (or all 3-D, batched)")
        m, k = a.shape[-2:]
        k2, n = b.shape[-2:]
        if k != k2 or list(acc.shape[-2:]) != [m, n] or (a.rank == 3 and not a.shape[0] == b.shape[0] == acc.shape[0]):
            return _fail(self, f"shapes do not multiply: {a} x {b} -> {acc}")
        if a.element_type != b.element_type:
            return _fail(self, f"a and b element types differ ({a.element_type}, {b.element_type})")
        if self.operation.results[0].type != acc:
            return _fail(self, f"result must be the accumulator's type {acc}")
        return True


for _op in list(TileIRDialect.operations):
    _single_variadic(_op, "operand")
    _single_variadic(_op, "result")
    _flat_builder(_op)


def load_dialect(context: ir.Context) -> None:
    """Registers the tileir dialect in ``context`` (once per context)."""
    with context:
        if context.is_dialect_loaded("tileir"):
            return
        TileIRDialect.load()
        _ReadsFirstOperand.attach("tileir.load_view")
        _WritesFirstOperand.attach("tileir.store_view")
