"""GELU (the exact, erf form) of a 2-D tensor."""

from __future__ import annotations

import torch
import torch.nn.functional as F

import tegula
import tegula.language as tl
from tegula.examples import Example, randn


@tegula.kernel
def gelu(x: torch.Tensor) -> torch.Tensor:
    out = torch.empty_like(x)
    for tile_m, tile_n in tl.tile(x.size()):
        out[tile_m, tile_n] = F.gelu(x[tile_m, tile_n])
    return out


def example_args() -> tuple:
    return (randn(1024, 1000),)


EXAMPLES = [Example(
    "gelu", gelu, lambda x: F.gelu(x),
    lambda shape, dtype, device="cpu": (randn(*shape, dtype=dtype, device=device),),
    shapes=[(1, 1000), (129, 65), (1000, 77)], bench_shape=(4096, 4096), demo_shape=(1024, 1024),
)]
