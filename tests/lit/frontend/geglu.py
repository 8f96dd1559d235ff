# The frontend's tile dialect for the geglu kernel of examples/swiglu.py:
# gelu(a, approximate="tanh") * b.
# RUN: tegula-opt %examples/swiglu.py --kernel geglu --emit=tile --no-debuginfo | filecheck %s

# CHECK-NOT: func.func @swiglu
# CHECK-LABEL: func.func @geglu
# CHECK-SAME: %[[A:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[B:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[OUT:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>)
# CHECK: ^bb0(%[[TM:.+]]: !tile.tile, %[[TN:.+]]: !tile.tile):
# CHECK-NEXT: %[[X:.+]] = "tile.load"(%[[A]], %[[TM]], %[[TN]]) {layout = "tt"
# CHECK: arith.constant 4.471500e-02 : f32
# CHECK: %[[X2:.+]] = arith.mulf %[[X]], %[[X]]
# CHECK: %[[X3:.+]] = arith.mulf %[[X]], %[[X2]]
# CHECK: arith.constant 0.797884583 : f32
# CHECK: %[[T:.+]] = math.tanh %{{.+}} : tensor<?x?xf32>
# CHECK: %[[ONEPT:.+]] = arith.addf %{{.+}}, %[[T]]
# CHECK: %[[G:.+]] = arith.mulf %{{.+}}, %[[ONEPT]]
# CHECK: %[[Y:.+]] = "tile.load"(%[[B]], %[[TM]], %[[TN]]) {layout = "tt"
# CHECK: %[[R:.+]] = arith.mulf %[[G]], %[[Y]]
# CHECK: "tile.store"(%[[OUT]], %[[TM]], %[[TN]], %[[R]])
