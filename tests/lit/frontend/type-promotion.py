# Torch type promotion: int32 + float32 converts the int tile (sitofp) and
# adds in float32; a bfloat16 tensor times a Python float stays bfloat16 (the
# constant is a bf16 splat); a bfloat16 sum accumulates in float32.
# RUN: %python %s | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def promote(a, b, c):
    out = torch.empty(a.shape, dtype=torch.float32, device=a.device)
    out2 = torch.empty_like(c)
    for t in tl.tile(a.size(0)):
        out[t] = a[t] + b[t]
        out2[t] = c[t] * 0.5
    return out, out2


# CHECK-LABEL: func.func @promote
# CHECK-SAME: (%{{[^:]+}}: index, %[[A:[^:]+]]: memref<?xi32, {{.*}}>, %[[B:[^:]+]]: memref<?xf32, {{.*}}>, %[[OUT:[^:]+]]: memref<?xf32, {{.*}}>, %[[C:[^:]+]]: memref<?xbf16, {{.*}}>, %[[OUT2:[^:]+]]: memref<?xbf16, {{.*}}>)
# CHECK: %[[VA:.+]] = "tile.load"(%[[A]], %[[T:[^)]+]]) {{.*}} -> tensor<?xi32>
# CHECK-NEXT: %[[VB:.+]] = "tile.load"(%[[B]], %[[T]]) {{.*}} -> tensor<?xf32>
# CHECK-NEXT: %[[FA:.+]] = arith.sitofp %[[VA]] : tensor<?xi32> to tensor<?xf32>
# CHECK-NEXT: %[[SUM:.+]] = arith.addf %[[FA]], %[[VB]] : tensor<?xf32>
# CHECK-NEXT: "tile.store"(%[[OUT]], %[[T]], %[[SUM]])
# CHECK-NEXT: %[[VC:.+]] = "tile.load"(%[[C]], %[[T]]) {{.*}} -> tensor<?xbf16>
# CHECK-NEXT: %[[HALF:.+]] = arith.constant 5.000000e-01 : bf16
# CHECK-NEXT: %[[SPLAT:.+]] = "tile.full"(%[[HALF]], %[[T]]) : (bf16, !tile.tile) -> tensor<?xbf16>
# CHECK-NEXT: %[[P:.+]] = arith.mulf %[[VC]], %[[SPLAT]] : tensor<?xbf16>
# CHECK-NEXT: "tile.store"(%[[OUT2]], %[[T]], %[[P]]) {{.*}} tensor<?xbf16>) -> ()
print(promote.emit(torch.arange(10, dtype=torch.int32), torch.randn(10), torch.randn(10).bfloat16()))


@tegula.kernel
def row_sum(x):
    m, n = x.size()
    out = torch.empty([m], dtype=x.dtype, device=x.device)
    for t in tl.tile(m):
        out[t] = x[t, :].sum(-1)
    return out


# CHECK-LABEL: func.func @row_sum
# CHECK: %[[V:.+]] = "tile.load"({{.*}} -> tensor<?x?xbf16>
# CHECK-NEXT: %[[W:.+]] = arith.extf %[[V]] : tensor<?x?xbf16> to tensor<?x?xf32>
# CHECK-NEXT: %[[S:.+]] = "tile.reduce"(%[[W]]) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
# CHECK-NEXT: %[[R:.+]] = arith.truncf %[[S]] : tensor<?xf32> to tensor<?xbf16>
# CHECK-NEXT: "tile.store"(%{{.+}}, %{{.+}}, %[[R]])
print(row_sum.emit(torch.randn(10, 20).bfloat16()))
