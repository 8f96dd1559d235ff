// tegula-fuse{fuse-loops=false} leaves fusable loops alone: still two loops, two block-size symbols, and the
// scratch temp still stored and loaded (no forwarding, no dropping); the default run merges the same input.
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse,tegula-fuse{fuse-loops=false},cse,canonicalize' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize' | filecheck %s --check-prefix=MERGED

// CHECK-LABEL: func.func @off
// CHECK-SAME: (%[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[TMP:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK-DAG: %[[B0:.+]] = "tile.block_size"() {hint = 100 : i64, id = 0 : i64, kind = "tile"}
// CHECK-DAG: %[[B1:.+]] = "tile.block_size"() {hint = 100 : i64, id = 1 : i64, kind = "tile"}
// CHECK: "tile.for"(%{{.+}}, %[[N]], %[[B0]]) ({
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]], %[[T]])
// CHECK-NEXT: %[[TWO:.+]] = "tile.full"
// CHECK-NEXT: %[[P:.+]] = arith.mulf %[[V]], %[[TWO]]
// CHECK-NEXT: "tile.store"(%[[TMP]], %[[T]], %[[P]])
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: "tile.for"(%{{.+}}, %[[N]], %[[B1]]) ({
// CHECK-NEXT: ^bb0(%[[U:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[W:.+]] = "tile.load"(%[[TMP]], %[[U]])
// CHECK-NEXT: %[[E:.+]] = math.exp %[[W]]
// CHECK-NEXT: "tile.store"(%[[OUT]], %[[U]], %[[E]])
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return

// MERGED-LABEL: func.func @off
// MERGED-SAME: %[[TMP:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}
// MERGED: "tile.block_size"() {hint = 100 : i64, id = 0 : i64, kind = "tile"}
// MERGED-NOT: "tile.block_size"
// MERGED: "tile.for"
// MERGED-NOT: %[[TMP]],
// MERGED: math.exp
// MERGED-NOT: "tile.for"
// MERGED-NOT: %[[TMP]],
// MERGED: return
func.func @off(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %tmp: memref<?xf32, strided<[1], offset: ?>> {tile.scratch}, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "tmp", "out"], tile.kernel} {
  %cst = arith.constant 2.000000e+00 : f32
  %c0 = arith.constant 0 : index
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
    %3 = math.exp %2 : tensor<?xf32>
    "tile.store"(%out, %t, %3) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
