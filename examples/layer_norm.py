"""Layer normalization over the last dimension, with weight and bias."""

from __future__ import annotations

import torch
import torch.nn.functional as F

import tegula
import tegula.language as tl
from tegula.examples import Example, randn


@tegula.kernel
def layer_norm(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    m, n = x.size()
    out = torch.empty_like(x)
    for tile_m in tl.tile(m):
        row = x[tile_m, :].float()
        mean = torch.mean(row, dim=-1, keepdim=True)
        centered = row - mean
        var = torch.mean(centered * centered, dim=-1, keepdim=True)
        normed = centered * torch.rsqrt(var + eps)
        out[tile_m, :] = (normed * weight[None, :].float() + bias[None, :].float()).to(out.dtype)
    return out


def example_args() -> tuple:
    return randn(1024, 1000), randn(1000), randn(1000)


def _inputs(shape, dtype, device="cpu"):
    m, n = shape
    return randn(m, n, dtype=dtype, device=device), randn(n, dtype=dtype, device=device), \
        randn(n, dtype=dtype, device=device)


EXAMPLES = [Example(
    "layer_norm", layer_norm, lambda x, w, b: F.layer_norm(x, (x.shape[-1],), w, b, 1e-5), _inputs,
    shapes=[(1, 7), (100, 333), (257, 1025)], bench_shape=(4096, 8192), demo_shape=(2048, 1024),
    tolerance={torch.float32: (1e-4, 1e-4), torch.bfloat16: (2e-2, 5e-2), torch.float16: (5e-3, 1e-2)},
)]
