// tegula-fuse: when the second 2-D loop uses a block-size symbol that the first uses for another dimension, renaming
// it would change the first loop: the loops stay two, untouched (this used to crash or rewrite the first's steps).
// RUN: tegula-opt %s --split-input-file --pass-pipeline='tegula-fuse' | filecheck %s

// CHECK-LABEL: func.func @swap_12
// CHECK: "tile.for"(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %[[S0:[^ ,)]+]], %[[S1:[^ ,)]+]])
// CHECK: "tile.store"(%arg2,
// CHECK: "tile.for"(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{[0-9]+}}, %{{[0-9]+}})
// CHECK: "tile.load"(%arg2,

func.func @swap_12(%m: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %tmp: memref<?x?xf32, strided<[?, 1], offset: ?>> {tile.scratch}, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["m", "x", "tmp", "out"], tile.kernel} {
  %cst = arith.constant 1.000000e+00 : f32
  %c0 = arith.constant 0 : index
  %0 = "tile.block_size"() {hint = 10 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 20 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %2 = "tile.block_size"() {hint = 20 : i64, id = 2 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %c0, %m, %m, %0, %1) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%x, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    "tile.store"(%tmp, %tm, %tn, %4) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  "tile.for"(%c0, %c0, %m, %m, %1, %2) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%tmp, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %5 = "tile.full"(%cst, %tm, %tn) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %6 = arith.addf %4, %5 : tensor<?x?xf32>
    "tile.store"(%out, %tm, %tn, %6) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}
// -----
// CHECK-LABEL: func.func @swap_10
// CHECK: "tile.for"(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %[[S0:[^ ,)]+]], %[[S1:[^ ,)]+]])
// CHECK: "tile.store"(%arg2,
// CHECK: "tile.for"(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{[0-9]+}}, %{{[0-9]+}})
// CHECK: "tile.load"(%arg2,

func.func @swap_10(%m: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %tmp: memref<?x?xf32, strided<[?, 1], offset: ?>> {tile.scratch}, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["m", "x", "tmp", "out"], tile.kernel} {
  %cst = arith.constant 1.000000e+00 : f32
  %c0 = arith.constant 0 : index
  %0 = "tile.block_size"() {hint = 10 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 20 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %2 = "tile.block_size"() {hint = 20 : i64, id = 2 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %c0, %m, %m, %0, %1) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%x, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    "tile.store"(%tmp, %tm, %tn, %4) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  "tile.for"(%c0, %c0, %m, %m, %1, %0) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%tmp, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %5 = "tile.full"(%cst, %tm, %tn) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %6 = arith.addf %4, %5 : tensor<?x?xf32>
    "tile.store"(%out, %tm, %tn, %6) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}
// -----
// CHECK-LABEL: func.func @swap_22
// CHECK: "tile.for"(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %[[S0:[^ ,)]+]], %[[S1:[^ ,)]+]])
// CHECK: "tile.store"(%arg2,
// CHECK: "tile.for"(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{[0-9]+}}, %{{[0-9]+}})
// CHECK: "tile.load"(%arg2,

func.func @swap_22(%m: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %tmp: memref<?x?xf32, strided<[?, 1], offset: ?>> {tile.scratch}, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["m", "x", "tmp", "out"], tile.kernel} {
  %cst = arith.constant 1.000000e+00 : f32
  %c0 = arith.constant 0 : index
  %0 = "tile.block_size"() {hint = 10 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %1 = "tile.block_size"() {hint = 20 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %2 = "tile.block_size"() {hint = 20 : i64, id = 2 : i64, kind = "tile"} : () -> index
  "tile.for"(%c0, %c0, %m, %m, %0, %1) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%x, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    "tile.store"(%tmp, %tm, %tn, %4) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  "tile.for"(%c0, %c0, %m, %m, %2, %2) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %4 = "tile.load"(%tmp, %tm, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %5 = "tile.full"(%cst, %tm, %tn) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %6 = arith.addf %4, %5 : tensor<?x?xf32>
    "tile.store"(%out, %tm, %tn, %6) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}
