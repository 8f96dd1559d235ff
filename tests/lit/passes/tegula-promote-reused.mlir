// tegula-promote{promote-reused=true}: a load read by two or more ops (the softmax row: max, sub) is
// wrapped in "tile.local" and every reader reads the local; a load read by one op (the bias) is not.
// RUN: tegula-opt %s --pass-pipeline='tegula-promote{promote-reused=true}' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-promote' | filecheck %s --check-prefix=OFF

// CHECK-LABEL: func.func @softmax_bias
// CHECK-SAME: (%{{[^:]+}}: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[BIAS:[^:]+]]: memref<{{[^>]+}}>>, %[[Y:[^:]+]]: memref<{{[^>]+}}>>,
// CHECK: "tile.for"
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]], %[[T]], %{{[^)]+}})
// CHECK-NEXT: %[[L:.+]] = "tile.local"(%[[V]]) : (tensor<?x?xf32>) -> tensor<?x?xf32>
// CHECK-NEXT: %[[MX:.+]] = "tile.reduce"(%[[L]]) {dim = 1 : i64, keepdim = true, kind = "max"}
// CHECK-NEXT: %[[MXB:.+]] = "tile.broadcast"(%[[MX]],
// CHECK-NEXT: %[[S:.+]] = arith.subf %[[L]], %[[MXB]] : tensor<?x?xf32>
// The bias row has a single reader (the addf): not promoted.
// CHECK-NEXT: %[[B:.+]] = "tile.load"(%[[BIAS]], %[[T]], %{{[^)]+}})
// CHECK-NEXT: %[[SB:.+]] = arith.addf %[[S]], %[[B]] : tensor<?x?xf32>
// CHECK-NEXT: %[[E:.+]] = math.exp %[[SB]]
// One op reading a load twice is one reader: the square reads the load directly.
// CHECK-NEXT: %[[G:.+]] = "tile.load"(%[[Y]], %[[T]], %{{[^)]+}})
// CHECK-NEXT: %[[G2:.+]] = arith.mulf %[[G]], %[[G]] : tensor<?x?xf32>
// CHECK-NEXT: arith.addf %[[E]], %[[G2]] : tensor<?x?xf32>
// CHECK-NOT: "tile.local"
// CHECK: return

// Off by default: no load is promoted.
// OFF-LABEL: func.func @softmax_bias
// OFF-NOT: "tile.local"
// OFF: %[[V:.+]] = "tile.load"
// OFF-NEXT: "tile.reduce"(%[[V]])
// OFF-NOT: "tile.local"
// OFF: return
func.func @softmax_bias(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %bias: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
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
    %bv = "tile.load"(%bias, %t, %row) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %sb = arith.addf %s, %bv : tensor<?x?xf32>
    %e = math.exp %sb : tensor<?x?xf32>
    %g = "tile.load"(%y, %t, %row) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %g2 = arith.mulf %g, %g : tensor<?x?xf32>
    %e2 = arith.addf %e, %g2 : tensor<?x?xf32>
    "tile.store"(%out, %t, %row, %e2) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
