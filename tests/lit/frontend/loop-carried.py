# Variables assigned before a nested tl.tile loop and reassigned in it are
# carried through the scf.for as iter_args (here two: a sum and a max), and
# the loop results are used after it.
# RUN: %python %s | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def sum_over_max(x):
    m, n = x.size()
    out = torch.empty([m], dtype=torch.float32, device=x.device)
    for tm in tl.tile(m):
        acc = tl.zeros([tm], dtype=torch.float32)
        mx = tl.full([tm], float("-inf"), dtype=torch.float32)
        for tn in tl.tile(n):
            v = x[tm, tn]
            acc = acc + v.sum(-1)
            mx = torch.maximum(mx, v.amax(-1))
        out[tm] = acc / mx
    return out


# CHECK-LABEL: func.func @sum_over_max
# CHECK-SAME: (%{{[^:]+}}: index, %[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<?x?xf32, {{.*}}>, %[[OUT:[^:]+]]: memref<?xf32, {{.*}}>)
# CHECK-DAG: "tile.block_size"() {hint = 64 : i64, id = 0 : i64, kind = "tile"}
# CHECK-DAG: %[[BN:.+]] = "tile.block_size"() {hint = 300 : i64, id = 1 : i64, kind = "tile"}
# CHECK: ^bb0(%[[TM:.+]]: !tile.tile):
# CHECK: %[[ZERO:.+]] = "tile.full"(%{{.+}}, %[[TM]]) : (f32, !tile.tile) -> tensor<?xf32>
# CHECK: %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
# CHECK-NEXT: %[[MX0:.+]] = "tile.full"(%[[NEGINF]], %[[TM]]) : (f32, !tile.tile) -> tensor<?xf32>
# CHECK: %[[R:.+]]:2 = scf.for %[[K:.+]] = %{{.+}} to %[[N]] step %[[BN]] iter_args(%[[ACC:.+]] = %[[ZERO]], %[[MX:.+]] = %[[MX0]]) -> (tensor<?xf32>, tensor<?xf32>) {
# CHECK-NEXT: %[[TN:.+]] = "tile.make_tile"(%[[K]], %[[N]], %[[BN]])
# CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]], %[[TM]], %[[TN]]) {layout = "tt"
# CHECK-NEXT: %[[S:.+]] = "tile.reduce"(%[[V]]) {dim = 1 : i64, keepdim = false, kind = "sum"}
# CHECK-NEXT: %[[ACC2:.+]] = arith.addf %[[ACC]], %[[S]] : tensor<?xf32>
# CHECK-NEXT: %[[M:.+]] = "tile.reduce"(%[[V]]) {dim = 1 : i64, keepdim = false, kind = "max"}
# CHECK-NEXT: %[[MX2:.+]] = arith.maximumf %[[MX]], %[[M]] : tensor<?xf32>
# CHECK-NEXT: scf.yield %[[ACC2]], %[[MX2]] : tensor<?xf32>, tensor<?xf32>
# CHECK-NEXT: }
# CHECK-NEXT: %[[Q:.+]] = arith.divf %[[R]]#0, %[[R]]#1 : tensor<?xf32>
# CHECK-NEXT: "tile.store"(%[[OUT]], %[[TM]], %[[Q]]) {layout = "t"
print(sum_over_max.emit(torch.randn(64, 300)))
