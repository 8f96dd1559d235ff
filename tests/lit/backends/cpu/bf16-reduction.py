# A bf16 row max on the CPU: the frontend widens the row to float32 (extf) and rounds the max once (truncf), and
# the module defines compiler-rt's __truncsfbf2 itself: with the float32 accumulator in a register, LLVM narrows
# the max of widened bf16 values to bf16 arithmetic and converts back with a call of that function, which the
# JIT has no library for.
# RUN: %python %s | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel(config={"block_sizes": [4]})
def row_max(x):
    out = torch.empty([x.size(0)], dtype=x.dtype, device=x.device)
    for t in tl.tile(x.size(0)):
        out[t] = x[t, :].amax(-1)
    return out


x = torch.randn(64, 100, dtype=torch.bfloat16)
print(row_max.emit(x, stage="cpu-linalg"))
assert torch.equal(row_max(x), x.amax(-1))

# CHECK-LABEL: func.func @row_max_launch0
# CHECK: %[[ACC:buf[0-9]+]] = memref.alloc(%{{[a-z0-9]+}}) : memref<?xf32>
# CHECK: scf.for %pid =
# CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : memref<?x?xbf16{{.*}}>) outs(%{{.*}} : memref<?xf32
# CHECK: "arith.extf"(%{{[a-z0-9_]+}}) : (bf16) -> f32
# CHECK: arith.maximumf {{.*}} : f32
# CHECK: linalg.generic {{.*}}iterator_types = ["parallel"]}
# CHECK: "arith.truncf"(%{{[a-z0-9_]+}}) : (f32) -> bf16
# CHECK: func.func @__truncsfbf2(%x: f32) -> bf16
