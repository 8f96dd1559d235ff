// tegula-tile{programs=P}: a persistent launch runs min(tiles, P) programs (P=1: one program loops over
// every tile); programs=0 means as many programs as tiles, so no loop is made.
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=64 persistent=blocked programs=1}' | filecheck %s --check-prefix=ONE
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=64 persistent=blocked programs=132}' | filecheck %s --check-prefix=MANY
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=64 persistent=blocked programs=0}' | filecheck %s --check-prefix=ZERO
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=64 persistent=interleaved}' | filecheck %s --check-prefix=ZERO

// ONE-LABEL: func.func @one_dim
// ONE-SAME: (%[[N:[^:]+]]: index,
// ONE: %[[TILES:.+]] = arith.ceildivsi %{{.+}}, %{{.+}} : index
// ONE-NEXT: %[[P:.+]] = arith.constant 1 : index
// ONE-NEXT: %[[GRID:.+]] = arith.minsi %[[TILES]], %[[P]] : index
// ONE-NEXT: "tile.launch"(%[[GRID]]) ({
// ONE: %[[PER:.+]] = arith.ceildivsi %[[TILES]], %[[GRID]] : index
// ONE: scf.for %[[V:.+]] = %{{.+}} to %{{.+}} step %{{.+}} {
// ONE-NEXT: %[[OFF:.+]] = arith.muli %[[V]], %{{.+}} : index
// ONE-NEXT: %[[B:.+]] = arith.addi %{{.+}}, %[[OFF]] : index
// ONE-NEXT: "tile.make_tile"(%[[B]], %[[N]], %{{.+}})

// MANY-LABEL: func.func @one_dim
// MANY: %[[TILES:.+]] = arith.ceildivsi
// MANY-NEXT: %[[P:.+]] = arith.constant 132 : index
// MANY-NEXT: %[[GRID:.+]] = arith.minsi %[[TILES]], %[[P]] : index
// MANY-NEXT: "tile.launch"(%[[GRID]])
// MANY: scf.for

// ZERO-LABEL: func.func @one_dim
// ZERO: %[[TILES:.+]] = arith.ceildivsi
// ZERO-NEXT: "tile.launch"(%[[TILES]]) ({
// ZERO-NEXT: %[[PID:.+]] = "tile.program_id"()
// ZERO-NEXT: %[[OFF:.+]] = arith.muli %[[PID]], %{{.+}} : index
// ZERO-NOT: scf.for
// ZERO: "tile.yield"
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
