// CPU lowering of tile.local: each promoted dot operand is copied into a packed buffer (allocated once per
// thread before the program loop, 64-byte aligned, contiguous) and the dot reads that buffer, not the global view.
// RUN: tegula-opt %s --pass-pipeline='tegula-promote' --emit=cpu-linalg | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-promote{promote-operands=false}' --emit=cpu-linalg | filecheck %s --check-prefix=PLAIN
// The CPU cannot pipeline: tile.stages is ignored.
// RUN: tegula-opt %s --pass-pipeline='tegula-promote' --emit=cpu-linalg > %t.s0.mlir
// RUN: tegula-opt %s --pass-pipeline='tegula-promote{stages=3}' --emit=cpu-linalg > %t.s3.mlir
// RUN: diff %t.s0.mlir %t.s3.mlir

// CHECK-LABEL: func.func @mm_launch0
// CHECK-SAME: %[[X:a3]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[Y:a4]]: memref<?x?xf32, strided<[?, 1], offset: ?>>,
// CHECK-DAG: %[[C16:[a-z0-9]+]] = "arith.constant"() {value = 16 : index}
// CHECK-DAG: %[[C32:[a-z0-9]+]] = "arith.constant"() {value = 32 : index}
// The accumulator, then one packed buffer per promoted operand: a 16x32 tile of x, a 32x16 tile of y.
// CHECK: %[[ACCBUF:[a-z0-9]+]] = memref.alloc(%[[C16]], %[[C16]]) : memref<?x?xf32>
// CHECK-NEXT: %[[ABUF:[a-z0-9]+]] = memref.alloc(%[[C16]], %[[C32]]) : memref<?x?xf32>
// CHECK-NEXT: %[[BBUF:[a-z0-9]+]] = memref.alloc(%[[C32]], %[[C16]]) : memref<?x?xf32>
// CHECK-NEXT: scf.for %pid =
// CHECK-NOT: memref.alloc
// CHECK: scf.for %[[KK:[a-z0-9]+]] =
// The copy of x's tile: the global view in, the packed buffer (offset 0, unit inner stride) out.
// CHECK: %[[VA:[a-z0-9]+]] = memref.subview %[[X]][%{{[a-z0-9]+}}, %[[KK]]] [%[[EM:[a-z0-9]+]], %[[EK:[a-z0-9]+]]] [1, 1]
// CHECK-NEXT: %[[PA:[a-z0-9]+]] = memref.subview %[[ABUF]][0, 0] [%[[EM]], %[[EK]]] [1, 1] : memref<?x?xf32> to memref<?x?xf32, strided<[?, 1], offset: 0>>
// CHECK-NEXT: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%[[VA]] : {{.*}}) outs(%[[PA]] : {{.*}}) {
// CHECK-NEXT: ^bb0(%[[IN:[a-z0-9_]+]]: f32, %{{[a-z0-9_]+}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
// CHECK-NEXT: }
// CHECK-NEXT: %[[VB:[a-z0-9]+]] = memref.subview %[[Y]][%[[KK]], %{{[a-z0-9]+}}] [%[[EK]], %[[EN:[a-z0-9]+]]] [1, 1]
// CHECK-NEXT: %[[PB:[a-z0-9]+]] = memref.subview %[[BBUF]][0, 0] [%[[EK]], %[[EN]]] [1, 1] : memref<?x?xf32> to memref<?x?xf32, strided<[?, 1], offset: 0>>
// CHECK-NEXT: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%[[VB]] : {{.*}}) outs(%[[PB]] : {{.*}}) {
// CHECK-NEXT: ^bb0(%[[IN2:[a-z0-9_]+]]: f32, %{{[a-z0-9_]+}}: f32):
// CHECK-NEXT: linalg.yield %[[IN2]] : f32
// CHECK-NEXT: }
// The dot reads the packed buffers:
// CHECK-NEXT: linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[PA]], %[[PB]] : memref<?x?xf32, strided<[?, 1], offset: 0>>, memref<?x?xf32, strided<[?, 1], offset: 0>>) outs(
// CHECK: memref.dealloc %[[ACCBUF]]
// CHECK-NEXT: memref.dealloc %[[ABUF]]
// CHECK-NEXT: memref.dealloc %[[BBUF]]

// Unpromoted: only the accumulator is allocated and the dot reads the global views directly.
// PLAIN-LABEL: func.func @mm_launch0
// PLAIN: memref.alloc
// PLAIN-NOT: memref.alloc
// PLAIN: scf.for %[[KK:[a-z0-9]+]] =
// PLAIN: %[[VA:[a-z0-9]+]] = memref.subview %a3
// PLAIN-NEXT: %[[VB:[a-z0-9]+]] = memref.subview %a4
// PLAIN-NEXT: linalg.generic {{.*}} ins(%[[VA]], %[[VB]] :
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
