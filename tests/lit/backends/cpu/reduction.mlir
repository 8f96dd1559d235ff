// CPU lowering of tile.reduce: a scratch buffer filled with the neutral
// element, then the reduction, whose body holds the fused producer and the
// combiner; the result is copied out. A reduction along the rows of a 2-D tile
// runs over groups of 4 rows (views of a constant 4 rows, loops along the row
// outside and across the 4 rows inside: LLVM unrolls the inner loop and
// vectorizes the outer, reading 4 rows at once), then over the rows left.
// RUN: tegula-opt %s --split-input-file --emit=cpu-linalg | filecheck %s

// CHECK-LABEL: func.func @row_sum_launch0
// CHECK-SAME: (%{{[a-z0-9]+}}: index, %[[X:[a-z0-9]+]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[OUT:[a-z0-9]+]]: memref<?xf32, strided<[1], offset: ?>>,
// CHECK: %[[BS:[a-z0-9]+]] = "arith.constant"() {value = 8 : index}
// CHECK: %[[BUF:[a-z0-9]+]] = memref.alloc(%[[BS]]) : memref<?xf32>
// CHECK: scf.for %pid =
// CHECK: %[[VX:[a-z0-9]+]] = memref.subview %[[X]]
// CHECK: %[[ACC:[a-z0-9]+]] = memref.subview %[[BUF]][0] [%[[EXT:[a-z0-9]+]]] [1] : memref<?xf32> to memref<?xf32, strided<[1], offset: 0>>
// CHECK: %[[ZERO:[a-z0-9]+]] = arith.constant 0.0 : f32
// CHECK-NEXT: linalg.fill ins(%[[ZERO]] : f32) outs(%[[ACC]] : memref<?xf32, strided<[1], offset: 0>>)
// CHECK-NEXT: %[[FOUR:[a-z0-9]+]] = arith.constant 4 : index
// CHECK-NEXT: %[[REM:[a-z0-9]+]] = arith.remsi %[[EXT]], %[[FOUR]] : index
// CHECK-NEXT: %[[FULL:[a-z0-9]+]] = arith.subi %[[EXT]], %[[REM]] : index
// CHECK: scf.for %[[G:[a-z0-9]+]] = %{{[a-z0-9]+}} to %[[FULL]] step %[[FOUR]] {
// CHECK: %[[GX:[a-z0-9]+]] = memref.subview %[[VX]][%[[G]], 0] [4, %{{[a-z0-9]+}}] [1, 1] : memref<?x?xf32, strided<[?, 1], offset: ?>> to memref<4x?xf32, strided<[?, 1], offset: ?>>
// CHECK-NEXT: %[[GACC:[a-z0-9]+]] = memref.subview %[[ACC]][%[[G]]] [4] [1] : memref<?xf32, strided<[1], offset: 0>> to memref<4xf32, strided<[1], offset: ?>>
// CHECK-NEXT: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]} ins(%[[GX]] : {{.*}}) outs(%[[GACC]] : {{.*}}) {
// CHECK-NEXT: ^bb0(%[[IN:[a-z0-9_]+]]: f32, %[[A:[a-z0-9_]+]]: f32):
// CHECK-NEXT: %[[SQ:[a-z0-9]+]] = "arith.mulf"(%[[IN]], %[[IN]])
// CHECK-NEXT: %[[SUM:[a-z0-9]+]] = arith.addf %[[SQ]], %[[A]] fastmath<reassoc> : f32
// CHECK-NEXT: linalg.yield %[[SUM]] : f32
// CHECK-NEXT: }
// CHECK-NEXT: }
// The rows left (fewer than 4):
// CHECK: %[[RX:[a-z0-9]+]] = memref.subview %[[VX]][%[[FULL]], 0] [%[[REM]], %{{[a-z0-9]+}}] [1, 1] : {{.*}} to memref<?x?xf32, strided<[?, 1], offset: ?>>
// CHECK-NEXT: %[[RACC:[a-z0-9]+]] = memref.subview %[[ACC]][%[[FULL]]] [%[[REM]]] [1]
// CHECK-NEXT: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%[[RX]] : {{.*}}) outs(%[[RACC]] : {{.*}}) {
// CHECK-NEXT: ^bb0(%[[IN2:[a-z0-9_]+]]: f32, %[[A2:[a-z0-9_]+]]: f32):
// CHECK-NEXT: %[[SQ2:[a-z0-9]+]] = "arith.mulf"(%[[IN2]], %[[IN2]])
// CHECK-NEXT: %[[SUM2:[a-z0-9]+]] = arith.addf %[[SQ2]], %[[A2]] fastmath<reassoc> : f32
// CHECK-NEXT: linalg.yield %[[SUM2]] : f32
// CHECK: %[[VO:[a-z0-9]+]] = memref.subview %[[OUT]][%{{[a-z0-9]+}}] [%[[EXT]]] [1]
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[ACC]] : {{.*}}) outs(%[[VO]] : {{.*}})
// CHECK: memref.dealloc %[[BUF]] : memref<?xf32>
func.func @row_sum(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.kernel} {
  %c8 = arith.constant 8 : index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %row = "tile.make_tile"(%c0, %m, %m) : (index, index, index) -> !tile.tile
  %np = arith.ceildivsi %n, %c8 : index
  "tile.launch"(%np) ({
    %pid = "tile.program_id"() : () -> index
    %b = arith.muli %pid, %c8 : index
    %t = "tile.make_tile"(%b, %n, %c8) : (index, index, index) -> !tile.tile
    %v = "tile.load"(%x, %t, %row) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %sq = arith.mulf %v, %v : tensor<?x?xf32>
    %s = "tile.reduce"(%sq) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
    "tile.store"(%out, %t, %s) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}

// -----

// Neutral elements by kind: -inf for a float max, INT32_MAX for an i32 min
// (over dim 0, the first iterator reduces), 1 for a prod.
// CHECK-LABEL: func.func @kinds_launch0
// CHECK: %[[NEG:[a-z0-9]+]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: linalg.fill ins(%[[NEG]] : f32)
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// CHECK: arith.maximumf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: %[[MAXI:[a-z0-9]+]] = arith.constant 2147483647 : i32
// CHECK-NEXT: linalg.fill ins(%[[MAXI]] : i32)
// CHECK-NEXT: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]}
// CHECK: arith.minsi
// CHECK: %[[ONE:[a-z0-9]+]] = arith.constant 1.0 : f32
// CHECK-NEXT: linalg.fill ins(%[[ONE]] : f32)
// CHECK: linalg.generic
// CHECK: arith.mulf %{{.+}}, %{{.+}} fastmath<reassoc> : f32
func.func @kinds(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xi32, strided<[?, 1], offset: ?>>, %o1: memref<?xf32, strided<[1], offset: ?>>, %o2: memref<?xi32, strided<[1], offset: ?>>, %o3: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.kernel} {
  %c8 = arith.constant 8 : index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %row = "tile.make_tile"(%c0, %m, %m) : (index, index, index) -> !tile.tile
  %np = arith.ceildivsi %n, %c8 : index
  "tile.launch"(%np) ({
    %pid = "tile.program_id"() : () -> index
    %b = arith.muli %pid, %c8 : index
    %t = "tile.make_tile"(%b, %n, %c8) : (index, index, index) -> !tile.tile
    %v = "tile.load"(%x, %t, %row) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %mx = "tile.reduce"(%v) {dim = 1 : i64, keepdim = false, kind = "max"} : (tensor<?x?xf32>) -> tensor<?xf32>
    "tile.store"(%o1, %t, %mx) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    %w = "tile.load"(%y, %row, %t) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xi32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xi32>
    %mn = "tile.reduce"(%w) {dim = 0 : i64, keepdim = false, kind = "min"} : (tensor<?x?xi32>) -> tensor<?xi32>
    "tile.store"(%o2, %t, %mn) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xi32, strided<[1], offset: ?>>, !tile.tile, tensor<?xi32>) -> ()
    %p = "tile.reduce"(%v) {dim = 1 : i64, keepdim = false, kind = "prod"} : (tensor<?x?xf32>) -> tensor<?xf32>
    "tile.store"(%o3, %t, %p) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}
