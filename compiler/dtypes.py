"""Mapping between torch dtypes and MLIR element types, and torch's promotion.

Type promotion follows torch exactly by asking torch itself: the operands are
stood in for by tiny ``meta`` tensors (or Python scalars for "weak" values),
so every rule of ``torch.result_type`` (categories, zero-dim priority, Python
scalars) holds without being re-implemented here.
"""

from __future__ import annotations

import functools

import torch

from tegula.compiler.mlir import ir

#: dtypes a kernel may take and compute with.
SUPPORTED = {
    torch.float32: "f32",
    torch.float16: "f16",
    torch.bfloat16: "bf16",
    torch.float64: "f64",
    torch.int32: "i32",
    torch.int64: "i64",
    torch.int16: "i16",
    torch.int8: "i8",
    torch.uint8: "i8",
    torch.bool: "i1",
}

_FROM_MLIR = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16, "f64": torch.float64,
              "i32": torch.int32, "i64": torch.int64, "i16": torch.int16, "i8": torch.int8, "i1": torch.bool}

LOW_PRECISION = (torch.float16, torch.bfloat16)


def is_supported(dtype: torch.dtype) -> bool:
    return dtype in SUPPORTED


def mlir_name(dtype: torch.dtype) -> str:
    return SUPPORTED[dtype]


def to_mlir(dtype: torch.dtype) -> ir.Type:
    """The MLIR element type of a torch dtype (in the current context)."""
    return ir.Type.parse(SUPPORTED[dtype])


def from_mlir(t: ir.Type) -> torch.dtype:
    return _FROM_MLIR[str(t)]


def is_float(dtype: torch.dtype) -> bool:
    return dtype.is_floating_point


def is_int(dtype: torch.dtype) -> bool:
    return not dtype.is_floating_point and dtype != torch.bool


def is_signed(dtype: torch.dtype) -> bool:
    return dtype != torch.uint8 and dtype != torch.bool


def bitwidth(dtype: torch.dtype) -> int:
    return 1 if dtype == torch.bool else torch.finfo(dtype).bits if dtype.is_floating_point else torch.iinfo(dtype).bits


def opmath(dtype: torch.dtype) -> torch.dtype:
    """The dtype torch computes composite math in (f32 for f16/bf16)."""
    return torch.float32 if dtype in LOW_PRECISION else dtype


# A proxy stands for an operand in torch's promotion: ("tensor", dtype),
# ("zerodim", dtype) or ("scalar", python type).
Proxy = tuple


@functools.lru_cache(maxsize=4096)
def _materialize(proxy: Proxy) -> object:
    kind, what = proxy
    if kind == "tensor":
        return torch.empty((1,), dtype=what, device="meta")
    if kind == "zerodim":
        return torch.empty((), dtype=what, device="meta")
    return {bool: True, int: 1, float: 1.0}[what]


@functools.lru_cache(maxsize=4096)
def result_type(a: Proxy, b: Proxy) -> torch.dtype:
    """``torch.result_type`` of two operands described by proxies."""
    x, y = _materialize(a), _materialize(b)
    if not isinstance(x, torch.Tensor) and not isinstance(y, torch.Tensor):
        return _scalar_pair(x, y)
    if not isinstance(x, torch.Tensor):
        x, y = y, x
    return torch.result_type(x, y)


def _scalar_pair(x: object, y: object) -> torch.dtype:
    if isinstance(x, float) or isinstance(y, float):
        return torch.get_default_dtype()
    if isinstance(x, int) and not isinstance(x, bool) or isinstance(y, int) and not isinstance(y, bool):
        return torch.int64
    return torch.bool


@functools.lru_cache(maxsize=4096)
def unary_result(fn_name: str, dtype: torch.dtype) -> torch.dtype:
    """The dtype ``torch.<fn_name>`` returns for a tensor of ``dtype``."""
    fn = getattr(torch, fn_name)
    return fn(torch.empty((1,), dtype=dtype, device="meta")).dtype
