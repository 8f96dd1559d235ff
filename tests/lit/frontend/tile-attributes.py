# A tile's attributes: tile.index (int32 indices, begin + iota), tile.begin
# and tile.end (index scalars; here end - begin converted to float32).
# RUN: %python %s | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def positions(x):
    out = torch.empty_like(x)
    for t in tl.tile(x.size(0)):
        out[t] = x[t] + t.index.float() + (t.end - t.begin)
    return out


# CHECK-LABEL: func.func @positions
# CHECK: ^bb0(%[[T:.+]]: !tile.tile):
# CHECK-NEXT: %[[V:.+]] = "tile.load"
# CHECK-NEXT: %[[I:.+]] = "tile.index"(%[[T]]) : (!tile.tile) -> tensor<?xi32>
# CHECK-NEXT: %[[F:.+]] = arith.sitofp %[[I]] : tensor<?xi32> to tensor<?xf32>
# CHECK-NEXT: %[[A:.+]] = arith.addf %[[V]], %[[F]] : tensor<?xf32>
# CHECK-NEXT: %[[E:.+]] = "tile.end"(%[[T]]) : (!tile.tile) -> index
# CHECK-NEXT: %[[B:.+]] = "tile.begin"(%[[T]]) : (!tile.tile) -> index
# CHECK-NEXT: %[[D:.+]] = arith.subi %[[E]], %[[B]] : index
# CHECK-NEXT: %[[D64:.+]] = arith.index_cast %[[D]] : index to i64
# CHECK-NEXT: %[[DF:.+]] = arith.sitofp %[[D64]] : i64 to f32
# CHECK-NEXT: %[[DS:.+]] = "tile.full"(%[[DF]], %[[T]]) : (f32, !tile.tile) -> tensor<?xf32>
# CHECK-NEXT: %[[R:.+]] = arith.addf %[[A]], %[[DS]] : tensor<?xf32>
# CHECK-NEXT: "tile.store"(%{{.+}}, %[[T]], %[[R]])
print(positions.emit(torch.randn(30)))
