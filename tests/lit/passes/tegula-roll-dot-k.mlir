// tegula-roll: a matmul whose dot contracts over the ':' dimension (k) becomes a k loop over chunks accumulating
// in iter_args: from a zero tile without an accumulator, from the given accumulator when the dot has one.
// RUN: tegula-opt %s --split-input-file --pass-pipeline='tegula-roll{reduction-loops=32},canonicalize' | filecheck %s
// RUN: tegula-opt %s --split-input-file --pass-pipeline='tegula-roll,canonicalize' | filecheck %s --check-prefix=OFF

// OFF-NOT: scf.for

// CHECK-LABEL: func.func @mm
// CHECK-SAME: (%{{[^:]+}}: index, %{{[^:]+}}: index, %[[A:[^:]+]]: memref<{{[^>]+}}>>, %[[B:[^:]+]]: memref<{{[^>]+}}>>, %[[C:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[K:.+]] = memref.dim %[[A]]
// CHECK: "tile.for"
// CHECK-NEXT: ^bb0(%[[TM:[^:]+]]: !tile.tile, %[[TN:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[INIT:.+]] = "tile.full"(%[[ZERO]], %[[TM]], %[[TN]]) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
// CHECK-NEXT: %[[R:.+]] = scf.for %[[KK:[^ ]+]] = %{{.+}} to %[[K]] step %[[C32]] iter_args(%[[ACC:[^ ]+]] = %[[INIT]]) -> (tensor<?x?xf32>) {
// CHECK-NEXT: %[[HC:.+]] = "tile.make_tile"(%[[KK]], %[[K]], %[[C32]])
// CHECK-NEXT: %[[AC:.+]] = "tile.load"(%[[A]], %[[TM]], %[[HC]])
// CHECK-NEXT: %[[BC:.+]] = "tile.load"(%[[B]], %[[HC]], %[[TN]])
// CHECK-NEXT: %[[D:.+]] = "tile.dot"(%[[AC]], %[[BC]], %[[ACC]])
// CHECK-NEXT: scf.yield %[[D]]
// CHECK-NEXT: }
// CHECK-NEXT: "tile.store"(%[[C]], %[[TM]], %[[TN]], %[[R]])
// CHECK-NOT: "tile.dot"
// CHECK: return
func.func @mm(%m: index, %n: index, %a: memref<?x?xf32, strided<[?, 1], offset: ?>>, %b: memref<?x?xf32, strided<[?, 1], offset: ?>>, %c: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["m", "n", "a", "b", "c"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = "tile.block_size"() {hint = 64 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 64 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %k = memref.dim %a, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %r = "tile.block_size"(%k) {hint = 512 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %h = "tile.make_tile"(%c0, %k, %r) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %c0, %m, %n, %0, %1) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %av = "tile.load"(%a, %tm, %h) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %bv = "tile.load"(%b, %h, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %d = "tile.dot"(%av, %bv) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    "tile.store"(%c, %tm, %tn, %d) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}

// -----

// With an accumulator (c += a @ b), the loop starts from it; no zero tile is made.
// CHECK-LABEL: func.func @mm_acc
// CHECK-SAME: (%{{[^:]+}}: index, %{{[^:]+}}: index, %[[A:[^:]+]]: memref<{{[^>]+}}>>, %[[B:[^:]+]]: memref<{{[^>]+}}>>, %[[C:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK: "tile.for"
// CHECK-NEXT: ^bb0(%[[TM:[^:]+]]: !tile.tile, %[[TN:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[CV:.+]] = "tile.load"(%[[C]], %[[TM]], %[[TN]])
// CHECK-NEXT: %[[R:.+]] = scf.for %{{.+}} iter_args(%[[ACC:[^ ]+]] = %[[CV]]) -> (tensor<?x?xf32>) {
// CHECK-NEXT: %[[HC:.+]] = "tile.make_tile"
// CHECK-NEXT: %[[AC:.+]] = "tile.load"(%[[A]], %[[TM]], %[[HC]])
// CHECK-NEXT: %[[BC:.+]] = "tile.load"(%[[B]], %[[HC]], %[[TN]])
// CHECK-NEXT: %[[D:.+]] = "tile.dot"(%[[AC]], %[[BC]], %[[ACC]])
// CHECK-NEXT: scf.yield %[[D]]
// CHECK-NEXT: }
// CHECK-NEXT: "tile.store"(%[[C]], %[[TM]], %[[TN]], %[[R]])
// CHECK-NOT: "tile.full"
// CHECK: return
func.func @mm_acc(%m: index, %n: index, %a: memref<?x?xf32, strided<[?, 1], offset: ?>>, %b: memref<?x?xf32, strided<[?, 1], offset: ?>>, %c: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["m", "n", "a", "b", "c"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = "tile.block_size"() {hint = 64 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 64 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %k = memref.dim %a, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %r = "tile.block_size"(%k) {hint = 512 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %h = "tile.make_tile"(%c0, %k, %r) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %c0, %m, %n, %0, %1) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %av = "tile.load"(%a, %tm, %h) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %bv = "tile.load"(%b, %h, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %cv = "tile.load"(%c, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %d = "tile.dot"(%av, %bv, %cv) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    "tile.store"(%c, %tm, %tn, %d) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}
