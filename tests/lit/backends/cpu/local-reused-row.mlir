// CPU lowering of a promoted softmax row (promote-reused=true): the row is copied once into a packed buffer
// (allocated before the program loop), and both readers, the row max and the exp(x - max), read that buffer.
// exp goes into the output tile, which the division then rescales in place (no scratch row).
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=4},canonicalize,cse,tegula-promote{promote-reused=true}' --emit=cpu-linalg | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=4},canonicalize,cse,tegula-promote' --emit=cpu-linalg | filecheck %s --check-prefix=PLAIN

// CHECK-LABEL: func.func @softmax_launch0
// CHECK-SAME: (%{{[a-z0-9]+}}: index, %[[X:[a-z0-9]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>,
// CHECK-DAG: %[[C4:[a-z0-9]+]] = "arith.constant"() {value = 4 : index}
// CHECK-DAG: %[[COLS:[a-z0-9]+]] = "memref.dim"(%[[X]],
// CHECK: %[[ROWBUF:[a-z0-9]+]] = memref.alloc(%[[C4]], %[[COLS]]) : memref<?x?xf32>
// CHECK: scf.for %pid =
// CHECK-NOT: memref.alloc
// CHECK: %[[V:[a-z0-9]+]] = memref.subview %[[X]][
// CHECK-NEXT: %[[P:[a-z0-9]+]] = memref.subview %[[ROWBUF]][0, 0] [%[[R:[a-z0-9]+]], %[[C:[a-z0-9]+]]] [1, 1] : memref<?x?xf32> to memref<?x?xf32, strided<[?, 1], offset: 0>>
// CHECK-NEXT: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%[[V]] : {{.*}}) outs(%[[P]] : {{.*}}) {
// CHECK-NEXT: ^bb0(%[[IN:[a-z0-9_]+]]: f32, %{{[a-z0-9_]+}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
// CHECK-NEXT: }
// The max reads the packed row (by groups of 4 rows, then the rows left):
// CHECK: %[[GP:[a-z0-9]+]] = memref.subview %[[P]][
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]} ins(%[[GP]] : {{.*}})
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.maximumf
// So does the subtraction, fused with the exp and computed in the sum's generic (no groups of rows there),
// which also writes exp, into the output tile itself: the division below is the output's only other reader,
// at the same points, so it rescales the output in place and no scratch row is needed.
// CHECK: %[[O:[a-z0-9]+]] = memref.subview %a2[
// CHECK-NEXT: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins(%[[P]], %{{[a-z0-9]+}} : {{.*}}) outs(%{{[a-z0-9]+}}, %[[O]] :
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "arith.subf"
// CHECK: linalg.yield %[[SUM:[a-z0-9]+]], %[[EXP:[a-z0-9]+]] : f32, f32
// The division reads the output tile and writes it:
// CHECK: %[[O2:[a-z0-9]+]] = memref.subview %a2[
// CHECK-NEXT: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%[[O]], %{{[a-z0-9]+}} : {{.*}}) outs(%[[O2]] :
// CHECK-NOT: ins(%[[V]]
// No scratch row for exp: the packed row is the only 2-D buffer.
// CHECK: memref.dealloc %[[ROWBUF]]
// CHECK-NOT: memref.dealloc {{.*}} : memref<?x?xf32>

// Unpromoted: the max and the subtraction read the global view.
// PLAIN-LABEL: func.func @softmax_launch0
// PLAIN: scf.for %pid =
// PLAIN: %[[V:[a-z0-9]+]] = memref.subview %a1[
// PLAIN-NOT: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%[[V]] : {{.*}}) outs(
// PLAIN: memref.subview %[[V]][
// PLAIN: linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]}
// PLAIN: %[[O:[a-z0-9]+]] = memref.subview %a2[
// PLAIN-NEXT: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins(%[[V]], %{{[a-z0-9]+}} : {{.*}}) outs(%{{[a-z0-9]+}}, %[[O]] :
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
