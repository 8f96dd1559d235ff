// tegula-roll with rolling off (no option, or reduction-loops=none) leaves a ':' reduction exactly as it was: the
// whole row is loaded through the ':' handle and reduced once; no scf.for, no chunk handle.
// RUN: tegula-opt %s --pass-pipeline='tegula-roll' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-roll{reduction-loops=none}' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-roll{reduction-loops=32}' | filecheck %s --check-prefix=ON

// CHECK-LABEL: func.func @rowsum
// CHECK-SAME: (%[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK-NOT: scf.for
// CHECK: %[[DIM:.+]] = memref.dim %[[X]], %{{.+}}
// CHECK-NEXT: %[[R:.+]] = "tile.block_size"(%[[DIM]]) {hint = 1000 : i64, id = 0 : i64, kind = "reduction"}
// CHECK-NEXT: %[[H:.+]] = "tile.make_tile"(%{{.+}}, %[[DIM]], %[[R]])
// CHECK-NEXT: "tile.for"(%{{.+}}, %[[N]], %{{.+}}) ({
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[XV:.+]] = "tile.load"(%[[X]], %[[T]], %[[H]])
// CHECK-NEXT: %[[S:.+]] = "tile.reduce"(%[[XV]]) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
// CHECK-NEXT: "tile.store"(%[[OUT]], %[[T]], %[[S]])
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return

// Rolling on, the same input gets a chunk loop (so the CHECKs above would catch one).
// ON-LABEL: func.func @rowsum
// ON: "tile.for"
// ON: scf.for
// ON: "tile.reduce"
// ON: scf.yield
func.func @rowsum(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "out"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = "tile.block_size"() {hint = 8 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %dim = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %r = "tile.block_size"(%dim) {hint = 1000 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %h = "tile.make_tile"(%c0, %dim, %r) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %xv = "tile.load"(%x, %t, %h) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %s = "tile.reduce"(%xv) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
    "tile.store"(%out, %t, %s) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
