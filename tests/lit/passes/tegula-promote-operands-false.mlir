// tegula-promote{promote-operands=false} leaves the dot operands of a k loop alone: no "tile.local",
// the dot reads the loads directly. The DEFAULT run is the control: the same IR is promoted.
// RUN: tegula-opt %s --pass-pipeline='tegula-promote{promote-operands=false}' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-promote{promote-operands=false stages=3}' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-promote{promote-operands=true}' | filecheck %s --check-prefix=DEFAULT

// CHECK-LABEL: func.func @mm
// CHECK-NOT: "tile.local"
// CHECK: %[[A:.+]] = "tile.load"
// CHECK-NEXT: %[[B:.+]] = "tile.load"
// CHECK-NEXT: "tile.dot"(%[[A]], %[[B]], %{{[^)]+}})
// Nothing promoted, so the loop is not staged either:
// CHECK-NOT: tile.stages
// CHECK-NOT: "tile.local"
// CHECK: return

// DEFAULT-LABEL: func.func @mm
// DEFAULT: "tile.local"
// DEFAULT: "tile.local"
// DEFAULT: "tile.dot"
func.func @mm(%m: index, %n: index, %k: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
  %bm = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %bn = "tile.block_size"() {hint = 1000 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %bk = "tile.block_size"() {hint = 1000 : i64, id = 2 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  "tile.for"(%c0, %c0, %m, %n, %bm, %bn) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %init = "tile.full"(%zero, %tm, %tn) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %acc = scf.for %kk = %c0 to %k step %bk iter_args(%c = %init) -> (tensor<?x?xf32>) {
      %tk = "tile.make_tile"(%kk, %k, %bk) : (index, index, index) -> !tile.tile
      %lhs = "tile.load"(%x, %tm, %tk) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %rhs = "tile.load"(%y, %tk, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %d = "tile.dot"(%lhs, %rhs, %c) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
      scf.yield %d : tensor<?x?xf32>
    }
    "tile.store"(%out, %tm, %tn, %acc) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}
