// tegula-tile: block-size symbols become constants, top-level loops launches.
// RUN: tegula-opt %s --split-input-file --pass-pipeline='tegula-tile{block-sizes=16},canonicalize' | filecheck %s

// CHECK-LABEL: func.func @one_dim
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-NOT: tile.block_size
// CHECK: %[[N:.*]] = arith.ceildivsi %{{.*}}, %[[C16]] : index
// CHECK: "tile.launch"(%[[N]])
// CHECK: %[[PID:.*]] = "tile.program_id"() : () -> index
// CHECK: %[[B:.*]] = arith.muli %[[PID]], %[[C16]] : index
// CHECK: "tile.make_tile"(%[[B]], %arg0, %[[C16]])
func.func @one_dim(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.kernel} {
  %bs = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile):
    %v = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    "tile.store"(%x, %t, %v) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
