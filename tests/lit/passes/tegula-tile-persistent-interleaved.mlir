// tegula-tile{persistent=interleaved programs=P}: the grid is min(tiles, P) and program p runs an scf.for from
// p to tiles with step grid (tiles p, p + grid, ...), wrapping the body; the BLOCKED run shows the other bounds.
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=32,8 persistent=interleaved programs=16}' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=32,8 persistent=blocked programs=16}' | filecheck %s --check-prefix=BLOCKED

// CHECK-LABEL: func.func @two_dim
// CHECK-SAME: (%[[M:[^:]+]]: index, %[[N:[^:]+]]: index, %[[X:[^:]+]]: memref
// CHECK: %[[N0:.+]] = arith.ceildivsi
// CHECK: %[[N1:.+]] = arith.ceildivsi
// CHECK: %[[TOTAL:.+]] = arith.muli %[[N0]], %[[N1]] : index
// CHECK-NEXT: %[[P:.+]] = arith.constant 16 : index
// CHECK-NEXT: %[[GRID:.+]] = arith.minsi %[[TOTAL]], %[[P]] : index
// CHECK-NEXT: "tile.launch"(%[[GRID]]) ({
// CHECK-NEXT: %[[PID:.+]] = "tile.program_id"() : () -> index
// CHECK-NOT: arith.ceildivsi
// CHECK: scf.for %[[V:.+]] = %[[PID]] to %[[TOTAL]] step %[[GRID]] {
// CHECK-NEXT: %[[J:.+]] = arith.remsi %[[V]], %[[N1]] : index
// CHECK-NEXT: %[[I:.+]] = arith.divsi %[[V]], %[[N1]] : index
// CHECK: %[[TM:.+]] = "tile.make_tile"(%{{.+}}, %[[M]],
// CHECK: %[[TN:.+]] = "tile.make_tile"(%{{.+}}, %[[N]],
// CHECK-NEXT: %[[VAL:.+]] = "tile.load"(%[[X]], %[[TM]], %[[TN]])
// CHECK-NEXT: "tile.store"(%[[X]], %[[TM]], %[[TN]], %[[VAL]])
// CHECK-NEXT: }
// CHECK-NEXT: "tile.yield"() : () -> ()
// CHECK-NEXT: }) : (index) -> ()

// BLOCKED-LABEL: func.func @two_dim
// BLOCKED: %[[TOTAL:.+]] = arith.muli
// BLOCKED: %[[GRID:.+]] = arith.minsi %[[TOTAL]],
// BLOCKED: %[[PID:.+]] = "tile.program_id"()
// BLOCKED-NOT: scf.for %{{.+}} = %[[PID]] to
// BLOCKED: scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} {
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
