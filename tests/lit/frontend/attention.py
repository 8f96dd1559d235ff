# The frontend's tile dialect for the (non-causal) attention example: a 2-D
# tile loop whose batch dimension has block_size 1, an scf.for over key tiles
# carrying the running sum, the 3-D accumulator and the running max, a batched
# tile.dot for the scores and one with the accumulator for p @ v.
# RUN: tegula-opt %examples/attention.py --emit=tile --no-debuginfo | filecheck %s

# CHECK-LABEL: func.func @attention
# CHECK-SAME: %[[Q:[^:]+]]: memref<?x?x?xf32, strided<[?, ?, 1], offset: ?>>, %[[K:[^:]+]]: memref<?x?x?xf32, strided<[?, ?, 1], offset: ?>>, %[[SCALE:[^:]+]]: f32,
# CHECK: %[[BM:.+]] = "tile.block_size"() {hint = 256 : i64, id = 0 : i64, kind = "tile"}
# CHECK: %[[D:.+]] = "tile.make_tile"
# CHECK: %[[BN:.+]] = "tile.block_size"() {hint = 256 : i64, id = 1 : i64, kind = "tile"}
# The batch step is a constant 1 (the printer names index constants %c<value>).
# CHECK: "tile.for"(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{c1(_[0-9]+)?}}, %[[BM]]) ({
# CHECK-NEXT: ^bb0(%[[TB:.+]]: !tile.tile, %[[TM:.+]]: !tile.tile):
# CHECK: %[[QT:.+]] = "tile.load"(%[[Q]], %[[TB]], %[[TM]], %[[D]]) {layout = "ttt"
# CHECK: %[[R:.+]]:3 = scf.for %[[N:.+]] = %{{.+}} to %{{.+}} step %[[BN]] iter_args(%[[L:.+]] = %{{.+}}, %[[ACC:.+]] = %{{.+}}, %[[MI:.+]] = %{{.+}}) -> (tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>) {
# CHECK-NEXT: %[[TN:.+]] = "tile.make_tile"(%[[N]],
# K is read row by row (contiguous) and transposed in the tile:
# CHECK-NEXT: %[[KROWS:.+]] = "tile.load"(%[[K]], %[[TB]], %[[TN]], %[[D]]) {layout = "ttt"
# CHECK-NEXT: %[[KT:.+]] = "tile.permute"(%[[KROWS]]) {perm = array<i64: 0, 2, 1>}
# CHECK-NEXT: %[[QK:.+]] = "tile.dot"(%[[QT]], %[[KT]]) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
# CHECK-NEXT: "tile.reduce"(%[[QK]]) {dim = 2 : i64, keepdim = false, kind = "max"} : (tensor<?x?x?xf32>) -> tensor<?x?xf32>
# CHECK: "tile.full"(%[[SCALE]], %[[TB]], %[[TM]])
# CHECK: %[[MIJ:.+]] = arith.maximumf %[[MI]], %{{.+}} : tensor<?x?xf32>
# CHECK: %[[P:.+]] = math.exp2 %{{.+}} : tensor<?x?x?xf32>
# CHECK: "tile.reduce"(%[[P]]) {dim = 2 : i64, keepdim = false, kind = "sum"}
# CHECK: %[[SCALED:.+]] = arith.mulf %[[ACC]], %{{.+}} : tensor<?x?x?xf32>
# CHECK-NEXT: %[[VT:.+]] = "tile.load"(%{{.+}}, %[[TB]], %[[TN]], %[[D]]) {layout = "ttt"
# CHECK-NEXT: %[[PV:.+]] = "tile.dot"(%[[P]], %[[VT]], %[[SCALED]]) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
# CHECK-NEXT: scf.yield %{{.+}}, %[[PV]], %[[MIJ]] : tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>
# CHECK: %[[O:.+]] = arith.divf %[[R]]#1, %{{.+}} : tensor<?x?x?xf32>
# CHECK-NEXT: "tile.store"(%{{.+}}, %[[TB]], %[[TM]], %[[D]], %[[O]]) {layout = "ttt"
