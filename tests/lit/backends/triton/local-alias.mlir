// Triton codegen of tile.local: it aliases its operand (the tile is on chip already), so a softmax row
// promoted with promote-reused=true generates exactly the code of the unpromoted kernel: no copy, no new name.
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=4 reductions=pow2},canonicalize,cse,tegula-promote{promote-reused=true}' | filecheck %s --check-prefix=IR
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=4 reductions=pow2},canonicalize,cse,tegula-promote{promote-reused=true}' --emit=triton --backend=triton > %t.promoted.py
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=4 reductions=pow2},canonicalize,cse' --emit=triton --backend=triton > %t.plain.py
// RUN: diff %t.promoted.py %t.plain.py
// RUN: filecheck %s < %t.promoted.py

// The IR the Triton run lowers does hold a tile.local, read by the max and the subtraction.
// IR: %[[V:.+]] = "tile.load"
// IR-NEXT: %[[L:.+]] = "tile.local"(%[[V]])
// IR-NEXT: "tile.reduce"(%[[L]])

// CHECK-LABEL: def softmax_launch0(
// CHECK: [[X:x[0-9]+]] = tl.load(x_ptr
// CHECK: {{v[0-9]+}} = tl.where({{.*}}, [[X]], float('-inf'))
// CHECK-NOT: = [[X]]{{$}}
// CHECK: = [[X]] - {{v[0-9]+}}
func.func @softmax(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "out"], tile.kernel} {
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
    %e = math.exp %s : tensor<?x?xf32>
    %sum = "tile.reduce"(%e) {dim = 1 : i64, keepdim = true, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
    %bs2 = "tile.broadcast"(%sum, %t, %row) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %r = arith.divf %e, %bs2 : tensor<?x?xf32>
    "tile.store"(%out, %t, %row, %r) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
