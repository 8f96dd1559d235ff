// tegula-fuse: the two-loop layer norm (stats loop writing scratch mean/rstd, apply loop reading them) becomes
// one loop: mean/rstd stay in registers (loads forwarded, scratch stores dropped) and x is loaded once.
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize' | filecheck %s --check-prefix=GONE

// CHECK-LABEL: func.func @layer_norm_two_loops
// CHECK-SAME: (%[[M:[^:]+]]: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %{{[^:]+}}: memref<{{[^>]+}}>> {tile.scratch}, %[[EPS:[^:]+]]: f32, %{{[^:]+}}: memref<{{[^>]+}}>> {tile.scratch}, %[[W:[^:]+]]: memref<{{[^>]+}}>>, %[[B:[^:]+]]: memref<{{[^>]+}}>>, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK: %[[BS:.+]] = "tile.block_size"() {hint = 1024 : i64, id = 0 : i64, kind = "tile"}
// CHECK: %[[R:.+]] = "tile.make_tile"
// CHECK-NOT: "tile.block_size"
// CHECK: "tile.for"(%{{.+}}, %[[M]], %[[BS]]) ({
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[ROW:.+]] = "tile.load"(%[[X]], %[[T]], %[[R]])
// CHECK-NOT: "tile.load"(%[[X]],
// CHECK: %[[MU:.+]] = arith.divf %{{.+}}, %{{.+}} : tensor<?xf32>
// CHECK-NEXT: %[[MU2:.+]] = "tile.reshape"(%[[MU]], %[[T]])
// CHECK-NEXT: %[[MUB:.+]] = "tile.broadcast"(%[[MU2]], %[[T]], %[[R]])
// CHECK-NEXT: %[[CEN:.+]] = arith.subf %[[ROW]], %[[MUB]] : tensor<?x?xf32>
// CHECK-NOT: "tile.load"(%[[X]],
// CHECK: %[[EPSV:.+]] = "tile.full"(%[[EPS]], %[[T]])
// CHECK-NEXT: %[[VAR:.+]] = arith.addf %{{.+}}, %[[EPSV]]
// CHECK-NEXT: %[[RS:.+]] = math.rsqrt %[[VAR]]
// CHECK-NEXT: %[[RS2:.+]] = "tile.reshape"(%[[RS]], %[[T]])
// CHECK-NEXT: %[[RSB:.+]] = "tile.broadcast"(%[[RS2]], %[[T]], %[[R]])
// CHECK-NEXT: %[[NORM:.+]] = arith.mulf %[[CEN]], %[[RSB]] : tensor<?x?xf32>
// CHECK-NEXT: "tile.load"(%[[W]], %[[R]])
// CHECK-NOT: "tile.load"(%[[X]],
// CHECK: "tile.load"(%[[B]], %[[R]])
// CHECK-NOT: "tile.load"(%[[X]],
// CHECK: "tile.store"(%[[OUT]], %[[T]], %[[R]], %{{.+}})
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return

// No op takes mean or rstd any more: neither stored nor loaded.
// GONE-LABEL: func.func @layer_norm_two_loops
// GONE-SAME: %[[MEAN:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}, %{{[^:]+}}: f32, %[[RSTD:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}
// GONE-NOT: %[[MEAN]],
// GONE-NOT: %[[RSTD]],
// GONE: return
func.func @layer_norm_two_loops(%m: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %mean: memref<?xf32, strided<[1], offset: ?>> {tile.scratch}, %eps: f32, %rstd: memref<?xf32, strided<[1], offset: ?>> {tile.scratch}, %weight: memref<?xf32, strided<[1], offset: ?>>, %bias: memref<?xf32, strided<[1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["m", "x", "mean", "eps", "rstd", "weight", "bias", "out"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = "tile.block_size"() {hint = 1024 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %dim = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %1 = "tile.block_size"(%dim) {hint = 1000 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %2 = "tile.make_tile"(%c0, %dim, %1) : (index, index, index) -> !tile.tile
  %3 = "tile.block_size"() {hint = 1024 : i64, id = 1 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %m, %0) ({
  ^bb0(%t: !tile.tile):
    %4 = "tile.load"(%x, %t, %2) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %5 = "tile.reduce"(%4) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
    %6 = "tile.end"(%2) : (!tile.tile) -> index
    %7 = "tile.begin"(%2) : (!tile.tile) -> index
    %8 = arith.subi %6, %7 : index
    %9 = arith.index_cast %8 : index to i64
    %10 = arith.sitofp %9 : i64 to f32
    %11 = "tile.full"(%10, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %12 = arith.divf %5, %11 : tensor<?xf32>
    %13 = "tile.reshape"(%12, %t) : (tensor<?xf32>, !tile.tile) -> tensor<?x1xf32>
    %14 = "tile.broadcast"(%13, %t, %2) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %15 = arith.subf %4, %14 : tensor<?x?xf32>
    "tile.store"(%mean, %t, %12) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    %16 = arith.mulf %15, %15 : tensor<?x?xf32>
    %17 = "tile.reduce"(%16) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
    %18 = arith.divf %17, %11 : tensor<?xf32>
    %19 = "tile.full"(%eps, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %20 = arith.addf %18, %19 : tensor<?xf32>
    %21 = math.rsqrt %20 : tensor<?xf32>
    "tile.store"(%rstd, %t, %21) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  "tile.for"(%c0, %m, %3) ({
  ^bb0(%t: !tile.tile):
    %4 = "tile.load"(%x, %t, %2) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %5 = "tile.load"(%mean, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %6 = "tile.reshape"(%5, %t) : (tensor<?xf32>, !tile.tile) -> tensor<?x1xf32>
    %7 = "tile.broadcast"(%6, %t, %2) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %8 = arith.subf %4, %7 : tensor<?x?xf32>
    %9 = "tile.load"(%rstd, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %10 = "tile.reshape"(%9, %t) : (tensor<?xf32>, !tile.tile) -> tensor<?x1xf32>
    %11 = "tile.broadcast"(%10, %t, %2) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %12 = arith.mulf %8, %11 : tensor<?x?xf32>
    %13 = "tile.load"(%weight, %2) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %14 = "tile.reshape"(%13, %2) : (tensor<?xf32>, !tile.tile) -> tensor<1x?xf32>
    %15 = "tile.broadcast"(%14, %t, %2) : (tensor<1x?xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %16 = arith.mulf %12, %15 : tensor<?x?xf32>
    %17 = "tile.load"(%bias, %2) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %18 = "tile.reshape"(%17, %2) : (tensor<?xf32>, !tile.tile) -> tensor<1x?xf32>
    %19 = "tile.broadcast"(%18, %t, %2) : (tensor<1x?xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %20 = arith.addf %16, %19 : tensor<?x?xf32>
    "tile.store"(%out, %t, %2, %20) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
