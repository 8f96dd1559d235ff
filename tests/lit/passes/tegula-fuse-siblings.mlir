// tegula-fuse: two independent loops over the same tiles that read the same input become one loop that
// computes and stores both outputs (not scratch: both stores kept, in program order, at the same tile).
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize' | filecheck %s

// CHECK-LABEL: func.func @siblings
// CHECK-SAME: (%[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[A:[^:]+]]: memref<{{[^>]+}}>>, %[[B:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK: %[[BS:.+]] = "tile.block_size"() {hint = 100 : i64, id = 0 : i64, kind = "tile"}
// CHECK-NOT: "tile.block_size"
// CHECK: "tile.for"(%{{.+}}, %[[N]], %[[BS]]) ({
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]], %[[T]])
// CHECK: %[[P:.+]] = arith.mulf %[[V]],
// CHECK-NEXT: "tile.store"(%[[A]], %[[T]], %[[P]])
// CHECK-NOT: "tile.store"
// CHECK: %[[S:.+]] = arith.addf %{{.+}}, %{{.+}} : tensor<?xf32>
// CHECK-NEXT: "tile.store"(%[[B]], %[[T]], %[[S]])
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return
func.func @siblings(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %a: memref<?xf32, strided<[1], offset: ?>>, %b: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "a", "b"], tile.kernel} {
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
    "tile.store"(%a, %t, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  "tile.for"(%c0, %n, %1) ({
  ^bb0(%t: !tile.tile):
    %2 = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %3 = "tile.full"(%cst, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %4 = arith.addf %2, %3 : tensor<?xf32>
    "tile.store"(%b, %t, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
