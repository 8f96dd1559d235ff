"""RMS normalization over the last dimension, with weight."""

from __future__ import annotations

import torch

import tegula
import tegula.language as tl
from tegula.examples import Example, randn


@tegula.kernel
def rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    m, n = x.size()
    out = torch.empty_like(x)
    for tile_m in tl.tile(m):
        row = x[tile_m, :].to(torch.float32)
        inv_rms = torch.rsqrt(torch.mean(row * row, dim=-1, keepdim=True) + eps)
        out[tile_m, :] = (row * inv_rms * weight[None, :].float()).to(out.dtype)
    return out


def example_args() -> tuple:
    return randn(1024, 1000), randn(1000)


def _reference(x, w):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * w


def _inputs(shape, dtype, device="cpu"):
    m, n = shape
    return randn(m, n, dtype=dtype, device=device), randn(n, dtype=dtype, device=device)


EXAMPLES = [Example(
    "rms_norm", rms_norm, _reference, _inputs, shapes=[(1, 7), (100, 333), (257, 1025)],
    bench_shape=(4096, 8192), demo_shape=(2048, 1024),
    tolerance={torch.float32: (1e-4, 1e-4), torch.bfloat16: (2e-2, 5e-2), torch.float16: (5e-3, 1e-2)},
)]
