// tegula-roll keeps memory accesses in order: a chunk loop holding a store and a later load of the same tensor
// stores each chunk before loading it back (program order), and a store does not join an earlier reduction's loop
// past a load of the same tensor at another index (it gets its own loop after that load).
// RUN: tegula-opt %s --split-input-file --pass-pipeline='tegula-roll{reduction-loops=32},canonicalize' | filecheck %s

// CHECK-LABEL: func.func @rw
// CHECK: scf.for
// CHECK: "tile.store"(%arg2, %{{.+}}, %[[C:[^ ,)]+]],
// CHECK-NEXT: "tile.load"(%arg2, %{{.+}}, %[[C]])
// CHECK-NEXT: "tile.reduce"
// CHECK-NOT: scf.for
func.func @rw(%arg0: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "y", "out"], tile.kernel} {
    %cst = arith.constant 2.000000e+00 : f32
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %0 = "tile.block_size"() {hint = 8 : i64, id = 0 : i64, kind = "tile"} : () -> index
    %dim = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
    %1 = "tile.block_size"(%dim) {hint = 100 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
    %2 = "tile.make_tile"(%c0, %dim, %1) : (index, index, index) -> !tile.tile
    "tile.for"(%c0, %arg0, %0) ({
    ^bb0(%t: !tile.tile):
      %3 = "tile.load"(%x, %t, %2) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %f = "tile.full"(%cst, %t, %2) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %m = arith.mulf %3, %f : tensor<?x?xf32>
      "tile.store"(%y, %t, %2, %m) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
      %l = "tile.load"(%y, %t, %2) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %4 = "tile.reduce"(%l) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
      "tile.store"(%out, %t, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
      "tile.yield"() : () -> ()
    }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
    return
  }

// -----

// CHECK-LABEL: func.func @rw2
// CHECK: scf.for
// CHECK-NOT: "tile.store"
// CHECK: scf.yield
// CHECK: "tile.load"(%arg2, %{{.+}}, %c0)
// CHECK-NEXT: scf.for
// CHECK: "tile.store"(%arg2,
func.func @rw2(%arg0: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?xf32, strided<[1], offset: ?>>, %first: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "y", "out", "first"], tile.kernel} {
    %cst = arith.constant 2.000000e+00 : f32
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %0 = "tile.block_size"() {hint = 8 : i64, id = 0 : i64, kind = "tile"} : () -> index
    %dim = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
    %1 = "tile.block_size"(%dim) {hint = 100 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
    %2 = "tile.make_tile"(%c0, %dim, %1) : (index, index, index) -> !tile.tile
    "tile.for"(%c0, %arg0, %0) ({
    ^bb0(%t: !tile.tile):
      %3 = "tile.load"(%x, %t, %2) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %4 = "tile.reduce"(%3) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
      %v = "tile.load"(%y, %t, %c0) {layout = "ts", operandSegmentSizes = array<i32: 1, 1, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, index) -> tensor<?xf32>
      %f = "tile.full"(%cst, %t, %2) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %m = arith.mulf %3, %f : tensor<?x?xf32>
      "tile.store"(%y, %t, %2, %m) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
      "tile.store"(%out, %t, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
      "tile.store"(%first, %t, %v) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
      "tile.yield"() : () -> ()
    }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
    return
  }
