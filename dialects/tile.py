"""The ``tile`` dialect: kernel-level IR whose tile sizes are still symbols.

Contract
--------
A kernel is a ``func.func`` with the unit attribute ``tile.kernel``. Its
arguments are global tensors (``memref`` with a strided layout, no copies) and
scalars (``index`` for Python ints, ``f32`` for floats). Its body holds, in
program order, one *launch* per top-level tile loop; launches run one after
the other, each seeing the memory effects of the previous ones.

Tile values are builtin ranked tensors. A dimension is either static ``1``
(a broadcast dimension) or dynamic (``?``) and then belongs to a *tile
handle* (``!tile.tile``): a half-open range ``[begin, end)`` with
``end = min(begin + block_size, bound)``. Only the elements inside every
handle's range exist: loads read them, stores write them, reductions combine
them. How a backend pads (masks on GPU, exact extents on the CPU) is its own
business; padding is never observable. Elementwise math is upstream
``arith``/``math`` on these tensors (or on scalars). ``dims_of`` below recovers
the handle of every dimension of every tile value.

Block sizes are SSA ``index`` values: ``tile.block_size`` symbols until the
``tegula-tile`` pass replaces them by constants.

Ops print in MLIR's generic form (Python-defined dialects have no custom
assembly); ``docs/dialect.md`` shows each with an example.
"""

# No ``from __future__ import annotations`` here: ``ext`` reads the field
# annotations of the op classes as live types.
from collections.abc import Sequence
from typing import Any

from tegula.compiler.mlir import ext, ir

REDUCTION_KINDS = ("sum", "prod", "max", "min", "argmax", "argmin")
BLOCK_SIZE_KINDS = ("tile", "reduction")


class TileDialect(ext.Dialect, name="tile"):
    """Tegula's tile dialect (Python-defined, registered through IRDL)."""


class TileType(TileDialect.Type, name="tile"):
    """``!tile.tile``: a handle on a tile range (begin, bound, block size)."""


def _index() -> ir.Type:
    return ir.IndexType.get()


def _tile_type() -> ir.Type:
    return TileType.get()


def _fail(op: ir.OpView, message: str) -> bool:
    op.location.emit_error(f"'{op.operation.name}' op {message}")
    return False


def _require(op: ir.OpView, **kinds: type) -> bool:
    """Checks that the named attributes exist with the right kind (before the verifier reads them)."""
    for name, kind in kinds.items():
        if name not in op.operation.attributes:
            return _fail(op, f"requires attribute '{name}'")
        attr = op.operation.attributes[name]
        if not isinstance(attr, kind):
            return _fail(op, f"attribute '{name}' must be a {kind.__name__}, got {attr}")
    return True


def _is_tile(value: ir.Value) -> bool:
    return str(value.type) == "!tile.tile"


def _dynamic_count(shaped: ir.Type) -> int:
    t = ir.RankedTensorType(shaped)
    return sum(1 for i in range(t.rank) if t.is_dynamic_dim(i))


def _enclosing(op: ir.OpView, names: tuple[str, ...]) -> ir.Operation | None:
    parent = op.operation.parent
    while parent is not None:
        if parent.name in names:
            return parent
        parent = parent.parent
    return None


class BlockSizeOp(TileDialect.Operation, name="block_size", traits=[ext.Pure]):
    """A block-size symbol; ``reduction`` symbols take the extent they cover."""

    extent: Sequence[ext.Operand[ir.IndexType]]
    id: ir.IntegerAttr
    kind: ir.StringAttr
    hint: ir.IntegerAttr
    result: ext.Result[ir.IndexType] = ext.result(default_factory=_index)

    def verify_invariants(self) -> bool:
        if not _require(self, id=ir.IntegerAttr, kind=ir.StringAttr, hint=ir.IntegerAttr):
            return False
        kind = ir.StringAttr(self.attributes["kind"]).value
        if kind not in BLOCK_SIZE_KINDS:
            return _fail(self, f"kind must be one of {BLOCK_SIZE_KINDS}, got '{kind}'")
        want = 1 if kind == "reduction" else 0
        if len(self.operation.operands) != want:
            return _fail(self, f"of kind '{kind}' takes {want} extent operand(s)")
        return True


