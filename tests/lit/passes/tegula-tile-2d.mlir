// tegula-tile on a 2-D loop: one launch of ceildiv(m, 32) * ceildiv(n, 8)
// programs; program pid takes tile (pid / n1, pid % n1), row-major.
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=32,8}' | filecheck %s

// CHECK-LABEL: func.func @two_dim
// CHECK-SAME: (%[[M:[^:]+]]: index, %[[N:[^:]+]]: index, %[[X:[^:]+]]: memref
// CHECK-NOT: tile.block_size
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : index
// CHECK-DAG: %[[LB:.+]] = arith.constant 0 : index
// CHECK: %[[S0:.+]] = arith.subi %[[M]], %[[LB]] : index
// CHECK: %[[P0:.+]] = arith.maxsi %[[S0]], %{{.+}} : index
// CHECK: %[[N0:.+]] = arith.ceildivsi %[[P0]], %[[C32]] : index
// CHECK: %[[S1:.+]] = arith.subi %[[N]], %[[LB]] : index
// CHECK: %[[P1:.+]] = arith.maxsi %[[S1]], %{{.+}} : index
// CHECK: %[[N1:.+]] = arith.ceildivsi %[[P1]], %[[C8]] : index
// CHECK: %[[TOTAL:.+]] = arith.muli %[[N0]], %[[N1]] : index
// CHECK: "tile.launch"(%[[TOTAL]]) ({
// CHECK-NEXT: %[[PID:.+]] = "tile.program_id"() : () -> index
// CHECK-NEXT: %[[J:.+]] = arith.remsi %[[PID]], %[[N1]] : index
// CHECK-NEXT: %[[I:.+]] = arith.divsi %[[PID]], %[[N1]] : index
// CHECK-NEXT: %[[OI:.+]] = arith.muli %[[I]], %[[C32]] : index
// CHECK-NEXT: %[[BI:.+]] = arith.addi %[[LB]], %[[OI]] : index
// CHECK-NEXT: %[[TM:.+]] = "tile.make_tile"(%[[BI]], %[[M]], %[[C32]]) : (index, index, index) -> !tile.tile
// CHECK-NEXT: %[[OJ:.+]] = arith.muli %[[J]], %[[C8]] : index
// CHECK-NEXT: %[[BJ:.+]] = arith.addi %[[LB]], %[[OJ]] : index
// CHECK-NEXT: %[[TN:.+]] = "tile.make_tile"(%[[BJ]], %[[N]], %[[C8]]) : (index, index, index) -> !tile.tile
// The body follows, using the rebuilt handles.
// CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]], %[[TM]], %[[TN]])
// CHECK-NEXT: "tile.store"(%[[X]], %[[TM]], %[[TN]], %[[V]])
// CHECK-NEXT: "tile.yield"() : () -> ()
// CHECK-NEXT: }) : (index) -> ()
// CHECK-NOT: "tile.for"
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
  return
}
