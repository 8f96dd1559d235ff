// tegula-fuse: the first loop stores tmp[tm, tn]; the second reads tmp[0, tn] (a constant row, written by
// another iteration of the first loop): the index pattern differs, so the loops stay two and nothing is forwarded.
// RUN: tegula-opt %s --split-input-file --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize' | filecheck %s

// CHECK-LABEL: func.func @const_row
// CHECK-SAME: (%[[M:[^:]+]]: index, %[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[TMP:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK: %[[C0:.+]] = arith.constant 0 : index
// CHECK: "tile.for"(%{{.+}}, %{{.+}}, %[[M]], %[[N]], %{{.+}}, %{{.+}}) ({
// CHECK-NEXT: ^bb0(%[[TM:[^:]+]]: !tile.tile, %[[TN:[^:]+]]: !tile.tile):
// CHECK: %[[P:.+]] = math.exp
// CHECK-NEXT: "tile.store"(%[[TMP]], %[[TM]], %[[TN]], %[[P]])
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: "tile.for"(%{{.+}}, %{{.+}}, %[[M]], %[[N]], %{{.+}}, %{{.+}}) ({
// CHECK-NEXT: ^bb0(%[[UM:[^:]+]]: !tile.tile, %[[UN:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[TMP]], %[[UN]], %[[C0]]) {layout = "st"
// CHECK: "tile.store"(%[[OUT]], %[[UM]], %[[UN]],
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return
func.func @const_row(%m: index, %n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %tmp: memref<?x?xf32, strided<[?, 1], offset: ?>> {tile.scratch}, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["m", "n", "x", "tmp", "out"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %0 = "tile.block_size"() {hint = 16 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 16 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %2 = "tile.block_size"() {hint = 16 : i64, id = 2 : i64, kind = "tile"} : () -> index
  %3 = "tile.block_size"() {hint = 16 : i64, id = 3 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %c0, %m, %n, %0, %1) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%x, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %5 = math.exp %4 : tensor<?x?xf32>
    "tile.store"(%tmp, %tm, %tn, %5) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  "tile.for"(%c0, %c0, %m, %n, %2, %3) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%tmp, %tn, %c0) {layout = "st", operandSegmentSizes = array<i32: 1, 1, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, index) -> tensor<?xf32>
    %5 = "tile.reshape"(%4, %tn) : (tensor<?xf32>, !tile.tile) -> tensor<1x?xf32>
    %6 = "tile.broadcast"(%5, %tm, %tn) : (tensor<1x?xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %7 = "tile.load"(%x, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %8 = arith.subf %7, %6 : tensor<?x?xf32>
    "tile.store"(%out, %tm, %tn, %8) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}

// -----

// Counterpart: the same constant-row read of the input x (which no loop writes) merges into one loop.
// CHECK-LABEL: func.func @const_row_of_input
// CHECK-COUNT-1: "tile.for"
// CHECK-NOT: "tile.for"
// CHECK: return
func.func @const_row_of_input(%m: index, %n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %tmp: memref<?x?xf32, strided<[?, 1], offset: ?>> {tile.scratch}, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["m", "n", "x", "tmp", "out"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %0 = "tile.block_size"() {hint = 16 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 16 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %2 = "tile.block_size"() {hint = 16 : i64, id = 2 : i64, kind = "tile"} : () -> index
  %3 = "tile.block_size"() {hint = 16 : i64, id = 3 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %c0, %m, %n, %0, %1) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%x, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %5 = math.exp %4 : tensor<?x?xf32>
    "tile.store"(%tmp, %tm, %tn, %5) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  "tile.for"(%c0, %c0, %m, %n, %2, %3) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%x, %tn, %c0) {layout = "st", operandSegmentSizes = array<i32: 1, 1, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, index) -> tensor<?xf32>
    %5 = "tile.reshape"(%4, %tn) : (tensor<?xf32>, !tile.tile) -> tensor<1x?xf32>
    %6 = "tile.broadcast"(%5, %tm, %tn) : (tensor<1x?xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %7 = "tile.load"(%tmp, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %8 = arith.subf %7, %6 : tensor<?x?xf32>
    "tile.store"(%out, %tm, %tn, %8) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}
