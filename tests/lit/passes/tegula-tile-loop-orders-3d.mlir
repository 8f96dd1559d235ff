// tegula-tile{loop-orders=K} on a 3-D loop: K indexes the lexicographic permutations of (0, 1, 2), outermost
// first; 3 = (1, 2, 0): dim 0 fastest, then dim 2, dim 1 slowest. 5 = (2, 1, 0) reverses; 6 is out of range.
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=2,4,8 loop-orders=3}' | filecheck %s --check-prefixes=CHECK,K3
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=2,4,8 loop-orders=5}' | filecheck %s --check-prefixes=CHECK,K5
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=2,4,8 loop-orders=0}' | filecheck %s --check-prefixes=CHECK,K0
// RUN: not tegula-opt %s --pass-pipeline='tegula-tile{loop-orders=6}' 2>&1 | filecheck %s --check-prefix=RANGE

// CHECK-LABEL: func.func @three_dim
// CHECK-SAME: (%[[A:[^:]+]]: index, %[[B:[^:]+]]: index, %[[C:[^:]+]]: index,
// CHECK-DAG: %[[C2:.+]] = arith.constant 2 : index
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : index
// CHECK: %[[N0:.+]] = arith.ceildivsi %{{.+}}, %[[C2]] : index
// CHECK: %[[N1:.+]] = arith.ceildivsi %{{.+}}, %[[C4]] : index
// CHECK: %[[N2:.+]] = arith.ceildivsi %{{.+}}, %[[C8]] : index
// CHECK: "tile.launch"
// CHECK-NEXT: %[[PID:.+]] = "tile.program_id"() : () -> index
// K3-NEXT: %[[X0:.+]] = arith.remsi %[[PID]], %[[N0]] : index
// K3-NEXT: %[[R:.+]] = arith.divsi %[[PID]], %[[N0]] : index
// K3-NEXT: %[[X2:.+]] = arith.remsi %[[R]], %[[N2]] : index
// K3-NEXT: %[[X1:.+]] = arith.divsi %[[R]], %[[N2]] : index
// K5-NEXT: %[[X0:.+]] = arith.remsi %[[PID]], %[[N0]] : index
// K5-NEXT: %[[R:.+]] = arith.divsi %[[PID]], %[[N0]] : index
// K5-NEXT: %[[X1:.+]] = arith.remsi %[[R]], %[[N1]] : index
// K5-NEXT: %[[X2:.+]] = arith.divsi %[[R]], %[[N1]] : index
// K0-NEXT: %[[X2:.+]] = arith.remsi %[[PID]], %[[N2]] : index
// K0-NEXT: %[[R:.+]] = arith.divsi %[[PID]], %[[N2]] : index
// K0-NEXT: %[[X1:.+]] = arith.remsi %[[R]], %[[N1]] : index
// K0-NEXT: %[[X0:.+]] = arith.divsi %[[R]], %[[N1]] : index
// CHECK-NEXT: %[[O0:.+]] = arith.muli %[[X0]], %[[C2]] : index
// CHECK-NEXT: %[[B0:.+]] = arith.addi %{{.+}}, %[[O0]] : index
// CHECK-NEXT: "tile.make_tile"(%[[B0]], %[[A]], %[[C2]])
// CHECK-NEXT: %[[O1:.+]] = arith.muli %[[X1]], %[[C4]] : index
// CHECK-NEXT: %[[B1:.+]] = arith.addi %{{.+}}, %[[O1]] : index
// CHECK-NEXT: "tile.make_tile"(%[[B1]], %[[B]], %[[C4]])
// CHECK-NEXT: %[[O2:.+]] = arith.muli %[[X2]], %[[C8]] : index
// CHECK-NEXT: %[[B2:.+]] = arith.addi %{{.+}}, %[[O2]] : index
// CHECK-NEXT: "tile.make_tile"(%[[B2]], %[[C]], %[[C8]])

// RANGE: error: pass 'tegula-tile': option 'loop-orders': loop_orders[0]: {{.*}}6
func.func @three_dim(%a: index, %b: index, %c: index, %x: memref<?x?x?xf32, strided<[?, ?, 1], offset: ?>>) attributes {tile.kernel} {
  %b0 = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %b1 = "tile.block_size"() {hint = 1000 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %b2 = "tile.block_size"() {hint = 1000 : i64, id = 2 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  "tile.for"(%c0, %c0, %c0, %a, %b, %c, %b0, %b1, %b2) ({
  ^bb0(%t0: !tile.tile, %t1: !tile.tile, %t2: !tile.tile):
    %v = "tile.load"(%x, %t0, %t1, %t2) {layout = "ttt", operandSegmentSizes = array<i32: 1, 3, 0>} : (memref<?x?x?xf32, strided<[?, ?, 1], offset: ?>>, !tile.tile, !tile.tile, !tile.tile) -> tensor<?x?x?xf32>
    "tile.store"(%x, %t0, %t1, %t2, %v) {layout = "ttt", operandSegmentSizes = array<i32: 1, 3, 0, 1>} : (memref<?x?x?xf32, strided<[?, ?, 1], offset: ?>>, !tile.tile, !tile.tile, !tile.tile, tensor<?x?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 3, 3, 3>} : (index, index, index, index, index, index, index, index, index) -> ()
  return
}
