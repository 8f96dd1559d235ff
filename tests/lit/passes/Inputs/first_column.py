"""A kernel reading a fixed column: a tile index and a scalar one (the tileir lowering lit test)."""

import torch
import tegula
import tegula.language as tl


@tegula.kernel
def first_column(x: torch.Tensor) -> torch.Tensor:
    out = torch.empty([x.size(0)], dtype=x.dtype, device=x.device)
    for tile in tl.tile(x.size(0)):
        out[tile] = x[tile, 0]
    return out


def example_args():
    return (torch.randn(100, 8),)
