// tegula-tile replaces a block-size symbol used as the step of a nested
// scf.for (a k loop) by a constant, and leaves the scf.for and its
// iter_args in place inside the launch.
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=16,32}' | filecheck %s

// CHECK-LABEL: func.func @k_loop
// CHECK-SAME: (%[[N:[^:]+]]: index, %[[K:[^:]+]]: index,
// CHECK-NOT: tile.block_size
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : index
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : index
// CHECK: "tile.launch"
// CHECK: %[[T:.+]] = "tile.make_tile"(%{{.+}}, %[[N]], %[[C16]])
// CHECK: %[[INIT:.+]] = "tile.full"(%{{.+}}, %[[T]])
// CHECK: %[[R:.+]] = scf.for %[[IV:.+]] = %{{.+}} to %[[K]] step %[[C32]] iter_args(%[[ACC:.+]] = %[[INIT]]) -> (tensor<?xf32>) {
// CHECK-NEXT: %[[TK:.+]] = "tile.make_tile"(%[[IV]], %[[K]], %[[C32]])
// CHECK-NEXT: %[[V:.+]] = "tile.load"(%{{.+}}, %[[T]], %[[TK]])
// CHECK-NEXT: %[[S:.+]] = "tile.reduce"(%[[V]]) {dim = 1 : i64, keepdim = false, kind = "sum"}
// CHECK-NEXT: %[[NEXT:.+]] = arith.addf %[[ACC]], %[[S]] : tensor<?xf32>
// CHECK-NEXT: scf.yield %[[NEXT]] : tensor<?xf32>
// CHECK: "tile.store"(%{{.+}}, %[[T]], %[[R]])
func.func @k_loop(%n: index, %k: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.kernel} {
  %bs = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %bk = "tile.block_size"() {hint = 1000 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile):
    %init = "tile.full"(%zero, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %r = scf.for %i = %c0 to %k step %bk iter_args(%acc = %init) -> (tensor<?xf32>) {
      %tk = "tile.make_tile"(%i, %k, %bk) : (index, index, index) -> !tile.tile
      %v = "tile.load"(%x, %t, %tk) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %s = "tile.reduce"(%v) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
      %next = arith.addf %acc, %s : tensor<?xf32>
      scf.yield %next : tensor<?xf32>
    }
    "tile.store"(%out, %t, %r) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
