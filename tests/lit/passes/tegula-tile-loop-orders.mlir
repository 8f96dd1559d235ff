// tegula-tile{loop-orders=...}: per top-level loop, which dimension the program id walks fastest. 0 (the
// default) is row-major (pid % n1 is the column); 1 on a 2-D loop swaps it (pid % n0 is the row).
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=32,8 loop-orders=1}' | filecheck %s --check-prefixes=CHECK,ORD1
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=32,8 loop-orders=0}' | filecheck %s --check-prefixes=CHECK,ORD0
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=32,8}' | filecheck %s --check-prefixes=CHECK,ORD0
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=32,8 loop-orders=0,1}' | filecheck %s --check-prefix=SECOND

// CHECK-LABEL: func.func @two_dim
// CHECK-SAME: (%[[M:[^:]+]]: index, %[[N:[^:]+]]: index,
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : index
// CHECK: %[[N0:.+]] = arith.ceildivsi %{{.+}}, %[[C32]] : index
// CHECK: %[[N1:.+]] = arith.ceildivsi %{{.+}}, %[[C8]] : index
// CHECK: %[[TOTAL:.+]] = arith.muli %[[N0]], %[[N1]] : index
// CHECK: "tile.launch"(%[[TOTAL]]) ({
// CHECK-NEXT: %[[PID:.+]] = "tile.program_id"() : () -> index

// loop-orders=1: the row index (dimension 0, block 32) varies fastest.
// ORD1-NEXT: %[[I:.+]] = arith.remsi %[[PID]], %[[N0]] : index
// ORD1-NEXT: %[[J:.+]] = arith.divsi %[[PID]], %[[N0]] : index
// ORD0-NEXT: %[[J:.+]] = arith.remsi %[[PID]], %[[N1]] : index
// ORD0-NEXT: %[[I:.+]] = arith.divsi %[[PID]], %[[N1]] : index
// CHECK-NEXT: %[[OI:.+]] = arith.muli %[[I]], %[[C32]] : index
// CHECK-NEXT: %[[BI:.+]] = arith.addi %{{.+}}, %[[OI]] : index
// CHECK-NEXT: "tile.make_tile"(%[[BI]], %[[M]], %[[C32]])
// CHECK-NEXT: %[[OJ:.+]] = arith.muli %[[J]], %[[C8]] : index
// CHECK-NEXT: %[[BJ:.+]] = arith.addi %{{.+}}, %[[OJ]] : index
// CHECK-NEXT: "tile.make_tile"(%[[BJ]], %[[N]], %[[C8]])

// The option is per top-level loop: the second loop keeps the default order unless given its own entry.
// CHECK: %[[M0:.+]] = arith.ceildivsi %{{.+}}, %[[C32]] : index
// CHECK: %[[M1:.+]] = arith.ceildivsi %{{.+}}, %[[C8]] : index
// CHECK: "tile.launch"
// CHECK-NEXT: %[[PID2:.+]] = "tile.program_id"()
// CHECK-NEXT: arith.remsi %[[PID2]], %[[M1]] : index
// CHECK-NEXT: arith.divsi %[[PID2]], %[[M1]] : index

// loop-orders=0,1: the first loop is row-major, the second column-major.
// SECOND: %[[N0:.+]] = arith.ceildivsi
// SECOND: %[[N1:.+]] = arith.ceildivsi
// SECOND: "tile.launch"
// SECOND-NEXT: %[[PID:.+]] = "tile.program_id"()
// SECOND-NEXT: arith.remsi %[[PID]], %[[N1]] : index
// SECOND: %[[M0:.+]] = arith.ceildivsi
// SECOND: %[[M1:.+]] = arith.ceildivsi
// SECOND: "tile.launch"
// SECOND-NEXT: %[[PID2:.+]] = "tile.program_id"()
// SECOND-NEXT: arith.remsi %[[PID2]], %[[M0]] : index
// SECOND-NEXT: arith.divsi %[[PID2]], %[[M0]] : index
func.func @two_dim(%m: index, %n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
  %b0 = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %b1 = "tile.block_size"() {hint = 1000 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  "tile.for"(%c0, %c0, %m, %n, %b0, %b1) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %v = "tile.load"(%x, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    "tile.store"(%x, %tm, %tn, %v) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  "tile.for"(%c0, %c0, %m, %n, %b0, %b1) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %v = "tile.load"(%x, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %w = arith.addf %v, %v : tensor<?x?xf32>
    "tile.store"(%x, %tm, %tn, %w) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}
