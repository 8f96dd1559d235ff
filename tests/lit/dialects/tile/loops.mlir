// Round trip of the tile dialect's loop, launch and tile-handle ops.
// RUN: tegula-opt %s --split-input-file | tegula-opt --split-input-file | filecheck %s

// Block-size symbols of both kinds: a 'reduction' symbol takes its extent.
// CHECK-LABEL: func.func @block_sizes
// CHECK-SAME: (%[[N:[^:]+]]: index, %[[M:[^:]+]]: index)
// CHECK: %[[BS:.+]] = "tile.block_size"() {hint = 64 : i64, id = 0 : i64, kind = "tile"} : () -> index
// CHECK: %[[RBS:.+]] = "tile.block_size"(%[[M]]) {hint = 128 : i64, id = 1 : i64, kind = "reduction"} : (index) -> index
// CHECK: "tile.make_tile"(%{{.+}}, %[[M]], %[[RBS]]) : (index, index, index) -> !tile.tile
// CHECK: "tile.for"(%{{.+}}, %[[N]], %[[BS]])
func.func @block_sizes(%n: index, %m: index) attributes {tile.kernel} {
  %bs = "tile.block_size"() {hint = 64 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %rbs = "tile.block_size"(%m) {hint = 128 : i64, id = 1 : i64, kind = "reduction"} : (index) -> index
  %c0 = arith.constant 0 : index
  %row = "tile.make_tile"(%c0, %m, %rbs) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile):
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}

// -----

// A 2-D tile.for: one handle per dimension, bounds grouped by operandSegmentSizes.
// CHECK-LABEL: func.func @for_2d
// CHECK-SAME: (%[[M:[^:]+]]: index, %[[N:[^:]+]]: index)
// CHECK-DAG: %[[B0:.+]] = "tile.block_size"() {hint = 32 : i64, id = 0 : i64, kind = "tile"}
// CHECK-DAG: %[[B1:.+]] = "tile.block_size"() {hint = 16 : i64, id = 1 : i64, kind = "tile"}
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK: "tile.for"(%[[C0]], %[[C1]], %[[M]], %[[N]], %[[B0]], %[[B1]]) ({
// CHECK-NEXT: ^bb0(%[[TM:.+]]: !tile.tile, %[[TN:.+]]: !tile.tile):
// CHECK-NEXT: "tile.begin"(%[[TM]]) : (!tile.tile) -> index
// CHECK-NEXT: "tile.end"(%[[TN]]) : (!tile.tile) -> index
// CHECK-NEXT: "tile.yield"() : () -> ()
// CHECK-NEXT: }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
func.func @for_2d(%m: index, %n: index) attributes {tile.kernel} {
  %b0 = "tile.block_size"() {hint = 32 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %b1 = "tile.block_size"() {hint = 16 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  "tile.for"(%c0, %c1, %m, %n, %b0, %b1) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %b = "tile.begin"(%tm) : (!tile.tile) -> index
    %e = "tile.end"(%tn) : (!tile.tile) -> index
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}

// -----

// A launch: program ids rebuild the tile handles with tile.make_tile.
// CHECK-LABEL: func.func @launch
// CHECK-SAME: (%[[N:[^:]+]]: index)
// CHECK: %[[C16:.+]] = arith.constant 16 : index
// CHECK: %[[NP:.+]] = arith.ceildivsi %[[N]], %[[C16]] : index
// CHECK: "tile.launch"(%[[NP]]) ({
// CHECK-NEXT: %[[PID:.+]] = "tile.program_id"() : () -> index
// CHECK-NEXT: %[[B:.+]] = arith.muli %[[PID]], %[[C16]] : index
// CHECK-NEXT: %[[T:.+]] = "tile.make_tile"(%[[B]], %[[N]], %[[C16]]) : (index, index, index) -> !tile.tile
// CHECK-NEXT: "tile.begin"(%[[T]]) : (!tile.tile) -> index
// CHECK-NEXT: "tile.end"(%[[T]]) : (!tile.tile) -> index
// CHECK-NEXT: "tile.index"(%[[T]]) : (!tile.tile) -> tensor<?xi32>
// CHECK-NEXT: "tile.index"(%[[T]]) : (!tile.tile) -> tensor<?xi64>
// CHECK-NEXT: "tile.yield"() : () -> ()
// CHECK-NEXT: }) : (index) -> ()
func.func @launch(%n: index) attributes {tile.kernel} {
  %c16 = arith.constant 16 : index
  %np = arith.ceildivsi %n, %c16 : index
  "tile.launch"(%np) ({
    %pid = "tile.program_id"() : () -> index
    %b = arith.muli %pid, %c16 : index
    %t = "tile.make_tile"(%b, %n, %c16) : (index, index, index) -> !tile.tile
    %begin = "tile.begin"(%t) : (!tile.tile) -> index
    %end = "tile.end"(%t) : (!tile.tile) -> index
    %i32 = "tile.index"(%t) : (!tile.tile) -> tensor<?xi32>
    %i64 = "tile.index"(%t) : (!tile.tile) -> tensor<?xi64>
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}

// -----

// Two launches in one kernel keep their order; program_id may sit in a nested region.
// CHECK-LABEL: func.func @two_launches
// CHECK-SAME: (%[[N1:[^:]+]]: index, %[[N2:[^:]+]]: index)
// CHECK: "tile.launch"(%[[N1]]) ({
// CHECK: "tile.program_id"
// CHECK: scf.for
// CHECK: "tile.program_id"
// CHECK: "tile.yield"
// CHECK: }) : (index) -> ()
// CHECK: "tile.launch"(%[[N2]]) ({
// CHECK: "tile.yield"
func.func @two_launches(%n1: index, %n2: index) attributes {tile.kernel} {
  "tile.launch"(%n1) ({
    %pid = "tile.program_id"() : () -> index
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    scf.for %i = %c0 to %pid step %c1 {
      %p = "tile.program_id"() : () -> index
    }
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  "tile.launch"(%n2) ({
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}
