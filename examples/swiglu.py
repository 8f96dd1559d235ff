"""Gated linear units: SwiGLU (``silu(a) * b``) and GEGLU (``gelu(a, 'tanh') * b``)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

import tegula
import tegula.language as tl
from tegula.examples import Example, randn


@tegula.kernel
def swiglu(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    out = torch.empty_like(a)
    for tile_m, tile_n in tl.tile(a.size()):
        x = a[tile_m, tile_n].float()
        out[tile_m, tile_n] = (F.silu(x) * b[tile_m, tile_n]).to(out.dtype)
    return out


@tegula.kernel
def geglu(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    out = torch.empty_like(a)
    for tile_m, tile_n in tl.tile(a.size()):
        x = a[tile_m, tile_n].float()
        out[tile_m, tile_n] = (F.gelu(x, approximate="tanh") * b[tile_m, tile_n]).to(out.dtype)
    return out


def example_args() -> tuple:
    return randn(1024, 1000), randn(1024, 1000)


def _inputs(shape, dtype, device="cpu"):
    return randn(*shape, dtype=dtype, device=device), randn(*shape, dtype=dtype, device=device)


EXAMPLES = [
    Example("swiglu", swiglu, lambda a, b: F.silu(a) * b, _inputs, shapes=[(1, 1), (100, 333), (257, 65)],
            bench_shape=(4096, 8192), demo_shape=(1024, 1024)),
    Example("geglu", geglu, lambda a, b: F.gelu(a, approximate="tanh") * b, _inputs,
            shapes=[(3, 7), (100, 333), (257, 65)], bench_shape=(4096, 8192), demo_shape=(1024, 1024)),
]
