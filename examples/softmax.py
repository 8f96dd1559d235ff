"""Row softmax (the example of the README)."""

from __future__ import annotations

import torch

import tegula
import tegula.language as tl
from tegula.examples import Example, randn


@tegula.kernel
def softmax(x: torch.Tensor) -> torch.Tensor:
    n, m = x.size()
    out = torch.empty_like(x)
    for tile_n in tl.tile(n):
        values = x[tile_n, :]
        amax = torch.amax(values, dim=1, keepdim=True)
        exp = torch.exp(values - amax)
        out[tile_n, :] = exp / torch.sum(exp, dim=1, keepdim=True)
    return out


def example_args() -> tuple:
    return (randn(1000, 333),)


EXAMPLES = [Example(
    "softmax", softmax, lambda x: torch.softmax(x, -1),
    lambda shape, dtype, device="cpu": (randn(*shape, dtype=dtype, device=device),),
    shapes=[(1, 1), (1000, 333), (129, 2049)], bench_shape=(4096, 4096), demo_shape=(2048, 1024),
)]
