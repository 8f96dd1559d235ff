// tegula-roll: prod and min over a ':' dimension start from their neutral values (1.0 and +inf) and combine
// chunks with mulf and minimumf; the two reductions of the same row share one chunk loop and one load.
// RUN: tegula-opt %s --pass-pipeline='tegula-roll{reduction-loops=16},canonicalize' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-roll,canonicalize' | filecheck %s --check-prefix=OFF

// CHECK-LABEL: func.func @prod_min
// CHECK-SAME: (%{{[^:]+}}: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[P:[^:]+]]: memref<{{[^>]+}}>>, %[[M:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK-DAG: %[[INF:.+]] = arith.constant 0x7F800000 : f32
// CHECK-DAG: %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK: "tile.for"
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[P0:.+]] = "tile.full"(%[[ONE]], %[[T]]) : (f32, !tile.tile) -> tensor<?xf32>
// CHECK-NEXT: %[[M0:.+]] = "tile.full"(%[[INF]], %[[T]]) : (f32, !tile.tile) -> tensor<?xf32>
// CHECK-NEXT: %[[R:.+]]:2 = scf.for %{{.+}} iter_args(%[[PA:[^ ]+]] = %[[P0]], %[[MA:[^ ]+]] = %[[M0]]) -> (tensor<?xf32>, tensor<?xf32>) {
// CHECK-NEXT: "tile.make_tile"
// CHECK-NEXT: %[[XC:.+]] = "tile.load"(%[[X]], %[[T]],
// CHECK-NEXT: %[[PP:.+]] = "tile.reduce"(%[[XC]]) {dim = 1 : i64, keepdim = false, kind = "prod"}
// CHECK-NEXT: %[[PN:.+]] = arith.mulf %[[PA]], %[[PP]] : tensor<?xf32>
// CHECK-NEXT: %[[MP:.+]] = "tile.reduce"(%[[XC]]) {dim = 1 : i64, keepdim = false, kind = "min"}
// CHECK-NEXT: %[[MN:.+]] = arith.minimumf %[[MA]], %[[MP]] : tensor<?xf32>
// CHECK-NEXT: scf.yield %[[PN]], %[[MN]]
// CHECK-NEXT: }
// CHECK-NEXT: "tile.store"(%[[P]], %[[T]], %[[R]]#0)
// CHECK-NEXT: "tile.store"(%[[M]], %[[T]], %[[R]]#1)
// CHECK-NEXT: "tile.yield"

// OFF-LABEL: func.func @prod_min
// OFF-NOT: scf.for
// OFF: kind = "prod"
// OFF: kind = "min"
// OFF-NOT: scf.for
// OFF: return
func.func @prod_min(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %p: memref<?xf32, strided<[1], offset: ?>>, %m: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "p", "m"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = "tile.block_size"() {hint = 8 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %dim = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %r = "tile.block_size"(%dim) {hint = 1000 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %h = "tile.make_tile"(%c0, %dim, %r) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %xv = "tile.load"(%x, %t, %h) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %a = "tile.reduce"(%xv) {dim = 1 : i64, keepdim = false, kind = "prod"} : (tensor<?x?xf32>) -> tensor<?xf32>
    "tile.store"(%p, %t, %a) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    %b = "tile.reduce"(%xv) {dim = 1 : i64, keepdim = false, kind = "min"} : (tensor<?x?xf32>) -> tensor<?xf32>
    "tile.store"(%m, %t, %b) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
