# Reductions over a row tile: keepdim=True keeps a unit dimension (and the
# store into a [m, 1] output uses a scalar index for it), argmax returns i64
# positions, and torch.where is arith.select on a comparison with the
# broadcast keepdim minimum.
# RUN: %python %s | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def row_reductions(x):
    m, n = x.size()
    sums = torch.empty([m, 1], dtype=x.dtype, device=x.device)
    idx = torch.empty([m], dtype=torch.int64, device=x.device)
    clipped = torch.empty_like(x)
    for tm in tl.tile(m):
        v = x[tm, :]
        sums[tm, :] = v.sum(dim=1, keepdim=True)
        idx[tm] = torch.argmax(v, dim=-1)
        clipped[tm, :] = torch.where(v > 0, v, v.amin(dim=-1, keepdim=True))
    return sums, idx, clipped


# CHECK-LABEL: func.func @row_reductions
# CHECK-SAME: %[[X:[^:]+]]: memref<?x?xf32, {{.*}}>, %[[SUMS:[^:]+]]: memref<?x1xf32, {{.*}}>, %[[IDX:[^:]+]]: memref<?xi64, {{.*}}>, %[[CLIP:[^:]+]]: memref<?x?xf32, {{.*}}>)
# CHECK: %[[ROW:.+]] = "tile.make_tile"
# CHECK: ^bb0(%[[T:.+]]: !tile.tile):
# CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]], %[[T]], %[[ROW]]) {layout = "tt"
# CHECK-NEXT: %[[S:.+]] = "tile.reduce"(%[[V]]) {dim = 1 : i64, keepdim = true, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
# CHECK: %[[SR:.+]] = "tile.reshape"(%[[S]], %[[T]]) : (tensor<?x1xf32>, !tile.tile) -> tensor<?xf32>
# CHECK-NEXT: "tile.store"(%[[SUMS]], %[[T]], %{{.+}}, %[[SR]]) {layout = "ts"
# CHECK-NEXT: %[[AM:.+]] = "tile.reduce"(%[[V]]) {dim = 1 : i64, keepdim = false, kind = "argmax"} : (tensor<?x?xf32>) -> tensor<?xi64>
# CHECK-NEXT: "tile.store"(%[[IDX]], %[[T]], %[[AM]]) {layout = "t"
# CHECK: %[[POS:.+]] = arith.cmpf ogt, %[[V]], %{{.+}} : tensor<?x?xf32>
# CHECK-NEXT: %[[MIN:.+]] = "tile.reduce"(%[[V]]) {dim = 1 : i64, keepdim = true, kind = "min"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
# CHECK-NEXT: %[[MINB:.+]] = "tile.broadcast"(%[[MIN]], %[[T]], %[[ROW]])
# CHECK-NEXT: %[[SEL:.+]] = arith.select %[[POS]], %[[V]], %[[MINB]] : tensor<?x?xi1>, tensor<?x?xf32>
# CHECK-NEXT: "tile.store"(%[[CLIP]], %[[T]], %[[ROW]], %[[SEL]]) {layout = "tt"
print(row_reductions.emit(torch.randn(30, 50)))
