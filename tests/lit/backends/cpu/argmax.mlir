// CPU lowering of argmax: one linalg.generic with two outputs (the running
// max, filled with -inf, and its i64 position, filled with 0); the position
// comes from linalg.index of the reduced dimension, NaN wins.
// RUN: tegula-opt %s --emit=cpu-linalg | filecheck %s

// CHECK-LABEL: func.func @row_argmax_launch0
// CHECK-SAME: %[[OUT:a2]]: memref<?xi64, strided<[1], offset: ?>>
// CHECK-DAG: %[[VBUF:[a-z0-9]+]] = memref.alloc(%{{[a-z0-9]+}}) : memref<?xf32>
// CHECK-DAG: %[[IBUF:[a-z0-9]+]] = memref.alloc(%{{[a-z0-9]+}}) : memref<?xi64>
// CHECK: scf.for %pid =
// CHECK: %[[VX:[a-z0-9]+]] = memref.subview %a1
// CHECK: %[[V:[a-z0-9]+]] = memref.subview %[[VBUF]][0]
// CHECK: %[[I:[a-z0-9]+]] = memref.subview %[[IBUF]][0]
// CHECK: %[[NEG:[a-z0-9]+]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: linalg.fill ins(%[[NEG]] : f32) outs(%[[V]] : {{.*}})
// CHECK-NEXT: %[[Z:[a-z0-9]+]] = arith.constant 0 : i64
// CHECK-NEXT: linalg.fill ins(%[[Z]] : i64) outs(%[[I]] : {{.*}})
// CHECK-NEXT: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%[[VX]] : {{.*}}) outs(%[[V]], %[[I]] : memref<?xf32, strided<[1], offset: 0>>, memref<?xi64, strided<[1], offset: 0>>) {
// CHECK-NEXT: ^bb0(%[[X:[a-z0-9_]+]]: f32, %[[ACC:[a-z0-9_]+]]: f32, %[[ACCI:[a-z0-9_]+]]: i64):
// CHECK-NEXT: %[[POS:[a-z0-9]+]] = linalg.index 1 : index
// CHECK-NEXT: %[[POS64:[a-z0-9]+]] = arith.index_cast %[[POS]] : index to i64
// CHECK-NEXT: %[[GT:[a-z0-9]+]] = arith.cmpf ogt, %[[X]], %[[ACC]] : f32
// CHECK-NEXT: %[[XNAN:[a-z0-9]+]] = arith.cmpf uno, %[[X]], %[[X]] : f32
// CHECK-NEXT: %[[AORD:[a-z0-9]+]] = arith.cmpf ord, %[[ACC]], %[[ACC]] : f32
// CHECK-NEXT: %[[NANWINS:[a-z0-9]+]] = arith.andi %[[XNAN]], %[[AORD]] : i1
// CHECK-NEXT: %[[TAKE:[a-z0-9]+]] = arith.ori %[[GT]], %[[NANWINS]] : i1
// CHECK-NEXT: %[[NV:[a-z0-9]+]] = arith.select %[[TAKE]], %[[X]], %[[ACC]] : f32
// CHECK-NEXT: %[[NI:[a-z0-9]+]] = arith.select %[[TAKE]], %[[POS64]], %[[ACCI]] : i64
// CHECK-NEXT: linalg.yield %[[NV]], %[[NI]] : f32, i64
// The positions, not the values, are stored.
// CHECK: %[[VO:[a-z0-9]+]] = memref.subview %[[OUT]]
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[I]] : {{.*}}) outs(%[[VO]] : {{.*}})
func.func @row_argmax(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?xi64, strided<[1], offset: ?>>) attributes {tile.kernel} {
  %c8 = arith.constant 8 : index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %row = "tile.make_tile"(%c0, %m, %m) : (index, index, index) -> !tile.tile
  %np = arith.ceildivsi %n, %c8 : index
  "tile.launch"(%np) ({
    %pid = "tile.program_id"() : () -> index
    %b = arith.muli %pid, %c8 : index
    %t = "tile.make_tile"(%b, %n, %c8) : (index, index, index) -> !tile.tile
    %v = "tile.load"(%x, %t, %row) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %i = "tile.reduce"(%v) {dim = 1 : i64, keepdim = false, kind = "argmax"} : (tensor<?x?xf32>) -> tensor<?xi64>
    "tile.store"(%out, %t, %i) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xi64, strided<[1], offset: ?>>, !tile.tile, tensor<?xi64>) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}