class ForOp(TileDialect.Operation, name="for"):
    """A parallel loop over tiles at the top level of a kernel: one handle per dimension.

    Its iterations are independent (a launch once ``tegula-tile`` has run).
    Sequential loops inside device code (the k loop of a matmul) are
    upstream ``scf.for`` loops whose body makes its handle with
    ``tile.make_tile``; they carry values through ``iter_args``.
    """

    lower: Sequence[ext.Operand[ir.IndexType]]
    upper: Sequence[ext.Operand[ir.IndexType]]
    step: Sequence[ext.Operand[ir.IndexType]]
    body: ext.Region

    def verify_invariants(self) -> bool:
        rank = len(self.lower)
        if rank == 0 or len(self.upper) != rank or len(self.step) != rank:
            return _fail(self, "needs as many lower bounds, upper bounds and block sizes, at least one")
        if len(self.body.blocks) != 1:
            return _fail(self, "body must have exactly one block")
        args = list(self.body.blocks[0].arguments)
        if len(args) != rank or any(not _is_tile(a) for a in args):
            return _fail(self, f"body must take {rank} !tile.tile handle(s)")
        parent = self.operation.parent
        if parent is None or parent.name != "func.func":
            return _fail(self, "must be at the top level of a kernel function (nested loops are scf.for)")
        return True


class LaunchOp(TileDialect.Operation, name="launch"):
    """One kernel launch of ``num_programs`` independent programs.

    Produced by ``tegula-tile`` from a top-level ``tile.for``; inside, each
    program finds its id with ``tile.program_id``.
    """

    num_programs: ext.Operand[ir.IndexType]
    body: ext.Region

    def verify_invariants(self) -> bool:
        if len(self.body.blocks) != 1 or len(self.body.blocks[0].arguments) != 0:
            return _fail(self, "body must be one block without arguments")
        parent = self.operation.parent
        if parent is None or parent.name != "func.func":
            return _fail(self, "must be at the top level of a kernel function")
        return True


class ProgramIdOp(TileDialect.Operation, name="program_id", traits=[ext.Pure]):
    """The id of the running program, in ``[0, num_programs)``."""

    result: ext.Result[ir.IndexType] = ext.result(default_factory=_index)

    def verify_invariants(self) -> bool:
        if _enclosing(self, ("tile.launch",)) is None:
            return _fail(self, "must be inside a tile.launch")
        return True


class YieldOp(TileDialect.Operation, name="yield"):
    """Terminates ``tile.for`` and ``tile.launch`` bodies."""

    def verify_invariants(self) -> bool:
        parent = self.operation.parent
        if parent is None or parent.name not in ("tile.for", "tile.launch"):
            return _fail(self, "must terminate a tile.for or tile.launch body")
        return True


class MakeTileOp(TileDialect.Operation, name="make_tile", traits=[ext.Pure]):
    """A handle on ``[begin, min(begin + block_size, bound))``."""

    begin: ext.Operand[ir.IndexType]
    bound: ext.Operand[ir.IndexType]
    block_size: ext.Operand[ir.IndexType]
    result: ext.Result[TileType] = ext.result(default_factory=_tile_type)


class BeginOp(TileDialect.Operation, name="begin", traits=[ext.Pure]):
    """First index of a tile."""

    tile: ext.Operand[TileType]
    result: ext.Result[ir.IndexType] = ext.result(default_factory=_index)


class EndOp(TileDialect.Operation, name="end", traits=[ext.Pure]):
    """One past the last valid index of a tile (clamped to its bound)."""

    tile: ext.Operand[TileType]
    result: ext.Result[ir.IndexType] = ext.result(default_factory=_index)


