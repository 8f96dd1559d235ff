// Verifier errors of tile.load and tile.store: layouts, index groups, value types.
// RUN: tegula-opt %s --split-input-file --verify-diagnostics

func.func @layout_too_long(%x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %t: !tile.tile) {
  // expected-error@+1 {{'tile.load' op layout 'tts' must have one 't' (tile) or 's' (scalar) per memref dimension (2)}}
  %v = "tile.load"(%x, %t, %t) {layout = "tts", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
  return
}

// -----

func.func @layout_bad_letter(%x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %t: !tile.tile) {
  // expected-error@+1 {{'tile.store' op layout 'tx' must have one 't' (tile) or 's' (scalar) per memref dimension (2)}}
  "tile.store"(%x, %t, %t, %t) {layout = "tx", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, !tile.tile) -> ()
  return
}

// -----

func.func @layout_count_mismatch(%x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %t: !tile.tile) {
  // expected-error@+1 {{'tile.load' op layout 'ts' needs 1 tile and 1 scalar indices, got 2 and 0}}
  %v = "tile.load"(%x, %t, %t) {layout = "ts", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?xf32>
  return
}

// -----

func.func @load_result_rank(%x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %t: !tile.tile, %u: !tile.tile) {
  // expected-error@+1 {{'tile.load' op result must have one dynamic dimension per tile index (2), got tensor<?x1xf32>}}
  %v = "tile.load"(%x, %t, %u) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x1xf32>
  return
}

// -----

func.func @load_result_element(%x: memref<?xf32, strided<[1], offset: ?>>, %t: !tile.tile) {
  // expected-error@+1 {{'tile.load' op result element type f16 differs from the memref's f32}}
  %v = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf16>
  return
}

// -----

func.func @load_scalar_as_tensor(%x: memref<?xf32, strided<[1], offset: ?>>, %i: index) {
  // expected-error@+1 {{'tile.load' op result must be the scalar f32 when every index is scalar, got tensor<1xf32>}}
  %v = "tile.load"(%x, %i) {layout = "s", operandSegmentSizes = array<i32: 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, index) -> tensor<1xf32>
  return
}

// -----

func.func @store_wrong_element(%x: memref<?x?xbf16, strided<[?, 1], offset: ?>>, %t: !tile.tile, %i: index, %v: tensor<?xf32>) {
  // expected-error@+1 {{'tile.store' op stored value element type f32 differs from the memref's bf16}}
  "tile.store"(%x, %t, %i, %v) {layout = "ts", operandSegmentSizes = array<i32: 1, 1, 1, 1>} : (memref<?x?xbf16, strided<[?, 1], offset: ?>>, !tile.tile, index, tensor<?xf32>) -> ()
  return
}

// -----

func.func @store_scalar_wrong_type(%x: memref<?xi32, strided<[1], offset: ?>>, %i: index, %v: i64) {
  // expected-error@+1 {{'tile.store' op stored value must be the scalar i32 when every index is scalar, got i64}}
  "tile.store"(%x, %i, %v) {layout = "s", operandSegmentSizes = array<i32: 1, 0, 1, 1>} : (memref<?xi32, strided<[1], offset: ?>>, index, i64) -> ()
  return
}
