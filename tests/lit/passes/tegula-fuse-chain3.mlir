// tegula-fuse: a chain of three loops (x -> t1 -> t2, then t1 * t2) becomes one loop; both scratch temps are
// forwarded (t1 to two consumers) and neither is stored or loaded any more.
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize' | filecheck %s

// CHECK-LABEL: func.func @chain3
// CHECK-SAME: (%[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[T1:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}, %[[T2:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK: %[[BS:.+]] = "tile.block_size"() {hint = 100 : i64, id = 0 : i64, kind = "tile"}
// CHECK-NOT: "tile.block_size"
// CHECK: "tile.for"(%{{.+}}, %[[N]], %[[BS]]) ({
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]], %[[T]])
// CHECK-NEXT: %[[TWO:.+]] = "tile.full"
// CHECK-NEXT: %[[A:.+]] = arith.mulf %[[V]], %[[TWO]]
// CHECK-NEXT: %[[ONE:.+]] = "tile.full"
// CHECK-NEXT: %[[B:.+]] = arith.addf %[[A]], %[[ONE]]
// CHECK-NEXT: %[[C:.+]] = arith.mulf %[[B]], %[[A]]
// CHECK-NEXT: "tile.store"(%[[OUT]], %[[T]], %[[C]])
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return
func.func @chain3(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %t1: memref<?xf32, strided<[1], offset: ?>> {tile.scratch}, %t2: memref<?xf32, strided<[1], offset: ?>> {tile.scratch}, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "t1", "t2", "out"], tile.kernel} {
  %cst = arith.constant 1.000000e+00 : f32
  %cst_0 = arith.constant 2.000000e+00 : f32
  %c0 = arith.constant 0 : index
  %0 = "tile.block_size"() {hint = 100 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 100 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %2 = "tile.block_size"() {hint = 100 : i64, id = 2 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %3 = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %4 = "tile.full"(%cst_0, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %5 = arith.mulf %3, %4 : tensor<?xf32>
    "tile.store"(%t1, %t, %5) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  "tile.for"(%c0, %n, %1) ({
  ^bb0(%t: !tile.tile):
    %3 = "tile.load"(%t1, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %4 = "tile.full"(%cst, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %5 = arith.addf %3, %4 : tensor<?xf32>
    "tile.store"(%t2, %t, %5) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  "tile.for"(%c0, %n, %2) ({
  ^bb0(%t: !tile.tile):
    %3 = "tile.load"(%t2, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %4 = "tile.load"(%t1, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %5 = arith.mulf %3, %4 : tensor<?xf32>
    "tile.store"(%out, %t, %5) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
