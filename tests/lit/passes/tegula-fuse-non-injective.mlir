// tegula-fuse: a 2-D loop (tm, tn) that stores tmp[tm] writes each row block once per tn (the pattern does not
// name every loop dimension), so even the same pattern in both loops is no license to merge: two loops stay.
// RUN: tegula-opt %s --split-input-file --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize' | filecheck %s

// CHECK-LABEL: func.func @row_store
// CHECK-SAME: (%[[M:[^:]+]]: index, %[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[TMP:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK: "tile.for"(%{{.+}}, %{{.+}}, %[[M]], %[[N]], %{{.+}}, %{{.+}}) ({
// CHECK-NEXT: ^bb0(%[[TM:[^:]+]]: !tile.tile, %[[TN:[^:]+]]: !tile.tile):
// CHECK: %[[R:.+]] = "tile.reduce"
// CHECK-NEXT: "tile.store"(%[[TMP]], %[[TM]], %[[R]])
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: "tile.for"(%{{.+}}, %{{.+}}, %[[M]], %[[N]], %{{.+}}, %{{.+}}) ({
// CHECK-NEXT: ^bb0(%[[UM:[^:]+]]: !tile.tile, %[[UN:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[TMP]], %[[UM]])
// CHECK: "tile.store"(%[[OUT]], %[[UM]], %[[UN]],
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return
func.func @row_store(%m: index, %n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %tmp: memref<?xf32, strided<[1], offset: ?>> {tile.scratch}, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["m", "n", "x", "tmp", "out"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %0 = "tile.block_size"() {hint = 16 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 16 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %2 = "tile.block_size"() {hint = 16 : i64, id = 2 : i64, kind = "tile"} : () -> index
  %3 = "tile.block_size"() {hint = 16 : i64, id = 3 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %c0, %m, %n, %0, %1) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%x, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %5 = "tile.reduce"(%4) {dim = 1 : i64, keepdim = false, kind = "max"} : (tensor<?x?xf32>) -> tensor<?xf32>
    "tile.store"(%tmp, %tm, %5) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  "tile.for"(%c0, %c0, %m, %n, %2, %3) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%tmp, %tm) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %5 = "tile.reshape"(%4, %tm) : (tensor<?xf32>, !tile.tile) -> tensor<?x1xf32>
    %6 = "tile.broadcast"(%5, %tm, %tn) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %7 = "tile.load"(%x, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %8 = arith.subf %7, %6 : tensor<?x?xf32>
    "tile.store"(%out, %tm, %tn, %8) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}

// -----

// Counterpart: the same two loops over a 2-D temp stored and read at tmp[tm, tn] (every dimension named)
// merge into one loop.
// CHECK-LABEL: func.func @tile_store
// CHECK-COUNT-1: "tile.for"
// CHECK-NOT: "tile.for"
// CHECK: return
func.func @tile_store(%m: index, %n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %tmp: memref<?x?xf32, strided<[?, 1], offset: ?>> {tile.scratch}, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["m", "n", "x", "tmp", "out"], tile.kernel} {
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
    %4 = "tile.load"(%tmp, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %7 = "tile.load"(%x, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %8 = arith.subf %7, %4 : tensor<?x?xf32>
    "tile.store"(%out, %tm, %tn, %8) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}
