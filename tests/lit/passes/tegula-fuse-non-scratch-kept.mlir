// tegula-fuse: an intermediate that is NOT scratch (returned by the kernel: no tile.scratch) is still forwarded
// to the consumer once the loops are merged, but its store stays (the host reads it).
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize' | filecheck %s

// CHECK-LABEL: func.func @kept
// CHECK-SAME: (%[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[TMP:[^:]+]]: memref<{{[^>]+}}>>, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK: "tile.for"(%{{.+}}, %[[N]], %{{.+}}) ({
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]], %[[T]])
// CHECK-NEXT: %[[TWO:.+]] = "tile.full"
// CHECK-NEXT: %[[P:.+]] = arith.mulf %[[V]], %[[TWO]]
// CHECK-NEXT: "tile.store"(%[[TMP]], %[[T]], %[[P]])
// CHECK-NEXT: %[[ONE:.+]] = "tile.full"
// CHECK-NEXT: %[[R:.+]] = arith.addf %[[P]], %[[ONE]]
// CHECK-NEXT: "tile.store"(%[[OUT]], %[[T]], %[[R]])
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return
func.func @kept(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %tmp: memref<?xf32, strided<[1], offset: ?>>, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "tmp", "out"], tile.kernel} {
  %cst = arith.constant 1.000000e+00 : f32
  %cst_0 = arith.constant 2.000000e+00 : f32
  %c0 = arith.constant 0 : index
  %0 = "tile.block_size"() {hint = 100 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 100 : i64, id = 1 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %2 = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %3 = "tile.full"(%cst_0, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %4 = arith.mulf %2, %3 : tensor<?xf32>
    "tile.store"(%tmp, %t, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  "tile.for"(%c0, %n, %1) ({
  ^bb0(%t: !tile.tile):
    %2 = "tile.load"(%tmp, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %3 = "tile.full"(%cst, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %4 = arith.addf %2, %3 : tensor<?xf32>
    "tile.store"(%out, %t, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
