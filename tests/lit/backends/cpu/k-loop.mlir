// CPU lowering of a k loop: the tile carried by scf.for lives in one scratch
// buffer; the dot accumulates into it in place (no copy per iteration) and
// the epilogue reads it after the loop.
// RUN: tegula-opt %s --emit=cpu-linalg | filecheck %s

// CHECK-LABEL: func.func @mm_launch0
// CHECK-SAME: (%{{[a-z0-9]+}}: index, %{{[a-z0-9]+}}: index, %[[K:[a-z0-9]+]]: index, %[[X:[a-z0-9]+]]: memref<{{.*}}>, %[[Y:[a-z0-9]+]]: memref<{{.*}}>, %[[OUT:[a-z0-9]+]]: memref<{{.*}}>,
// CHECK: %[[BUF:[a-z0-9]+]] = memref.alloc(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}) : memref<?x?xf32>
// CHECK-NOT: memref.alloc
// CHECK: scf.for %pid =
// CHECK: %[[ACC:[a-z0-9]+]] = memref.subview %[[BUF]][0, 0]
// The initial value (tile.full) is written into the buffer once.
// CHECK-NEXT: linalg.generic {{.*}} outs(%[[ACC]] : {{.*}}) {
// CHECK-NEXT: ^bb0(%{{[a-z0-9_]+}}: f32):
// CHECK-NEXT: linalg.yield %{{[a-z0-9]+}} : f32
// CHECK-NEXT: }
// CHECK-NEXT: scf.for %[[KK:[a-z0-9]+]] = %{{[a-z0-9]+}} to %[[K]] step %{{[a-z0-9]+}} {
// CHECK-NOT: iter_args
// CHECK: %[[A:[a-z0-9]+]] = memref.subview %[[X]][%{{[a-z0-9]+}}, %[[KK]]]
// CHECK-NEXT: %[[B:[a-z0-9]+]] = memref.subview %[[Y]][%[[KK]], %{{[a-z0-9]+}}]
// The dot accumulates in place into the carried buffer (no copy):
// CHECK-NEXT: linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[A]], %[[B]] : {{.*}}) outs(%[[ACC]] : memref<?x?xf32, strided<[?, 1], offset: 0>>) {
// CHECK: linalg.yield
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: %[[VO:[a-z0-9]+]] = memref.subview %[[OUT]]
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[ACC]] : {{.*}}) outs(%[[VO]] : {{.*}}) {
// CHECK-NEXT: ^bb0(%[[IN:[a-z0-9_]+]]: f32, %{{[a-z0-9_]+}}: f32):
// CHECK-NEXT: %[[ABS:[a-z0-9]+]] = "math.absf"(%[[IN]])
// CHECK-NEXT: linalg.yield %[[ABS]] : f32
func.func @mm(%m: index, %n: index, %k: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
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
    %init = "tile.full"(%zero, %tm, %tn) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %acc = scf.for %kk = %c0 to %k step %c32 iter_args(%c = %init) -> (tensor<?x?xf32>) {
      %tk = "tile.make_tile"(%kk, %k, %c32) : (index, index, index) -> !tile.tile
      %lhs = "tile.load"(%x, %tm, %tk) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %rhs = "tile.load"(%y, %tk, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %d = "tile.dot"(%lhs, %rhs, %c) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
      scf.yield %d : tensor<?x?xf32>
    }
    %r = math.absf %acc : tensor<?x?xf32>
    "tile.store"(%out, %tm, %tn, %r) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}
