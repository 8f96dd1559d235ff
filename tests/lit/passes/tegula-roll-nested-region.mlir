// tegula-roll: a ':' handle used inside a nested region (a load through it in an scf.for body), or a value over
// the ':' dimension carried into a nested scf.for, cannot be chunked: the dimension is left whole (no chunk loop).
// RUN: tegula-opt %s --split-input-file --pass-pipeline='tegula-roll{reduction-loops=16},canonicalize' | filecheck %s

// CHECK-LABEL: func.func @handle_inside
// CHECK-SAME: (%{{[^:]+}}: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK-NOT: arith.constant 16 : index
// CHECK: %[[H:.+]] = "tile.make_tile"(%{{.+}}, %{{.+}}, %{{.+}})
// CHECK: "tile.for"
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[INIT:.+]] = "tile.full"
// CHECK-NEXT: %[[R:.+]] = scf.for %{{.+}} = %{{.+}} to %[[C3:[^ ]+]] step %{{.+}} iter_args(%[[ACC:[^ ]+]] = %[[INIT]])
// CHECK-NEXT: %[[XV:.+]] = "tile.load"(%[[X]], %[[T]], %[[H]])
// CHECK-NEXT: %[[S:.+]] = "tile.reduce"(%[[XV]]) {dim = 1 : i64, keepdim = false, kind = "sum"}
// CHECK-NEXT: %[[A:.+]] = arith.addf %[[ACC]], %[[S]]
// CHECK-NEXT: scf.yield %[[A]]
// CHECK-NEXT: }
// CHECK-NEXT: "tile.store"(%[[OUT]], %[[T]], %[[R]])
// CHECK-NOT: scf.for
// CHECK: return
func.func @handle_inside(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "out"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %cst = arith.constant 0.000000e+00 : f32
  %0 = "tile.block_size"() {hint = 8 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %dim = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %r = "tile.block_size"(%dim) {hint = 1000 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %h = "tile.make_tile"(%c0, %dim, %r) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %init = "tile.full"(%cst, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %res = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %init) -> (tensor<?xf32>) {
      %xv = "tile.load"(%x, %t, %h) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %s = "tile.reduce"(%xv) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
      %a = arith.addf %acc, %s : tensor<?xf32>
      scf.yield %a : tensor<?xf32>
    }
    "tile.store"(%out, %t, %res) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}

// -----

// The row itself is carried into a nested loop (it is squared three times): still left whole.
// CHECK-LABEL: func.func @row_carried
// CHECK-NOT: arith.constant 16 : index
// CHECK: %[[H:.+]] = "tile.make_tile"(%{{.+}}, %{{.+}}, %{{.+}})
// CHECK: "tile.for"
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[XV:.+]] = "tile.load"(%{{.+}}, %[[T]], %[[H]])
// CHECK-NEXT: %[[P:.+]] = scf.for %{{.+}} iter_args(%{{.+}} = %[[XV]]) -> (tensor<?x?xf32>)
// CHECK: scf.yield
// CHECK-NEXT: }
// CHECK-NEXT: %[[S:.+]] = "tile.reduce"(%[[P]]) {dim = 1 : i64, keepdim = false, kind = "sum"}
// CHECK-NEXT: "tile.store"(%{{.+}}, %[[T]], %[[S]])
// CHECK-NOT: scf.for
// CHECK: return
func.func @row_carried(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "out"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %0 = "tile.block_size"() {hint = 8 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %dim = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %r = "tile.block_size"(%dim) {hint = 1000 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %h = "tile.make_tile"(%c0, %dim, %r) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %xv = "tile.load"(%x, %t, %h) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %p = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %xv) -> (tensor<?x?xf32>) {
      %q = arith.mulf %acc, %acc : tensor<?x?xf32>
      scf.yield %q : tensor<?x?xf32>
    }
    %s = "tile.reduce"(%p) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
    "tile.store"(%out, %t, %s) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}

// -----

// Counterpart: the same sum computed before the nested loop (which then only adds it) is rolled.
// CHECK-LABEL: func.func @hoisted
// CHECK: %[[C16:.+]] = arith.constant 16 : index
// CHECK: "tile.for"
// CHECK: scf.for %{{.+}} step %[[C16]] iter_args
// CHECK: "tile.make_tile"(%{{.+}}, %{{.+}}, %[[C16]])
// CHECK: scf.yield
// CHECK: scf.for
// CHECK: return
func.func @hoisted(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "out"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %cst = arith.constant 0.000000e+00 : f32
  %0 = "tile.block_size"() {hint = 8 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %dim = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %r = "tile.block_size"(%dim) {hint = 1000 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %h = "tile.make_tile"(%c0, %dim, %r) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %init = "tile.full"(%cst, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %xv = "tile.load"(%x, %t, %h) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %s = "tile.reduce"(%xv) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
    %res = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %init) -> (tensor<?xf32>) {
      %a = arith.addf %acc, %s : tensor<?xf32>
      scf.yield %a : tensor<?xf32>
    }
    "tile.store"(%out, %t, %res) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
