# The frontend's tile dialect for the gelu example: F.gelu (erf form) becomes
# 0.5 * x * (1 + erf(x / sqrt(2))) on a 2-D tile, constants splat with tile.full.
# RUN: tegula-opt %examples/gelu.py --emit=tile --no-debuginfo | filecheck %s

# CHECK-LABEL: func.func @gelu
# CHECK-SAME: %[[X:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[OUT:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>)
# CHECK-SAME: tile.arg_names = ["x.size()[0]", "x.size()[1]", "x", "out"]
# CHECK: "tile.for"
# CHECK-NEXT: ^bb0(%[[TM:.+]]: !tile.tile, %[[TN:.+]]: !tile.tile):
# CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]], %[[TM]], %[[TN]]) {layout = "tt"
# CHECK: %[[HALF:.+]] = "tile.full"(%{{.+}}, %[[TM]], %[[TN]]) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
# CHECK: %[[XH:.+]] = arith.mulf %[[V]], %[[HALF]]
# CHECK: %[[R2:.+]] = arith.constant 0.707106769 : f32
# CHECK: %[[SC:.+]] = "tile.full"(%[[R2]], %[[TM]], %[[TN]])
# CHECK: %[[XS:.+]] = arith.mulf %[[V]], %[[SC]]
# CHECK: %[[E:.+]] = math.erf %[[XS]] : tensor<?x?xf32>
# CHECK: %[[P:.+]] = arith.addf %{{.+}}, %[[E]]
# CHECK: %[[G:.+]] = arith.mulf %[[XH]], %[[P]]
# CHECK: "tile.store"(%[[OUT]], %[[TM]], %[[TN]], %[[G]]) {layout = "tt"
