# The frontend's tile dialect for the matmul_bias_relu example: `acc + a @ b`
# folds into a tile.dot with the accumulator, and the epilogue adds the bias
# row (bias[None, tile_n]: reshape + broadcast) and applies relu (maximumf).
# RUN: tegula-opt %examples/matmul_bias_relu.py --emit=tile --no-debuginfo | filecheck %s

# CHECK-LABEL: func.func @matmul_bias_relu
# CHECK-SAME: (%[[M:[^:]+]]: index, %[[X:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[Y:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[BIAS:[^:]+]]: memref<?xf32, strided<[1], offset: ?>>, %[[OUT:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>)
# CHECK-SAME: tile.arg_names = ["m", "x", "y", "bias", "out"]
# CHECK: ^bb0(%[[TM:.+]]: !tile.tile, %[[TN:.+]]: !tile.tile):
# CHECK: %[[ZERO:.+]] = "tile.full"(%{{.+}}, %[[TM]], %[[TN]])
# CHECK: %[[ACC:.+]] = scf.for %[[K:.+]] = %{{.+}} to %[[M]] step %{{.+}} iter_args(%[[C:.+]] = %[[ZERO]]) -> (tensor<?x?xf32>) {
# CHECK: %[[A:.+]] = "tile.load"(%[[X]], %[[TM]], %{{.+}}) {layout = "tt"
# CHECK-NEXT: %[[B:.+]] = "tile.load"(%[[Y]], %{{.+}}, %[[TN]]) {layout = "tt"
# CHECK: %[[D:.+]] = "tile.dot"(%[[A]], %[[B]], %[[C]]) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
# CHECK-NEXT: scf.yield %[[D]] : tensor<?x?xf32>
# CHECK: %[[BV:.+]] = "tile.load"(%[[BIAS]], %[[TN]]) {layout = "t"
# CHECK-NEXT: %[[BR:.+]] = "tile.reshape"(%[[BV]], %[[TN]]) : (tensor<?xf32>, !tile.tile) -> tensor<1x?xf32>
# CHECK-NEXT: %[[BB:.+]] = "tile.broadcast"(%[[BR]], %[[TM]], %[[TN]]) : (tensor<1x?xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
# CHECK-NEXT: %[[S:.+]] = arith.addf %[[ACC]], %[[BB]] : tensor<?x?xf32>
# CHECK: %[[R:.+]] = arith.maximumf %[[S]], %{{.+}} : tensor<?x?xf32>
# CHECK-NEXT: "tile.store"(%[[OUT]], %[[TM]], %[[TN]], %[[R]]) {layout = "tt"
