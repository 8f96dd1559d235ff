// Upstream CSE on tile IR: identical pure tile ops merge; loads merge only
// when no store can change memory between them.
// RUN: tegula-opt %s --split-input-file --pass-pipeline='cse' | filecheck %s

// CHECK-LABEL: func.func @pure_ops
// CHECK: "tile.launch"
// CHECK: %[[PID:.+]] = "tile.program_id"() : () -> index
// CHECK-NOT: "tile.program_id"
// CHECK: %[[T:.+]] = "tile.make_tile"(%[[PID]], %{{.+}}, %{{.+}})
// CHECK-NOT: "tile.make_tile"
// CHECK: %[[B:.+]] = "tile.begin"(%[[T]]) : (!tile.tile) -> index
// CHECK-NOT: "tile.begin"
// CHECK: arith.addi %[[B]], %[[B]] : index
// CHECK: %[[F:.+]] = "tile.full"(%{{.+}}, %[[T]]) : (f32, !tile.tile) -> tensor<?x1xf32>
// CHECK: %[[BC:.+]] = "tile.broadcast"(%[[F]], %[[T]], %[[T]]) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
// CHECK-NOT: "tile.broadcast"
// CHECK: %[[M:.+]] = arith.mulf %[[BC]], %[[BC]] : tensor<?x?xf32>
// CHECK: "tile.store"(%{{.+}}, %[[T]], %[[T]], %[[M]])
func.func @pure_ops(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %f: f32) attributes {tile.kernel} {
  %c16 = arith.constant 16 : index
  "tile.launch"(%n) ({
    %pid = "tile.program_id"() : () -> index
    %pid2 = "tile.program_id"() : () -> index
    %t = "tile.make_tile"(%pid, %n, %c16) : (index, index, index) -> !tile.tile
    %t2 = "tile.make_tile"(%pid2, %n, %c16) : (index, index, index) -> !tile.tile
    %b1 = "tile.begin"(%t) : (!tile.tile) -> index
    %b2 = "tile.begin"(%t2) : (!tile.tile) -> index
    %s = arith.addi %b1, %b2 : index
    %full = "tile.full"(%f, %t) : (f32, !tile.tile) -> tensor<?x1xf32>
    %bc1 = "tile.broadcast"(%full, %t, %t) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %bc2 = "tile.broadcast"(%full, %t, %t2) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %m = arith.mulf %bc1, %bc2 : tensor<?x?xf32>
    "tile.store"(%x, %t, %t, %m) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.store"(%x, %s, %s, %f) {layout = "ss", operandSegmentSizes = array<i32: 1, 0, 2, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, index, index, f32) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}

// -----

// Two loads of the same tile merge; a load after a store does not.
// CHECK-LABEL: func.func @loads
// CHECK-SAME: (%{{[^:]+}}: index, %[[X:[^:]+]]: memref<{{.+}}>, %[[Y:[^:]+]]: memref<{{.+}}>)
// CHECK: %[[V:.+]] = "tile.load"(%[[X]], %[[T:[^)]+]]) {layout = "t"
// CHECK-NOT: "tile.load"
// CHECK: %[[A:.+]] = arith.addf %[[V]], %[[V]] : tensor<?xf32>
// CHECK: "tile.store"(%[[X]], %[[T]], %[[A]])
// CHECK: %[[W:.+]] = "tile.load"(%[[X]], %[[T]]) {layout = "t"
// CHECK: "tile.store"(%[[Y]], %[[T]], %[[W]])
func.func @loads(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %y: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.kernel} {
  %c16 = arith.constant 16 : index
  "tile.launch"(%n) ({
    %pid = "tile.program_id"() : () -> index
    %t = "tile.make_tile"(%pid, %n, %c16) : (index, index, index) -> !tile.tile
    %v = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %w = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %a = arith.addf %v, %w : tensor<?xf32>
    "tile.store"(%x, %t, %a) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    %z = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    "tile.store"(%y, %t, %z) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}

// -----

// Program ids of two launches are different values: nothing merges across launches.
// CHECK-LABEL: func.func @two_launches
// CHECK: "tile.launch"
// CHECK: "tile.program_id"
// CHECK: "tile.launch"
// CHECK: "tile.program_id"
func.func @two_launches(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %f: f32) attributes {tile.kernel} {
  "tile.launch"(%n) ({
    %pid = "tile.program_id"() : () -> index
    "tile.store"(%x, %pid, %f) {layout = "s", operandSegmentSizes = array<i32: 1, 0, 1, 1>} : (memref<?xf32, strided<[1], offset: ?>>, index, f32) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  "tile.launch"(%n) ({
    %pid = "tile.program_id"() : () -> index
    "tile.store"(%x, %pid, %f) {layout = "s", operandSegmentSizes = array<i32: 1, 0, 1, 1>} : (memref<?xf32, strided<[1], offset: ?>>, index, f32) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}
