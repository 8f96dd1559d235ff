// Round trip of tile.load and tile.store with tile ('t') and scalar ('s') indices mixed.
// RUN: tegula-opt %s --split-input-file | tegula-opt --split-input-file | filecheck %s

// Tile indices only: one dynamic result dimension per handle.
// CHECK-LABEL: func.func @tiles_only
// CHECK-SAME: (%[[X:[^:]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[TM:[^:]+]]: !tile.tile, %[[TN:[^:]+]]: !tile.tile)
// CHECK: %[[V:.+]] = "tile.load"(%[[X]], %[[TM]], %[[TN]]) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
// CHECK: "tile.store"(%[[X]], %[[TM]], %[[TN]], %[[V]]) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
func.func @tiles_only(%x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %tm: !tile.tile, %tn: !tile.tile) {
  %v = "tile.load"(%x, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
  "tile.store"(%x, %tm, %tn, %v) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
  return
}

// -----

// Mixed layouts: a scalar index drops its dimension; tiles and scalars are two operand groups.
// CHECK-LABEL: func.func @mixed
// CHECK-SAME: (%[[X:[^:]+]]: memref<?x?x?xbf16, strided<[?, ?, 1], offset: ?>>, %[[Y:[^:]+]]: memref<?x?xi32, strided<[?, 1], offset: ?>>, %[[T:[^:]+]]: !tile.tile, %[[U:[^:]+]]: !tile.tile, %[[I:[^:]+]]: index)
// CHECK: %[[A:.+]] = "tile.load"(%[[X]], %[[T]], %[[U]], %[[I]]) {layout = "tst", operandSegmentSizes = array<i32: 1, 2, 1>} : (memref<?x?x?xbf16, strided<[?, ?, 1], offset: ?>>, !tile.tile, !tile.tile, index) -> tensor<?x?xbf16>
// CHECK: %[[B:.+]] = "tile.load"(%[[X]], %[[T]], %[[I]], %[[I]]) {layout = "sst", operandSegmentSizes = array<i32: 1, 1, 2>} : (memref<?x?x?xbf16, strided<[?, ?, 1], offset: ?>>, !tile.tile, index, index) -> tensor<?xbf16>
// CHECK: %[[C:.+]] = "tile.load"(%[[Y]], %[[T]], %[[I]]) {layout = "st", operandSegmentSizes = array<i32: 1, 1, 1>} : (memref<?x?xi32, strided<[?, 1], offset: ?>>, !tile.tile, index) -> tensor<?xi32>
// CHECK: "tile.store"(%[[X]], %[[T]], %[[I]], %[[I]], %[[B]]) {layout = "tss", operandSegmentSizes = array<i32: 1, 1, 2, 1>} : (memref<?x?x?xbf16, strided<[?, ?, 1], offset: ?>>, !tile.tile, index, index, tensor<?xbf16>) -> ()
// CHECK: "tile.store"(%[[Y]], %[[T]], %[[I]], %[[C]]) {layout = "ts", operandSegmentSizes = array<i32: 1, 1, 1, 1>} : (memref<?x?xi32, strided<[?, 1], offset: ?>>, !tile.tile, index, tensor<?xi32>) -> ()
func.func @mixed(%x: memref<?x?x?xbf16, strided<[?, ?, 1], offset: ?>>, %y: memref<?x?xi32, strided<[?, 1], offset: ?>>, %t: !tile.tile, %u: !tile.tile, %i: index) {
  %a = "tile.load"(%x, %t, %u, %i) {layout = "tst", operandSegmentSizes = array<i32: 1, 2, 1>} : (memref<?x?x?xbf16, strided<[?, ?, 1], offset: ?>>, !tile.tile, !tile.tile, index) -> tensor<?x?xbf16>
  %b = "tile.load"(%x, %t, %i, %i) {layout = "sst", operandSegmentSizes = array<i32: 1, 1, 2>} : (memref<?x?x?xbf16, strided<[?, ?, 1], offset: ?>>, !tile.tile, index, index) -> tensor<?xbf16>
  %c = "tile.load"(%y, %t, %i) {layout = "st", operandSegmentSizes = array<i32: 1, 1, 1>} : (memref<?x?xi32, strided<[?, 1], offset: ?>>, !tile.tile, index) -> tensor<?xi32>
  "tile.store"(%x, %t, %i, %i, %b) {layout = "tss", operandSegmentSizes = array<i32: 1, 1, 2, 1>} : (memref<?x?x?xbf16, strided<[?, ?, 1], offset: ?>>, !tile.tile, index, index, tensor<?xbf16>) -> ()
  "tile.store"(%y, %t, %i, %c) {layout = "ts", operandSegmentSizes = array<i32: 1, 1, 1, 1>} : (memref<?x?xi32, strided<[?, 1], offset: ?>>, !tile.tile, index, tensor<?xi32>) -> ()
  return
}

// -----

// Scalar indices only: the load returns the element itself, the store takes one.
// CHECK-LABEL: func.func @scalars_only
// CHECK-SAME: (%[[X:[^:]+]]: memref<?x?xf16, strided<[?, 1], offset: ?>>, %[[I:[^:]+]]: index, %[[J:[^:]+]]: index)
// CHECK: %[[S:.+]] = "tile.load"(%[[X]], %[[I]], %[[J]]) {layout = "ss", operandSegmentSizes = array<i32: 1, 0, 2>} : (memref<?x?xf16, strided<[?, 1], offset: ?>>, index, index) -> f16
// CHECK: "tile.store"(%[[X]], %[[J]], %[[I]], %[[S]]) {layout = "ss", operandSegmentSizes = array<i32: 1, 0, 2, 1>} : (memref<?x?xf16, strided<[?, 1], offset: ?>>, index, index, f16) -> ()
func.func @scalars_only(%x: memref<?x?xf16, strided<[?, 1], offset: ?>>, %i: index, %j: index) {
  %s = "tile.load"(%x, %i, %j) {layout = "ss", operandSegmentSizes = array<i32: 1, 0, 2>} : (memref<?x?xf16, strided<[?, 1], offset: ?>>, index, index) -> f16
  "tile.store"(%x, %j, %i, %s) {layout = "ss", operandSegmentSizes = array<i32: 1, 0, 2, 1>} : (memref<?x?xf16, strided<[?, 1], offset: ?>>, index, index, f16) -> ()
  return
}
