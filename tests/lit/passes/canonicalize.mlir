// Upstream canonicalize on tile IR: unused pure ops and unused loads go (a
// load only reads), stores and the launches holding them stay.
// RUN: tegula-opt %s --split-input-file --pass-pipeline='canonicalize' | filecheck %s

// CHECK-LABEL: func.func @dead_ops
// CHECK-SAME: (%[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{.+}}>, %[[F:[^:]+]]: f32)
// CHECK: "tile.launch"(%[[N]])
// CHECK: %[[PID:.+]] = "tile.program_id"
// CHECK-NOT: "tile.make_tile"
// CHECK-NOT: "tile.full"
// CHECK-NOT: "tile.load"
// CHECK-NOT: "tile.begin"
// CHECK-NOT: "tile.index"
// CHECK: "tile.store"(%[[X]], %[[PID]], %[[PID]], %[[F]]) {layout = "ss"
// CHECK-NEXT: "tile.yield"
func.func @dead_ops(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %f: f32) attributes {tile.kernel} {
  %c16 = arith.constant 16 : index
  "tile.launch"(%n) ({
    %pid = "tile.program_id"() : () -> index
    %t = "tile.make_tile"(%pid, %n, %c16) : (index, index, index) -> !tile.tile
    %full = "tile.full"(%f, %t, %t) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %v = "tile.load"(%x, %t, %t) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %b = "tile.begin"(%t) : (!tile.tile) -> index
    %i = "tile.index"(%t) : (!tile.tile) -> tensor<?xi32>
    "tile.store"(%x, %pid, %pid, %f) {layout = "ss", operandSegmentSizes = array<i32: 1, 0, 2, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, index, index, f32) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}

// -----

// A launch that only stores is kept; a store inside a k loop keeps the loop.
// CHECK-LABEL: func.func @stores_kept
// CHECK: "tile.launch"
// CHECK: scf.for
// CHECK: "tile.store"
// CHECK: "tile.yield"
func.func @stores_kept(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %f: f32) attributes {tile.kernel} {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  "tile.launch"(%n) ({
    scf.for %k = %c0 to %n step %c16 {
      %t = "tile.make_tile"(%k, %n, %c16) : (index, index, index) -> !tile.tile
      %v = "tile.full"(%f, %t) : (f32, !tile.tile) -> tensor<?xf32>
      "tile.store"(%x, %t, %v) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    }
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}
