"""IR building blocks for the frontend: casts, broadcasting, elementwise ops.

Every function here builds at the current insertion point and location (set
by the caller with ``with loc, ip:``) and follows torch's semantics for
dtypes (via ``tegula.compiler.dtypes``) and broadcasting (right-aligned,
unit dimensions stretch). Shape errors raise ``ShapeError`` which the
frontend turns into a located ``TegulaCompileError``.
"""

from __future__ import annotations

import math as pymath
from collections.abc import Sequence
from typing import Any

import torch

from tegula.compiler import dtypes as dt
from tegula.compiler.frontend.values import TV, Dim, Tile, dim_name
from tegula.compiler.mlir import ir
from tegula.dialects import tile as tiled

CMPF = {"eq": 1, "gt": 2, "ge": 3, "lt": 4, "le": 5, "ne": 13}
CMPI_S = {"eq": 0, "ne": 1, "lt": 2, "le": 3, "gt": 4, "ge": 5}
CMPI_U = {"eq": 0, "ne": 1, "lt": 6, "le": 7, "gt": 8, "ge": 9}


class ShapeError(Exception):
    """Operand shapes that do not broadcast or do not fit an op."""


def i64_attr(v: int) -> ir.Attribute:
    return ir.IntegerAttr.get(ir.IntegerType.get_signless(64), v)


def op(name: str, operands: Sequence[ir.Value], result: ir.Type | None, **attrs: ir.Attribute) -> ir.Value | None:
    o = ir.Operation.create(name, results=[result] if result is not None else [], operands=list(operands),
                            attributes=attrs or None)
    return o.result if result is not None else None


def tensor_type(dtype: torch.dtype, dims: Sequence[Dim]) -> ir.Type:
    elem = dt.to_mlir(dtype)
    if not dims:
        return elem
    dyn = ir.ShapedType.get_dynamic_size()
    return ir.RankedTensorType.get([1 if isinstance(d, int) else dyn for d in dims], elem)


def handles(dims: Sequence[Dim]) -> list[ir.Value]:
    return [d.handle for d in dims if not isinstance(d, int)]


# ---------------------------------------------------------------- constants

def index_const(v: int) -> ir.Value:
    return op("arith.constant", [], ir.IndexType.get(), value=ir.IntegerAttr.get(ir.IndexType.get(), v))


def scalar_const(dtype: torch.dtype, value: Any) -> TV:
    t = dt.to_mlir(dtype)
    if dtype.is_floating_point:
        attr = ir.FloatAttr.get(t, float(value))
    elif dtype == torch.bool:
        attr = ir.IntegerAttr.get(t, 1 if value else 0)
    else:
        attr = ir.IntegerAttr.get(t, int(value))
    return TV(op("arith.constant", [], t, value=attr), dtype)


def index_value(v: TV | int) -> ir.Value:
    """An ``index`` SSA value for a Python int or an integer scalar."""
    if isinstance(v, bool) or not isinstance(v, (int, TV)):
        raise TypeError(f"expected an integer, got {type(v).__name__}")
    if isinstance(v, int):
        return index_const(v)
    if v.dims:
        raise TypeError("expected a scalar integer, got a tile")
    if v.is_index:
        return v.value
    if v.dtype.is_floating_point or v.dtype == torch.bool:
        raise TypeError(f"expected an integer, got a {v.dtype} scalar")
    return op("arith.index_cast", [v.value], ir.IndexType.get())


# ---------------------------------------------------------------- casts

def constant_of(v: TV) -> int | float | bool | None:
    """The Python value of a scalar defined by ``arith.constant``, else None."""
    if v.dims:
        return None
    owner = v.value.owner
    op = getattr(owner, "operation", None)
    if op is None or op.name != "arith.constant":
        return None
    attr = op.attributes["value"]
    if isinstance(attr, ir.FloatAttr):
        return attr.value
    if isinstance(attr, ir.IntegerAttr):
        return bool(attr.value) if v.dtype == torch.bool else attr.value
    return None


