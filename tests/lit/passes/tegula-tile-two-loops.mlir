// tegula-tile turns each top-level tile.for into its own launch, in program
// order; a symbol shared by both loops gets one size (after cse, one grid size).
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=128},canonicalize,cse' | filecheck %s

// CHECK-LABEL: func.func @two_loops
// CHECK-SAME: (%[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{.+}}>, %[[Y:[^:]+]]: memref<{{.+}}>)
// CHECK-DAG: %[[C128:.+]] = arith.constant 128 : index
// CHECK-NOT: "tile.for"
// CHECK: %[[NP:.+]] = arith.ceildivsi %{{.+}}, %[[C128]] : index
// CHECK: "tile.launch"(%[[NP]]) ({
// CHECK: "tile.make_tile"(%{{.+}}, %[[N]], %[[C128]])
// CHECK: "tile.store"(%[[X]],
// CHECK: }) : (index) -> ()
// CHECK: "tile.launch"(%[[NP]]) ({
// CHECK: "tile.make_tile"(%{{.+}}, %[[N]], %[[C128]])
// CHECK: "tile.load"(%[[X]],
// CHECK: "tile.store"(%[[Y]],
// CHECK: }) : (index) -> ()
// CHECK-NOT: "tile.for"
func.func @two_loops(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %y: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.kernel} {
  %bs = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  %one = arith.constant 1.0 : f32
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile):
    %v = "tile.full"(%one, %t) : (f32, !tile.tile) -> tensor<?xf32>
    "tile.store"(%x, %t, %v) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile):
    %v = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    "tile.store"(%y, %t, %v) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
