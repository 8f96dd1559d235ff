# The cuTile emitter's load and store forms (no GPU needed), through Kernel.emit at stage cutile.
# - A softmax row (bf16, 4096 columns) under the defaults: element gathers and scatters straight into
#   registers, its 1x4096 tile with its unit dimension dropped, exp as ex2.approx.ftz of x * log2(e), the
#   division by the row's sum a multiply by its float32 reciprocal, rounded to bf16 once, bounds checked on every
#   tile.
# - add under the defaults: each gather and scatter skips cuTile's bounds checks where its tile lies inside the
#   array and keeps them at the edges.
# - The same row with access=view, unit_dims=keep: a zero-padded view load of a 1x4096 tile.
# - Attention under the defaults: K^T loaded transposed by the copy (order=), 2-D tiles for both mmas, the
#   store reshaping back to the view's 1x128x64 tile, and 2 programs per SM.
# RUN: %python %s | filecheck %s

import torch

import tegula
from tegula.examples.add import add
from tegula.examples.attention import attention
from tegula.examples.softmax import softmax

x = torch.randn(64, 4096, dtype=torch.bfloat16)
print(tegula.Kernel(softmax.fn, backend="tileir", effort="none").emit(x, stage="cutile"))
# CHECK: @ct.kernel(occupancy=8)
# CHECK-NEXT: def softmax_launch0(
# CHECK: [[COLS:g[0-9]+]] = ct.add(ct.arange(4096, dtype=ct.int32), 0 * 4096)
# CHECK-NEXT: [[ROW:t[0-9]+]] = ct.gather(p0, ([[BID:bid[0-9]+]], [[COLS]],), padding_value=0)
# CHECK: ct.max({{v[0-9]+}}, axis=0)
# CHECK: ct.exp2(ct.mul({{v[0-9]+}}, LOG2E), flush_to_zero=True)
# CHECK: [[R:r[0-9]+]] = ct.truediv(1.0, ct.astype({{v[0-9]+}}, ct.float32), rounding_mode=ct.RoundingMode.FULL)
# CHECK-NEXT: ct.astype(ct.mul(ct.astype({{v[0-9]+}}, ct.float32), ct.broadcast_to(ct.reshape([[R]], (1,)), (4096,))), ct.bfloat16)
# CHECK: ct.scatter(p1, ([[BID]], {{g[0-9]+}},), {{v[0-9]+}})
# CHECK-NOT: check_bounds=False
# CHECK: def softmax_host0(

print(tegula.Kernel(softmax.fn, backend="tileir", effort="none",
                    config={"access": "view", "unit_dims": "keep"}).emit(x, stage="cutile"))
# CHECK: def softmax_launch0(
# CHECK: ct.load(p0, index=({{bid[0-9]+}}, 0,), shape=(1, 4096,), padding_mode=ct.PaddingMode.ZERO)
# CHECK: ct.max({{v[0-9]+}}, axis=1)
# CHECK: ct.store(p1, index=({{bid[0-9]+}}, 0,), tile={{v[0-9]+}})

a, b = torch.randn(2, 1000, 999, dtype=torch.bfloat16)
print(tegula.Kernel(add.fn, backend="tileir", effort="none").emit(a, b, stage="cutile"))
# CHECK: def add_launch0(
# CHECK: [[IN:c[0-9]+]] = ([[ROW:i[0-9]+]] + 1) * 16 <= p0.shape[0] and ([[COL:i[0-9]+]] + 1) * 256 <= p0.shape[1]
# CHECK-NEXT: if [[IN]]:
# CHECK-NEXT: [[A:t[0-9]+]] = ct.gather(p0, ({{g[0-9]+}}, {{g[0-9]+}},), check_bounds=False)
# CHECK-NEXT: else:
# CHECK-NEXT: [[A]] = ct.gather(p0, ({{g[0-9]+}}, {{g[0-9]+}},), padding_value=0)
# CHECK: [[OUT:c[0-9]+]] = ([[ROW]] + 1) * 16 <= p2.shape[0] and ([[COL]] + 1) * 256 <= p2.shape[1]
# CHECK-NEXT: if [[OUT]]:
# CHECK-NEXT: ct.scatter(p2, ({{g[0-9]+}}, {{g[0-9]+}},), {{v[0-9]+}}, check_bounds=False)
# CHECK-NEXT: else:
# CHECK-NEXT: ct.scatter(p2, ({{g[0-9]+}}, {{g[0-9]+}},), {{v[0-9]+}})

q = torch.randn(1, 2, 256, 64, dtype=torch.bfloat16)
print(tegula.Kernel(attention.fn, backend="tileir", effort="none").emit(q, q, q, stage="cutile"))
# CHECK: @ct.kernel(occupancy=2)
# CHECK-NEXT: def attention_launch0(
# CHECK: [[Q:t[0-9]+]] = ct.reshape(ct.load(p0, index=({{.*}}), shape=(1, 128, 64,), padding_mode=ct.PaddingMode.ZERO), (128, 64,))
# CHECK: for {{k[0-9]+}} in range(
# CHECK: [[KT:t[0-9]+]] = ct.reshape(ct.load(p1, index=({{i[0-9]+}}, 0, {{i[0-9]+}},), shape=(1, 64, 64,), order=(0, 2, 1,), padding_mode=ct.PaddingMode.ZERO), (64, 64,))
# CHECK-NEXT: {{v[0-9]+}} = ct.mma([[Q]], [[KT]], {{v[0-9]+}})
# CHECK: ct.exp2({{v[0-9]+}}, flush_to_zero=True)
# CHECK: ct.mma({{v[0-9]+}}, {{t[0-9]+}}, {{v[0-9]+}})
# CHECK: ct.store(p3, index=({{.*}}), tile=ct.reshape({{v[0-9]+}}, (1, 128, 64,)))
# CHECK-NOT: ct.permute(
