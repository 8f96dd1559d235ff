// tegula-promote: a tile.dot that is not inside an scf.for (one dot over the whole k extent) reads
// each operand once, so its loads are not promoted; the KLOOP run is the control (same loads, in a k loop).
// RUN: tegula-opt %s --split-input-file --pass-pipeline='tegula-promote{stages=2}' | filecheck %s
// RUN: tegula-opt %s --split-input-file --pass-pipeline='tegula-promote{stages=2}' | filecheck %s --check-prefix=KLOOP

// CHECK-LABEL: func.func @no_loop
// CHECK-SAME: %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[Y:[^:]+]]: memref<{{[^>]+}}>>, %{{[^:]+}}: memref
// CHECK-NOT: "tile.local"
// CHECK: %[[A:.+]] = "tile.load"(%[[X]],
// CHECK-NEXT: %[[B:.+]] = "tile.load"(%[[Y]],
// CHECK-NEXT: %[[D:.+]] = "tile.dot"(%[[A]], %[[B]]) :
// CHECK-NOT: "tile.local"
// CHECK-NOT: tile.stages
// CHECK: return
func.func @no_loop(%m: index, %n: index, %k: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
  %bm = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %bn = "tile.block_size"() {hint = 1000 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  %tk = "tile.make_tile"(%c0, %k, %k) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %c0, %m, %n, %bm, %bn) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %lhs = "tile.load"(%x, %tm, %tk) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %rhs = "tile.load"(%y, %tk, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %d = "tile.dot"(%lhs, %rhs) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    "tile.store"(%out, %tm, %tn, %d) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}

// -----

// KLOOP-LABEL: func.func @k_loop
// KLOOP: scf.for
// KLOOP: "tile.local"
// KLOOP: "tile.local"
// KLOOP: "tile.dot"
// KLOOP: } {tile.stages = 2 : i64}
func.func @k_loop(%m: index, %n: index, %k: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
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
