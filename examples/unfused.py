"""Kernels written as two loops (statistics, then apply): what ``tegula-fuse`` turns into one loop.

They compute the same as ``layer_norm`` and ``softmax``; the statistics go through scratch tensors the
host code allocates and never returns, so once the loops are fused those tensors are not even written.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

import tegula
import tegula.language as tl
from tegula.examples import Example, randn


@tegula.kernel
def layer_norm_two_loops(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor,
                         eps: float = 1e-5) -> torch.Tensor:
    m, n = x.size()
    mean = torch.empty([m], dtype=torch.float32, device=x.device)
    rstd = torch.empty([m], dtype=torch.float32, device=x.device)
    out = torch.empty_like(x)
    for tile_m in tl.tile(m):
        row = x[tile_m, :].float()
        mu = row.mean(-1)
        centered = row - mu[:, None]
        mean[tile_m] = mu
        rstd[tile_m] = torch.rsqrt((centered * centered).mean(-1) + eps)
    for tile_m in tl.tile(m):
        row = x[tile_m, :].float()
        normed = (row - mean[tile_m][:, None]) * rstd[tile_m][:, None]
        out[tile_m, :] = (normed * weight[None, :].float() + bias[None, :].float()).to(out.dtype)
    return out


@tegula.kernel
def softmax_two_loops(x: torch.Tensor) -> torch.Tensor:
    n, m = x.size()
    row_max = torch.empty([n], dtype=torch.float32, device=x.device)
    row_sum = torch.empty([n], dtype=torch.float32, device=x.device)
    out = torch.empty_like(x)
    for tile_n in tl.tile(n):
        values = x[tile_n, :].float()
        mx = values.amax(-1)
        row_max[tile_n] = mx
        row_sum[tile_n] = torch.exp(values - mx[:, None]).sum(-1)
    for tile_n in tl.tile(n):
        values = x[tile_n, :].float()
        out[tile_n, :] = (torch.exp(values - row_max[tile_n][:, None]) / row_sum[tile_n][:, None]).to(out.dtype)
    return out


def example_args() -> tuple:
    return randn(1024, 1000), randn(1000), randn(1000)


def example_args_softmax_two_loops() -> tuple:
    return (randn(1000, 333),)


def _ln_inputs(shape, dtype, device="cpu"):
    m, n = shape
    return randn(m, n, dtype=dtype, device=device), randn(n, dtype=dtype, device=device), \
        randn(n, dtype=dtype, device=device)


EXAMPLES = [
    Example("layer_norm_two_loops", layer_norm_two_loops,
            lambda x, w, b: F.layer_norm(x, (x.shape[-1],), w, b, 1e-5), _ln_inputs,
            shapes=[(1, 7), (100, 333), (257, 1025)], bench_shape=(4096, 8192), demo_shape=(2048, 1024),
            tolerance={torch.float32: (1e-4, 1e-4), torch.bfloat16: (2e-2, 5e-2), torch.float16: (5e-3, 1e-2)}),
    Example("softmax_two_loops", softmax_two_loops, lambda x: torch.softmax(x, -1),
            lambda shape, dtype, device="cpu": (randn(*shape, dtype=dtype, device=device),),
            shapes=[(1, 1), (1000, 333), (129, 2049)], bench_shape=(4096, 4096), demo_shape=(2048, 1024)),
]
