# The frontend's tile dialect for the layer_norm example, with source
# locations: torch.mean is a keepdim sum divided by the row tile's extent
# (end - begin), weight[None, :] a reshape to 1x? plus a broadcast, and eps a
# scalar f32 argument splat with tile.full.
# RUN: tegula-opt %examples/layer_norm.py --emit=tile --mlir-print-debuginfo | filecheck %s

# CHECK-LABEL: func.func @layer_norm
# CHECK-SAME: (%[[M:[^:]+]]: index loc({{.*}}), %[[X:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>> loc({{.*}}), %[[EPS:[^:]+]]: f32 loc({{.*}}), %[[W:[^:]+]]: memref<?xf32, strided<[1], offset: ?>> loc({{.*}}), %[[B:[^:]+]]: memref<?xf32, strided<[1], offset: ?>> loc({{.*}}), %[[OUT:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>> loc({{.*}}))
# CHECK-SAME: tile.arg_names = ["m", "x", "eps", "weight", "bias", "out"]
# CHECK: %[[DIM:.+]] = memref.dim %[[X]], %{{.+}}
# CHECK: %[[RBS:.+]] = "tile.block_size"(%[[DIM]]) {hint = 1000 : i64, id = 0 : i64, kind = "reduction"}
# CHECK: %[[ROW:.+]] = "tile.make_tile"(%{{.+}}, %[[DIM]], %[[RBS]])
# CHECK: "tile.for"(%{{.+}}, %[[M]], %{{.+}}) ({
# CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile
# CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]], %[[T]], %[[ROW]]) {layout = "tt", {{.*}} -> tensor<?x?xf32> loc([[LOAD:#loc[0-9]+]])
# CHECK-NEXT: %[[S1:.+]] = "tile.reduce"(%[[V]]) {dim = 1 : i64, keepdim = true, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?x1xf32> loc([[MEAN:#loc[0-9]+]])
# CHECK-NEXT: %[[END:.+]] = "tile.end"(%[[ROW]])
# CHECK-NEXT: %[[BEGIN:.+]] = "tile.begin"(%[[ROW]])
# CHECK-NEXT: %[[COUNT:.+]] = arith.subi %[[END]], %[[BEGIN]] : index
# CHECK: %[[MU:.+]] = arith.divf %[[S1]], %{{.+}} : tensor<?x1xf32>
# CHECK-NEXT: %[[MUB:.+]] = "tile.broadcast"(%[[MU]], %[[T]], %[[ROW]]) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
# CHECK-NEXT: %[[C:.+]] = arith.subf %[[V]], %[[MUB]]
# CHECK: "tile.reduce"(%{{.+}}) {dim = 1 : i64, keepdim = true, kind = "sum"} {{.*}} loc([[VAR:#loc[0-9]+]])
# CHECK: %[[EPSF:.+]] = "tile.full"(%[[EPS]], %[[T]]) : (f32, !tile.tile) -> tensor<?x1xf32>
# CHECK: math.rsqrt %{{.+}} : tensor<?x1xf32>
# CHECK: %[[WV:.+]] = "tile.load"(%[[W]], %[[ROW]]) {layout = "t", {{.*}} -> tensor<?xf32>
# CHECK-NEXT: %[[WR:.+]] = "tile.reshape"(%[[WV]], %[[ROW]]) : (tensor<?xf32>, !tile.tile) -> tensor<1x?xf32>
# CHECK-NEXT: "tile.broadcast"(%[[WR]], %[[T]], %[[ROW]]) : (tensor<1x?xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
# CHECK: "tile.load"(%[[B]], %[[ROW]]) {layout = "t"
# CHECK: "tile.store"(%[[OUT]], %[[T]], %[[ROW]], %{{.+}}) {layout = "tt", {{.*}} loc([[STORE:#loc[0-9]+]])
# CHECK-DAG: [[LOAD]] = loc("{{.*}}layer_norm.py":18:15)
# CHECK-DAG: [[MEAN]] = loc("{{.*}}layer_norm.py":19:16)
# CHECK-DAG: [[VAR]] = loc("{{.*}}layer_norm.py":21:15)
# CHECK-DAG: [[STORE]] = loc("{{.*}}layer_norm.py":23:9)
