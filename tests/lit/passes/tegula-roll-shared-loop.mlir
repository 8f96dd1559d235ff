// tegula-roll: two independent reductions over the same ':' handle (a sum of x and a max of y, different tensors)
// share ONE chunk loop carrying both accumulators; each result is stored from its own loop result.
// RUN: tegula-opt %s --pass-pipeline='tegula-roll{reduction-loops=128},canonicalize' | filecheck %s

// CHECK-LABEL: func.func @two
// CHECK-SAME: (%{{[^:]+}}: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[Y:[^:]+]]: memref<{{[^>]+}}>>, %[[S:[^:]+]]: memref<{{[^>]+}}>>, %[[M:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK-DAG: %[[C128:.+]] = arith.constant 128 : index
// CHECK-DAG: %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: "tile.for"
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[S0:.+]] = "tile.full"(%[[ZERO]], %[[T]])
// CHECK-NEXT: %[[M0:.+]] = "tile.full"(%[[NINF]], %[[T]])
// CHECK-NEXT: %[[R:.+]]:2 = scf.for %{{.+}} step %[[C128]] iter_args(%[[SA:[^ ]+]] = %[[S0]], %[[MA:[^ ]+]] = %[[M0]]) -> (tensor<?xf32>, tensor<?xf32>) {
// CHECK-NEXT: %[[HC:.+]] = "tile.make_tile"
// CHECK-NEXT: %[[XC:.+]] = "tile.load"(%[[X]], %[[T]], %[[HC]])
// CHECK-NEXT: %[[PS:.+]] = "tile.reduce"(%[[XC]]) {dim = 1 : i64, keepdim = false, kind = "sum"}
// CHECK-NEXT: %[[NS:.+]] = arith.addf %[[SA]], %[[PS]]
// CHECK-NEXT: %[[YC:.+]] = "tile.load"(%[[Y]], %[[T]], %[[HC]])
// CHECK-NEXT: %[[PM:.+]] = "tile.reduce"(%[[YC]]) {dim = 1 : i64, keepdim = false, kind = "max"}
// CHECK-NEXT: %[[NM:.+]] = arith.maximumf %[[MA]], %[[PM]]
// CHECK-NEXT: scf.yield %[[NS]], %[[NM]]
// CHECK-NEXT: }
// CHECK-NOT: scf.for
// CHECK-NEXT: "tile.store"(%[[S]], %[[T]], %[[R]]#0)
// CHECK-NEXT: "tile.store"(%[[M]], %[[T]], %[[R]]#1)
// CHECK-NEXT: "tile.yield"
func.func @two(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %s: memref<?xf32, strided<[1], offset: ?>>, %m: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "y", "s", "m"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = "tile.block_size"() {hint = 8 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %dim = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %r = "tile.block_size"(%dim) {hint = 1000 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %h = "tile.make_tile"(%c0, %dim, %r) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %xv = "tile.load"(%x, %t, %h) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %a = "tile.reduce"(%xv) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
    %yv = "tile.load"(%y, %t, %h) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %b = "tile.reduce"(%yv) {dim = 1 : i64, keepdim = false, kind = "max"} : (tensor<?x?xf32>) -> tensor<?xf32>
    "tile.store"(%s, %t, %a) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.store"(%m, %t, %b) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
