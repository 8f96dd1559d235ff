// tegula-roll: a store through the ':' handle (out[t, :] = x[t, :] * 2) becomes an scf.for over chunks with no
// iter_args that loads, computes and stores each chunk; nothing is left on the whole row.
// RUN: tegula-opt %s --pass-pipeline='tegula-roll{reduction-loops=64},canonicalize' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-roll,canonicalize' | filecheck %s --check-prefix=OFF

// CHECK-LABEL: func.func @scale
// CHECK-SAME: (%{{[^:]+}}: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : index
// CHECK-DAG: %[[TWO:.+]] = arith.constant 2.000000e+00 : f32
// CHECK-DAG: %[[DIM:.+]] = memref.dim %[[X]]
// CHECK-NOT: "tile.make_tile"
// CHECK: "tile.for"
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: scf.for %[[K:[^ ]+]] = %{{.+}} to %[[DIM]] step %[[C64]] {
// CHECK-NEXT: %[[HC:.+]] = "tile.make_tile"(%[[K]], %[[DIM]], %[[C64]])
// CHECK-NEXT: %[[XC:.+]] = "tile.load"(%[[X]], %[[T]], %[[HC]])
// CHECK-NEXT: %[[F:.+]] = "tile.full"(%[[TWO]], %[[T]], %[[HC]])
// CHECK-NEXT: %[[Y:.+]] = arith.mulf %[[XC]], %[[F]]
// CHECK-NEXT: "tile.store"(%[[OUT]], %[[T]], %[[HC]], %[[Y]])
// CHECK-NEXT: }
// CHECK-NEXT: "tile.yield"

// Rolling off: the whole row is loaded, scaled and stored through the ':' handle.
// OFF-LABEL: func.func @scale
// OFF-NOT: scf.for
// OFF: %[[H:.+]] = "tile.make_tile"
// OFF-NOT: scf.for
// OFF: "tile.store"(%{{.+}}, %{{.+}}, %[[H]], %{{.+}})
// OFF-NOT: scf.for
// OFF: return
func.func @scale(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "out"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = "tile.block_size"() {hint = 8 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %dim = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %r = "tile.block_size"(%dim) {hint = 1000 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %h = "tile.make_tile"(%c0, %dim, %r) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %xv = "tile.load"(%x, %t, %h) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %cst = arith.constant 2.000000e+00 : f32
    %f = "tile.full"(%cst, %t, %h) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %y = arith.mulf %xv, %f : tensor<?x?xf32>
    "tile.store"(%out, %t, %h, %y) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
