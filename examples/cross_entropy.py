"""Cross-entropy loss per row (``F.cross_entropy(..., reduction="none")``).

The logit of each row's label is picked with a compare-and-sum over
``torch.arange(v)``, so the kernel needs no gather.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

import tegula
import tegula.language as tl
from tegula.examples import Example, randn


@tegula.kernel
def cross_entropy(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    n, v = logits.size()
    losses = torch.empty([n], dtype=torch.float32, device=logits.device)
    for tile_n in tl.tile(n):
        rows = logits[tile_n, :].float()
        amax = torch.amax(rows, dim=-1, keepdim=True)
        lse = amax + torch.log(torch.sum(torch.exp(rows - amax), dim=-1, keepdim=True))
        hit = torch.arange(v)[None, :] == labels[tile_n][:, None]
        target = torch.sum(torch.where(hit, rows, 0.0), dim=-1, keepdim=True)
        losses[tile_n] = (lse - target).squeeze(-1)
    return losses


def example_args() -> tuple:
    return randn(512, 32000), torch.randint(0, 32000, (512,))


def _inputs(shape, dtype, device="cpu"):
    n, v = shape
    return randn(n, v, dtype=dtype, device=device), torch.randint(0, v, (n,), device=device)


def _reference(logits, labels):
    return F.cross_entropy(logits, labels, reduction="none")


EXAMPLES = [Example(
    "cross_entropy", cross_entropy, _reference, _inputs, shapes=[(1, 5), (100, 333), (67, 4097)],
    bench_shape=(4096, 32768), demo_shape=(256, 32000),
    tolerance={torch.float32: (1e-4, 1e-4), torch.bfloat16: (1e-3, 1e-3), torch.float16: (1e-3, 1e-3)},
)]
