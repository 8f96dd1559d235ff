// Triton codegen of a promoted k loop: tile.local aliases the loads, so the loop body should be the one the
// unpromoted kernel gets (a dot of the zero-padded loads, with no extra tl.where masking of the K lanes).
// (Pins a fixed bug: _zero_padded() did not look through tile.local and masked A with tl.where each iteration.)
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=16,16,32},tegula-promote,canonicalize,cse' --emit=triton --backend=triton > %t.promoted.py
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=16,16,32},canonicalize,cse' --emit=triton --backend=triton > %t.plain.py
// RUN: filecheck %s < %t.promoted.py
// RUN: diff %t.promoted.py %t.plain.py

// CHECK-LABEL: def mm_launch0(
// CHECK: for {{k[0-9]+}} in tl.range(
// (each load has an unmasked twin for full tiles, under `if even..:`; the masked one comes second)
// CHECK: [[A:x[0-9]+]] = tl.load(arg3_ptr
// CHECK: [[A]] = tl.load(arg3_ptr{{.*}}, mask={{.*}}, other=0)
// CHECK-NEXT: if
// CHECK-NEXT: [[B:x[0-9]+]] = tl.load(arg4_ptr
// CHECK: [[B]] = tl.load(arg4_ptr{{.*}}, mask={{.*}}, other=0)
// CHECK-NEXT: {{d[0-9]+}} = tl.dot([[A]], [[B]], acc=
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
