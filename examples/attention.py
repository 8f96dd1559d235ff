"""Flash attention forward (online softmax), non-causal and causal, as in Helion's example.

``q, k, v`` are ``[batch, heads, seq, head_dim]``; the kernel works on
``[batch*heads, seq, head_dim]`` views and keeps a running max and sum per row
so that the scores never leave the tile.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

import tegula
import tegula.language as tl
from tegula.examples import Example, randn


@tegula.kernel
def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False) -> torch.Tensor:
    m_dim, head_dim = q.size(-2), q.size(-1)
    n_dim = k.size(-2)
    q_view = q.reshape([-1, m_dim, head_dim])
    k_view = k.reshape([-1, n_dim, head_dim])
    v_view = v.reshape([-1, n_dim, head_dim])
    out = torch.empty_like(q_view)
    qk_scale = 1.0 / math.sqrt(head_dim) * 1.44269504  # 1/sqrt(d) * log2(e)
    for tile_b, tile_m in tl.tile([q_view.size(0), m_dim], block_size=[1, None]):
        m_i = tl.full([tile_b, tile_m], float("-inf"), dtype=torch.float32)
        l_i = torch.full_like(m_i, 1.0)
        acc = tl.zeros([tile_b, tile_m, head_dim], dtype=torch.float32)
        q_tile = q_view[tile_b, tile_m, :]
        end = n_dim
        if causal:
            end = tile_m.end  # keys after the last query of this tile are all masked: skip them
        for tile_n in tl.tile(0, end):
            # K is read row by row (contiguous) and transposed in registers; the scores stay in float32
            qk = tl.dot(q_tile, k_view[tile_b, tile_n, :].transpose(1, 2), out_dtype=torch.float32)
            if causal:
                visible = tile_m.index[:, None] >= tile_n.index[None, :]
                qk = torch.where(visible[None, :, :], qk, float("-inf"))
            m_ij = torch.maximum(m_i, torch.amax(qk, -1) * qk_scale)
            p = torch.exp2(qk * qk_scale - m_ij[:, :, None])
            alpha = torch.exp2(m_i - m_ij)
            l_i = l_i * alpha + torch.sum(p, -1)
            acc = acc * alpha[:, :, None]
            acc = torch.baddbmm(acc, p.to(v.dtype), v_view[tile_b, tile_n, :])
            m_i = m_ij
        out[tile_b, tile_m, :] = (acc / l_i[:, :, None]).to(out.dtype)
    return out.view(q.size())


def example_args() -> tuple:
    return randn(2, 4, 256, 64), randn(2, 4, 256, 64), randn(2, 4, 256, 64)


def _inputs(shape, dtype, device="cpu"):
    b, h, s, d = shape
    return tuple(randn(b, h, s, d, dtype=dtype, device=device) for _ in range(3))


def _inputs_causal(shape, dtype, device="cpu"):
    return (*_inputs(shape, dtype, device), True)


def _reference(q, k, v, causal=False):
    return F.scaled_dot_product_attention(q, k, v, is_causal=causal)


EXAMPLES = [
    Example("attention", attention, _reference, _inputs, shapes=[(1, 1, 1, 16), (1, 2, 100, 32), (2, 1, 129, 64)],
            bench_shape=(4, 32, 4096, 128), demo_shape=(1, 4, 256, 64), bound="compute",
            tolerance={torch.float32: (1e-4, 1e-4), torch.bfloat16: (2e-2, 2e-2), torch.float16: (5e-3, 5e-3)}),
    Example("attention_causal", attention, _reference, _inputs_causal,
            shapes=[(1, 1, 1, 16), (1, 2, 100, 32), (2, 1, 129, 64)], bench_shape=(4, 32, 4096, 128),
            demo_shape=(1, 4, 256, 64), bound="compute",
            tolerance={torch.float32: (1e-4, 1e-4), torch.bfloat16: (2e-2, 2e-2), torch.float16: (5e-3, 5e-3)}),
]
