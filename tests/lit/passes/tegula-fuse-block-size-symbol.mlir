// tegula-fuse: merging replaces the second loop's block-size symbol by the first's everywhere (also inside its
// body): one tunable (id 0) is left, so tegula-tile{block-sizes=16,64} makes one launch that only uses 16.
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize,tegula-tile{block-sizes=16,64},canonicalize,cse' | filecheck %s --check-prefix=TILED

// CHECK-LABEL: func.func @bs
// CHECK: %[[BS:.+]] = "tile.block_size"() {hint = 100 : i64, id = 0 : i64, kind = "tile"}
// CHECK-NOT: "tile.block_size"
// CHECK: "tile.for"(%{{.+}}, %{{.+}}, %[[BS]]) ({
// CHECK: arith.index_cast %[[BS]] : index to i64
// CHECK: "tile.yield"
// CHECK-NOT: "tile.for"
// CHECK-NOT: "tile.block_size"
// CHECK: return

// TILED-LABEL: func.func @bs
// TILED-SAME: (%[[N:[^:]+]]: index,
// TILED-NOT: arith.constant 64
// TILED-NOT: 6.400000e+01
// TILED-DAG: %[[C16:.+]] = arith.constant 16 : index
// TILED-DAG: %[[F16:.+]] = arith.constant 1.600000e+01 : f32
// TILED-NOT: "tile.launch"
// TILED: %[[NP:.+]] = arith.ceildivsi %{{.+}}, %[[C16]] : index
// TILED: "tile.launch"(%[[NP]]) ({
// TILED: "tile.make_tile"(%{{.+}}, %[[N]], %[[C16]])
// TILED: "tile.full"(%[[F16]],
// TILED: }) : (index) -> ()
// TILED-NOT: "tile.launch"
// TILED-NOT: arith.constant 64
// TILED-NOT: 6.400000e+01
// TILED: return
func.func @bs(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %tmp: memref<?xf32, strided<[1], offset: ?>> {tile.scratch}, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "tmp", "out"], tile.kernel} {
  %cst = arith.constant 2.000000e+00 : f32
  %c0 = arith.constant 0 : index
  %0 = "tile.block_size"() {hint = 100 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 100 : i64, id = 1 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %2 = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %3 = "tile.full"(%cst, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %4 = arith.mulf %2, %3 : tensor<?xf32>
    "tile.store"(%tmp, %t, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  "tile.for"(%c0, %n, %1) ({
  ^bb0(%t: !tile.tile):
    %2 = "tile.load"(%tmp, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %bi = arith.index_cast %1 : index to i64
    %bf = arith.sitofp %bi : i64 to f32
    %3 = "tile.full"(%bf, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %4 = arith.addf %2, %3 : tensor<?xf32>
    "tile.store"(%out, %t, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
