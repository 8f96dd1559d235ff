// tegula-tile sizes ':' (reduction) symbols: reductions=exact uses the extent
// itself, reductions=pow2 the next power of two of the hint (333 -> 512).
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=4}' | filecheck %s --check-prefixes=CHECK,EXACT
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=4 reductions=pow2}' | filecheck %s --check-prefixes=CHECK,POW2

// CHECK-LABEL: func.func @rows
// CHECK-NOT: tile.block_size
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG: %[[EXT:.+]] = memref.dim %{{.+}}, %{{.+}} : memref<?x?xf32, strided<[?, 1], offset: ?>>
// POW2-DAG: %[[C512:.+]] = arith.constant 512 : index
// CHECK: %[[ROW:.+]] = "tile.make_tile"(%{{.+}}, %[[EXT]],
// EXACT-SAME: %[[EXT]]) : (index, index, index) -> !tile.tile
// POW2-SAME: %[[C512]]) : (index, index, index) -> !tile.tile
// CHECK: arith.ceildivsi %{{.+}}, %[[C4]] : index
// CHECK: "tile.launch"
// CHECK: %[[T:.+]] = "tile.make_tile"(%{{.+}}, %{{.+}}, %[[C4]])
// CHECK: "tile.load"(%{{.+}}, %[[T]], %[[ROW]]) {layout = "tt"
// CHECK: "tile.reduce"(%{{.+}}) {dim = 1 : i64, keepdim = false, kind = "sum"}
// CHECK-NOT: tile.block_size
func.func @rows(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.kernel} {
  %bs = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %c1 = arith.constant 1 : index
  %m = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %rbs = "tile.block_size"(%m) {hint = 333 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %c0 = arith.constant 0 : index
  %row = "tile.make_tile"(%c0, %m, %rbs) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile):
    %v = "tile.load"(%x, %t, %row) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %s = "tile.reduce"(%v) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
    "tile.store"(%out, %t, %s) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
