"""Sum over the last dimension of a 2-D tensor."""

from __future__ import annotations

import torch

import tegula
import tegula.language as tl
from tegula.examples import Example, randn


@tegula.kernel
def sum_rows(x: torch.Tensor) -> torch.Tensor:
    m, _ = x.size()
    out = torch.empty([m], dtype=x.dtype, device=x.device)
    for tile_m in tl.tile(m):
        out[tile_m] = x[tile_m, :].sum(-1)
    return out


def example_args() -> tuple:
    return (randn(1024, 1000),)


EXAMPLES = [Example(
    "sum", sum_rows, lambda x: x.sum(-1),
    lambda shape, dtype, device="cpu": (randn(*shape, dtype=dtype, device=device),),
    shapes=[(1, 1), (100, 333), (513, 1025)], bench_shape=(4096, 8192), demo_shape=(2048, 1024),
    tolerance={torch.float32: (1e-4, 1e-3), torch.bfloat16: (2e-2, 1e-1), torch.float16: (5e-3, 5e-2)},
)]
