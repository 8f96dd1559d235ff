// tegula-tile{l2-groupings=G}: on a 2-D loop, programs sweep groups of G row tiles per column tile
// (Triton's grouped ordering: group, first row, min(n0 - first, G), ...); l2-groupings=1 gives the plain mapping.
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=32,8 l2-groupings=4}' | filecheck %s --check-prefix=G4
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=32,8 l2-groupings=1}' | filecheck %s --check-prefix=G1
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=32,8}' | filecheck %s --check-prefix=G1

// G4-LABEL: func.func @two_dim
// G4-SAME: (%[[M:[^:]+]]: index, %[[N:[^:]+]]: index,
// G4-DAG: %[[C32:.+]] = arith.constant 32 : index
// G4-DAG: %[[C8:.+]] = arith.constant 8 : index
// G4: %[[N0:.+]] = arith.ceildivsi %{{.+}}, %[[C32]] : index
// G4: %[[N1:.+]] = arith.ceildivsi %{{.+}}, %[[C8]] : index
// G4: %[[TOTAL:.+]] = arith.muli %[[N0]], %[[N1]] : index
// The grid is unchanged: one program per tile.
// G4: "tile.launch"(%[[TOTAL]]) ({
// G4-NEXT: %[[PID:.+]] = "tile.program_id"() : () -> index
// G4: %[[G:.+]] = arith.constant 4 : index
// per group: G * n1 programs
// G4-NEXT: %[[PER:.+]] = arith.muli %[[G]], %[[N1]] : index
// G4-NEXT: %[[GID:.+]] = arith.divsi %[[PID]], %[[PER]] : index
// G4-NEXT: %[[G_:.+]] = arith.constant 4 : index
// first row tile of the group
// G4-NEXT: %[[FIRST:.+]] = arith.muli %[[GID]], %[[G_]] : index
// the last group may be short: size = min(n0 - first, G)
// G4-NEXT: %[[LEFT:.+]] = arith.subi %[[N0]], %[[FIRST]] : index
// G4-NEXT: %[[G__:.+]] = arith.constant 4 : index
// G4-NEXT: %[[SIZE:.+]] = arith.minsi %[[LEFT]], %[[G__]] : index
// G4-NEXT: %[[WITHIN:.+]] = arith.remsi %[[PID]], %[[PER]] : index
// row = first + within % size; column = within / size
// G4-NEXT: %[[R:.+]] = arith.remsi %[[WITHIN]], %[[SIZE]] : index
// G4-NEXT: %[[I:.+]] = arith.addi %[[FIRST]], %[[R]] : index
// G4-NEXT: %[[J:.+]] = arith.divsi %[[WITHIN]], %[[SIZE]] : index
// G4-NEXT: %[[OI:.+]] = arith.muli %[[I]], %[[C32]] : index
// G4-NEXT: %[[BI:.+]] = arith.addi %{{.+}}, %[[OI]] : index
// G4-NEXT: "tile.make_tile"(%[[BI]], %[[M]], %[[C32]])
// G4-NEXT: %[[OJ:.+]] = arith.muli %[[J]], %[[C8]] : index
// G4-NEXT: %[[BJ:.+]] = arith.addi %{{.+}}, %[[OJ]] : index
// G4-NEXT: "tile.make_tile"(%[[BJ]], %[[N]], %[[C8]])

// G1-LABEL: func.func @two_dim
// G1: %[[N0:.+]] = arith.ceildivsi %{{.+}}, %{{.+}} : index
// G1: %[[N1:.+]] = arith.ceildivsi %{{.+}}, %{{.+}} : index
// G1: arith.muli %[[N0]], %[[N1]] : index
// G1: "tile.launch"
// G1-NEXT: %[[PID:.+]] = "tile.program_id"()
// G1-NEXT: arith.remsi %[[PID]], %[[N1]] : index
// G1-NEXT: arith.divsi %[[PID]], %[[N1]] : index
// G1-NOT: arith.minsi
// G1: "tile.make_tile"
// G1-NOT: arith.minsi
// G1: "tile.make_tile"
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
