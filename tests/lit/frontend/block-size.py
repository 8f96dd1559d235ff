# An explicit block_size= (an int, or a list for a multi-dimensional loop)
# fixes the block size: an arith.constant step, no tile.block_size symbol.
# RUN: %python %s | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def neg(x):
    out = torch.empty_like(x)
    for t in tl.tile(x.size(0), block_size=32):
        out[t] = -x[t]
    return out


@tegula.kernel
def scale(x):
    out = torch.empty_like(x)
    for tm, tn in tl.tile(x.size(), block_size=[2, 16]):
        out[tm, tn] = x[tm, tn] * 3.0
    return out


# CHECK-LABEL: func.func @neg
# CHECK-NOT: tile.block_size
# CHECK: %[[C32:.+]] = arith.constant 32 : index
# CHECK: "tile.for"(%{{.+}}, %{{.+}}, %[[C32]]) ({
# CHECK: arith.negf
print(neg.emit(torch.randn(100)))

# CHECK-LABEL: func.func @scale
# CHECK-NOT: tile.block_size
# CHECK-DAG: %[[C2:.+]] = arith.constant 2 : index
# CHECK-DAG: %[[C16:.+]] = arith.constant 16 : index
# CHECK: "tile.for"(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %[[C2]], %[[C16]]) ({
print(scale.emit(torch.randn(10, 100)))
