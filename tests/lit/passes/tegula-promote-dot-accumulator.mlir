// tegula-promote{promote-operands}: only the two multiplied operands of a dot count; a load used as the
// dot's accumulator is not promoted. Loads hoisted above the k loop are promoted but do not stage the loop.
// RUN: tegula-opt %s --pass-pipeline='tegula-promote{stages=2}' | filecheck %s

// CHECK-LABEL: func.func @acc_load
// CHECK-SAME: %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[Y:[^:]+]]: memref<{{[^>]+}}>>, %[[Z:[^:]+]]: memref<{{[^>]+}}>>,
// CHECK: scf.for
// CHECK: %[[A:.+]] = "tile.load"(%[[X]],
// CHECK-NEXT: %[[LA:.+]] = "tile.local"(%[[A]])
// CHECK-NEXT: %[[B:.+]] = "tile.load"(%[[Y]],
// CHECK-NEXT: %[[LB:.+]] = "tile.local"(%[[B]])
// CHECK-NEXT: %[[C:.+]] = "tile.load"(%[[Z]],
// CHECK-NEXT: %[[D:.+]] = "tile.dot"(%[[LA]], %[[LB]], %[[C]])
// CHECK-NEXT: arith.addf %[[D]],
// CHECK-NEXT: scf.yield
// CHECK-NEXT: } {tile.stages = 2 : i64}

// CHECK-LABEL: func.func @hoisted
// CHECK-SAME: %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[Y:[^:]+]]: memref<{{[^>]+}}>>,
// CHECK: %[[A:.+]] = "tile.load"(%[[X]],
// CHECK-NEXT: %[[LA:.+]] = "tile.local"(%[[A]])
// CHECK-NEXT: %[[B:.+]] = "tile.load"(%[[Y]],
// CHECK-NEXT: %[[LB:.+]] = "tile.local"(%[[B]])
// CHECK-NEXT: scf.for
// CHECK-NEXT: %[[D:.+]] = "tile.dot"(%[[LA]], %[[LB]], %{{[^)]+}})
// CHECK-NEXT: scf.yield %[[D]]
// CHECK-NEXT: {{^ *}}}{{$}}
// CHECK-NOT: tile.stages
// CHECK: return
func.func @acc_load(%m: index, %k: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %z: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
  %bm = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %bk = "tile.block_size"() {hint = 1000 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  "tile.for"(%c0, %m, %bm) ({
  ^bb0(%tm: !tile.tile):
    %init = "tile.full"(%zero, %tm, %tm) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %acc = scf.for %kk = %c0 to %k step %bk iter_args(%c = %init) -> (tensor<?x?xf32>) {
      %tk = "tile.make_tile"(%kk, %k, %bk) : (index, index, index) -> !tile.tile
      %lhs = "tile.load"(%x, %tm, %tk) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %rhs = "tile.load"(%y, %tk, %tm) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %bias = "tile.load"(%z, %tm, %tm) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %d = "tile.dot"(%lhs, %rhs, %bias) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
      %r = arith.addf %d, %c : tensor<?x?xf32>
      scf.yield %r : tensor<?x?xf32>
    }
    "tile.store"(%out, %tm, %tm, %acc) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}

func.func @hoisted(%m: index, %k: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
  %bm = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %tk = "tile.make_tile"(%c0, %k, %k) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %m, %bm) ({
  ^bb0(%tm: !tile.tile):
    %init = "tile.full"(%zero, %tm, %tm) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %lhs = "tile.load"(%x, %tm, %tk) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %rhs = "tile.load"(%y, %tk, %tm) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %acc = scf.for %r = %c0 to %m step %c1 iter_args(%c = %init) -> (tensor<?x?xf32>) {
      %d = "tile.dot"(%lhs, %rhs, %c) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
      scf.yield %d : tensor<?x?xf32>
    }
    "tile.store"(%out, %tm, %tm, %acc) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
