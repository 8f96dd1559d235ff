// Triton codegen of a staged, unrolled k loop: tile.stages becomes tl.range's num_stages (overriding the
// config's num_stages) and tile.unroll its loop_unroll_factor; without either attribute tl.range gets neither.
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=16,16,32 unroll-factors=2},tegula-promote{stages=3},canonicalize,cse' --emit=triton --backend=triton | filecheck %s --check-prefix=BOTH
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=16,16,32 unroll-factors=2},tegula-promote{stages=3},canonicalize,cse' --emit=triton --backend=triton --config '{"num_stages": 5}' | filecheck %s --check-prefix=BOTH
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=16,16,32 unroll-factors=4},tegula-promote,canonicalize,cse' --emit=triton --backend=triton | filecheck %s --check-prefix=UNROLL
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=16,16,32},tegula-promote{stages=2},canonicalize,cse' --emit=triton --backend=triton | filecheck %s --check-prefix=STAGES
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=16,16,32},tegula-promote,canonicalize,cse' --emit=triton --backend=triton | filecheck %s --check-prefix=PLAIN
// Without tile.stages, the config's num_stages applies to the innermost loop:
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=16,16,32},tegula-promote,canonicalize,cse' --emit=triton --backend=triton --config '{"num_stages": 5}' | filecheck %s --check-prefix=CONFIG

// BOTH-LABEL: def mm_launch0(
// BOTH: for [[K:k[0-9]+]] in tl.range(0, arg2, 32, num_stages=3, loop_unroll_factor=2):
// BOTH: tl.dot(

// UNROLL-LABEL: def mm_launch0(
// UNROLL: for [[K:k[0-9]+]] in tl.range(0, arg2, 32, loop_unroll_factor=4):

// STAGES-LABEL: def mm_launch0(
// STAGES: for [[K:k[0-9]+]] in tl.range(0, arg2, 32, num_stages=2):

// PLAIN-LABEL: def mm_launch0(
// PLAIN: for [[K:k[0-9]+]] in tl.range(0, arg2, 32):

// CONFIG-LABEL: def mm_launch0(
// CONFIG: for [[K:k[0-9]+]] in tl.range(0, arg2, 32, num_stages=5):
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
