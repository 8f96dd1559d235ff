# The matmul example compiled for sm_90 with its k-loop operands promoted (promote_operands, the default):
# Hopper's warp-group MMA should read both tiles from shared memory, as it does with promotion off.
# (Pins a fixed bug: the codegen did not see through tile.local when deciding whether a dot operand is
# zero-padded, masked A with tl.where, and A then went through registers: dot_op layout, local_load.)
# RUN: %python %s | filecheck %s

import torch

import tegula
from tegula.examples.matmul import matmul

a = torch.randn(512, 512, dtype=torch.bfloat16)
b = torch.randn(512, 512, dtype=torch.bfloat16)
kernel = tegula.Kernel(matmul.fn, backend="triton",
                       config={"block_sizes": [128, 128, 64], "num_warps": 8, "num_stages": 3,
                               "promote_operands": True})
print(kernel.emit(a, b, stage="triton"))
print(kernel.emit(a, b, stage="triton-ttgir"))

# CHECK-LABEL: def matmul_launch0(
# CHECK: for {{k[0-9]+}} in tl.range(
# CHECK-NOT: tl.where
# CHECK: tl.dot(
# CHECK: tt.func public @matmul_launch0
# CHECK: ttng.warp_group_dot {{.*}} : !ttg.memdesc<128x64xbf16, {{.*}}> * !ttg.memdesc<64x128xbf16, {{.*}}> -> tensor<128x128xf32