def cast(v: TV, dtype: torch.dtype) -> TV:
    """``v.to(dtype)`` with torch's conversion rules (truncation toward zero)."""
    const = constant_of(v)
    if const is not None and (v.dtype != dtype or v.is_index):
        folded = torch.tensor(const, dtype=torch.float64 if isinstance(const, float) else torch.int64).to(dtype).item()
        return TV(scalar_const(dtype, folded).value, dtype)
    if v.is_index:
        if dtype == torch.int64 and not v.weak:
            return v
        v = TV(op("arith.index_cast", [v.value], ir.IntegerType.get_signless(64)), torch.int64, v.dims, v.weak)
    src = v.dtype
    if src == dtype:
        return TV(v.value, dtype, v.dims, False)
    rt = tensor_type(dtype, v.dims)
    x = v.value
    if src.is_floating_point and dtype.is_floating_point:
        name = "arith.extf" if dt.bitwidth(dtype) > dt.bitwidth(src) else "arith.truncf"
        if dt.bitwidth(dtype) == dt.bitwidth(src):  # f16 <-> bf16 goes through f32
            return cast(cast(v, torch.float32), dtype)
        return TV(op(name, [x], rt), dtype, v.dims)
    if dtype == torch.bool:
        zero = splat(scalar_const(src, 0), v.dims).value
        if src.is_floating_point:
            return TV(op("arith.cmpf", [x, zero], rt, predicate=i64_attr(CMPF["ne"])), dtype, v.dims)
        return TV(op("arith.cmpi", [x, zero], rt, predicate=i64_attr(CMPI_S["ne"])), dtype, v.dims)
    if src.is_floating_point:
        name = "arith.fptoui" if dtype == torch.uint8 else "arith.fptosi"
        return TV(op(name, [x], rt), dtype, v.dims)
    if dtype.is_floating_point:
        name = "arith.sitofp" if dt.is_signed(src) else "arith.uitofp"
        return TV(op(name, [x], rt), dtype, v.dims)
    sb, db = dt.bitwidth(src), dt.bitwidth(dtype)
    if db > sb:
        name = "arith.extsi" if dt.is_signed(src) else "arith.extui"
        return TV(op(name, [x], rt), dtype, v.dims)
    if db < sb:
        return TV(op("arith.trunci", [x], rt), dtype, v.dims)
    return TV(x, dtype, v.dims)  # int8 <-> uint8: same bits


def to_tv(v: Any, like_dtype: torch.dtype | None = None) -> TV:
    """A Python scalar as a weak scalar constant."""
    if isinstance(v, TV):
        return v
    if isinstance(v, bool):
        return TV(scalar_const(torch.bool, v).value, torch.bool, (), True)
    if isinstance(v, int):
        return TV(index_const(v), torch.int64, (), True)
    if isinstance(v, float):
        dtype = like_dtype if like_dtype is not None and like_dtype.is_floating_point else torch.float32
        return TV(scalar_const(dtype, v).value, dtype, (), True)
    raise TypeError(f"cannot use a {type(v).__name__} as a device value")


# ---------------------------------------------------------------- shapes

def broadcast_dims(a: Sequence[Dim], b: Sequence[Dim]) -> tuple[Dim, ...]:
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x is y or (isinstance(x, int) and isinstance(y, int)):
            out.append(x)
        elif isinstance(x, int):
            out.append(y)
        elif isinstance(y, int):
            out.append(x)
        else:
            raise ShapeError(
                f"tile shapes do not broadcast: [{', '.join(map(dim_name, a))}] vs "
                f"[{', '.join(map(dim_name, b))}] (dimension `{x.name}` vs `{y.name}`)"
            )
    return tuple(out)


def reshape(v: TV, dims: Sequence[Dim]) -> TV:
    """Inserts/removes unit dimensions (the tile dimensions keep their order)."""
    if tuple(v.dims) == tuple(dims):
        return v
    if not v.dims:
        return splat(v, dims)
    res = tensor_type(v.dtype, dims)
    value = tiled.ReshapeOp(v.value, handles(dims), res).result
    return TV(value, v.dtype, tuple(dims))


def splat(v: TV, dims: Sequence[Dim]) -> TV:
    """A scalar filled into a tile of the given dims."""
    if v.dims:
        raise ShapeError("splat of a non-scalar")
    if not dims:
        return v
    scalar = v
    if v.is_index:
        scalar = cast(v, torch.int64)
    value = tiled.FullOp(scalar.value, handles(dims), tensor_type(scalar.dtype, dims)).result
    return TV(value, scalar.dtype, tuple(dims))


