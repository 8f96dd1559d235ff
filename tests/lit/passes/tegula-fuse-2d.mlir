// tegula-fuse: 2-D loops over the same (m, n) become one 2-D loop; both block-size symbols of the second are
// replaced by the first's (dimension by dimension), and the scratch temp is forwarded and gone.
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize' | filecheck %s

// CHECK-LABEL: func.func @two_d
// CHECK-SAME: (%[[M:[^:]+]]: index, %[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[TMP:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[BM:.+]] = "tile.block_size"() {hint = 10 : i64, id = 0 : i64, kind = "tile"}
// CHECK-DAG: %[[BN:.+]] = "tile.block_size"() {hint = 20 : i64, id = 1 : i64, kind = "tile"}
// CHECK-NOT: "tile.block_size"
// CHECK: "tile.for"(%[[C0]], %[[C0]], %[[M]], %[[N]], %[[BM]], %[[BN]]) ({
// CHECK-NEXT: ^bb0(%[[TM:[^:]+]]: !tile.tile, %[[TN:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]], %[[TM]], %[[TN]])
// CHECK-NEXT: %[[TWO:.+]] = "tile.full"
// CHECK-NEXT: %[[P:.+]] = arith.mulf %[[V]], %[[TWO]]
// CHECK-NEXT: %[[ONE:.+]] = "tile.full"
// CHECK-NEXT: %[[R:.+]] = arith.addf %[[P]], %[[ONE]]
// CHECK-NEXT: "tile.store"(%[[OUT]], %[[TM]], %[[TN]], %[[R]])
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return
func.func @two_d(%m: index, %n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %tmp: memref<?x?xf32, strided<[?, 1], offset: ?>> {tile.scratch}, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["m", "n", "x", "tmp", "out"], tile.kernel} {
  %cst = arith.constant 1.000000e+00 : f32
  %cst_0 = arith.constant 2.000000e+00 : f32
  %c0 = arith.constant 0 : index
  %0 = "tile.block_size"() {hint = 10 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 20 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %2 = "tile.block_size"() {hint = 10 : i64, id = 2 : i64, kind = "tile"} : () -> index
  %3 = "tile.block_size"() {hint = 20 : i64, id = 3 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %c0, %m, %n, %0, %1) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%x, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %5 = "tile.full"(%cst_0, %tm, %tn) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %6 = arith.mulf %4, %5 : tensor<?x?xf32>
    "tile.store"(%tmp, %tm, %tn, %6) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  "tile.for"(%c0, %c0, %m, %n, %2, %3) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%tmp, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %5 = "tile.full"(%cst, %tm, %tn) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %6 = arith.addf %4, %5 : tensor<?x?xf32>
    "tile.store"(%out, %tm, %tn, %6) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}
