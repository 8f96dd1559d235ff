// tegula-roll: integer reductions start from integer neutral values and combine with integer ops: sum 0 (addi),
// prod 1 (muli), max -2147483648 (maxsi), min 2147483647 (minsi) for i32; all four share one chunk loop.
// RUN: tegula-opt %s --pass-pipeline='tegula-roll{reduction-loops=16},canonicalize' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-roll,canonicalize' | filecheck %s --check-prefix=OFF

// CHECK-LABEL: func.func @int_stats
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0 : i32
// CHECK-DAG: %[[ONE:.+]] = arith.constant 1 : i32
// CHECK-DAG: %[[IMIN:.+]] = arith.constant -2147483648 : i32
// CHECK-DAG: %[[IMAX:.+]] = arith.constant 2147483647 : i32
// CHECK: "tile.for"
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[S0:.+]] = "tile.full"(%[[ZERO]], %[[T]]) : (i32, !tile.tile) -> tensor<?xi32>
// CHECK-NEXT: %[[P0:.+]] = "tile.full"(%[[ONE]], %[[T]]) : (i32, !tile.tile) -> tensor<?xi32>
// CHECK-NEXT: %[[M0:.+]] = "tile.full"(%[[IMIN]], %[[T]]) : (i32, !tile.tile) -> tensor<?xi32>
// CHECK-NEXT: %[[N0:.+]] = "tile.full"(%[[IMAX]], %[[T]]) : (i32, !tile.tile) -> tensor<?xi32>
// CHECK-NEXT: %[[R:.+]]:4 = scf.for %{{.+}} iter_args(%[[SA:[^ ]+]] = %[[S0]], %[[PA:[^ ]+]] = %[[P0]], %[[MA:[^ ]+]] = %[[M0]], %[[NA:[^ ]+]] = %[[N0]]) -> (tensor<?xi32>, tensor<?xi32>, tensor<?xi32>, tensor<?xi32>) {
// CHECK-NEXT: "tile.make_tile"
// CHECK-NEXT: %[[XC:.+]] = "tile.load"
// CHECK-NEXT: %[[PS:.+]] = "tile.reduce"(%[[XC]]) {dim = 1 : i64, keepdim = false, kind = "sum"}
// CHECK-NEXT: %[[NS:.+]] = arith.addi %[[SA]], %[[PS]] : tensor<?xi32>
// CHECK-NEXT: %[[PP:.+]] = "tile.reduce"(%[[XC]]) {dim = 1 : i64, keepdim = false, kind = "prod"}
// CHECK-NEXT: %[[NP:.+]] = arith.muli %[[PA]], %[[PP]] : tensor<?xi32>
// CHECK-NEXT: %[[PM:.+]] = "tile.reduce"(%[[XC]]) {dim = 1 : i64, keepdim = false, kind = "max"}
// CHECK-NEXT: %[[NM:.+]] = arith.maxsi %[[MA]], %[[PM]] : tensor<?xi32>
// CHECK-NEXT: %[[PN:.+]] = "tile.reduce"(%[[XC]]) {dim = 1 : i64, keepdim = false, kind = "min"}
// CHECK-NEXT: %[[NN:.+]] = arith.minsi %[[NA]], %[[PN]] : tensor<?xi32>
// CHECK-NEXT: scf.yield %[[NS]], %[[NP]], %[[NM]], %[[NN]]
// CHECK-NEXT: }
// CHECK-NEXT: "tile.store"(%{{.+}}, %[[T]], %[[R]]#0)
// CHECK-NEXT: "tile.store"(%{{.+}}, %[[T]], %[[R]]#1)
// CHECK-NEXT: "tile.store"(%{{.+}}, %[[T]], %[[R]]#2)
// CHECK-NEXT: "tile.store"(%{{.+}}, %[[T]], %[[R]]#3)

// OFF-LABEL: func.func @int_stats
// OFF-NOT: scf.for
// OFF-NOT: 2147483647
// OFF: return
func.func @int_stats(%n: index, %x: memref<?x?xi32, strided<[?, 1], offset: ?>>, %s: memref<?xi32, strided<[1], offset: ?>>, %p: memref<?xi32, strided<[1], offset: ?>>, %mx: memref<?xi32, strided<[1], offset: ?>>, %mn: memref<?xi32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "s", "p", "mx", "mn"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = "tile.block_size"() {hint = 8 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %dim = memref.dim %x, %c1 : memref<?x?xi32, strided<[?, 1], offset: ?>>
  %r = "tile.block_size"(%dim) {hint = 1000 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %h = "tile.make_tile"(%c0, %dim, %r) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %xv = "tile.load"(%x, %t, %h) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xi32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xi32>
    %a = "tile.reduce"(%xv) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xi32>) -> tensor<?xi32>
    %b = "tile.reduce"(%xv) {dim = 1 : i64, keepdim = false, kind = "prod"} : (tensor<?x?xi32>) -> tensor<?xi32>
    %c = "tile.reduce"(%xv) {dim = 1 : i64, keepdim = false, kind = "max"} : (tensor<?x?xi32>) -> tensor<?xi32>
    %d = "tile.reduce"(%xv) {dim = 1 : i64, keepdim = false, kind = "min"} : (tensor<?x?xi32>) -> tensor<?xi32>
    "tile.store"(%s, %t, %a) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xi32, strided<[1], offset: ?>>, !tile.tile, tensor<?xi32>) -> ()
    "tile.store"(%p, %t, %b) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xi32, strided<[1], offset: ?>>, !tile.tile, tensor<?xi32>) -> ()
    "tile.store"(%mx, %t, %c) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xi32, strided<[1], offset: ?>>, !tile.tile, tensor<?xi32>) -> ()
    "tile.store"(%mn, %t, %d) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xi32, strided<[1], offset: ?>>, !tile.tile, tensor<?xi32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