def broadcast_to(v: TV, dims: Sequence[Dim]) -> TV:
    dims = tuple(dims)
    if v.dims == dims:
        return v
    if not v.dims:
        return splat(v, dims)
    if len(v.dims) > len(dims):
        raise ShapeError(f"cannot broadcast a rank-{len(v.dims)} tile to rank {len(dims)}")
    padded = (1,) * (len(dims) - len(v.dims)) + tuple(v.dims)
    if broadcast_dims(padded, dims) != dims:
        raise ShapeError(
            f"cannot broadcast [{', '.join(map(dim_name, v.dims))}] to [{', '.join(map(dim_name, dims))}]"
        )
    v = reshape(v, padded)
    if padded == dims:
        return v
    value = tiled.BroadcastOp(v.value, handles(dims), tensor_type(v.dtype, dims)).result
    return TV(value, v.dtype, dims)


# ---------------------------------------------------------------- elementwise

def promote(a: TV, b: TV) -> torch.dtype:
    return dt.result_type(a.proxy(), b.proxy())


def align(a: TV, b: TV, dtype: torch.dtype) -> tuple[TV, TV]:
    """Casts both to ``dtype`` and broadcasts them to a common shape."""
    dims = broadcast_dims(a.dims, b.dims)
    return broadcast_to(cast(a, dtype), dims), broadcast_to(cast(b, dtype), dims)


_FLOAT_BIN = {"add": "arith.addf", "sub": "arith.subf", "mul": "arith.mulf", "div": "arith.divf",
              "max": "arith.maximumf", "min": "arith.minimumf", "pow": "math.powf"}
_INT_BIN = {"add": "arith.addi", "sub": "arith.subi", "mul": "arith.muli", "max": "arith.maxsi",
            "min": "arith.minsi", "and": "arith.andi", "or": "arith.ori", "xor": "arith.xori",
            "shl": "arith.shli", "shr": "arith.shrsi"}


def index_binary(kind: str, a: TV, b: TV) -> TV | None:
    """Arithmetic on two index scalars stays in ``index`` (sizes, offsets)."""
    names = {"add": "arith.addi", "sub": "arith.subi", "mul": "arith.muli", "floordiv": "arith.floordivsi",
             "mod": "arith.remsi", "max": "arith.maxsi", "min": "arith.minsi"}
    if kind not in names:
        return None
    r = op(names[kind], [a.value, b.value], ir.IndexType.get())
    return TV(r, torch.int64, (), a.weak and b.weak)


def binary(kind: str, a: TV, b: TV) -> TV:
    """``a <kind> b`` with torch promotion; kinds: add sub mul div floordiv mod max min pow and or xor shl shr."""
    if a.is_index and b.is_index and not a.dims and not b.dims:
        r = index_binary(kind, a, b)
        if r is not None:
            return r
    dtype = promote(a, b)
    if kind == "div" and not dtype.is_floating_point:
        dtype = torch.get_default_dtype()
    if kind == "pow" and not dtype.is_floating_point:
        raise ShapeError("integer pow is not supported; cast to a float dtype first")
    if kind in ("and", "or", "xor", "shl", "shr") and dtype.is_floating_point:
        raise ShapeError(f"bitwise '{kind}' needs integer or bool operands, got {dtype}")
    x, y = align(a, b, dtype)
    rt = tensor_type(dtype, x.dims)
    weak = a.weak and b.weak
    if dtype.is_floating_point:
        if kind == "floordiv":
            q = op("arith.divf", [x.value, y.value], rt)
            return TV(op("math.floor", [q], rt), dtype, x.dims, weak)
        if kind == "mod":
            return _python_mod(x, y)
        return TV(op(_FLOAT_BIN[kind], [x.value, y.value], rt), dtype, x.dims, weak)
    if kind == "floordiv":
        return TV(op("arith.floordivsi", [x.value, y.value], rt), dtype, x.dims, weak)
    if kind == "mod":
        return _python_mod(x, y)
    if dtype == torch.bool and kind in ("add", "max"):
        kind = "or"
    if dtype == torch.bool and kind in ("mul", "min"):
        kind = "and"
    if kind not in _INT_BIN:
        raise ShapeError(f"'{kind}' is not supported on {dtype}")
    name = _INT_BIN[kind]
    if not dt.is_signed(dtype):
        name = {"arith.maxsi": "arith.maxui", "arith.minsi": "arith.minui", "arith.shrsi": "arith.shrui"}.get(name, name)
    return TV(op(name, [x.value, y.value], rt), dtype, x.dims, weak)


