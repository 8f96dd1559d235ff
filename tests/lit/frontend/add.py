# The frontend's tile dialect for the add example: a 2-D tile loop over
# out.size() (one loop variable for both dims), two loads, addf, one store.
# RUN: tegula-opt %examples/add.py --emit=tile --no-debuginfo | filecheck %s

# CHECK-LABEL: func.func @add
# CHECK-SAME: (%[[M:[^:]+]]: index, %[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[Y:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[OUT:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>)
# CHECK-SAME: tile.arg_names = ["out.size()[0]", "out.size()[1]", "x", "y", "out"], tile.kernel
# CHECK-DAG: %[[B0:.+]] = "tile.block_size"() {hint = 1024 : i64, id = 0 : i64, kind = "tile"}
# CHECK-DAG: %[[B1:.+]] = "tile.block_size"() {hint = 1000 : i64, id = 1 : i64, kind = "tile"}
# CHECK: "tile.for"(%{{.+}}, %{{.+}}, %[[M]], %[[N]], %[[B0]], %[[B1]]) ({
# CHECK-NEXT: ^bb0(%[[TM:.+]]: !tile.tile, %[[TN:.+]]: !tile.tile):
# CHECK-NEXT: %[[A:.+]] = "tile.load"(%[[X]], %[[TM]], %[[TN]]) {layout = "tt", {{.*}} -> tensor<?x?xf32>
# CHECK-NEXT: %[[B:.+]] = "tile.load"(%[[Y]], %[[TM]], %[[TN]]) {layout = "tt", {{.*}} -> tensor<?x?xf32>
# CHECK-NEXT: %[[S:.+]] = arith.addf %[[A]], %[[B]] : tensor<?x?xf32>
# CHECK-NEXT: "tile.store"(%[[OUT]], %[[TM]], %[[TN]], %[[S]]) {layout = "tt"
# CHECK-NEXT: "tile.yield"
