# Indexing with None inserts a unit dimension (tile.reshape to ?x1 / 1x?);
# binary ops broadcast both sides to the full tile (tile.broadcast).
# RUN: %python %s | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def outer(a, b):
    out = torch.empty([a.size(0), b.size(0)], dtype=a.dtype, device=a.device)
    for tm, tn in tl.tile(out.size()):
        out[tm, tn] = a[tm, None] * b[None, tn]
    return out


# CHECK-LABEL: func.func @outer
# CHECK-SAME: %[[A:[^:]+]]: memref<?xf32, {{.*}}>, %[[B:[^:]+]]: memref<?xf32, {{.*}}>, %[[OUT:[^:]+]]: memref<?x?xf32, {{.*}}>)
# CHECK: ^bb0(%[[TM:.+]]: !tile.tile, %[[TN:.+]]: !tile.tile):
# CHECK-NEXT: %[[VA:.+]] = "tile.load"(%[[A]], %[[TM]]) {layout = "t", {{.*}} -> tensor<?xf32>
# CHECK-NEXT: %[[COL:.+]] = "tile.reshape"(%[[VA]], %[[TM]]) : (tensor<?xf32>, !tile.tile) -> tensor<?x1xf32>
# CHECK-NEXT: %[[VB:.+]] = "tile.load"(%[[B]], %[[TN]]) {layout = "t", {{.*}} -> tensor<?xf32>
# CHECK-NEXT: %[[ROW:.+]] = "tile.reshape"(%[[VB]], %[[TN]]) : (tensor<?xf32>, !tile.tile) -> tensor<1x?xf32>
# CHECK-NEXT: %[[BA:.+]] = "tile.broadcast"(%[[COL]], %[[TM]], %[[TN]]) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
# CHECK-NEXT: %[[BB:.+]] = "tile.broadcast"(%[[ROW]], %[[TM]], %[[TN]]) : (tensor<1x?xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
# CHECK-NEXT: %[[P:.+]] = arith.mulf %[[BA]], %[[BB]] : tensor<?x?xf32>
# CHECK-NEXT: "tile.store"(%[[OUT]], %[[TM]], %[[TN]], %[[P]]) {layout = "tt"
print(outer.emit(torch.randn(30), torch.randn(40)))
