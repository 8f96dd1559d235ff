// tegula-fuse drops only stores to scratch temps: after the merge, non-scratch outputs (%stat, read by the second
// loop, and %aux, never read) keep their stores while the scratch %tmp (forwarded) and %dead (unread) lose theirs.
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse,tegula-fuse{fuse-loops=false},cse,canonicalize' | filecheck %s --check-prefix=OFF

// CHECK-LABEL: func.func @kept
// CHECK-SAME: (%[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[STAT:[^:]+]]: memref<{{[^>]+}}>>, %[[TMP:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}, %[[AUX:[^:]+]]: memref<{{[^>]+}}>>, %[[DEAD:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK: "tile.for"(%{{.+}}, %[[N]], %{{.+}}) ({
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]], %[[T]])
// CHECK-NOT: "tile.load"
// CHECK-NOT: %[[TMP]],
// CHECK-NOT: %[[DEAD]],
// CHECK: %[[S:.+]] = arith.mulf %[[V]],
// CHECK-NEXT: "tile.store"(%[[STAT]], %[[T]], %[[S]])
// CHECK-NOT: "tile.load"
// CHECK-NOT: %[[TMP]],
// CHECK-NOT: %[[DEAD]],
// CHECK: "tile.store"(%[[AUX]], %[[T]],
// CHECK-NOT: "tile.load"
// CHECK-NOT: %[[TMP]],
// CHECK-NOT: %[[DEAD]],
// CHECK: "tile.store"(%[[OUT]], %[[T]],
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return

// Rolling fusion off keeps every store and load (so the CHECK-NOTs above would catch a kept scratch store).
// OFF-LABEL: func.func @kept
// OFF-SAME: (%[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[STAT:[^:]+]]: memref<{{[^>]+}}>>, %[[TMP:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}, %[[AUX:[^:]+]]: memref<{{[^>]+}}>>, %[[DEAD:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// OFF: "tile.store"(%[[STAT]],
// OFF: "tile.store"(%[[TMP]],
// OFF: "tile.store"(%[[AUX]],
// OFF: "tile.store"(%[[DEAD]],
// OFF: "tile.for"
// OFF: "tile.load"(%[[STAT]],
// OFF: "tile.load"(%[[TMP]],
func.func @kept(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %stat: memref<?xf32, strided<[1], offset: ?>>, %tmp: memref<?xf32, strided<[1], offset: ?>> {tile.scratch}, %aux: memref<?xf32, strided<[1], offset: ?>>, %dead: memref<?xf32, strided<[1], offset: ?>> {tile.scratch}, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "stat", "tmp", "aux", "dead", "out"], tile.kernel} {
  %cst = arith.constant 2.000000e+00 : f32
  %c0 = arith.constant 0 : index
  %0 = "tile.block_size"() {hint = 100 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 100 : i64, id = 1 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %2 = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %3 = "tile.full"(%cst, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %4 = arith.mulf %2, %3 : tensor<?xf32>
    "tile.store"(%stat, %t, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    %5 = math.exp %2 : tensor<?xf32>
    "tile.store"(%tmp, %t, %5) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    %6 = arith.addf %2, %3 : tensor<?xf32>
    "tile.store"(%aux, %t, %6) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.store"(%dead, %t, %6) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  "tile.for"(%c0, %n, %1) ({
  ^bb0(%t: !tile.tile):
    %2 = "tile.load"(%stat, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %3 = "tile.load"(%tmp, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %4 = arith.mulf %2, %3 : tensor<?xf32>
    "tile.store"(%out, %t, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
