"""The torch and ``tl`` functions device code may call, and how each is emitted.

Functions are found by identity (``torch.exp``, ``F.gelu``, ``tl.zeros``, ...
however they were imported) in ``FUNCS``; methods on tile values by name in
``METHODS``. Each handler has torch's Python signature after the compiler
argument, so that arguments bind the way they do in eager torch. Dtype rules
follow torch; low-precision floats compute transcendental math and
reductions in float32 (torch's "opmath") and round once at the end.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import math as pymath
from typing import TYPE_CHECKING, Any, Callable

import torch
import torch.nn.functional as F

import tegula.language as tl
from tegula.compiler import dtypes as dt
from tegula.compiler.frontend import emit
from tegula.compiler.frontend.values import TV, TensorArg, Tile

if TYPE_CHECKING:
    from tegula.compiler.frontend.device import DeviceCompiler

FUNCS: dict[int, tuple[str, Callable]] = {}
METHODS: dict[str, Callable] = {}


def _err(msg: str) -> Exception:
    from tegula.compiler.frontend.device import OpError

    return OpError(msg)


def _describe(v: Any) -> str:
    from tegula.compiler.frontend.device import describe

    return describe(v)


def register(*fns: Any, methods: tuple[str, ...] = ()) -> Callable:
    def deco(handler: Callable) -> Callable:
        for fn in fns:
            name = getattr(fn, "__module__", None) or ""
            qual = f"{'torch' if name.startswith('torch') and 'functional' not in name else name}." \
                   f"{getattr(fn, '__name__', fn)}"
            FUNCS[id(fn)] = (qual.replace("torch.nn.functional.", "F."), handler)
        for m in methods:
            METHODS[m] = handler
        return handler

    return deco


def _tv(v: Any, like: TV | None = None) -> TV:
    if isinstance(v, TV):
        return v
    if isinstance(v, Tile):
        raise _err(f"the tile `{v.name}` is not a value; use `{v.name}.index` for its indices")
    if isinstance(v, TensorArg):
        if v.rank == 0:
            raise _err(f"the 0-d tensor `{v.name}` must be loaded first: write `{v.name}[()]`")
        raise _err(f"the tensor `{v.name}` must be loaded first: index it with tiles "
                   f"(`{v.name}[{', '.join(['tile'] + [':'] * (v.rank - 1))}]`)")
    if isinstance(v, (bool, int, float)):
        return emit.to_tv(v, like.dtype if like is not None else None)
    raise _err(f"expected a tile or a number, got {_describe(v)}")


def _dim(c: DeviceCompiler, d: Any, rank: int, what: str = "dim") -> int:
    i = c.static_int(d, what)
    if not -max(rank, 1) <= i < max(rank, 1):
        raise _err(f"{what} {i} is out of range for a rank-{rank} tile")
    return i % max(rank, 1)


def _float(v: TV) -> TV:
    """``v`` as a float in torch's compute dtype for math (f32 for low precision and ints)."""
    return emit.cast(v, dt.opmath(v.dtype) if v.dtype.is_floating_point else torch.get_default_dtype())


def _out_dtype(v: TV) -> torch.dtype:
    return v.dtype if v.dtype.is_floating_point else torch.get_default_dtype()


# ------------------------------------------------------------ attributes

def attribute(c: DeviceCompiler, base: Any, attr: str) -> Any:
    if isinstance(base, Tile):
        if attr == "index":
            return emit.tile_index(base)
        if attr == "begin":
            return emit.tile_begin(base)
        if attr == "end":
            return emit.tile_end(base)
        if attr == "block_size":
            return TV(base.block_size, torch.int64, (), True)
        if attr == "id":
            return emit.binary("floordiv", emit.tile_begin(base), TV(base.block_size, torch.int64, (), True))
        raise _err(f"a tile has no attribute `{attr}` (it has index, begin, end, block_size, id)")
    if isinstance(base, TensorArg):
        if attr == "shape":
            return tuple(c.dim_value(base, d) if base.sizes[d] != 1 else 1 for d in range(base.rank))
        if attr == "dtype":
            return base.dtype
        if attr == "ndim":
            return base.rank
        if attr in ("size", "dim", "numel", "stride"):
            return _BoundMethod(base, attr)
        raise _err(f"tensor `{base.name}` has no attribute `{attr}` in device code")
    if isinstance(base, TV):
        if attr == "dtype":
            return base.dtype
        if attr == "ndim":
            return base.rank
        if attr == "shape":
            return base.dims
        if attr == "T":
            return _permute(c, base, *reversed(range(base.rank)))
        if attr in ("values", "indices"):
            raise _err(f"`.{attr}` is only available on the result of max/min with a dim")
        if attr in METHODS:
            return _BoundMethod(base, attr)
        raise _err(f"a tile value has no attribute `{attr}`")
    if isinstance(base, _MinMax):
        if attr in ("values", "indices"):
            return getattr(base, attr)
    try:
        return getattr(base, attr)
    except AttributeError:
        raise _err(f"{_describe(base)} has no attribute `{attr}`") from None