class IndexOp(TileDialect.Operation, name="index", traits=[ext.Pure]):
    """The indices of a tile as a 1-D tensor (``begin + iota``)."""

    tile: ext.Operand[TileType]
    result: ext.Result[ir.RankedTensorType]

    def verify_invariants(self) -> bool:
        t = ir.RankedTensorType(self.operation.results[0].type)
        if t.rank != 1 or not t.is_dynamic_dim(0) or not isinstance(t.element_type, ir.IntegerType):
            return _fail(self, "result must be tensor<?xiN>")
        return True


def _verify_indices(op: ir.OpView, memref: ir.Value, tiles: list[ir.Value], scalars: list[ir.Value]) -> int | None:
    """Checks the index groups of a load/store against ``layout``; returns the number of tile indices."""
    if not isinstance(memref.type, ir.MemRefType):
        _fail(op, f"expects a memref, got {memref.type}")
        return None
    if not _require(op, layout=ir.StringAttr):
        return None
    rank = ir.MemRefType(memref.type).rank
    layout = ir.StringAttr(op.attributes["layout"]).value
    if len(layout) != rank or set(layout) - {"t", "s"}:
        _fail(op, f"layout '{layout}' must have one 't' (tile) or 's' (scalar) per memref dimension ({rank})")
        return None
    if layout.count("t") != len(tiles) or layout.count("s") != len(scalars):
        _fail(op, f"layout '{layout}' needs {layout.count('t')} tile and {layout.count('s')} scalar indices, "
                  f"got {len(tiles)} and {len(scalars)}")
        return None
    return len(tiles)


def _verify_tile_shape(op: ir.OpView, value_type: ir.Type, tiles: int, elem: ir.Type, what: str) -> bool:
    if tiles == 0:
        if value_type != elem:
            return _fail(op, f"{what} must be the scalar {elem} when every index is scalar, got {value_type}")
        return True
    if not isinstance(value_type, ir.RankedTensorType):
        return _fail(op, f"{what} must be a ranked tensor, got {value_type}")
    t = ir.RankedTensorType(value_type)
    if t.rank != tiles or _dynamic_count(t) != tiles:
        return _fail(op, f"{what} must have one dynamic dimension per tile index ({tiles}), got {value_type}")
    if t.element_type != elem:
        return _fail(op, f"{what} element type {t.element_type} differs from the memref's {elem}")
    return True


class LoadOp(TileDialect.Operation, name="load"):
    """Reads the valid elements of a tile of a global tensor.

    ``layout`` has one letter per memref dimension: ``t`` takes the next
    ``!tile.tile`` of ``tiles`` (the dimension is kept, dynamic in the
    result), ``s`` the next ``index`` of ``scalars`` (one element; the
    dimension is dropped).
    """

    source: ext.Operand[ir.MemRefType]
    tiles: Sequence[ext.Operand[TileType]]
    scalars: Sequence[ext.Operand[ir.IndexType]]
    layout: ir.StringAttr
    result: ext.Result[Any]

    def verify_invariants(self) -> bool:
        src = self.operation.operands[0]
        n = _verify_indices(self, src, list(self.tiles), list(self.scalars))
        if n is None:
            return False
        return _verify_tile_shape(
            self, self.operation.results[0].type, n, ir.MemRefType(src.type).element_type, "result"
        )


class StoreOp(TileDialect.Operation, name="store"):
    """Writes a tile value to the valid elements of a tile of a global tensor (indices as in ``tile.load``)."""

    dest: ext.Operand[ir.MemRefType]
    tiles: Sequence[ext.Operand[TileType]]
    scalars: Sequence[ext.Operand[ir.IndexType]]
    value: ext.Operand[Any]
    layout: ir.StringAttr

    def verify_invariants(self) -> bool:
        dest = self.operation.operands[0]
        n = _verify_indices(self, dest, list(self.tiles), list(self.scalars))
        if n is None:
            return False
        return _verify_tile_shape(self, self.value.type, n, ir.MemRefType(dest.type).element_type,
                                  "stored value")


