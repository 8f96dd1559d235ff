// tegula-tile{persistent=blocked programs=P}: the grid is min(tiles, P) and program p runs an scf.for over the
// contiguous run of tiles [p * ceil(tiles/grid), min(that + ceil(tiles/grid), tiles)), step 1, wrapping the body.
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=32,8 persistent=blocked programs=8}' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=32,8 persistent=none programs=8}' | filecheck %s --check-prefix=NONE

// CHECK-LABEL: func.func @two_dim
// CHECK-SAME: (%[[M:[^:]+]]: index, %[[N:[^:]+]]: index, %[[X:[^:]+]]: memref
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : index
// CHECK: %[[N0:.+]] = arith.ceildivsi %{{.+}}, %[[C32]] : index
// CHECK: %[[N1:.+]] = arith.ceildivsi %{{.+}}, %[[C8]] : index
// CHECK: %[[TOTAL:.+]] = arith.muli %[[N0]], %[[N1]] : index
// CHECK-NEXT: %[[P:.+]] = arith.constant 8 : index
// CHECK-NEXT: %[[GRID:.+]] = arith.minsi %[[TOTAL]], %[[P]] : index
// CHECK-NEXT: "tile.launch"(%[[GRID]]) ({
// CHECK-NEXT: %[[PID:.+]] = "tile.program_id"() : () -> index
// CHECK-NEXT: %[[ONE:.+]] = arith.constant 1 : index
// CHECK-NEXT: %[[PER:.+]] = arith.ceildivsi %[[TOTAL]], %[[GRID]] : index
// CHECK-NEXT: %[[LO:.+]] = arith.muli %[[PID]], %[[PER]] : index
// CHECK-NEXT: %[[END:.+]] = arith.addi %[[LO]], %[[PER]] : index
// CHECK-NEXT: %[[HI:.+]] = arith.minsi %[[END]], %[[TOTAL]] : index
// CHECK-NEXT: scf.for %[[V:.+]] = %[[LO]] to %[[HI]] step %[[ONE]] {
// The loop's induction variable is the virtual program id: row-major tile coordinates as usual.
// CHECK-NEXT: %[[J:.+]] = arith.remsi %[[V]], %[[N1]] : index
// CHECK-NEXT: %[[I:.+]] = arith.divsi %[[V]], %[[N1]] : index
// CHECK-NEXT: %[[OI:.+]] = arith.muli %[[I]], %[[C32]] : index
// CHECK-NEXT: %[[BI:.+]] = arith.addi %{{.+}}, %[[OI]] : index
// CHECK-NEXT: %[[TM:.+]] = "tile.make_tile"(%[[BI]], %[[M]], %[[C32]])
// CHECK-NEXT: %[[OJ:.+]] = arith.muli %[[J]], %[[C8]] : index
// CHECK-NEXT: %[[BJ:.+]] = arith.addi %{{.+}}, %[[OJ]] : index
// CHECK-NEXT: %[[TN:.+]] = "tile.make_tile"(%[[BJ]], %[[N]], %[[C8]])
// The body sits inside the loop; the launch's terminator after it.
// CHECK-NEXT: %[[VAL:.+]] = "tile.load"(%[[X]], %[[TM]], %[[TN]])
// CHECK-NEXT: "tile.store"(%[[X]], %[[TM]], %[[TN]], %[[VAL]])
// The loop over tiles is marked (a backend may software-pipeline it):
// CHECK-NEXT: } {tile.persistent}
// CHECK-NEXT: "tile.yield"() : () -> ()
// CHECK-NEXT: }) : (index) -> ()
// CHECK-NOT: "tile.for"

// programs has no effect without persistent: one program per tile, no loop.
// NONE-LABEL: func.func @two_dim
// NONE: %[[TOTAL:.+]] = arith.muli
// NONE-NEXT: "tile.launch"(%[[TOTAL]]) ({
// NONE-NOT: scf.for
// NONE-NOT: arith.minsi
// NONE: "tile.yield"
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
