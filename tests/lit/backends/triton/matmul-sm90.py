# The matmul example with bf16 inputs compiled by Triton for sm_90 (no GPU needed): a pipelined k loop
# (cp.async into shared memory) feeding Hopper's warp-group MMA; and the Triton source it came from.
# RUN: %python %s | filecheck %s

import torch

import tegula
from tegula.examples.matmul import matmul

kernel = tegula.Kernel(matmul.fn, backend="triton",
                       config={"block_sizes": [128, 128, 64], "num_warps": 8, "num_stages": 3})
a = torch.randn(512, 512, dtype=torch.bfloat16)
b = torch.randn(512, 512, dtype=torch.bfloat16)
print(kernel.emit(a, b, stage="triton"))
print(kernel.emit(a, b, stage="triton-ttgir"))

# CHECK-LABEL: def matmul_launch0(
# CHECK: for [[K:k[0-9]+]] in tl.range(0, {{.*}}, 64, num_stages=3):
# CHECK: tl.dot({{.*}}, acc={{.*}}, out_dtype=tl.float32)
# CHECK: tt.func public @matmul_launch0
# CHECK: ttg.async_copy_global_to_local
# CHECK: scf.for
# CHECK: ttng.warp_group_dot {{.*}} -> tensor<128x128xf32