def index_layout(op: ir.Operation) -> list[ir.Value]:
    """The indices of a tile.load/store in memref-dimension order (handles and scalars mixed)."""
    view = op.opview
    tiles, scalars = iter(view.tiles), iter(view.scalars)
    layout = ir.StringAttr(op.attributes["layout"]).value
    return [next(tiles) if c == "t" else next(scalars) for c in layout]


def _verify_dims_operands(op: ir.OpView, result_type: ir.Type, dims: list[ir.Value]) -> bool:
    if not isinstance(result_type, ir.RankedTensorType):
        return _fail(op, f"result must be a ranked tensor, got {result_type}")
    t = ir.RankedTensorType(result_type)
    if any(not _is_tile(d) for d in dims):
        return _fail(op, "shape operands must be !tile.tile handles")
    if _dynamic_count(t) != len(dims):
        return _fail(op, f"needs one tile handle per dynamic dimension of {result_type}, got {len(dims)}")
    for i in range(t.rank):
        if not t.is_dynamic_dim(i) and t.get_dim_size(i) != 1:
            return _fail(op, f"static dimensions must be 1, got {result_type}")
    return True


class FullOp(TileDialect.Operation, name="full", traits=[ext.Pure]):
    """A tile filled with one scalar; ``dims`` are the handles of its ``?`` dims."""

    value: ext.Operand[Any]
    dims: Sequence[ext.Operand[TileType]]
    result: ext.Result[ir.RankedTensorType]

    def verify_invariants(self) -> bool:
        ops = list(self.operation.operands)
        rtype = self.operation.results[0].type
        if not _verify_dims_operands(self, rtype, ops[1:]):
            return False
        if ops[0].type != ir.RankedTensorType(rtype).element_type:
            return _fail(self, f"fill value {ops[0].type} differs from the element type of {rtype}")
        return True


class BroadcastOp(TileDialect.Operation, name="broadcast", traits=[ext.Pure]):
    """Expands static-1 dimensions of a tile to the given handles."""

    source: ext.Operand[ir.RankedTensorType]
    dims: Sequence[ext.Operand[TileType]]
    result: ext.Result[ir.RankedTensorType]

    def verify_invariants(self) -> bool:
        ops = list(self.operation.operands)
        rtype = self.operation.results[0].type
        if not _verify_dims_operands(self, rtype, ops[1:]):
            return False
        s, r = ir.RankedTensorType(ops[0].type), ir.RankedTensorType(rtype)
        if s.rank != r.rank or s.element_type != r.element_type:
            return _fail(self, f"cannot broadcast {ops[0].type} to {rtype}: rank or element type differs")
        for i in range(s.rank):
            if not r.is_dynamic_dim(i) and s.is_dynamic_dim(i):
                return _fail(self, f"cannot broadcast dynamic dimension {i} of {ops[0].type} to 1")
        return True


class ReshapeOp(TileDialect.Operation, name="reshape", traits=[ext.Pure]):
    """Inserts or removes unit dimensions; the dynamic dimensions keep their order."""

    source: ext.Operand[ir.RankedTensorType]
    dims: Sequence[ext.Operand[TileType]]
    result: ext.Result[Any]

    def verify_invariants(self) -> bool:
        ops = list(self.operation.operands)
        s = ir.RankedTensorType(ops[0].type)
        rtype = self.operation.results[0].type
        if not isinstance(rtype, ir.RankedTensorType):
            if _dynamic_count(s) != 0 or rtype != s.element_type:
                return _fail(self, f"can only reshape a tensor of unit dimensions to a scalar, not {ops[0].type} to {rtype}")
            return True
        if not _verify_dims_operands(self, rtype, ops[1:]):
            return False
        r = ir.RankedTensorType(rtype)
        if _dynamic_count(s) != _dynamic_count(r) or s.element_type != r.element_type:
            return _fail(self, f"cannot reshape {ops[0].type} to {rtype}: only unit dimensions may change")
        return True


