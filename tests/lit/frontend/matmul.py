# The frontend's tile dialect for the matmul example, with source locations:
# a 2-D tile.for, the k loop as scf.for carrying the float32 accumulator
# through iter_args, torch.addmm as tile.dot with the accumulator.
# RUN: tegula-opt %examples/matmul.py --emit=tile --mlir-print-debuginfo | filecheck %s

# CHECK-LABEL: func.func @matmul
# CHECK-SAME: (%[[M:[^:]+]]: index loc({{.*}}), %[[X:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>> loc({{.*}}), %[[Y:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>> loc({{.*}}), %[[OUT:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>> loc({{.*}}))
# CHECK-SAME: tile.arg_names = ["m", "x", "y", "out"]
# CHECK-DAG: %[[BM:.+]] = "tile.block_size"() {hint = 512 : i64, id = 0 : i64, kind = "tile"}
# CHECK-DAG: %[[BN:.+]] = "tile.block_size"() {hint = 512 : i64, id = 1 : i64, kind = "tile"}
# CHECK-DAG: %[[BK:.+]] = "tile.block_size"() {hint = 512 : i64, id = 2 : i64, kind = "tile"}
# CHECK: "tile.for"(%{{.+}}, %{{.+}}, %[[M]], %[[M]], %[[BM]], %[[BN]]) ({
# CHECK-NEXT: ^bb0(%[[TM:[^:]+]]: !tile.tile loc({{.*}}), %[[TN:[^:]+]]: !tile.tile loc({{.*}})):
# CHECK: %[[ZERO:.+]] = "tile.full"(%{{.+}}, %[[TM]], %[[TN]]) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32> loc([[ZEROS:#loc[0-9]+]])
# CHECK: %[[ACC:.+]] = scf.for %[[K:.+]] = %{{.+}} to %[[M]] step %[[BK]] iter_args(%[[C:.+]] = %[[ZERO]]) -> (tensor<?x?xf32>) {
# CHECK-NEXT: %[[TK:.+]] = "tile.make_tile"(%[[K]], %[[M]], %[[BK]]) : (index, index, index) -> !tile.tile
# CHECK-NEXT: %[[A:.+]] = "tile.load"(%[[X]], %[[TM]], %[[TK]]) {layout = "tt", {{.*}} loc([[LA:#loc[0-9]+]])
# CHECK-NEXT: %[[B:.+]] = "tile.load"(%[[Y]], %[[TK]], %[[TN]]) {layout = "tt", {{.*}} loc([[LB:#loc[0-9]+]])
# CHECK-NEXT: %[[D:.+]] = "tile.dot"(%[[A]], %[[B]], %[[C]]) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32> loc([[LD:#loc[0-9]+]])
# CHECK-NEXT: scf.yield %[[D]] : tensor<?x?xf32>
# CHECK-NEXT: } loc([[LK:#loc[0-9]+]])
# CHECK-NEXT: "tile.store"(%[[OUT]], %[[TM]], %[[TN]], %[[ACC]]) {layout = "tt", {{.*}} loc([[LS:#loc[0-9]+]])
# CHECK-DAG: [[LK]] = loc("{{.*}}matmul.py":20:23)
# CHECK-DAG: [[ZEROS]] = loc("{{.*}}matmul.py":19:15)
# CHECK-DAG: [[LA]] = loc("{{.*}}matmul.py":21:36)
# CHECK-DAG: [[LB]] = loc("{{.*}}matmul.py":21:55)
# CHECK-DAG: [[LD]] = loc("{{.*}}matmul.py":21:19)
# CHECK-DAG: [[LS]] = loc("{{.*}}matmul.py":22:9)
