# The frontend's tile dialect for the swiglu kernel (examples/swiglu.py holds
# two kernels; --kernel picks one): silu(a) = a * (1 / (1 + exp(-a))), times b.
# RUN: tegula-opt %examples/swiglu.py --kernel swiglu --emit=tile --no-debuginfo | filecheck %s

# CHECK-LABEL: func.func @swiglu
# CHECK-SAME: %[[A:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[B:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[OUT:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>)
# CHECK-SAME: tile.arg_names = ["a.size()[0]", "a.size()[1]", "a", "b", "out"]
# CHECK: ^bb0(%[[TM:.+]]: !tile.tile, %[[TN:.+]]: !tile.tile):
# CHECK-NEXT: %[[X:.+]] = "tile.load"(%[[A]], %[[TM]], %[[TN]]) {layout = "tt"
# CHECK: %[[NEG:.+]] = arith.negf %[[X]] : tensor<?x?xf32>
# CHECK: %[[EXP:.+]] = math.exp %[[NEG]]
# CHECK: %[[DEN:.+]] = arith.addf %{{.+}}, %[[EXP]]
# CHECK: %[[SIG:.+]] = arith.divf %{{.+}}, %[[DEN]]
# CHECK: %[[SILU:.+]] = arith.mulf %[[X]], %[[SIG]]
# CHECK: %[[Y:.+]] = "tile.load"(%[[B]], %[[TM]], %[[TN]]) {layout = "tt"
# CHECK: %[[R:.+]] = arith.mulf %[[SILU]], %[[Y]]
# CHECK: "tile.store"(%[[OUT]], %[[TM]], %[[TN]], %[[R]])
# Only the requested kernel is emitted.
# CHECK-NOT: func.func @geglu