def _python_mod(x: TV, y: TV) -> TV:
    """Remainder with the sign of the divisor (Python's and torch's ``%``)."""
    rt = tensor_type(x.dtype, x.dims)
    is_float = x.dtype.is_floating_point
    rem = TV(op("arith.remf" if is_float else "arith.remsi", [x.value, y.value], rt), x.dtype, x.dims)
    zero = splat(scalar_const(x.dtype, 0), x.dims)
    nonzero = compare("ne", rem, zero)
    differ = binary("xor", compare("lt", rem, zero), compare("lt", y, zero))
    fix = binary("and", nonzero, differ)
    adjusted = TV(op("arith.addf" if is_float else "arith.addi", [rem.value, y.value], rt), x.dtype, x.dims)
    return where(fix, adjusted, rem)


def compare(kind: str, a: TV, b: TV) -> TV:
    dtype = promote(a, b)
    if a.is_index and b.is_index and not a.dims and not b.dims:
        r = op("arith.cmpi", [a.value, b.value], ir.IntegerType.get_signless(1), predicate=i64_attr(CMPI_S[kind]))
        return TV(r, torch.bool, ())
    x, y = align(a, b, dtype)
    rt = tensor_type(torch.bool, x.dims)
    if dtype.is_floating_point:
        r = op("arith.cmpf", [x.value, y.value], rt, predicate=i64_attr(CMPF[kind]))
    else:
        table = CMPI_S if dt.is_signed(dtype) else CMPI_U
        r = op("arith.cmpi", [x.value, y.value], rt, predicate=i64_attr(table[kind]))
    return TV(r, torch.bool, x.dims)


def where(cond: TV, a: TV, b: TV) -> TV:
    dtype = promote(a, b)
    dims = broadcast_dims(broadcast_dims(cond.dims, a.dims), b.dims)
    c = broadcast_to(cast(cond, torch.bool), dims)
    x, y = broadcast_to(cast(a, dtype), dims), broadcast_to(cast(b, dtype), dims)
    return TV(op("arith.select", [c.value, x.value, y.value], tensor_type(dtype, dims)), dtype, dims,
              a.weak and b.weak and cond.weak)


def unary_math(name: str, v: TV, result_dtype: torch.dtype | None = None) -> TV:
    """``math.<name>`` on a float value, computed in ``result_dtype``."""
    dtype = result_dtype or (v.dtype if v.dtype.is_floating_point else torch.get_default_dtype())
    x = cast(v, dtype)
    return TV(op(f"math.{name}", [x.value], tensor_type(dtype, x.dims)), dtype, x.dims)


def neg(v: TV) -> TV:
    if v.dtype.is_floating_point:
        return TV(op("arith.negf", [v.value], v.value.type), v.dtype, v.dims, v.weak)
    return binary("sub", TV(to_tv(0).value, torch.int64, (), True), v)


def full_like_value(v: TV, value: float | int | bool) -> TV:
    return splat(scalar_const(v.dtype, value), v.dims)


def inf_for(dtype: torch.dtype, negative: bool) -> float | int:
    if dtype.is_floating_point:
        return -pymath.inf if negative else pymath.inf
    info = torch.iinfo(dtype) if dtype != torch.bool else None
    if info is None:
        return not negative
    return info.min if negative else info.max


# ---------------------------------------------------------------- tiles

def tile_begin(t: Tile) -> TV:
    return TV(tiled.BeginOp(t.handle).result, torch.int64, (), True)


def tile_end(t: Tile) -> TV:
    return TV(tiled.EndOp(t.handle).result, torch.int64, (), True)


def tile_index(t: Tile) -> TV:
    rt = ir.RankedTensorType.get([ir.ShapedType.get_dynamic_size()], ir.IntegerType.get_signless(32))
    return TV(tiled.IndexOp(t.handle, rt).result, torch.int32, (t,))


def extent(t: Tile) -> TV:
    """``end - begin`` of a tile (the number of valid elements)."""
    return binary("sub", tile_end(t), tile_begin(t))
