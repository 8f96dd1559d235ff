"""Matrix multiplication with a fused bias + ReLU epilogue."""

from __future__ import annotations

import torch

import tegula
import tegula.language as tl
from tegula.examples import Example, randn


@tegula.kernel
def matmul_bias_relu(x: torch.Tensor, y: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    m, k = x.size()
    _, n = y.size()
    out = torch.empty([m, n], dtype=x.dtype, device=x.device)
    for tile_m, tile_n in tl.tile([m, n]):
        acc = tl.zeros([tile_m, tile_n], dtype=torch.float32)
        for tile_k in tl.tile(k):
            acc = acc + x[tile_m, tile_k] @ y[tile_k, tile_n]
        out[tile_m, tile_n] = torch.relu(acc + bias[None, tile_n]).to(out.dtype)
    return out


def example_args() -> tuple:
    return randn(512, 512), randn(512, 512), randn(512)


def _inputs(shape, dtype, device="cpu"):
    m, k, n = shape
    return randn(m, k, dtype=dtype, device=device), randn(k, n, dtype=dtype, device=device), \
        randn(n, dtype=dtype, device=device)


EXAMPLES = [Example(
    "matmul_bias_relu", matmul_bias_relu, lambda x, y, b: torch.relu(x @ y + b), _inputs,
    shapes=[(1, 1, 1), (100, 33, 70), (129, 257, 65)], bench_shape=(1024, 1024, 1024), demo_shape=(256, 256, 256), bound="compute",
    tolerance={torch.float32: (1e-4, 1e-3), torch.bfloat16: (2e-2, 1e-1), torch.float16: (5e-3, 5e-2)},
)]
