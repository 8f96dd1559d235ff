// tegula-fuse: the consumer reads the intermediate transposed (tmp[tn, tm] after tmp[tm, tn] was written), so
// iteration (i, j) needs what iteration (j, i) wrote: the loops stay two and the temp is stored and loaded.
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize' | filecheck %s

// CHECK-LABEL: func.func @transposed
// CHECK-SAME: (%[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[TMP:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK: "tile.for"(%{{.+}}, %{{.+}}, %[[N]], %[[N]], %{{.+}}, %{{.+}}) ({
// CHECK-NEXT: ^bb0(%[[TM:[^:]+]]: !tile.tile, %[[TN:[^:]+]]: !tile.tile):
// CHECK: %[[P:.+]] = arith.mulf
// CHECK-NEXT: "tile.store"(%[[TMP]], %[[TM]], %[[TN]], %[[P]])
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: "tile.for"(%{{.+}}, %{{.+}}, %[[N]], %[[N]], %{{.+}}, %{{.+}}) ({
// CHECK-NEXT: ^bb0(%[[UM:[^:]+]]: !tile.tile, %[[UN:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[TMP]], %[[UN]], %[[UM]])
// CHECK: %[[R:.+]] = arith.addf %[[V]],
// CHECK-NEXT: "tile.store"(%[[OUT]], %[[UN]], %[[UM]], %[[R]])
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return
func.func @transposed(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %tmp: memref<?x?xf32, strided<[?, 1], offset: ?>> {tile.scratch}, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "tmp", "out"], tile.kernel} {
  %cst = arith.constant 1.000000e+00 : f32
  %cst_0 = arith.constant 2.000000e+00 : f32
  %c0 = arith.constant 0 : index
  %0 = "tile.block_size"() {hint = 16 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 16 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %2 = "tile.block_size"() {hint = 16 : i64, id = 2 : i64, kind = "tile"} : () -> index
  %3 = "tile.block_size"() {hint = 16 : i64, id = 3 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %c0, %n, %n, %0, %1) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%x, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %5 = "tile.full"(%cst_0, %tm, %tn) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %6 = arith.mulf %4, %5 : tensor<?x?xf32>
    "tile.store"(%tmp, %tm, %tn, %6) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  "tile.for"(%c0, %c0, %n, %n, %2, %3) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%tmp, %tn, %tm) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %5 = "tile.full"(%cst, %tn, %tm) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %6 = arith.addf %4, %5 : tensor<?x?xf32>
    "tile.store"(%out, %tn, %tm, %6) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}
