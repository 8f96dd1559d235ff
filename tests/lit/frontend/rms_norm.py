# The frontend's tile dialect for the rms_norm example: a keepdim sum of
# squares over the row, divided by the extent, plus eps, rsqrt, broadcast.
# RUN: tegula-opt %examples/rms_norm.py --emit=tile --no-debuginfo | filecheck %s

# CHECK-LABEL: func.func @rms_norm
# CHECK-SAME: (%[[M:[^:]+]]: index, %[[X:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[EPS:[^:]+]]: f32, %[[W:[^:]+]]: memref<?xf32, strided<[1], offset: ?>>, %[[OUT:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>)
# CHECK-SAME: tile.arg_names = ["m", "x", "eps", "weight", "out"]
# CHECK: %[[ROW:.+]] = "tile.make_tile"
# CHECK: "tile.for"(%{{.+}}, %[[M]], %{{.+}}) ({
# CHECK-NEXT: ^bb0(%[[T:.+]]: !tile.tile):
# CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]], %[[T]], %[[ROW]]) {layout = "tt"
# CHECK-NEXT: %[[SQ:.+]] = arith.mulf %[[V]], %[[V]] : tensor<?x?xf32>
# CHECK-NEXT: %[[SS:.+]] = "tile.reduce"(%[[SQ]]) {dim = 1 : i64, keepdim = true, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
# CHECK: %[[MS:.+]] = arith.divf %[[SS]], %{{.+}} : tensor<?x1xf32>
# CHECK-NEXT: %[[E:.+]] = "tile.full"(%[[EPS]], %[[T]]) : (f32, !tile.tile) -> tensor<?x1xf32>
# CHECK-NEXT: %[[SUM:.+]] = arith.addf %[[MS]], %[[E]] : tensor<?x1xf32>
# CHECK-NEXT: %[[INV:.+]] = math.rsqrt %[[SUM]] : tensor<?x1xf32>
# CHECK-NEXT: %[[INVB:.+]] = "tile.broadcast"(%[[INV]], %[[T]], %[[ROW]]) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
# CHECK-NEXT: %[[N:.+]] = arith.mulf %[[V]], %[[INVB]]
# CHECK-NEXT: %[[WV:.+]] = "tile.load"(%[[W]], %[[ROW]]) {layout = "t"
# CHECK: %[[R:.+]] = arith.mulf %[[N]], %{{.+}} : tensor<?x?xf32>
# CHECK-NEXT: "tile.store"(%[[OUT]], %[[T]], %[[ROW]], %[[R]]) {layout = "tt"
