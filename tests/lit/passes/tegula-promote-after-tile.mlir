// tegula-promote after tegula-tile: the k loop inside a tile.launch is promoted and staged like one inside
// a tile.for, and tile.stages sits beside tegula-tile's tile.unroll on the same scf.for.
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=16,16,32 unroll-factors=2},tegula-promote{stages=4}' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=16,16,32},tegula-promote{stages=4}' | filecheck %s --check-prefix=NOUNROLL

// CHECK-LABEL: func.func @mm
// CHECK: "tile.launch"
// CHECK: "tile.program_id"
// CHECK: scf.for
// CHECK: %[[A:.+]] = "tile.load"
// CHECK-NEXT: %[[LA:.+]] = "tile.local"(%[[A]])
// CHECK-NEXT: %[[B:.+]] = "tile.load"
// CHECK-NEXT: %[[LB:.+]] = "tile.local"(%[[B]])
// CHECK-NEXT: "tile.dot"(%[[LA]], %[[LB]], %{{[^)]+}})
// CHECK-NEXT: scf.yield
// CHECK-NEXT: } {tile.stages = 4 : i64, tile.unroll = 2 : i64}

// NOUNROLL-LABEL: func.func @mm
// NOUNROLL: "tile.launch"
// NOUNROLL: "tile.local"
// NOUNROLL: "tile.local"
// NOUNROLL: } {tile.stages = 4 : i64}{{$}}
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
