// CPU lowering of a keepdim reduction feeding a broadcast: the row max lives
// in a ?x1 buffer read back through a (d0, 0) map by the consumer.
// RUN: tegula-opt %s --emit=cpu-linalg | filecheck %s

// CHECK-LABEL: func.func @center_launch0
// CHECK-SAME: (%{{[a-z0-9]+}}: index, %[[X:[a-z0-9]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[OUT:[a-z0-9]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>,
// CHECK: %[[BUF:[a-z0-9]+]] = memref.alloc(%{{[a-z0-9]+}}) : memref<?x1xf32>
// CHECK: scf.for %pid =
// CHECK: %[[VX:[a-z0-9]+]] = memref.subview %[[X]][%[[B:[a-z0-9]+]], %[[C0:[a-z0-9]+]]] [%[[E0:[a-z0-9]+]], %[[E1:[a-z0-9]+]]] [1, 1]
// CHECK: %[[MAX:[a-z0-9]+]] = memref.subview %[[BUF]][0, 0] [%[[E0]], 1] [1, 1] : memref<?x1xf32> to memref<?x1xf32, strided<[1, 1], offset: 0>>
// CHECK: %[[NEG:[a-z0-9]+]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: linalg.fill ins(%[[NEG]] : f32) outs(%[[MAX]] : memref<?x1xf32, strided<[1, 1], offset: 0>>)
// The max by groups of 4 rows (a 4x1 view of the buffer), then the rows left:
// CHECK: %[[GMAX:[a-z0-9]+]] = memref.subview %[[MAX]][%{{[a-z0-9]+}}, 0] [4, 1] [1, 1] : memref<?x1xf32, strided<[1, 1], offset: 0>> to memref<4x1xf32, strided<[1, 1], offset: ?>>
// CHECK-NEXT: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d1, 0)>], iterator_types = ["reduction", "parallel"]} ins(%{{[a-z0-9]+}} : {{.*}}) outs(%[[GMAX]] : {{.*}}) {
// CHECK: arith.maximumf
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>], iterator_types = ["parallel", "reduction"]}
// CHECK: arith.maximumf
// CHECK: %[[VO:[a-z0-9]+]] = memref.subview %[[OUT]][%[[B]], %[[C0]]] [%[[E0]], %[[E1]]] [1, 1]
// CHECK-NEXT: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[VX]], %[[MAX]] : {{.*}}) outs(%[[VO]] : {{.*}}) {
// CHECK-NEXT: ^bb0(%[[V:[a-z0-9_]+]]: f32, %[[M:[a-z0-9_]+]]: f32, %{{[a-z0-9_]+}}: f32):
// CHECK-NEXT: %[[D:[a-z0-9]+]] = "arith.subf"(%[[V]], %[[M]])
// CHECK-NEXT: linalg.yield %[[D]] : f32
func.func @center(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
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
    %mx = "tile.reduce"(%v) {dim = 1 : i64, keepdim = true, kind = "max"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
    %bc = "tile.broadcast"(%mx, %t, %row) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %d = arith.subf %v, %bc : tensor<?x?xf32>
    "tile.store"(%out, %t, %row, %d) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}
