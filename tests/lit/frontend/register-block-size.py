# tl.register_block_size makes ONE block-size symbol on the host; two loops
# that pass it as block_size= share it (the same SSA value steps both).
# RUN: %python %s | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def two_outputs(x, y):
    bs = tl.register_block_size(16, 256)
    out1 = torch.empty_like(x)
    out2 = torch.empty_like(y)
    for t in tl.tile(x.size(0), block_size=bs):
        out1[t] = x[t] + 1.0
    for t in tl.tile(y.size(0), block_size=bs):
        out2[t] = y[t] * 3.0
    return out1, out2


# CHECK-LABEL: func.func @two_outputs
# CHECK-SAME: (%[[NX:[^:]+]]: index, %{{[^:]+}}: memref<{{.*}}>, %{{[^:]+}}: memref<{{.*}}>, %[[NY:[^:]+]]: index,
# CHECK: %[[BS:.+]] = "tile.block_size"() {hint = {{[0-9]+}} : i64, id = 0 : i64, kind = "tile"}
# CHECK-NOT: "tile.block_size"
# CHECK: "tile.for"(%{{.+}}, %[[NX]], %[[BS]]) ({
# CHECK: arith.addf
# CHECK: "tile.for"(%{{.+}}, %[[NY]], %[[BS]]) ({
# CHECK: arith.mulf
print(two_outputs.emit(torch.randn(100), torch.randn(200)))