class PermuteOp(TileDialect.Operation, name="permute", traits=[ext.Pure]):
    """Transposes a tile: result dim ``i`` is source dim ``perm[i]``."""

    source: ext.Operand[ir.RankedTensorType]
    perm: Any  # a DenseI64ArrayAttr (IRDL has no constraint for it; checked below)
    result: ext.Result[ir.RankedTensorType]

    def verify_invariants(self) -> bool:
        if not _require(self, perm=ir.DenseI64ArrayAttr):
            return False
        s = ir.RankedTensorType(self.operation.operands[0].type)
        perm = list(ir.DenseI64ArrayAttr(self.attributes["perm"]))
        if sorted(perm) != list(range(s.rank)):
            return _fail(self, f"perm {perm} is not a permutation of {s.rank} dimensions")
        r = ir.RankedTensorType(self.operation.results[0].type)
        want = [s.shape[p] for p in perm]
        if list(r.shape) != want or r.element_type != s.element_type:
            return _fail(self, f"result {r} does not match the permuted source {s}")
        return True


class ReduceOp(TileDialect.Operation, name="reduce", traits=[ext.Pure]):
    """Reduces one dimension (``sum``, ``prod``, ``max``, ``min``, ``argmax``, ``argmin``).

    ``argmax``/``argmin`` return i64 positions relative to the tile's begin;
    a reduction to rank 0 returns a scalar.
    """

    source: ext.Operand[ir.RankedTensorType]
    dim: ir.IntegerAttr
    kind: ir.StringAttr
    keepdim: ir.IntegerAttr  # a BoolAttr (builtin.integer of i1)
    result: ext.Result[Any]

    def verify_invariants(self) -> bool:
        if not _require(self, dim=ir.IntegerAttr, kind=ir.StringAttr, keepdim=ir.BoolAttr):
            return False
        s = ir.RankedTensorType(self.operation.operands[0].type)
        kind = ir.StringAttr(self.attributes["kind"]).value
        dim = ir.IntegerAttr(self.attributes["dim"]).value
        keep = ir.BoolAttr(self.attributes["keepdim"]).value
        if kind not in REDUCTION_KINDS:
            return _fail(self, f"kind must be one of {REDUCTION_KINDS}, got '{kind}'")
        if not 0 <= dim < s.rank:
            return _fail(self, f"dim {dim} out of range for {s}")
        elem = ir.IntegerType.get_signless(64) if kind.startswith("arg") else s.element_type
        shape = list(s.shape)
        if keep:
            shape[dim] = 1
        else:
            del shape[dim]
        with self.location:
            want = ir.RankedTensorType.get(shape, elem) if shape else elem
        got = self.operation.results[0].type
        if got != want:
            return _fail(self, f"result must be {want}, got {got}")
        return True


class DotOp(TileDialect.Operation, name="dot", traits=[ext.Pure]):
    """Matrix product ``[B,]M,K x [B,]K,N -> [B,]M,N``, plus ``acc`` when given."""

    lhs: ext.Operand[ir.RankedTensorType]
    rhs: ext.Operand[ir.RankedTensorType]
    acc: Sequence[ext.Operand[ir.RankedTensorType]]
    result: ext.Result[ir.RankedTensorType]

    def verify_invariants(self) -> bool:
        ops = list(self.operation.operands)
        a, b = ir.RankedTensorType(ops[0].type), ir.RankedTensorType(ops[1].type)
        r = ir.RankedTensorType(self.operation.results[0].type)
        if a.rank not in (2, 3) or a.rank != b.rank or r.rank != a.rank:
            return _fail(self, f"operands must both be rank 2 or 3, got {a} and {b}")
        if len(ops) > 3 or (len(ops) == 3 and ops[2].type != r):
            return _fail(self, "takes at most one accumulator, of the result type")
        return True


