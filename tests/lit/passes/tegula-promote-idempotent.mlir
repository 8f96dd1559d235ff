// tegula-promote is idempotent: running it twice (in one pipeline, or on its own output) gives one
// "tile.local" per load, never a local of a local, and the same tile.stages.
// RUN: tegula-opt %s --pass-pipeline='tegula-promote{stages=2 promote-reused=true},tegula-promote{stages=2 promote-reused=true}' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-promote{stages=2 promote-reused=true}' | tegula-opt --pass-pipeline='tegula-promote{stages=2 promote-reused=true}' | filecheck %s

// CHECK-LABEL: func.func @mm
// CHECK: scf.for
// CHECK: %[[A:.+]] = "tile.load"
// CHECK-NEXT: %[[LA:.+]] = "tile.local"(%[[A]])
// CHECK-NEXT: %[[B:.+]] = "tile.load"
// CHECK-NEXT: %[[LB:.+]] = "tile.local"(%[[B]])
// The reused operand (read by the dot and the max) still gets one local, which both read:
// CHECK-NEXT: %[[D:.+]] = "tile.dot"(%[[LA]], %[[LB]], %{{[^)]+}})
// CHECK-NEXT: %[[M:.+]] = arith.maximumf %[[D]], %[[LA]]
// CHECK-NEXT: scf.yield %[[M]]
// CHECK-NEXT: } {tile.stages = 2 : i64}
// CHECK-NOT: "tile.local"
// CHECK: return

// A load already read through a "tile.local" (here hand-written, with the dot still reading the load)
// is left alone: no second local. The load of %y, not promoted yet, is.
// CHECK-LABEL: func.func @partly_promoted
// CHECK: %[[A:.+]] = "tile.load"
// CHECK-NEXT: %[[LA:.+]] = "tile.local"(%[[A]])
// CHECK-NEXT: %[[B:.+]] = "tile.load"
// CHECK-NEXT: %[[LB:.+]] = "tile.local"(%[[B]])
// CHECK-NEXT: %[[D:.+]] = "tile.dot"(%[[A]], %[[LB]], %{{[^)]+}})
// CHECK-NEXT: %[[M:.+]] = arith.maximumf %[[D]], %[[LA]]
// CHECK-NOT: "tile.local"
// CHECK: return
func.func @mm(%m: index, %n: index, %k: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
  %bm = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %bk = "tile.block_size"() {hint = 1000 : i64, id = 2 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  "tile.for"(%c0, %m, %bm) ({
  ^bb0(%tm: !tile.tile):
    %init = "tile.full"(%zero, %tm, %tm) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %acc = scf.for %kk = %c0 to %m step %bm iter_args(%c = %init) -> (tensor<?x?xf32>) {
      %tk = "tile.make_tile"(%kk, %m, %bm) : (index, index, index) -> !tile.tile
      %lhs = "tile.load"(%x, %tm, %tk) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %rhs = "tile.load"(%y, %tk, %tm) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %d = "tile.dot"(%lhs, %rhs, %c) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
      %mx = arith.maximumf %d, %lhs : tensor<?x?xf32>
      scf.yield %mx : tensor<?x?xf32>
    }
    "tile.store"(%out, %tm, %tm, %acc) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}

func.func @partly_promoted(%m: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
  %bm = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  "tile.for"(%c0, %m, %bm) ({
  ^bb0(%tm: !tile.tile):
    %init = "tile.full"(%zero, %tm, %tm) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %acc = scf.for %kk = %c0 to %m step %bm iter_args(%c = %init) -> (tensor<?x?xf32>) {
      %tk = "tile.make_tile"(%kk, %m, %bm) : (index, index, index) -> !tile.tile
      %lhs = "tile.load"(%x, %tm, %tk) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %llhs = "tile.local"(%lhs) : (tensor<?x?xf32>) -> tensor<?x?xf32>
      %rhs = "tile.load"(%y, %tk, %tm) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %d = "tile.dot"(%lhs, %rhs, %c) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
      %mx = arith.maximumf %d, %llhs : tensor<?x?xf32>
      scf.yield %mx : tensor<?x?xf32>
    }
    "tile.store"(%out, %tm, %tm, %acc) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
