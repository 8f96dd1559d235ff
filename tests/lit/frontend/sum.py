# The frontend's tile dialect for the sum example: x[tile_m, :] makes a
# reduction block-size symbol covering dim 1, and .sum(-1) a tile.reduce over
# dim 1 without keepdim, stored through a 1-D layout.
# RUN: tegula-opt %examples/sum.py --emit=tile --no-debuginfo | filecheck %s

# CHECK-LABEL: func.func @sum_rows
# CHECK-SAME: (%[[M:[^:]+]]: index, %[[X:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[OUT:[^:]+]]: memref<?xf32, strided<[1], offset: ?>>)
# CHECK-SAME: tile.arg_names = ["m", "x", "out"]
# CHECK: %[[BS:.+]] = "tile.block_size"() {hint = 1024 : i64, id = 0 : i64, kind = "tile"}
# CHECK: %[[C1:.+]] = arith.constant 1 : index
# CHECK: %[[DIM:.+]] = memref.dim %[[X]], %[[C1]]
# CHECK: %[[RBS:.+]] = "tile.block_size"(%[[DIM]]) {hint = 1000 : i64, id = 0 : i64, kind = "reduction"}
# CHECK: %[[ROW:.+]] = "tile.make_tile"(%{{.+}}, %[[DIM]], %[[RBS]])
# CHECK: "tile.for"(%{{.+}}, %[[M]], %[[BS]]) ({
# CHECK-NEXT: ^bb0(%[[T:.+]]: !tile.tile):
# CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]], %[[T]], %[[ROW]]) {layout = "tt"
# CHECK-NEXT: %[[S:.+]] = "tile.reduce"(%[[V]]) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
# CHECK-NEXT: "tile.store"(%[[OUT]], %[[T]], %[[S]]) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>}
