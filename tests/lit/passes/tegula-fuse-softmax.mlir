// tegula-fuse: the two-loop softmax (row max/sum to scratch, then normalize) becomes one loop that divides the
// exp it already computed by the row sum in registers; scratch row_max/row_sum are neither stored nor loaded.
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize' | filecheck %s --check-prefix=GONE

// CHECK-LABEL: func.func @softmax_two_loops
// CHECK-SAME: (%[[N:[^:]+]]: index, %[[X:[^:]+]]: memref<{{[^>]+}}>>, %{{[^:]+}}: memref<{{[^>]+}}>> {tile.scratch}, %{{[^:]+}}: memref<{{[^>]+}}>> {tile.scratch}, %[[OUT:[^:]+]]: memref<{{[^>]+}}>>)
// CHECK: %[[BS:.+]] = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"}
// CHECK: %[[R:.+]] = "tile.make_tile"
// CHECK-NOT: "tile.block_size"
// CHECK: "tile.for"(%{{.+}}, %[[N]], %[[BS]]) ({
// CHECK-NEXT: ^bb0(%[[T:[^:]+]]: !tile.tile):
// CHECK-NEXT: %[[ROW:.+]] = "tile.load"(%[[X]], %[[T]], %[[R]])
// CHECK-NEXT: %[[MX:.+]] = "tile.reduce"(%[[ROW]]) {dim = 1 : i64, keepdim = false, kind = "max"}
// CHECK-NEXT: %[[MX2:.+]] = "tile.reshape"(%[[MX]], %[[T]])
// CHECK-NEXT: %[[MXB:.+]] = "tile.broadcast"(%[[MX2]], %[[T]], %[[R]])
// CHECK-NEXT: %[[SH:.+]] = arith.subf %[[ROW]], %[[MXB]]
// CHECK-NEXT: %[[E:.+]] = math.exp %[[SH]]
// CHECK-NEXT: %[[SUM:.+]] = "tile.reduce"(%[[E]]) {dim = 1 : i64, keepdim = false, kind = "sum"}
// CHECK-NEXT: %[[SUM2:.+]] = "tile.reshape"(%[[SUM]], %[[T]])
// CHECK-NEXT: %[[SUMB:.+]] = "tile.broadcast"(%[[SUM2]], %[[T]], %[[R]])
// CHECK-NEXT: %[[Y:.+]] = arith.divf %[[E]], %[[SUMB]]
// CHECK-NEXT: "tile.store"(%[[OUT]], %[[T]], %[[R]], %[[Y]])
// CHECK-NEXT: "tile.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return

// No op takes row_max or row_sum any more.
// GONE-LABEL: func.func @softmax_two_loops
// GONE-SAME: %[[MAX:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}, %[[SUM:[^:]+]]: memref<{{[^>]+}}>> {tile.scratch}
// GONE-NOT: %[[MAX]],
// GONE-NOT: %[[SUM]],
// GONE: return
func.func @softmax_two_loops(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %row_max: memref<?xf32, strided<[1], offset: ?>> {tile.scratch}, %row_sum: memref<?xf32, strided<[1], offset: ?>> {tile.scratch}, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "row_max", "row_sum", "out"], tile.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %dim = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %1 = "tile.block_size"(%dim) {hint = 333 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %2 = "tile.make_tile"(%c0, %dim, %1) : (index, index, index) -> !tile.tile
  %3 = "tile.block_size"() {hint = 1000 : i64, id = 1 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %n, %0) ({
  ^bb0(%t: !tile.tile):
    %4 = "tile.load"(%x, %t, %2) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %5 = "tile.reduce"(%4) {dim = 1 : i64, keepdim = false, kind = "max"} : (tensor<?x?xf32>) -> tensor<?xf32>
    "tile.store"(%row_max, %t, %5) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    %6 = "tile.reshape"(%5, %t) : (tensor<?xf32>, !tile.tile) -> tensor<?x1xf32>
    %7 = "tile.broadcast"(%6, %t, %2) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %8 = arith.subf %4, %7 : tensor<?x?xf32>
    %9 = math.exp %8 : tensor<?x?xf32>
    %10 = "tile.reduce"(%9) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
    "tile.store"(%row_sum, %t, %10) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  "tile.for"(%c0, %n, %3) ({
  ^bb0(%t: !tile.tile):
    %4 = "tile.load"(%x, %t, %2) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %5 = "tile.load"(%row_max, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %6 = "tile.reshape"(%5, %t) : (tensor<?xf32>, !tile.tile) -> tensor<?x1xf32>
    %7 = "tile.broadcast"(%6, %t, %2) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %8 = arith.subf %4, %7 : tensor<?x?xf32>
    %9 = math.exp %8 : tensor<?x?xf32>
    %10 = "tile.load"(%row_sum, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %11 = "tile.reshape"(%10, %t) : (tensor<?xf32>, !tile.tile) -> tensor<?x1xf32>
    %12 = "tile.broadcast"(%11, %t, %2) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %13 = arith.divf %9, %12 : tensor<?x?xf32>
    "tile.store"(%out, %t, %2, %13) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