class LocalOp(TileDialect.Operation, name="local", traits=[ext.Pure]):
    """Keeps a tile in a local buffer: its value is ``source``'s, read from on-chip memory.

    ``tegula-promote`` puts it on tiles read more than once. A backend copies
    ``source`` once into a buffer of its own that later reads use: the CPU a
    packed (contiguous, 64-byte aligned) buffer reused by every program of a
    thread; Triton keeps the tile on chip (registers, or shared memory staged
    ``tile.stages`` deep when it feeds a ``tile.dot`` in a pipelined loop).
    """

    source: ext.Operand[ir.RankedTensorType]
    result: ext.Result[ir.RankedTensorType]

    def verify_invariants(self) -> bool:
        if self.operation.results[0].type != self.operation.operands[0].type:
            return _fail(self, "result must have the source's type")
        return True


# --------------------------------------------------------------------------
# Ops with a single variadic group print without ``operandSegmentSizes``
# (IRDL infers the group's size); ``ext`` adds the attribute whenever any
# group is variadic, so these ops get a flat builder and accessors instead.


def _single_variadic(cls: type, kind: str) -> None:
    from torch_mlir.dialects.ext import OperandDef, ResultDef
    from torch_mlir.dialects.irdl import Variadicity

    defs = [f for f in cls._fields if isinstance(f, OperandDef if kind == "operand" else ResultDef)]
    variadic = [i for i, f in enumerate(defs) if f.variadicity != Variadicity.single]
    if len(variadic) != 1:
        return
    v = variadic[0]
    n_groups = len(defs)

    def make_getter(i: int, is_variadic: bool):
        def getter(self: ir.OpView) -> Any:
            elems = self.operation.operands if kind == "operand" else self.operation.results
            count = len(elems) - (n_groups - 1)
            if i < v:
                return elems[i]
            if i == v:
                return list(elems)[v:v + count]
            return elems[i - 1 + count]

        return getter

    for i, f in enumerate(defs):
        setattr(cls, f.name, property(make_getter(i, i == v)))
    if kind == "operand":
        cls._ODS_OPERAND_SEGMENTS = None
    else:
        cls._ODS_RESULT_SEGMENTS = None


def _flat_builder(cls: type) -> None:
    """Wraps ext's builder so grouped operands/results are passed flat."""
    original = cls.__init__
    sig = original.__signature__

    def __init__(self: ir.OpView, *args: Any, **kwargs: Any) -> None:
        from torch_mlir.dialects.ext import AttributeDef, OperandDef, ResultDef

        bound = sig.bind(self, *args, **kwargs)
        bound.apply_defaults()
        a = bound.arguments
        operands, results, attributes = [], [], {}
        for f in cls._fields:
            if isinstance(f, OperandDef):
                val = a[f.name]
                if cls._ODS_OPERAND_SEGMENTS is None and isinstance(val, (list, tuple)):
                    operands.extend(val)
                else:
                    operands.append(val)
            elif isinstance(f, ResultDef):
                val = a[f.name] if isinstance(a[f.name], (list, tuple)) else f.process_type(a[f.name])
                if cls._ODS_RESULT_SEGMENTS is None and isinstance(val, (list, tuple)):
                    results.extend(val)
                else:
                    results.append(val)
            elif isinstance(f, AttributeDef):  # ext's `if attr:` drops a false BoolAttr
                attributes[f.name] = a[f.name] if a[f.name] is not None else f.process_attr(None)
        ir.OpView.__init__(self, self.OPERATION_NAME, self._ODS_REGIONS, self._ODS_OPERAND_SEGMENTS,
                           self._ODS_RESULT_SEGMENTS, attributes=attributes, results=results, operands=operands,
                           successors=None, regions=self._ODS_REGIONS[0] or None, loc=a["loc"], ip=a["ip"])

    __init__.__signature__ = sig
    cls.__init__ = __init__


for _op in list(TileDialect.operations):
    _single_variadic(_op, "operand")
    _single_variadic(_op, "result")
    _flat_builder(_op)


# --------------------------------------------------------------------------
# Registration

_READS = {"tile.load"}
_WRITES = {"tile.store"}


class _ReadsFirstOperand(ir.MemoryEffectsOpInterface):
    @staticmethod
    def get_effects(op: ir.Operation, effects: Any) -> None:
        effects.append(ir.MemoryEffect.Read, op.op_operands[0])


