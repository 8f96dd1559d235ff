# Two top-level device loops in one kernel: two tile.for in program order,
# each with its own block-size symbol, in one function.
# RUN: %python %s | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def two(x, y):
    out = torch.empty_like(x)
    s = torch.empty_like(y)
    for t in tl.tile(x.size(0)):
        out[t] = x[t] * 2.0
    for t in tl.tile(y.size(0)):
        s[t] = y[t] + 1.0
    return out, s


# CHECK-LABEL: func.func @two
# CHECK-SAME: (%[[NX:[^:]+]]: index, %[[X:[^:]+]]: memref<{{.*}}>, %[[OUT:[^:]+]]: memref<{{.*}}>, %[[NY:[^:]+]]: index, %[[Y:[^:]+]]: memref<{{.*}}>, %[[S:[^:]+]]: memref<{{.*}}>)
# CHECK-SAME: tile.arg_names = ["x.size(0)", "x", "out", "y.size(0)", "y", "s"]
# CHECK-DAG: %[[B0:.+]] = "tile.block_size"() {hint = 30 : i64, id = 0 : i64, kind = "tile"}
# CHECK-DAG: %[[B1:.+]] = "tile.block_size"() {hint = 20 : i64, id = 1 : i64, kind = "tile"}
# CHECK: "tile.for"(%{{.+}}, %[[NX]], %[[B0]]) ({
# CHECK: "tile.load"(%[[X]],
# CHECK: arith.mulf
# CHECK: "tile.store"(%[[OUT]],
# CHECK: "tile.for"(%{{.+}}, %[[NY]], %[[B1]]) ({
# CHECK: "tile.load"(%[[Y]],
# CHECK: arith.addf
# CHECK: "tile.store"(%[[S]],
# CHECK: return
# CHECK-NOT: func.func
print(two.emit(torch.randn(30), torch.randn(20)))
