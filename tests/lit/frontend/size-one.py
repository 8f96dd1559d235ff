# Size-1 specialization: a tensor dimension of size 1 is a static 1 in the
# memref type (and not a size argument of the kernel); other sizes stay
# dynamic. The same kernel specializes per call.
# RUN: %python %s | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def add(x, b):
    out = torch.empty_like(x)
    for tm, tn in tl.tile(x.size()):
        out[tm, tn] = x[tm, tn] + b[tm, tn]
    return out


# CHECK-LABEL: func.func @add
# CHECK-SAME: (%[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<1x?xf32, strided<[?, 1], offset: ?>>, %{{[^:]+}}: memref<1x?xf32, strided<[?, 1], offset: ?>>, %{{[^:]+}}: memref<1x?xf32, strided<[?, 1], offset: ?>>)
# CHECK-SAME: tile.arg_names = ["x.size()[1]", "x", "b", "out"]
# CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
# CHECK-DAG: %[[B0:.+]] = "tile.block_size"() {hint = 1 : i64, id = 0 : i64, kind = "tile"}
# CHECK: "tile.for"(%{{.+}}, %{{.+}}, %[[C1]], %[[N]], %[[B0]], %{{.+}}) ({
# CHECK: "tile.load"(%[[X]], {{.*}} : (memref<1x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
print(add.emit(torch.randn(1, 50), torch.randn(1, 50)))

# Without size-1 dims, both sizes are arguments.
# CHECK-LABEL: func.func @add
# CHECK-SAME: (%{{[^:]+}}: index, %{{[^:]+}}: index, %{{[^:]+}}: memref<?x?xf32, strided<[?, 1], offset: ?>>,
# CHECK-SAME: tile.arg_names = ["x.size()[0]", "x.size()[1]", "x", "b", "out"]
print(add.emit(torch.randn(30, 50), torch.randn(30, 50)))