class _BoundMethod:
    def __init__(self, base: Any, name: str) -> None:
        self.base, self.name = base, name


class _MinMax(tuple):
    """``torch.max(x, dim)``'s (values, indices)."""

    @property
    def values(self) -> TV:
        return self[0]

    @property
    def indices(self) -> TV:
        return self[1]


def _tensor_method(c: DeviceCompiler, t: TensorArg, name: str, args: list, kwargs: dict) -> Any:
    if name == "size":
        if not args and not kwargs:
            return attribute(c, t, "shape")
        d = _dim(c, (args or [kwargs.get("dim")])[0], t.rank)
        return c.dim_value(t, d) if t.sizes[d] != 1 else 1
    if name == "dim":
        return t.rank
    if name == "numel":
        out: Any = 1
        for d in range(t.rank):
            if t.sizes[d] != 1:
                out = emit.binary("mul", emit.to_tv(out), c.dim_value(t, d)) if not isinstance(out, int) or out != 1 \
                    else c.dim_value(t, d)
        return out
    raise _err(f"`{t.name}.{name}()` is not available in device code")


# ------------------------------------------------------------ calls

def call(c: DeviceCompiler, node: ast.Call) -> Any:
    if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
        raise _err("`*args` and `**kwargs` in calls are not supported in device code")
    name = ast.unparse(node.func)
    fn = c.expr(node.func)
    args = [c.expr(a) for a in node.args]
    kwargs = {k.arg: c.expr(k.value) for k in node.keywords}
    if isinstance(fn, _BoundMethod):
        if isinstance(fn.base, TensorArg):
            return _tensor_method(c, fn.base, fn.name, args, kwargs)
        return _invoke(f".{fn.name}", METHODS[fn.name], c, [fn.base, *args], kwargs)
    entry = FUNCS.get(id(fn))
    if entry is not None:
        return _invoke(entry[0], entry[1], c, args, kwargs)
    if fn in (tl.tile, tl.grid):
        raise _err(f"`{name}(...)` can only be the iterator of a `for` loop")
    if fn is tl.register_block_size:
        raise _err("tl.register_block_size runs on the host: call it before the device loop and pass the result "
                   "as block_size=")
    constant = all(not isinstance(a, (TV, Tile, TensorArg)) for a in [*args, *kwargs.values()])
    if constant and getattr(fn, "__module__", None) in ("math", "builtins", "_operator", "operator"):
        try:
            return fn(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - a Python error while folding a constant
            raise _err(f"`{name}(...)` failed at compile time: {e}") from None
    if isinstance(fn, type) and fn in (int, float, bool) and constant:
        return fn(*args)
    if fn is range:
        raise _err("range() in device code is unrolled, so its bounds must be compile-time ints; loop over "
                   "tl.tile(...) or tl.grid(...) for a bound known only at run time")
    if inspect.isfunction(fn) or inspect.isbuiltin(fn) or callable(fn):
        raise _err(f"calls to `{name}` are not supported in device code (see docs/language.md for what is)")
    raise _err(f"`{name}` is not callable")


def _invoke(name: str, handler: Callable, c: DeviceCompiler, args: list, kwargs: dict) -> Any:
    try:
        bound = inspect.signature(handler).bind(c, *args, **kwargs)
    except TypeError as e:
        raise _err(f"bad arguments to {name}(): {e}") from None
    return handler(*bound.args, **bound.kwargs)


# ------------------------------------------------------------ operators

def unary(c: DeviceCompiler, op: ast.unaryop, v: Any) -> Any:
    if not isinstance(v, (TV, Tile, TensorArg)):
        try:
            return {ast.USub: lambda x: -x, ast.UAdd: lambda x: +x, ast.Not: lambda x: not x,
                    ast.Invert: lambda x: ~x}[type(op)](v)
        except Exception as e:  # noqa: BLE001 - a Python error in constant folding
            symbol = {ast.USub: "-", ast.UAdd: "+", ast.Not: "not", ast.Invert: "~"}[type(op)]
            raise _err(f"cannot apply `{symbol}` to {_describe(v)}: {e}") from None
    v = _tv(v)
    if isinstance(op, ast.USub):
        return emit.neg(v)
    if isinstance(op, ast.UAdd):
        return v
    if isinstance(op, ast.Invert):
        if v.dtype.is_floating_point:
            raise _err("`~` needs an integer or bool operand")
        return emit.binary("xor", v, emit.to_tv(True) if v.dtype == torch.bool else TV(
            emit.scalar_const(v.dtype, -1).value, v.dtype, (), True))
    raise _err("`not` on a device value is data-dependent control flow; use `~` for a bool tile")


def binary(c: DeviceCompiler, kind: str, a: Any, b: Any) -> TV:
    if kind == "matmul":
        return _matmul(c, _tv(a), _tv(b))
    if kind == "pow":
        return pow_(c, a, b)
    x = _tv(a, b if isinstance(b, TV) else None)
    y = _tv(b, a if isinstance(a, TV) else None)
    if kind == "add":
        fused = _fuse_dot_acc(x, y) or _fuse_dot_acc(y, x)
        if fused is not None:
            return fused
    return emit.binary(kind, x, y)


def compare(c: DeviceCompiler, kind: str, a: Any, b: Any) -> TV:
    x = _tv(a, b if isinstance(b, TV) else None)
    y = _tv(b, a if isinstance(a, TV) else None)
    return emit.compare(kind, x, y)


def index_value(c: DeviceCompiler, v: TV, index: ast.expr) -> TV:
    """``v[:, None]``-style indexing of a tile value (unit dims only)."""
    elts = index.elts if isinstance(index, ast.Tuple) else [index]
    dims: list[Any] = []
    src = list(v.dims)
    for e in elts:
        if isinstance(e, ast.Constant) and e.value is None:
            dims.append(1)
        elif isinstance(e, ast.Slice) and e.lower is None and e.upper is None and e.step is None:
            if not src:
                raise _err("too many indices for this tile")
            dims.append(src.pop(0))
        elif isinstance(e, ast.Constant) and e.value is Ellipsis:
            n = len(src) - sum(1 for x in elts[elts.index(e) + 1:] if not (isinstance(x, ast.Constant) and x.value is None))
            dims.extend(src[:n])
            src = src[n:]
        else:
            value = c.expr(e)
            if isinstance(value, int) and value == 0 and src and src[0] == 1:
                src.pop(0)
                continue
            raise _err("a tile value can only be indexed with `:`, `None`, `...` or 0 on a unit dimension")
    dims.extend(src)
    return emit.reshape(v, tuple(dims))


# ------------------------------------------------------------ elementwise math

_MATH = {
    torch.exp: "exp", torch.exp2: "exp2", torch.log: "log", torch.log2: "log2", torch.log10: "log10",
    torch.log1p: "log1p", torch.expm1: "expm1", torch.sqrt: "sqrt", torch.rsqrt: "rsqrt", torch.sin: "sin",
    torch.cos: "cos", torch.tan: "tan", torch.tanh: "tanh", torch.erf: "erf", torch.atan: "atan",
}
_ROUNDING = {torch.floor: "floor", torch.ceil: "ceil", torch.round: "roundeven", torch.trunc: "trunc"}


def _make_math(math_name: str) -> Callable:
    def handler(c: DeviceCompiler, input: Any) -> TV:  # noqa: A002 - torch's parameter name
        x = _tv(input)
        return emit.cast(emit.unary_math(math_name, _float(x)), _out_dtype(x))

    return handler


for _fn, _name in _MATH.items():
    register(_fn, getattr(F, _name, _fn) if _name == "tanh" else _fn, methods=(_fn.__name__,))(_make_math(_name))


def _make_rounding(math_name: str) -> Callable:
    def handler(c: DeviceCompiler, input: Any) -> TV:  # noqa: A002
        x = _tv(input)
        if not x.dtype.is_floating_point:
            return x
        return emit.cast(emit.unary_math(math_name, _float(x)), x.dtype)

    return handler


for _fn, _name in _ROUNDING.items():
    register(_fn, methods=(_fn.__name__,))(_make_rounding(_name))


@register(torch.sigmoid, F.sigmoid, methods=("sigmoid",))
def sigmoid(c: DeviceCompiler, input: Any) -> TV:  # noqa: A002
    x = _tv(input)
    xf = _float(x)
    one = emit.to_tv(1.0, xf.dtype)
    return emit.cast(emit.binary("div", one, emit.binary("add", one, emit.unary_math("exp", emit.neg(xf)))),
                     _out_dtype(x))


@register(F.silu, methods=())
def silu(c: DeviceCompiler, input: Any, inplace: bool = False) -> TV:  # noqa: A002
    x = _tv(input)
    xf = _float(x)
    return emit.cast(emit.binary("mul", xf, sigmoid(c, xf)), _out_dtype(x))


@register(F.gelu)
def gelu(c: DeviceCompiler, input: Any, approximate: str = "none") -> TV:  # noqa: A002
    x = _tv(input)
    xf = _float(x)
    half = emit.binary("mul", xf, emit.to_tv(0.5, xf.dtype))
    if approximate == "tanh":
        inner = emit.binary("add", xf, emit.binary("mul", emit.to_tv(0.044715, xf.dtype),
                                                   emit.binary("mul", xf, emit.binary("mul", xf, xf))))
        t = emit.unary_math("tanh", emit.binary("mul", emit.to_tv(pymath.sqrt(2.0 / pymath.pi), xf.dtype), inner))
    elif approximate == "none":
        t = emit.unary_math("erf", emit.binary("mul", xf, emit.to_tv(pymath.sqrt(0.5), xf.dtype)))
    else:
        raise _err(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return emit.cast(emit.binary("mul", half, emit.binary("add", emit.to_tv(1.0, xf.dtype), t)), _out_dtype(x))


@register(torch.relu, F.relu, methods=("relu",))
def relu(c: DeviceCompiler, input: Any, inplace: bool = False) -> TV:  # noqa: A002
    x = _tv(input)
    return emit.binary("max", x, TV(emit.scalar_const(x.dtype, 0).value, x.dtype, (), True))


@register(torch.abs, builtins.abs, methods=("abs",))
def abs_(c: DeviceCompiler, input: Any) -> Any:  # noqa: A002
    if not isinstance(input, (TV, Tile, TensorArg)):
        return builtins.abs(input)
    x = _tv(input)
    if x.dtype == torch.bool:
        return x
    name = "math.absf" if x.dtype.is_floating_point else "math.absi"
    return TV(emit.op(name, [x.value], x.value.type), x.dtype, x.dims, x.weak)


@register(torch.neg, methods=("neg",))
def neg(c: DeviceCompiler, input: Any) -> TV:  # noqa: A002
    return emit.neg(_tv(input))


@register(torch.reciprocal, methods=("reciprocal",))
def reciprocal(c: DeviceCompiler, input: Any) -> TV:  # noqa: A002
    x = _tv(input)
    return emit.binary("div", emit.to_tv(1.0, x.dtype), x)


@register(torch.square, methods=("square",))
def square(c: DeviceCompiler, input: Any) -> TV:  # noqa: A002
    x = _tv(input)
    return emit.binary("mul", x, x)


@register(torch.pow, methods=("pow",))
def pow_(c: DeviceCompiler, input: Any, exponent: Any) -> TV:  # noqa: A002
    if isinstance(exponent, (int, float)) and not isinstance(exponent, bool):
        x = _tv(input)
        if exponent == 2:
            return emit.binary("mul", x, x)
        if exponent == 1:
            return x
        if exponent == 3:
            return emit.binary("mul", x, emit.binary("mul", x, x))
        if exponent == 0.5:
            return emit.cast(emit.unary_math("sqrt", _float(x)), _out_dtype(x))
        if exponent == -1:
            return reciprocal(c, x)
    x, y = _tv(input, exponent if isinstance(exponent, TV) else None), _tv(exponent, input if isinstance(input, TV) else None)
    dtype = emit.promote(x, y)
    if not dtype.is_floating_point:
        raise _err("pow with an integer result is only supported for the exponents 1, 2 and 3")
    cd = dt.opmath(dtype)
    a, b = emit.align(x, y, cd)
    r = TV(emit.op("math.powf", [a.value, b.value], a.value.type), cd, a.dims)
    return emit.cast(r, dtype)


@register(torch.maximum, methods=("maximum",))
def maximum(c: DeviceCompiler, input: Any, other: Any) -> TV:  # noqa: A002
    return binary(c, "max", input, other)


@register(torch.minimum, methods=("minimum",))
def minimum(c: DeviceCompiler, input: Any, other: Any) -> TV:  # noqa: A002
    return binary(c, "min", input, other)


@register(torch.clamp, torch.clip, methods=("clamp", "clip"))
def clamp(c: DeviceCompiler, input: Any, min: Any = None, max: Any = None) -> TV:  # noqa: A002
    x = _tv(input)
    if min is not None:
        x = binary(c, "max", x, min)
    if max is not None:
        x = binary(c, "min", x, max)
    return x


@register(torch.where)
def where(c: DeviceCompiler, condition: Any, input: Any, other: Any) -> TV:  # noqa: A002
    cond = _tv(condition)
    a = _tv(input, other if isinstance(other, TV) else None)
    b = _tv(other, input if isinstance(input, TV) else None)
    return emit.where(cond, a, b)


@register(methods=("masked_fill",))
def masked_fill(c: DeviceCompiler, input: Any, mask: Any, value: Any) -> TV:  # noqa: A002
    x = _tv(input)
    return emit.cast(emit.where(_tv(mask), _tv(value, x), x), x.dtype)


for _name, _kind in (("add", "add"), ("sub", "sub"), ("mul", "mul"), ("div", "div")):
    def _method(c: DeviceCompiler, input: Any, other: Any, _kind: str = _kind) -> TV:  # noqa: A002
        return binary(c, _kind, input, other)

    register(getattr(torch, _name), methods=(_name,))(_method)


def _builtin_minmax(which: str) -> Callable:
    py = builtins.min if which == "min" else builtins.max

    def handler(c: DeviceCompiler, *args: Any) -> Any:
        if len(args) == 1 and isinstance(args[0], (tuple, list)):
            args = tuple(args[0])
        if not any(isinstance(a, (TV, Tile, TensorArg)) for a in args):
            return py(*args)
        out = args[0]
        for a in args[1:]:
            out = binary(c, which, out, a)
        return out

    return handler


FUNCS[id(builtins.min)] = ("min", _builtin_minmax("min"))
FUNCS[id(builtins.max)] = ("max", _builtin_minmax("max"))


# ------------------------------------------------------------ casts

@register(methods=("to", "type"))
def to(c: DeviceCompiler, input: Any, dtype: Any = None, *args: Any, **kwargs: Any) -> TV:  # noqa: A002
    x = _tv(input)
    target = dtype if isinstance(dtype, torch.dtype) else kwargs.get("dtype")
    if isinstance(dtype, TV):
        target = dtype.dtype
    if not isinstance(target, torch.dtype):
        raise _err(f".to() needs a dtype in device code, got {_describe(dtype)}")
    if not dt.is_supported(target):
        raise _err(f"dtype {target} is not supported")
    return emit.cast(x, target)


for _m, _d in (("float", torch.float32), ("half", torch.float16), ("bfloat16", torch.bfloat16),
               ("double", torch.float64), ("int", torch.int32), ("long", torch.int64), ("bool", torch.bool)):
    def _cast_method(c: DeviceCompiler, input: Any, _d: torch.dtype = _d) -> TV:  # noqa: A002
        return emit.cast(_tv(input), _d)

    METHODS[_m] = _cast_method


@register(methods=("type_as",))
def type_as(c: DeviceCompiler, input: Any, other: Any) -> TV:  # noqa: A002
    return emit.cast(_tv(input), _tv(other).dtype)


from tegula.compiler.frontend.torch_reductions import (  # noqa: E402,F401 - registers more handlers
    _fuse_dot_acc,
    _matmul,
    _permute,
)
