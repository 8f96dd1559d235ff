// tegula-roll: reduction-loops gives one chunk size per reduction symbol id; 'none' (or no entry) keeps that
// symbol whole. Two ':' symbols (id 0 over x's columns, id 1 over y's): none,32 rolls only y's sum, 32,none and
// 32 (a list shorter than the symbols) only x's, none,none neither.
// RUN: tegula-opt %s --pass-pipeline='tegula-roll{reduction-loops=none,32},canonicalize' | filecheck %s --check-prefix=ONE
// RUN: tegula-opt %s --pass-pipeline='tegula-roll{reduction-loops=32,none},canonicalize' | filecheck %s --check-prefix=ZERO
// RUN: tegula-opt %s --pass-pipeline='tegula-roll{reduction-loops=32},canonicalize' | filecheck %s --check-prefix=ZERO
// RUN: tegula-opt %s --pass-pipeline='tegula-roll{reduction-loops=none,none},canonicalize' | filecheck %s --check-prefix=NONE

// ONE-LABEL: func.func @two_symbols
// ONE-SAME: (%{{[^:]+}}: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[Y:[^:]+]]: memref<{{[^>]+}}>>, %[[SX:[^:]+]]: memref<{{[^>]+}}>>, %[[SY:[^:]+]]: memref<{{[^>]+}}>>)
// ONE-DAG: %[[C32:.+]] = arith.constant 32 : index
// ONE-DAG: %[[R0:.+]] = "tile.block_size"(%{{.+}}) {hint = 1000 : i64, id = 0 : i64, kind = "reduction"}
// ONE-DAG: %[[H0:.+]] = "tile.make_tile"(%{{.+}}, %{{.+}}, %[[R0]])
// ONE-NOT: id = 1 : i64, kind = "reduction"
// ONE: "tile.for"
// ONE-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// ONE-NEXT: %[[XV:.+]] = "tile.load"(%[[X]], %[[T]], %[[H0]])
// ONE-NEXT: %[[SUMX:.+]] = "tile.reduce"(%[[XV]])
// ONE-NEXT: "tile.store"(%[[SX]], %[[T]], %[[SUMX]])
// ONE-NEXT: "tile.full"
// ONE-NEXT: %[[RY:.+]] = scf.for %{{.+}} step %[[C32]] iter_args
// ONE-NEXT: %[[HC:.+]] = "tile.make_tile"(%{{.+}}, %{{.+}}, %[[C32]])
// ONE-NEXT: "tile.load"(%[[Y]], %[[T]], %[[HC]])
// ONE-NEXT: "tile.reduce"
// ONE-NEXT: arith.addf
// ONE-NEXT: scf.yield
// ONE-NEXT: }
// ONE-NEXT: "tile.store"(%[[SY]], %[[T]], %[[RY]])
// ONE-NEXT: "tile.yield"

// ZERO-LABEL: func.func @two_symbols
// ZERO-SAME: (%{{[^:]+}}: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[Y:[^:]+]]: memref<{{[^>]+}}>>, %[[SX:[^:]+]]: memref<{{[^>]+}}>>, %[[SY:[^:]+]]: memref<{{[^>]+}}>>)
// ZERO-DAG: %[[C32:.+]] = arith.constant 32 : index
// ZERO-DAG: %[[R1:.+]] = "tile.block_size"(%{{.+}}) {hint = 500 : i64, id = 1 : i64, kind = "reduction"}
// ZERO-DAG: %[[H1:.+]] = "tile.make_tile"(%{{.+}}, %{{.+}}, %[[R1]])
// ZERO-NOT: id = 0 : i64, kind = "reduction"
// ZERO: "tile.for"
// ZERO-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// ZERO-NEXT: "tile.full"
// ZERO-NEXT: %[[RX:.+]] = scf.for %{{.+}} step %[[C32]] iter_args
// ZERO-NEXT: %[[HC:.+]] = "tile.make_tile"(%{{.+}}, %{{.+}}, %[[C32]])
// ZERO-NEXT: "tile.load"(%[[X]], %[[T]], %[[HC]])
// ZERO-NEXT: "tile.reduce"
// ZERO-NEXT: arith.addf
// ZERO-NEXT: scf.yield
// ZERO-NEXT: }
// ZERO-NEXT: "tile.store"(%[[SX]], %[[T]], %[[RX]])
// ZERO-NEXT: %[[YV:.+]] = "tile.load"(%[[Y]], %[[T]], %[[H1]])
// ZERO-NEXT: %[[SUMY:.+]] = "tile.reduce"(%[[YV]])
// ZERO-NEXT: "tile.store"(%[[SY]], %[[T]], %[[SUMY]])
// ZERO-NEXT: "tile.yield"

// NONE-LABEL: func.func @two_symbols
// NONE-NOT: scf.for
// NONE: return
func.func @two_symbols(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %sx: memref<?xf32, strided<[1], offset: ?>>, %sy: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "y", "sx", "sy"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = "tile.block_size"() {hint = 8 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %dx = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %r0 = "tile.block_size"(%dx) {hint = 1000 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %h0 = "tile.make_tile"(%c0, %dx, %r0) : (index, index, index) -> !tile.tile
  %dy = memref.dim %y, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %r1 = "tile.block_size"(%dy) {hint = 500 : i64, id = 1 : i64, kind = "reduction"} : (index) -> index
  %h1 = "tile.make_tile"(%c0, %dy, %r1) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %xv = "tile.load"(%x, %t, %h0) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %a = "tile.reduce"(%xv) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
    "tile.store"(%sx, %t, %a) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    %yv = "tile.load"(%y, %t, %h1) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %b = "tile.reduce"(%yv) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
    "tile.store"(%sy, %t, %b) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
