# The frontend's tile dialect for the cross_entropy example: max and
# log-sum-exp reductions with keepdim, torch.arange(v) as tile.index of the
# row tile, a compare with the labels (int64), torch.where as arith.select,
# and .squeeze(-1) as a reshape dropping the unit dimension.
# RUN: tegula-opt %examples/cross_entropy.py --emit=tile --no-debuginfo | filecheck %s

# CHECK-LABEL: func.func @cross_entropy
# CHECK-SAME: (%[[N:[^:]+]]: index, %[[LOGITS:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %{{[^:]+}}: index, %[[LABELS:[^:]+]]: memref<?xi64, strided<[1], offset: ?>>, %[[LOSSES:[^:]+]]: memref<?xf32, strided<[1], offset: ?>>)
# CHECK-SAME: tile.arg_names = ["n", "logits", "v", "labels", "losses"]
# CHECK: "tile.block_size"() {hint = 512 : i64, id = 0 : i64, kind = "tile"}
# CHECK: "tile.block_size"(%{{.+}}) {hint = 32000 : i64, id = 0 : i64, kind = "reduction"}
# CHECK: %[[ROW:.+]] = "tile.make_tile"
# CHECK: ^bb0(%[[T:.+]]: !tile.tile):
# CHECK-NEXT: %[[ROWS:.+]] = "tile.load"(%[[LOGITS]], %[[T]], %[[ROW]]) {layout = "tt"
# CHECK-NEXT: %[[AMAX:.+]] = "tile.reduce"(%[[ROWS]]) {dim = 1 : i64, keepdim = true, kind = "max"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
# CHECK: %[[EXP:.+]] = math.exp
# CHECK-NEXT: %[[SUM:.+]] = "tile.reduce"(%[[EXP]]) {dim = 1 : i64, keepdim = true, kind = "sum"}
# CHECK-NEXT: %[[LOG:.+]] = math.log %[[SUM]] : tensor<?x1xf32>
# CHECK-NEXT: %[[LSE:.+]] = arith.addf %[[AMAX]], %[[LOG]] : tensor<?x1xf32>
# CHECK-NEXT: %[[IDX:.+]] = "tile.index"(%[[ROW]]) : (!tile.tile) -> tensor<?xi32>
# CHECK-NEXT: %[[IDX64:.+]] = arith.extsi %[[IDX]] : tensor<?xi32> to tensor<?xi64>
# CHECK-NEXT: %[[COL:.+]] = "tile.reshape"(%[[IDX64]], %[[ROW]]) : (tensor<?xi64>, !tile.tile) -> tensor<1x?xi64>
# CHECK-NEXT: %[[LAB:.+]] = "tile.load"(%[[LABELS]], %[[T]]) {layout = "t", {{.*}} -> tensor<?xi64>
# CHECK-NEXT: %[[LABC:.+]] = "tile.reshape"(%[[LAB]], %[[T]]) : (tensor<?xi64>, !tile.tile) -> tensor<?x1xi64>
# CHECK-NEXT: %[[B1:.+]] = "tile.broadcast"(%[[COL]], %[[T]], %[[ROW]])
# CHECK-NEXT: %[[B2:.+]] = "tile.broadcast"(%[[LABC]], %[[T]], %[[ROW]])
# CHECK-NEXT: %[[HIT:.+]] = arith.cmpi eq, %[[B1]], %[[B2]] : tensor<?x?xi64>
# CHECK: %[[SEL:.+]] = arith.select %[[HIT]], %[[ROWS]], %{{.+}} : tensor<?x?xi1>, tensor<?x?xf32>
# CHECK-NEXT: %[[TGT:.+]] = "tile.reduce"(%[[SEL]]) {dim = 1 : i64, keepdim = true, kind = "sum"}
# CHECK-NEXT: %[[LOSS:.+]] = arith.subf %[[LSE]], %[[TGT]] : tensor<?x1xf32>
# CHECK-NEXT: %[[FLAT:.+]] = "tile.reshape"(%[[LOSS]], %[[T]]) : (tensor<?x1xf32>, !tile.tile) -> tensor<?xf32>
# CHECK-NEXT: "tile.store"(%[[LOSSES]], %[[T]], %[[FLAT]]) {layout = "t"
