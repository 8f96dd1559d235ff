# The frontend's tile dialect for the softmax example, with source locations.
# RUN: tegula-opt %examples/softmax.py --emit=tile --mlir-print-debuginfo | filecheck %s

# CHECK-LABEL: func.func @softmax
# CHECK-SAME: tile.arg_names = ["n", "x", "out"]
# CHECK: "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"}
# CHECK: "tile.for"
# CHECK: "tile.load"({{.*}}) {layout = "tt"{{.*}}-> tensor<?x?xf32> loc([[LOAD:#loc[0-9]+]])
# CHECK: "tile.reduce"({{.*}}) {dim = 1 : i64, keepdim = true, kind = "max"}
# CHECK: math.exp
# CHECK: "tile.reduce"({{.*}}) {dim = 1 : i64, keepdim = true, kind = "sum"}
# CHECK: arith.divf
# CHECK: "tile.store"
# CHECK: [[LOAD]] = loc("{{.*}}softmax.py":17:18)
