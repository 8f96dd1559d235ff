// Round trip: the tile dialect prints and parses back unchanged.
// RUN: tegula-opt %s | tegula-opt | filecheck %s

// CHECK-LABEL: func.func @softmax
// CHECK: "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
// CHECK: "tile.block_size"(%{{.*}}) {hint = 333 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
// CHECK: "tile.make_tile"
// CHECK: "tile.for"
// CHECK: "tile.load"(%{{.*}}, %{{.*}}, %{{.*}}) {layout = "tt"
// CHECK: "tile.reduce"(%{{.*}}) {dim = 1 : i64, keepdim = true, kind = "max"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
// CHECK: "tile.broadcast"
// CHECK: "tile.store"
// CHECK: "tile.yield"() : () -> ()
func.func @softmax(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
  %bs = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %c1 = arith.constant 1 : index
  %m = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %rbs = "tile.block_size"(%m) {hint = 333 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %c0 = arith.constant 0 : index
  %row = "tile.make_tile"(%c0, %m, %rbs) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile):
    %v = "tile.load"(%x, %t, %row) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %mx = "tile.reduce"(%v) {dim = 1 : i64, keepdim = true, kind = "max"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
    %b = "tile.broadcast"(%mx, %t, %row) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %s = arith.subf %v, %b : tensor<?x?xf32>
    "tile.store"(%out, %t, %row, %s) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
