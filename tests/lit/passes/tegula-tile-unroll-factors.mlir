// tegula-tile{unroll-factors=...}: the kernel's own scf.for loops, in pre-order (outer, its inner, then the
// next), get `tile.unroll = F` for F > 1; factor 1, `none`, or no entry add nothing, nor does a persistent loop.
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=16,32 unroll-factors=2,1,4}' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=16,32 unroll-factors=2,1,4 persistent=interleaved programs=4}' | filecheck %s --check-prefixes=CHECK,PERSIST
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=16,32 unroll-factors=none,8}' | filecheck %s --check-prefix=INNER
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=16,32}' | filecheck %s --check-prefix=NONE

// CHECK-LABEL: func.func @loops
// CHECK: "tile.launch"
// The persistent loop over tiles (PERSIST) is not one of the kernel's loops: it takes no entry.
// PERSIST: scf.for %{{[^ ]+}} = %{{[^ ]+}} to %{{[^ ]+}} step %{{[^ ]+}} {{[{]$}}
// CHECK: scf.for %{{.+}} iter_args
// CHECK: scf.for %{{.+}} iter_args
// CHECK: "tile.reduce"{{.*}}kind = "sum"
// CHECK: scf.yield
// The inner loop (factor 1) has no attribute:
// CHECK-NEXT: {{^ *}}}{{$}}
// CHECK-NEXT: scf.yield
// CHECK-NEXT: } {tile.unroll = 2 : i64}
// CHECK-NEXT: scf.for %{{.+}} iter_args
// CHECK: "tile.reduce"{{.*}}kind = "max"
// CHECK: scf.yield
// CHECK-NEXT: } {tile.unroll = 4 : i64}
// CHECK-NEXT: "tile.store"
// PERSIST-NEXT: } {tile.persistent}
// CHECK-NEXT: "tile.yield"

// INNER-LABEL: func.func @loops
// INNER: "tile.reduce"{{.*}}kind = "sum"
// INNER: scf.yield
// INNER-NEXT: } {tile.unroll = 8 : i64}
// INNER-NEXT: scf.yield
// INNER-NEXT: {{^ *}}}{{$}}
// INNER-NOT: tile.unroll

// NONE-LABEL: func.func @loops
// NONE-NOT: tile.unroll
// NONE: return
func.func @loops(%n: index, %k: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.kernel} {
  %bs = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %bk = "tile.block_size"() {hint = 1000 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %zero = arith.constant 0.0 : f32
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile):
    %init = "tile.full"(%zero, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %outer = scf.for %r = %c0 to %c3 step %c1 iter_args(%o = %init) -> (tensor<?xf32>) {
      %inner = scf.for %i = %c0 to %k step %bk iter_args(%acc = %o) -> (tensor<?xf32>) {
        %tk = "tile.make_tile"(%i, %k, %bk) : (index, index, index) -> !tile.tile
        %v = "tile.load"(%x, %t, %tk) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
        %s = "tile.reduce"(%v) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
        %next = arith.addf %acc, %s : tensor<?xf32>
        scf.yield %next : tensor<?xf32>
      }
      scf.yield %inner : tensor<?xf32>
    }
    %mx = scf.for %i = %c0 to %k step %bk iter_args(%acc = %outer) -> (tensor<?xf32>) {
      %tk = "tile.make_tile"(%i, %k, %bk) : (index, index, index) -> !tile.tile
      %v = "tile.load"(%x, %t, %tk) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %s = "tile.reduce"(%v) {dim = 1 : i64, keepdim = false, kind = "max"} : (tensor<?x?xf32>) -> tensor<?xf32>
      %next = arith.maximumf %acc, %s : tensor<?xf32>
      scf.yield %next : tensor<?xf32>
    }
    "tile.store"(%out, %t, %mx) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
