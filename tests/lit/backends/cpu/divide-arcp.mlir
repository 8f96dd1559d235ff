// CPU lowering of a division by a row sum: the division is marked arcp (a
// reciprocal may be used), so that LLVM hoists 1/sum out of the row loop and
// multiplies, as torch's CPU softmax does.
// RUN: tegula-opt %s --emit=cpu-linalg | filecheck %s

// CHECK-LABEL: func.func @scale_launch0
// CHECK: arith.addf {{.*}} fastmath<reassoc>
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
// CHECK-NEXT: ^bb0(%[[V:[a-z0-9_]+]]: f32, %[[S:[a-z0-9_]+]]: f32, %{{[a-z0-9_]+}}: f32):
// CHECK-NEXT: %[[Q:[a-z0-9]+]] = "arith.divf"(%[[V]], %[[S]]) {fastmath = #arith.fastmath<arcp>} : (f32, f32) -> f32
// CHECK-NEXT: linalg.yield %[[Q]] : f32
func.func @scale(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
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
    %mx = "tile.reduce"(%v) {dim = 1 : i64, keepdim = true, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
    %bc = "tile.broadcast"(%mx, %t, %row) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %d = arith.divf %v, %bc : tensor<?x?xf32>
    "tile.store"(%out, %t, %row, %d) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}
