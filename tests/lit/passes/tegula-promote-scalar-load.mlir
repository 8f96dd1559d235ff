// tegula-promote only promotes tensor tiles: a scalar tile.load (layout "s", an f32 result) read by two
// ops is left alone even with promote-reused=true, while a tensor load read by two ops is promoted.
// RUN: tegula-opt %s --pass-pipeline='tegula-promote{promote-reused=true stages=2}' | filecheck %s

// CHECK-LABEL: func.func @scaled
// CHECK-SAME: (%{{[^:]+}}: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[SCALE:[^:]+]]: memref<{{[^>]+}}>>,
// CHECK: %[[S:.+]] = "tile.load"(%[[SCALE]], %{{[^)]+}}) {layout = "s", {{.*}}} : (memref<{{[^>]+}}>>, index) -> f32
// CHECK-NOT: "tile.local"(%[[S]])
// CHECK-NEXT: %[[SQ:.+]] = arith.mulf %[[S]], %[[S]] : f32
// CHECK-NEXT: %[[F:.+]] = "tile.full"(%[[S]], %{{[^)]+}})
// CHECK-NEXT: %[[V:.+]] = "tile.load"(%[[X]],
// CHECK-NEXT: %[[LV:.+]] = "tile.local"(%[[V]]) : (tensor<?xf32>) -> tensor<?xf32>
// CHECK-NEXT: %[[P:.+]] = arith.mulf %[[LV]], %[[F]] : tensor<?xf32>
// CHECK-NEXT: arith.addf %[[P]], %[[LV]] : tensor<?xf32>
// No scf.for here, so nothing to stage:
// CHECK-NOT: tile.stages
// CHECK-NOT: "tile.local"
// CHECK: return
func.func @scaled(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %scale: memref<?xf32, strided<[1], offset: ?>>, %out: memref<?xf32, strided<[1], offset: ?>>, %out2: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.kernel} {
  %bs = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile):
    %s = "tile.load"(%scale, %c0) {layout = "s", operandSegmentSizes = array<i32: 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, index) -> f32
    %sq = arith.mulf %s, %s : f32
    %f = "tile.full"(%s, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %v = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %p = arith.mulf %v, %f : tensor<?xf32>
    %r = arith.addf %p, %v : tensor<?xf32>
    "tile.store"(%out, %t, %r) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.store"(%out2, %c0, %sq) {layout = "s", operandSegmentSizes = array<i32: 1, 0, 1, 1>} : (memref<?xf32, strided<[1], offset: ?>>, index, f32) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
