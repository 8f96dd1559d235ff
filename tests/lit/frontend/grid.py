# tl.grid gives scalar indices: a tile.for with step 1 whose handles are read
# with tile.begin, used as 's' indices (the dimension is dropped); a nested
# tl.tile loop inside it is an scf.for.
# RUN: %python %s | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def scale_rows(x, s):
    m, n = x.size()
    out = torch.empty_like(x)
    for i in tl.grid(m):
        for tn in tl.tile(n):
            out[i, tn] = x[i, tn] * s[i]
    return out


@tegula.kernel
def add_one(x):
    out = torch.empty_like(x)
    for i, j in tl.grid(x.size()):
        out[i, j] = x[i, j] + 1.0
    return out


# CHECK-LABEL: func.func @scale_rows
# CHECK-SAME: (%[[M:[^:]+]]: index, %[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<?x?xf32, {{.*}}>, %[[S:[^:]+]]: memref<?xf32, {{.*}}>, %[[OUT:[^:]+]]: memref<?x?xf32, {{.*}}>)
# CHECK: %[[BN:.+]] = "tile.block_size"() {hint = 100 : i64, id = 0 : i64, kind = "tile"}
# CHECK: %[[ONE:.+]] = arith.constant 1 : index
# CHECK: "tile.for"(%{{.+}}, %[[M]], %[[ONE]]) ({
# CHECK-NEXT: ^bb0(%[[TI:.+]]: !tile.tile):
# CHECK-NEXT: %[[I:.+]] = "tile.begin"(%[[TI]]) : (!tile.tile) -> index
# CHECK: scf.for %[[K:.+]] = %{{.+}} to %[[N]] step %[[BN]] {
# CHECK-NEXT: %[[TN:.+]] = "tile.make_tile"(%[[K]], %[[N]], %[[BN]])
# CHECK-NEXT: %[[ROW:.+]] = "tile.load"(%[[X]], %[[TN]], %[[I]]) {layout = "st", operandSegmentSizes = array<i32: 1, 1, 1>} : ({{.*}}, !tile.tile, index) -> tensor<?xf32>
# CHECK-NEXT: %[[SI:.+]] = "tile.load"(%[[S]], %[[I]]) {layout = "s", operandSegmentSizes = array<i32: 1, 0, 1>} : ({{.*}}, index) -> f32
# CHECK-NEXT: %[[SPLAT:.+]] = "tile.full"(%[[SI]], %[[TN]]) : (f32, !tile.tile) -> tensor<?xf32>
# CHECK-NEXT: %[[P:.+]] = arith.mulf %[[ROW]], %[[SPLAT]] : tensor<?xf32>
# CHECK-NEXT: "tile.store"(%[[OUT]], %[[TN]], %[[I]], %[[P]]) {layout = "st"
print(scale_rows.emit(torch.randn(8, 100), torch.randn(8)))

# A 2-D grid: every index is a scalar, so loads and stores move one element.
# CHECK-LABEL: func.func @add_one
# CHECK-NOT: tile.block_size
# CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
# CHECK-DAG: %[[C1B:.+]] = arith.constant 1 : index
# CHECK: "tile.for"(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %[[C1]], %[[C1B]]) ({
# CHECK-NEXT: ^bb0(%[[TI:.+]]: !tile.tile, %[[TJ:.+]]: !tile.tile):
# CHECK-NEXT: %[[I:.+]] = "tile.begin"(%[[TI]])
# CHECK-NEXT: %[[J:.+]] = "tile.begin"(%[[TJ]])
# CHECK-NEXT: %[[V:.+]] = "tile.load"(%{{.+}}, %[[I]], %[[J]]) {layout = "ss", {{.*}} -> f32
# CHECK: %[[R:.+]] = arith.addf %[[V]], %{{.+}} : f32
# CHECK-NEXT: "tile.store"(%{{.+}}, %[[I]], %[[J]], %[[R]]) {layout = "ss", {{.*}} : ({{.*}}, index, index, f32) -> ()
print(add_one.emit(torch.randn(8, 100)))