class _WritesFirstOperand(ir.MemoryEffectsOpInterface):
    @staticmethod
    def get_effects(op: ir.Operation, effects: Any) -> None:
        effects.append(ir.MemoryEffect.Write, op.op_operands[0])


def load_dialect(context: ir.Context) -> None:
    """Registers the tile dialect in ``context`` (once per context)."""
    with context:
        if context.is_dialect_loaded("tile"):
            return
        TileDialect.load()
        ir.IsTerminatorTrait.attach("tile.yield")
        for name in _READS:
            _ReadsFirstOperand.attach(name)
        for name in _WRITES:
            _WritesFirstOperand.attach(name)


def new_context() -> ir.Context:
    """A fresh MLIR context with the tile dialect loaded."""
    ctx = ir.Context()
    load_dialect(ctx)
    return ctx


def irdl_text() -> str:
    """The dialect's IRDL definition (``mlir-opt --irdl-file`` can load it)."""
    with ir.Context() as ctx:
        load_dialect(ctx)
        return str(TileDialect._mlir_module)


# --------------------------------------------------------------------------
# Dimension analysis

Dim = Any  # an ir.Value of type !tile.tile, or the int 1


def dims_of(value: ir.Value, _memo: dict | None = None) -> tuple[Dim, ...]:
    """The tile handle (or static 1) of each dimension of a tile value.

    Follows the ops that create tiles (load, full, broadcast, reshape, index,
    reduce, dot, permute), elementwise ops (first tensor operand) and values
    carried by ``tile.for``. Scalars have no dimensions.
    """
    memo = {} if _memo is None else _memo
    key = _value_key(value)
    if key in memo:
        return memo[key]
    memo[key] = ()  # breaks cycles through loop-carried values
    result = _compute_dims(value, memo)
    memo[key] = result
    return result


def _value_key(value: ir.Value) -> Any:
    return value  # ir.Value hashes and compares by identity of the underlying value


def _compute_dims(value: ir.Value, memo: dict) -> tuple[Dim, ...]:
    if not isinstance(value.type, ir.RankedTensorType):
        return ()
    t = ir.RankedTensorType(value.type)
    owner = value.owner
    if isinstance(owner, ir.Block):
        parent = owner.owner
        if parent.name == "scf.for":  # a loop-carried tile: as its initial value
            pos = ir.BlockArgument(value).arg_number - 1
            return dims_of(list(parent.operands)[3 + pos], memo)
        raise ValueError(f"cannot find the dimensions of block argument {value}")
    op = owner if isinstance(owner, ir.Operation) else owner.operation
    name = op.name
    operands = list(op.operands)
    if name == "tile.load":
        return tuple(op.opview.tiles)
    if name in ("tile.full", "tile.broadcast", "tile.reshape"):
        handles = iter(operands[1:])
        return tuple(next(handles) if t.is_dynamic_dim(i) else 1 for i in range(t.rank))
    if name == "tile.index":
        return (operands[0],)
    if name == "tile.permute":
        src = dims_of(operands[0], memo)
        return tuple(src[p] for p in ir.DenseI64ArrayAttr(op.attributes["perm"]))
    if name == "tile.reduce":
        src = list(dims_of(operands[0], memo))
        d = ir.IntegerAttr(op.attributes["dim"]).value
        if ir.BoolAttr(op.attributes["keepdim"]).value:
            src[d] = 1
        else:
            del src[d]
        return tuple(src)
    if name == "tile.dot":
        a, b = dims_of(operands[0], memo), dims_of(operands[1], memo)
        return a[:-1] + (b[-1],)
    if name == "scf.for":
        res = ir.OpResult(value).result_number
        return dims_of(list(op.operands)[3 + res], memo)
    for operand in operands:  # elementwise: arith, math, and friends
        if isinstance(operand.type, ir.RankedTensorType) and ir.RankedTensorType(operand.type).rank == t.rank:
            return dims_of(operand, memo)
    raise ValueError(f"cannot find the dimensions of {value}")
