"""Reductions, softmax, matmul, tile creation and shape ops for device code.

Split from ``torch_ops`` (same registry). Reductions over a dimension use
``tile.reduce`` once per reduced dimension; low-precision floats accumulate
in float32 and round once. ``a @ b`` and friends emit ``tile.dot`` with a
float32 (or int32) accumulator; ``acc + a @ b`` folds into the dot's
accumulator, as Helion's ``torch.addmm(acc, a, b)`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch
import torch.nn.functional as F

import tegula.language as tl
from tegula.compiler import dtypes as dt
from tegula.compiler.frontend import emit
from tegula.compiler.frontend.torch_ops import METHODS, _dim, _err, _MinMax, _tv, register
from tegula.compiler.frontend.values import TV, TensorArg, Tile
from tegula.compiler.mlir import ir
from tegula.dialects import tile as tiled

if TYPE_CHECKING:
    from tegula.compiler.frontend.device import DeviceCompiler


# ------------------------------------------------------------ reductions

def _dims_arg(c: DeviceCompiler, dim: Any, rank: int) -> list[int]:
    if dim is None:
        return list(reversed(range(rank)))  # highest first, so the remaining indices stay valid
    dims = dim if isinstance(dim, (tuple, list)) else [dim]
    out = sorted({_dim(c, d, rank) for d in dims}, reverse=True)
    if len(out) != len(dims):
        raise _err(f"dim {dim} repeats a dimension")
    return out


def _dtype_arg(dtype: Any, what: str) -> torch.dtype | None:
    if dtype is not None and (not isinstance(dtype, torch.dtype) or not dt.is_supported(dtype)):
        raise _err(f"{what}: dtype= must be a supported torch dtype, got {dtype!r}")
    return dtype


def reduce1(v: TV, kind: str, d: int, keepdim: bool) -> TV:
    """One ``tile.reduce`` over dimension ``d``."""
    dims = list(v.dims)
    if keepdim:
        dims[d] = 1
    else:
        del dims[d]
    elem = torch.int64 if kind.startswith("arg") else v.dtype
    rtype = emit.tensor_type(elem, dims)
    value = tiled.ReduceOp(v.value, emit.i64_attr(d), ir.StringAttr.get(kind), ir.BoolAttr.get(keepdim), rtype).result
    return TV(value, elem, tuple(dims))


def reduce(c: DeviceCompiler, x: Any, kind: str, dim: Any, keepdim: bool, dtype: torch.dtype | None = None) -> TV:
    v = _tv(x)
    dtype = _dtype_arg(dtype, kind)
    if not v.dims:
        if kind.startswith("arg"):
            return TV(emit.scalar_const(torch.int64, 0).value, torch.int64)
        return emit.cast(v, dtype or v.dtype)
    out_dtype = dtype or v.dtype
    if kind in ("sum", "prod") and dtype is None and not v.dtype.is_floating_point:
        out_dtype = torch.int64
    # Sums and products accumulate in float32 for f16/bf16 (like torch); max/min/arg* are exact in
    # float32 too, and no backend then needs low-precision loop-carried accumulators.
    acc = dt.opmath(out_dtype) if kind in ("sum", "prod") else dt.opmath(v.dtype)
    v = emit.cast(v, acc)
    dims = _dims_arg(c, dim, v.rank)
    if kind.startswith("arg") and len(dims) != 1:
        raise _err(f"{kind} over several dimensions is not supported; give one dim")
    for d in dims:
        v = reduce1(v, kind, d, keepdim)
    return v if kind.startswith("arg") else emit.cast(v, out_dtype)


@register(torch.sum, methods=("sum",))
def sum_(c: DeviceCompiler, input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> TV:  # noqa: A002
    return reduce(c, input, "sum", dim, keepdim, dtype)


@register(torch.prod, methods=("prod",))
def prod(c: DeviceCompiler, input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> TV:  # noqa: A002
    return reduce(c, input, "prod", dim, keepdim, dtype)


@register(torch.amax, methods=("amax",))
def amax(c: DeviceCompiler, input: Any, dim: Any = (), keepdim: bool = False) -> TV:  # noqa: A002
    return reduce(c, input, "max", None if dim == () else dim, keepdim)


@register(torch.amin, methods=("amin",))
def amin(c: DeviceCompiler, input: Any, dim: Any = (), keepdim: bool = False) -> TV:  # noqa: A002
    return reduce(c, input, "min", None if dim == () else dim, keepdim)


@register(torch.argmax, methods=("argmax",))
def argmax(c: DeviceCompiler, input: Any, dim: Any = None, keepdim: bool = False) -> TV:  # noqa: A002
    v = _tv(input)
    if dim is None and v.rank > 1:
        raise _err("argmax without dim flattens the tile, which is not supported; give dim=")
    return reduce(c, v, "argmax", dim, keepdim)


@register(torch.argmin, methods=("argmin",))
def argmin(c: DeviceCompiler, input: Any, dim: Any = None, keepdim: bool = False) -> TV:  # noqa: A002
    v = _tv(input)
    if dim is None and v.rank > 1:
        raise _err("argmin without dim flattens the tile, which is not supported; give dim=")
    return reduce(c, v, "argmin", dim, keepdim)


def _minmax(which: str):
    def handler(c: DeviceCompiler, input: Any, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A002
        if isinstance(dim, TV) or (dim is not None and not isinstance(dim, int)):
            return c_binary(c, which, input, dim)  # torch.max(a, b)
        if dim is None:
            return reduce(c, input, which, None, False)
        return _MinMax((reduce(c, input, which, dim, keepdim), reduce(c, input, f"arg{which}", dim, keepdim)))

    return handler


def c_binary(c: DeviceCompiler, kind: str, a: Any, b: Any) -> TV:
    from tegula.compiler.frontend.torch_ops import binary

    return binary(c, kind, a, b)


register(torch.max, methods=("max",))(_minmax("max"))
register(torch.min, methods=("min",))(_minmax("min"))


def _count(v: TV, dims: list[int]) -> TV:
    n: TV | None = None
    for d in dims:
        t = v.dims[d]
        if isinstance(t, int):
            continue
        e = emit.extent(t)
        n = e if n is None else emit.binary("mul", n, e)
    return n if n is not None else emit.to_tv(1)


@register(torch.mean, methods=("mean",))
def mean(c: DeviceCompiler, input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> TV:  # noqa: A002
    v = _tv(input)
    out = _dtype_arg(dtype, "mean") or v.dtype
    if not out.is_floating_point:
        raise _err(f"mean needs a floating-point tile, got {v.dtype} (cast it with .float())")
    dims = _dims_arg(c, dim, v.rank)
    s = reduce(c, emit.cast(v, dt.opmath(out)), "sum", dim, keepdim)
    n = emit.cast(_count(v, dims), dt.opmath(out))
    return emit.cast(emit.binary("div", s, n), out)


@register(torch.var, methods=("var",))
def var(c: DeviceCompiler, input: Any, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,  # noqa: A002
        correction: Any = None) -> TV:
    v = _tv(input)
    if not v.dtype.is_floating_point:
        raise _err("var needs a floating-point tile")
    corr = 1 if correction is None and unbiased in (None, True) else 0 if correction is None else correction
    dims = _dims_arg(c, dim, v.rank)
    xf = emit.cast(v, dt.opmath(v.dtype))
    m = reduce(c, xf, "sum", dim, True)
    n = emit.cast(_count(v, dims), xf.dtype)
    m = emit.binary("div", m, n)
    d = emit.binary("sub", xf, m)
    ss = reduce(c, emit.binary("mul", d, d), "sum", dim, keepdim)
    denom = emit.binary("sub", n, emit.to_tv(float(corr), xf.dtype)) if corr else n
    return emit.cast(emit.binary("div", ss, denom), v.dtype)


@register(torch.std, methods=("std",))
def std(c: DeviceCompiler, input: Any, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,  # noqa: A002
        correction: Any = None) -> TV:
    v = var(c, emit.cast(_tv(input), dt.opmath(_tv(input).dtype)), dim, unbiased, keepdim, correction=correction)
    return emit.cast(emit.unary_math("sqrt", v), _tv(input).dtype)


def _softmax_parts(c: DeviceCompiler, x: TV, dim: Any, dtype: Any) -> tuple[TV, TV, TV, torch.dtype]:
    out = _dtype_arg(dtype, "softmax") or x.dtype
    xf = emit.cast(x, dt.opmath(out) if out.is_floating_point else torch.float32)
    m = reduce(c, xf, "max", dim, True)
    e = emit.unary_math("exp", emit.binary("sub", xf, m))
    s = reduce(c, e, "sum", dim, True)
    return xf, m, e, s, out


@register(torch.softmax, F.softmax, methods=("softmax",))
def softmax(c: DeviceCompiler, input: Any, dim: Any = None, _stacklevel: int = 3, dtype: Any = None) -> TV:  # noqa: A002
    if dim is None:
        raise _err("softmax needs dim=")
    x = _tv(input)
    _, _, e, s, out = _softmax_parts(c, x, dim, dtype)
    return emit.cast(emit.binary("div", e, s), out)


@register(torch.log_softmax, F.log_softmax, methods=("log_softmax",))
def log_softmax(c: DeviceCompiler, input: Any, dim: Any = None, _stacklevel: int = 3, dtype: Any = None) -> TV:  # noqa: A002
    if dim is None:
        raise _err("log_softmax needs dim=")
    x = _tv(input)
    xf, m, _, s, out = _softmax_parts(c, x, dim, dtype)
    return emit.cast(emit.binary("sub", emit.binary("sub", xf, m), emit.unary_math("log", s)), out)


@register(torch.logsumexp, methods=("logsumexp",))
def logsumexp(c: DeviceCompiler, input: Any, dim: Any, keepdim: bool = False) -> TV:  # noqa: A002
    x = _tv(input)
    xf, m, _, s, out = _softmax_parts(c, x, dim, None)
    r = emit.binary("add", m, emit.unary_math("log", s))
    if not keepdim:
        for d in _dims_arg(c, dim, x.rank):
            r = emit.reshape(r, r.dims[:d] + r.dims[d + 1:])
    return emit.cast(r, out)


# ------------------------------------------------------------ matmul

def _acc_dtype(dtype: torch.dtype) -> torch.dtype:
    if dtype.is_floating_point:
        return torch.float64 if dtype == torch.float64 else torch.float32
    if dtype in (torch.int8, torch.uint8):
        return torch.int32
    raise _err(f"matmul of {dtype} tiles is not supported (use a float dtype or int8)")


def _dot(a: TV, b: TV, acc: TV | None) -> TV:
    if a.rank not in (2, 3) or a.rank != b.rank:
        raise _err(f"matmul needs two rank-2 (or two rank-3) tiles, got ranks {a.rank} and {b.rank}")
    if a.dims[-1] is not b.dims[-2] and not (isinstance(a.dims[-1], int) and isinstance(b.dims[-2], int)):
        raise _err(f"matmul contracts `{getattr(a.dims[-1], 'name', 1)}` with `{getattr(b.dims[-2], 'name', 1)}`: "
                   "the inner dimensions must be the same tile")
    if a.rank == 3 and a.dims[0] is not b.dims[0]:
        raise _err("batched matmul needs the same batch tile on both sides")
    dtype = emit.promote(a, b)
    a, b = emit.cast(a, dtype), emit.cast(b, dtype)
    dims = a.dims[:-1] + (b.dims[-1],)
    acc_dtype = acc.dtype if acc is not None else _acc_dtype(dtype)
    operands = []
    if acc is not None:
        operands = [emit.broadcast_to(acc, dims).value]
    value = tiled.DotOp(a.value, b.value, operands, emit.tensor_type(acc_dtype, dims)).result
    return TV(value, acc_dtype, dims)


def _matmul(c: DeviceCompiler, a: TV, b: TV) -> TV:
    r = _dot(a, b, None)
    return emit.cast(r, emit.promote(a, b))


def _fuse_dot_acc(acc: TV, prod: TV) -> TV | None:
    """``acc + a @ b`` -> one dot accumulating into ``acc`` (f32/i32 accumulators)."""
    value = prod.value
    owner = value.owner
    op = owner.operation if hasattr(owner, "operation") else None
    if op is None:
        return None
    if op.name == "arith.truncf":
        inner = op.operands[0].owner
        op = inner.operation if hasattr(inner, "operation") else None
        if op is None:
            return None
    if op.name != "tile.dot" or len(op.operands) != 2:
        return None
    acc_type = op.results[0].type
    if acc.dtype != dt.from_mlir(ir.RankedTensorType(acc_type).element_type):
        return None
    dims = prod.dims
    try:
        acc_b = emit.broadcast_to(acc, dims)
    except emit.ShapeError:
        return None
    fused = tiled.DotOp(op.operands[0], op.operands[1], [acc_b.value], acc_type).result
    return TV(fused, acc.dtype, dims)


@register(torch.matmul, torch.mm, torch.bmm, methods=("matmul", "mm", "bmm"))
def matmul(c: DeviceCompiler, input: Any, other: Any) -> TV:  # noqa: A002
    return _matmul(c, _tv(input), _tv(other))


@register(torch.addmm, torch.baddbmm, methods=("addmm",))
def addmm(c: DeviceCompiler, input: Any, mat1: Any, mat2: Any, *, beta: Any = 1, alpha: Any = 1) -> TV:  # noqa: A002
    acc = _tv(input)
    a, b = _tv(mat1), _tv(mat2)
    if beta == 1 and alpha == 1 and acc.dtype == _acc_dtype(emit.promote(a, b)):
        return _dot(a, b, acc)
    prod = _matmul(c, a, b)
    if alpha != 1:
        prod = emit.binary("mul", prod, _tv(alpha, prod))
    if beta != 1:
        acc = emit.binary("mul", acc, _tv(beta, acc))
    return emit.binary("add", acc, prod)


@register(tl.dot)
def dot(c: DeviceCompiler, mat1: Any, mat2: Any, acc: Any = None, out_dtype: Any = None) -> TV:
    a, b = _tv(mat1), _tv(mat2)
    if acc is not None:
        acc = _tv(acc)
        if out_dtype is not None and out_dtype != acc.dtype:
            raise _err("tl.dot: out_dtype must match the accumulator's dtype")
        return _dot(a, b, acc)
    r = _dot(a, b, None)
    return emit.cast(r, out_dtype) if out_dtype is not None else emit.cast(r, emit.promote(a, b))


# ------------------------------------------------------------ creation

def _fill(c: DeviceCompiler, shape: Any, value: Any, dtype: Any, what: str) -> TV:
    dims = c.shape_dims(shape, f"{what}: shape")
    if dtype is None:
        dtype = torch.float32 if isinstance(value, float) else torch.int64 if isinstance(value, int) and \
            not isinstance(value, bool) else torch.bool if isinstance(value, bool) else _tv(value).dtype
    if not isinstance(dtype, torch.dtype) or not dt.is_supported(dtype):
        raise _err(f"{what}: unsupported dtype {dtype!r}")
    scalar = _tv(value)
    if scalar.dims:
        raise _err(f"{what}: the fill value must be a scalar")
    return emit.splat(emit.cast(scalar, dtype), dims)


@register(tl.zeros, torch.zeros)
def zeros(c: DeviceCompiler, shape: Any, *size: Any, dtype: Any = None, device: Any = None) -> TV:
    if size:
        shape = (shape, *size)
    return _fill(c, shape, 0, dtype or torch.float32, "zeros")


@register(torch.ones)
def ones(c: DeviceCompiler, shape: Any, *size: Any, dtype: Any = None, device: Any = None) -> TV:
    if size:
        shape = (shape, *size)
    return _fill(c, shape, 1, dtype or torch.float32, "ones")


@register(tl.full, torch.full)
def full(c: DeviceCompiler, shape: Any, value: Any, dtype: Any = None, device: Any = None) -> TV:
    return _fill(c, shape, value, dtype, "full")


def _like(value: Any):
    def handler(c: DeviceCompiler, input: Any, *, dtype: Any = None, device: Any = None) -> TV:  # noqa: A002
        x = _tv(input)
        return emit.splat(emit.cast(_tv(value), dtype or x.dtype), x.dims)

    return handler


register(torch.zeros_like, torch.empty_like)(_like(0))
register(torch.ones_like)(_like(1))


@register(torch.full_like)
def full_like(c: DeviceCompiler, input: Any, fill_value: Any, *, dtype: Any = None, device: Any = None) -> TV:  # noqa: A002
    x = _tv(input)
    return emit.splat(emit.cast(_tv(fill_value, x), dtype or x.dtype), x.dims)


# ------------------------------------------------------------ shape ops

@register(torch.arange)
def arange(c: DeviceCompiler, start: Any, end: Any = None, step: Any = 1, *, dtype: Any = None,
           device: Any = None) -> TV:
    """``torch.arange(n)``: the indices of the whole extent ``n`` (a ``:`` tile)."""
    if end is not None and not (isinstance(start, int) and start == 0):
        raise _err("torch.arange in device code supports arange(n) and arange(0, n) only")
    extent = start if end is None else end
    if step != 1:
        raise _err("torch.arange in device code supports step=1 only")
    dims = c.shape_dims([extent], "arange")
    if isinstance(dims[0], int):
        return emit.splat(emit.scalar_const(dtype or torch.int64, 0), (1,))
    return emit.cast(emit.tile_index(dims[0]), dtype or torch.int64)


@register(torch.unsqueeze, methods=("unsqueeze",))
def unsqueeze(c: DeviceCompiler, input: Any, dim: Any) -> TV:  # noqa: A002
    x = _tv(input)
    d = _dim(c, dim, x.rank + 1)
    return emit.reshape(x, x.dims[:d] + (1,) + x.dims[d:])


@register(torch.squeeze, methods=("squeeze",))
def squeeze(c: DeviceCompiler, input: Any, dim: Any = None) -> TV:  # noqa: A002
    x = _tv(input)
    if dim is None:
        return emit.reshape(x, tuple(d for d in x.dims if not isinstance(d, int)))
    d = _dim(c, dim, x.rank)
    if not isinstance(x.dims[d], int):
        return x
    return emit.reshape(x, x.dims[:d] + x.dims[d + 1:])


@register(methods=("view", "reshape"))
def view(c: DeviceCompiler, input: Any, *shape: Any) -> TV:  # noqa: A002
    x = _tv(input)
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    dims = c.shape_dims(shape, "view")
    if tuple(d for d in dims if not isinstance(d, int)) != tuple(d for d in x.dims if not isinstance(d, int)):
        raise _err("view/reshape of a tile can only add or remove unit dimensions")
    return emit.reshape(x, dims)


def _permute(c: DeviceCompiler, input: Any, *perm: Any) -> TV:  # noqa: A002
    x = _tv(input)
    if len(perm) == 1 and isinstance(perm[0], (tuple, list)):
        perm = tuple(perm[0])
    p = [_dim(c, d, x.rank) for d in perm]
    if sorted(p) != list(range(x.rank)):
        raise _err(f"permute needs a permutation of {x.rank} dimensions, got {list(perm)}")
    if p == list(range(x.rank)):
        return x
    dims = tuple(x.dims[i] for i in p)
    value = tiled.PermuteOp(x.value, ir.DenseI64ArrayAttr.get(p), emit.tensor_type(x.dtype, dims)).result
    return TV(value, x.dtype, dims)


register(torch.permute, methods=("permute",))(_permute)


@register(torch.transpose, methods=("transpose",))
def transpose(c: DeviceCompiler, input: Any, dim0: Any, dim1: Any) -> TV:  # noqa: A002
    x = _tv(input)
    a, b = _dim(c, dim0, x.rank), _dim(c, dim1, x.rank)
    p = list(range(x.rank))
    p[a], p[b] = p[b], p[a]
    return _permute(c, x, *p)


@register(torch.t, methods=("t",))
def t(c: DeviceCompiler, input: Any) -> TV:  # noqa: A002
    x = _tv(input)
    if x.rank != 2:
        raise _err(".t() needs a rank-2 tile")
    return _permute(c, x, 1, 0)


@register(methods=("expand",))
def expand(c: DeviceCompiler, input: Any, *shape: Any) -> TV:  # noqa: A002
    x = _tv(input)
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return emit.broadcast_to(x, c.shape_dims(shape, "expand"))


@register(methods=("expand_as",))
def expand_as(c: DeviceCompiler, input: Any, other: Any) -> TV:  # noqa: A002
    return emit.broadcast_to(_tv(input), _tv(other).dims)


@register(methods=("size",))
def size(c: DeviceCompiler, input: Any, dim: Any = None) -> Any:  # noqa: A002
    x = _tv(input)
    ext = tuple(1 if isinstance(d, int) else emit.extent(d) for d in x.dims)
    return ext if dim is None else ext[_dim(c, dim, x.rank)]


@register(methods=("dim",))
def dim_(c: DeviceCompiler, input: Any) -> int:  # noqa: A002
    return _tv(input).rank


_unused = (METHODS, F, Tile, TensorArg)
