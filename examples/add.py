"""Elementwise add of two tensors of any shape (a multi-dimensional tile loop)."""

from __future__ import annotations

import torch

import tegula
import tegula.language as tl
from tegula.examples import Example, randn


@tegula.kernel
def add(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    x, y = torch.broadcast_tensors(x, y)
    out = torch.empty(x.shape, dtype=torch.promote_types(x.dtype, y.dtype), device=x.device)
    for tile in tl.tile(out.size()):
        out[tile] = x[tile] + y[tile]
    return out


def example_args() -> tuple:
    return randn(1024, 1000), randn(1024, 1000)


EXAMPLES = [Example(
    "add", add, lambda x, y: x + y,
    lambda shape, dtype, device="cpu": (randn(*shape, dtype=dtype, device=device),
                                        randn(*shape, dtype=dtype, device=device)),
    shapes=[(1000,), (64, 129), (3, 17, 33)], bench_shape=(4096, 4096), demo_shape=(1024, 1024),
)]
