// tegula-roll: ':' dimensions become loops over chunks; the same input with rolling off is unchanged.
// RUN: tegula-opt %s --split-input-file --pass-pipeline='tegula-roll{reduction-loops=32},canonicalize' | filecheck %s
// RUN: tegula-opt %s --split-input-file --pass-pipeline='tegula-roll' | filecheck %s --check-prefix=OFF

// OFF-NOT: scf.for

// A row sum becomes one loop over 32-wide chunks of the ':' dimension, accumulating in iter_args.
// CHECK-LABEL: func.func @rowsum
// CHECK: %[[DIM:[^ ,)]+]] = memref.dim
// CHECK: "tile.for"
// CHECK: %[[INIT:[^ ,)]+]] = "tile.full"(%{{.+}}, %[[T:[^ ,)]+]]) : (f32, !tile.tile) -> tensor<?xf32>
// CHECK-NEXT: %[[SUM:[^ ,)]+]] = scf.for %[[K:[^ ,)]+]] = %{{.+}} to %[[DIM]] step %[[C32:.+]] iter_args(%[[ACC:[^ ,)]+]] = %[[INIT]]) -> (tensor<?xf32>) {
// CHECK-NEXT: %[[CHUNK:[^ ,)]+]] = "tile.make_tile"(%[[K]], %[[DIM]], %[[C32]])
// CHECK-NEXT: %[[X:[^ ,)]+]] = "tile.load"(%{{.+}}, %[[T]], %[[CHUNK]])
// CHECK-NEXT: %[[P:[^ ,)]+]] = "tile.reduce"(%[[X]]) {dim = 1 : i64, keepdim = false, kind = "sum"}
// CHECK-NEXT: %[[NEW:[^ ,)]+]] = arith.addf %[[ACC]], %[[P]] : tensor<?xf32>
// CHECK-NEXT: scf.yield %[[NEW]]
// CHECK: "tile.store"(%{{.+}}, %[[T]], %[[SUM]])
// CHECK-NOT: "tile.reduce"
func.func @rowsum(%arg0: index, %arg1: memref<?x?xf32, strided<[?, 1], offset: ?>>, %arg2: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["x.size(0)", "x", "out"], tile.kernel} {
    %0 = "tile.block_size"() {hint = 8 : i64, id = 0 : i64, kind = "tile"} : () -> index
    %c1 = arith.constant 1 : index
    %dim = memref.dim %arg1, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
    %1 = "tile.block_size"(%dim) {hint = 100 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
    %c0 = arith.constant 0 : index
    %2 = "tile.make_tile"(%c0, %dim, %1) : (index, index, index) -> !tile.tile
    %c0_0 = arith.constant 0 : index
    "tile.for"(%c0_0, %arg0, %0) ({
    ^bb0(%arg3: !tile.tile):
      %3 = "tile.load"(%arg1, %arg3, %2) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %4 = "tile.reduce"(%3) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
      "tile.store"(%arg2, %arg3, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
      "tile.yield"() : () -> ()
    }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
    return
  }

// -----

// max and argmax of the same row share one loop; argmax carries value and index and offsets the
// chunk's index by the chunk start.
// CHECK-LABEL: func.func @stats
// CHECK: %[[R:[0-9]+]]:3 = scf.for %[[K:arg[0-9]+]] = %{{[a-z0-9_]+}} to %{{[a-z0-9_]+}} step %{{[a-z0-9_]+}} iter_args(%[[MAX:arg[0-9]+]] = %{{[0-9]+}}, %[[BEST:arg[0-9]+]] = %{{[0-9]+}}, %[[IDX:arg[0-9]+]] = %{{[0-9]+}}) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xi64>)
// CHECK: %[[PM:[^ ,)]+]] = "tile.reduce"(%[[X:[^ ,)]+]]) {dim = 1 : i64, keepdim = false, kind = "max"}
// CHECK-NEXT: %[[M:[^ ,)]+]] = arith.maximumf %[[MAX]], %[[PM]]
// CHECK: %[[PI:[^ ,)]+]] = "tile.reduce"(%[[X]]) {dim = 1 : i64, keepdim = false, kind = "argmax"}
// CHECK: %[[GT:[^ ,)]+]] = arith.cmpf ogt, %[[PV:[^ ,)]+]], %[[BEST]]
// CHECK: %[[KOFS:[^ ,)]+]] = arith.index_cast %[[K]] : index to i64
// CHECK: %[[GI:[^ ,)]+]] = arith.addi %[[PI]], %{{.+}} : tensor<?xi64>
// CHECK: arith.select %[[GT]], %[[PV]], %[[BEST]]
// CHECK: arith.select %[[GT]], %[[GI]], %[[IDX]]
// CHECK: "tile.store"(%{{.+}}, %{{.+}}, %[[R]]#0)
// CHECK: "tile.store"(%{{.+}}, %{{.+}}, %[[R]]#2)
func.func @stats(%arg0: index, %arg1: memref<?x?xf32, strided<[?, 1], offset: ?>>, %arg2: memref<?xf32, strided<[1], offset: ?>>, %arg3: memref<?xi64, strided<[1], offset: ?>>) attributes {tile.arg_names = ["x.size(0)", "x", "mx", "am"], tile.kernel} {
    %0 = "tile.block_size"() {hint = 8 : i64, id = 0 : i64, kind = "tile"} : () -> index
    %c1 = arith.constant 1 : index
    %dim = memref.dim %arg1, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
    %1 = "tile.block_size"(%dim) {hint = 100 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
    %c0 = arith.constant 0 : index
    %2 = "tile.make_tile"(%c0, %dim, %1) : (index, index, index) -> !tile.tile
    %c0_0 = arith.constant 0 : index
    "tile.for"(%c0_0, %arg0, %0) ({
    ^bb0(%arg4: !tile.tile):
      %3 = "tile.load"(%arg1, %arg4, %2) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %4 = "tile.reduce"(%3) {dim = 1 : i64, keepdim = false, kind = "max"} : (tensor<?x?xf32>) -> tensor<?xf32>
      "tile.store"(%arg2, %arg4, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
      %5 = "tile.reduce"(%3) {dim = 1 : i64, keepdim = false, kind = "argmax"} : (tensor<?x?xf32>) -> tensor<?xi64>
      "tile.store"(%arg3, %arg4, %5) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xi64, strided<[1], offset: ?>>, !tile.tile, tensor<?xi64>) -> ()
      "tile.yield"() : () -> ()
    }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
    return
  }

// -----

// A dot contracting over the ':' dimension accumulates chunk products in the carried accumulator.
// CHECK-LABEL: func.func @gemv
// CHECK: %[[R:[^ ,)]+]] = scf.for %{{.+}} = {{.+}} iter_args(%[[ACC:[^ ,)]+]] = %{{.+}}) -> (tensor<?x1xf32>)
// CHECK: %[[D:[^ ,)]+]] = "tile.dot"(%{{.+}}, %{{.+}}, %[[ACC]]) : (tensor<?x?xf32>, tensor<?x1xf32>, tensor<?x1xf32>) -> tensor<?x1xf32>
// CHECK-NEXT: scf.yield %[[D]]
// CHECK: "tile.reshape"(%[[R]]
func.func @gemv(%arg0: index, %arg1: memref<?x?xf32, strided<[?, 1], offset: ?>>, %arg2: memref<?x1xf32, strided<[?, 1], offset: ?>>, %arg3: memref<?x1xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["a.size(0)", "a", "v", "out"], tile.kernel} {
    %0 = "tile.block_size"() {hint = 32 : i64, id = 0 : i64, kind = "tile"} : () -> index
    %c1 = arith.constant 1 : index
    %dim = memref.dim %arg1, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
    %1 = "tile.block_size"(%dim) {hint = 100 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
    %c0 = arith.constant 0 : index
    %2 = "tile.make_tile"(%c0, %dim, %1) : (index, index, index) -> !tile.tile
    %c0_0 = arith.constant 0 : index
    %dim_1 = memref.dim %arg2, %c0_0 : memref<?x1xf32, strided<[?, 1], offset: ?>>
    %c0_2 = arith.constant 0 : index
    "tile.for"(%c0_2, %arg0, %0) ({
    ^bb0(%arg4: !tile.tile):
      %3 = "tile.load"(%arg1, %arg4, %2) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %c0_3 = arith.constant 0 : index
      %4 = "tile.load"(%arg2, %2, %c0_3) {layout = "ts", operandSegmentSizes = array<i32: 1, 1, 1>} : (memref<?x1xf32, strided<[?, 1], offset: ?>>, !tile.tile, index) -> tensor<?xf32>
      %5 = "tile.reshape"(%4, %2) : (tensor<?xf32>, !tile.tile) -> tensor<?x1xf32>
      %6 = "tile.dot"(%3, %5) : (tensor<?x?xf32>, tensor<?x1xf32>) -> tensor<?x1xf32>
      %c0_4 = arith.constant 0 : index
      %7 = "tile.reshape"(%6, %arg4) : (tensor<?x1xf32>, !tile.tile) -> tensor<?xf32>
      "tile.store"(%arg3, %arg4, %c0_4, %7) {layout = "ts", operandSegmentSizes = array<i32: 1, 1, 1, 1>} : (memref<?x1xf32, strided<[?, 1], offset: ?>>, !tile.tile, index, tensor<?xf32>) -> ()
      "tile.yield"() : () -> ()
    }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
    return
  }
