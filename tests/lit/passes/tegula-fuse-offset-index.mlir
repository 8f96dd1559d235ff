// tegula-fuse: a loop writing tmp[t] then a loop reading tmp at an offset tile (tmp[t + 1], a stencil) stay two
// loops: iteration i reads what iteration i + 1 wrote. So does the reverse order (read shifted, then overwrite).
// RUN: tegula-opt %s --split-input-file --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize' | filecheck %s

// Read after write at an offset.
// CHECK-LABEL: func.func @raw_shifted
// CHECK-SAME: (%[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[TMP:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK: "tile.for"(%{{.+}}, %[[N]], %{{.+}}) ({
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK: %[[P:.+]] = arith.mulf
// CHECK-NEXT: "tile.store"(%[[TMP]], %[[T]], %[[P]])
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: "tile.for"(%{{.+}}, %[[N]], %[[B1:[^)]+]]) ({
// CHECK-NEXT: ^bb0(%[[U:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[BEG:.+]] = "tile.begin"(%[[U]])
// CHECK-NEXT: %[[BEG1:.+]] = arith.addi %[[BEG]], %{{.+}} : index
// CHECK-NEXT: %[[S:.+]] = "tile.make_tile"(%[[BEG1]], %[[N]], %[[B1]])
// CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[TMP]], %[[S]])
// CHECK-NEXT: "tile.store"(%[[OUT]], %[[U]], %[[V]])
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return
func.func @raw_shifted(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %tmp: memref<?xf32, strided<[1], offset: ?>> {tile.scratch}, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "tmp", "out"], tile.kernel} {
  %cst = arith.constant 2.000000e+00 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = "tile.block_size"() {hint = 100 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 100 : i64, id = 1 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %2 = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %3 = "tile.full"(%cst, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %4 = arith.mulf %2, %3 : tensor<?xf32>
    "tile.store"(%tmp, %t, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  "tile.for"(%c0, %n, %1) ({
  ^bb0(%t: !tile.tile):
    %b = "tile.begin"(%t) : (!tile.tile) -> index
    %b1 = arith.addi %b, %c1 : index
    %s = "tile.make_tile"(%b1, %n, %1) : (index, index, index) -> !tile.tile
    %2 = "tile.load"(%tmp, %s) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    "tile.store"(%out, %t, %2) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}

// -----

// Write after read at an offset: the first loop reads tmp[t + 1], the second overwrites tmp[t]; merged,
// iteration i + 1 could overwrite tmp[i + 1] before iteration i reads it.
// CHECK-LABEL: func.func @war_shifted
// CHECK-SAME: (%[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[TMP:[^:]+]]: memref<{{[^>]+}}>>, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK: "tile.for"(%{{.+}}, %[[N]], %{{.+}}) ({
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK: %[[V:.+]] = "tile.load"(%[[TMP]], %{{.+}})
// CHECK-NEXT: "tile.store"(%[[OUT]], %[[T]], %[[V]])
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: "tile.for"(%{{.+}}, %[[N]], %{{.+}}) ({
// CHECK-NEXT: ^bb0(%[[U:[^:]+]]: !tile.tile):
// CHECK: "tile.store"(%[[TMP]], %[[U]],
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return
func.func @war_shifted(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %tmp: memref<?xf32, strided<[1], offset: ?>>, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "tmp", "out"], tile.kernel} {
  %cst = arith.constant 2.000000e+00 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = "tile.block_size"() {hint = 100 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 100 : i64, id = 1 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %b = "tile.begin"(%t) : (!tile.tile) -> index
    %b1 = arith.addi %b, %c1 : index
    %s = "tile.make_tile"(%b1, %n, %0) : (index, index, index) -> !tile.tile
    %2 = "tile.load"(%tmp, %s) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    "tile.store"(%out, %t, %2) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  "tile.for"(%c0, %n, %1) ({
  ^bb0(%t: !tile.tile):
    %2 = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %3 = "tile.full"(%cst, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %4 = arith.mulf %2, %3 : tensor<?xf32>
    "tile.store"(%tmp, %t, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}

// -----

// Counterpart: reading tmp at the loop's own tile merges into one loop (the temp is forwarded and gone).
// CHECK-LABEL: func.func @raw_own
// CHECK-SAME: %[[TMP:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}
// CHECK: "tile.for"
// CHECK-NOT: %[[TMP]],
// CHECK-NOT: "tile.for"
// CHECK: return
func.func @raw_own(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %tmp: memref<?xf32, strided<[1], offset: ?>> {tile.scratch}, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "tmp", "out"], tile.kernel} {
  %cst = arith.constant 2.000000e+00 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = "tile.block_size"() {hint = 100 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 100 : i64, id = 1 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %2 = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %3 = "tile.full"(%cst, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %4 = arith.mulf %2, %3 : tensor<?xf32>
    "tile.store"(%tmp, %t, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  "tile.for"(%c0, %n, %1) ({
  ^bb0(%t: !tile.tile):
    %2 = "tile.load"(%tmp, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    "tile.store"(%out, %t, %2) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
