# A multi-dimensional tl.tile bound to ONE loop variable: `tile` stands for
# the tuple of handles and x[tile] indexes every dimension with them.
# RUN: %python %s | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def double(x):
    out = torch.empty_like(x)
    for tile in tl.tile(x.size()):
        out[tile] = x[tile] * 2.0
    return out


# CHECK-LABEL: func.func @double
# CHECK-SAME: (%[[D0:[^:]+]]: index, %[[D1:[^:]+]]: index, %[[D2:[^:]+]]: index, %[[X:[^:]+]]: memref<?x?x?xf32, strided<[?, ?, 1], offset: ?>>, %[[OUT:[^:]+]]: memref<?x?x?xf32, strided<[?, ?, 1], offset: ?>>)
# CHECK-SAME: tile.arg_names = ["x.size()[0]", "x.size()[1]", "x.size()[2]", "x", "out"]
# CHECK-DAG: %[[B0:.+]] = "tile.block_size"() {hint = 3 : i64, id = 0 : i64, kind = "tile"}
# CHECK-DAG: %[[B1:.+]] = "tile.block_size"() {hint = 5 : i64, id = 1 : i64, kind = "tile"}
# CHECK-DAG: %[[B2:.+]] = "tile.block_size"() {hint = 7 : i64, id = 2 : i64, kind = "tile"}
# CHECK: "tile.for"(%{{.+}}, %{{.+}}, %{{.+}}, %[[D0]], %[[D1]], %[[D2]], %[[B0]], %[[B1]], %[[B2]]) ({
# CHECK-NEXT: ^bb0(%[[T0:.+]]: !tile.tile, %[[T1:.+]]: !tile.tile, %[[T2:.+]]: !tile.tile):
# CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]], %[[T0]], %[[T1]], %[[T2]]) {layout = "ttt", operandSegmentSizes = array<i32: 1, 3, 0>} : ({{.*}}) -> tensor<?x?x?xf32>
# CHECK: %[[R:.+]] = arith.mulf %[[V]], %{{.+}} : tensor<?x?x?xf32>
# CHECK-NEXT: "tile.store"(%[[OUT]], %[[T0]], %[[T1]], %[[T2]], %[[R]]) {layout = "ttt"
# CHECK: }) {operandSegmentSizes = array<i32: 3, 3, 3>}
print(double.emit(torch.randn(3, 5, 7)))
