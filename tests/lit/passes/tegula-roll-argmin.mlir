// tegula-roll: argmin over a ':' dimension carries (value, index) in iter_args, starting from (+inf, 0); a chunk
// wins only when strictly smaller (olt: the first minimum is kept) and its index is offset by the chunk start.
// RUN: tegula-opt %s --pass-pipeline='tegula-roll{reduction-loops=16},canonicalize' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-roll,canonicalize' | filecheck %s --check-prefix=OFF

// CHECK-LABEL: func.func @argmin
// CHECK-SAME: (%{{[^:]+}}: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[IDX:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : index
// CHECK-DAG: %[[INF:.+]] = arith.constant 0x7F800000 : f32
// CHECK-DAG: %[[Z:.+]] = arith.constant 0 : i64
// CHECK-DAG: %[[DIM:.+]] = memref.dim %[[X]]
// CHECK: "tile.for"
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[V0:.+]] = "tile.full"(%[[INF]], %[[T]]) : (f32, !tile.tile) -> tensor<?xf32>
// CHECK-NEXT: %[[I0:.+]] = "tile.full"(%[[Z]], %[[T]]) : (i64, !tile.tile) -> tensor<?xi64>
// CHECK-NEXT: %[[R:.+]]:2 = scf.for %[[K:[^ ]+]] = %{{.+}} to %[[DIM]] step %[[C16]] iter_args(%[[BV:[^ ]+]] = %[[V0]], %[[BI:[^ ]+]] = %[[I0]]) -> (tensor<?xf32>, tensor<?xi64>) {
// CHECK-NEXT: %[[HC:.+]] = "tile.make_tile"(%[[K]], %[[DIM]], %[[C16]])
// CHECK-NEXT: %[[XC:.+]] = "tile.load"(%[[X]], %[[T]], %[[HC]])
// CHECK-NEXT: %[[PI:.+]] = "tile.reduce"(%[[XC]]) {dim = 1 : i64, keepdim = false, kind = "argmin"}
// CHECK-NEXT: %[[PV:.+]] = "tile.reduce"(%[[XC]]) {dim = 1 : i64, keepdim = false, kind = "min"}
// CHECK-NEXT: %[[LT:.+]] = arith.cmpf olt, %[[PV]], %[[BV]] : tensor<?xf32>
// CHECK-NEXT: %[[K64:.+]] = arith.index_cast %[[K]] : index to i64
// CHECK-NEXT: %[[KT:.+]] = "tile.full"(%[[K64]], %[[T]])
// CHECK-NEXT: %[[GI:.+]] = arith.addi %[[PI]], %[[KT]] : tensor<?xi64>
// CHECK-NEXT: %[[NV:.+]] = arith.select %[[LT]], %[[PV]], %[[BV]]
// CHECK-NEXT: %[[NI:.+]] = arith.select %[[LT]], %[[GI]], %[[BI]]
// CHECK-NEXT: scf.yield %[[NV]], %[[NI]] : tensor<?xf32>, tensor<?xi64>
// CHECK-NEXT: }
// CHECK-NEXT: "tile.store"(%[[IDX]], %[[T]], %[[R]]#1)
// CHECK-NOT: "tile.reduce"

// Rolling off: one argmin over the whole row.
// OFF-LABEL: func.func @argmin
// OFF-NOT: scf.for
// OFF: "tile.reduce"(%{{.+}}) {dim = 1 : i64, keepdim = false, kind = "argmin"}
// OFF-NOT: scf.for
// OFF: return
func.func @argmin(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %idx: memref<?xi64, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "idx"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = "tile.block_size"() {hint = 8 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %dim = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %r = "tile.block_size"(%dim) {hint = 1000 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %h = "tile.make_tile"(%c0, %dim, %r) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %xv = "tile.load"(%x, %t, %h) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %a = "tile.reduce"(%xv) {dim = 1 : i64, keepdim = false, kind = "argmin"} : (tensor<?x?xf32>) -> tensor<?xi64>
    "tile.store"(%idx, %t, %a) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xi64, strided<[1], offset: ?>>, !tile.tile, tensor<?xi64>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
