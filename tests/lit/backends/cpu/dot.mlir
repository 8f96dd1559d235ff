// CPU lowering of tile.dot without an accumulator: a zero-filled scratch
// tile, then linalg.matmul reading both operands in place.
// RUN: tegula-opt %s --emit=cpu-linalg | filecheck %s

// CHECK-LABEL: func.func @mm_launch0
// CHECK-SAME: %[[X:a3]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[Y:a4]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[OUT:a5]]: memref<?x?xf32, strided<[?, 1], offset: ?>>
// CHECK: %[[BS:[a-z0-9]+]] = "arith.constant"() {value = 16 : index}
// CHECK: %[[BUF:[a-z0-9]+]] = memref.alloc(%[[BS]], %[[BS]]) : memref<?x?xf32>
// CHECK: scf.for %pid =
// CHECK: %[[A:[a-z0-9]+]] = memref.subview %[[X]][%[[I:[a-z0-9]+]], %{{[a-z0-9]+}}] [%[[EM:[a-z0-9]+]], %[[EK:[a-z0-9]+]]] [1, 1]
// CHECK: %[[B:[a-z0-9]+]] = memref.subview %[[Y]][%{{[a-z0-9]+}}, %[[J:[a-z0-9]+]]] [%[[EK]], %[[EN:[a-z0-9]+]]] [1, 1]
// CHECK: %[[C:[a-z0-9]+]] = memref.subview %[[BUF]][0, 0] [%[[EM]], %[[EN]]] [1, 1]
// CHECK: %[[Z:[a-z0-9]+]] = arith.constant 0.0 : f32
// CHECK-NEXT: linalg.fill ins(%[[Z]] : f32) outs(%[[C]] : memref<?x?xf32, strided<[?, 1], offset: 0>>)
// The product iterates (m, k, n) with n innermost, so LLVM vectorizes along rows of B and C:
// CHECK-NEXT: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[A]], %[[B]] : memref<?x?xf32, strided<[?, 1], offset: ?>>, memref<?x?xf32, strided<[?, 1], offset: ?>>) outs(%[[C]] : memref<?x?xf32, strided<[?, 1], offset: 0>>) {
// CHECK: arith.mulf
// CHECK-NEXT: arith.addf
// CHECK-NEXT: linalg.yield
// CHECK: %[[VO:[a-z0-9]+]] = memref.subview %[[OUT]][%[[I]], %[[J]]] [%[[EM]], %[[EN]]] [1, 1]
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[C]] : {{.*}}) outs(%[[VO]] : {{.*}})
// CHECK: memref.dealloc %[[BUF]]
func.func @mm(%m: index, %n: index, %k: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
  %c16 = arith.constant 16 : index
  %c0 = arith.constant 0 : index
  %kt = "tile.make_tile"(%c0, %k, %k) : (index, index, index) -> !tile.tile
  %a = arith.ceildivsi %m, %c16 : index
  %b = arith.ceildivsi %n, %c16 : index
  %np = arith.muli %a, %b : index
  "tile.launch"(%np) ({
    %pid = "tile.program_id"() : () -> index
    %j = arith.remsi %pid, %b : index
    %i = arith.divsi %pid, %b : index
    %bi = arith.muli %i, %c16 : index
    %tm = "tile.make_tile"(%bi, %m, %c16) : (index, index, index) -> !tile.tile
    %bj = arith.muli %j, %c16 : index
    %tn = "tile.make_tile"(%bj, %n, %c16) : (index, index, index) -> !tile.tile
    %lhs = "tile.load"(%x, %tm, %kt) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %rhs = "tile.load"(%y, %kt, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %d = "tile.dot"(%lhs, %rhs) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    "tile.store"(%out, %tm, %tn, %d) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}
