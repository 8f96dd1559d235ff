// Verifier errors of tile.index, tile.full, tile.broadcast, tile.reshape and tile.permute.
// RUN: tegula-opt %s --split-input-file --verify-diagnostics

func.func @index_not_integer(%t: !tile.tile) {
  // expected-error@+1 {{'tile.index' op result must be tensor<?xiN>}}
  %0 = "tile.index"(%t) : (!tile.tile) -> tensor<?xf32>
  return
}

// -----

func.func @full_wrong_fill_type(%t: !tile.tile, %f: f64) {
  // expected-error@+1 {{'tile.full' op fill value f64 differs from the element type of tensor<?xf32>}}
  %0 = "tile.full"(%f, %t) : (f64, !tile.tile) -> tensor<?xf32>
  return
}

// -----

func.func @full_missing_handle(%t: !tile.tile, %f: f32) {
  // expected-error@+1 {{'tile.full' op needs one tile handle per dynamic dimension of tensor<?x?xf32>, got 1}}
  %0 = "tile.full"(%f, %t) : (f32, !tile.tile) -> tensor<?x?xf32>
  return
}

// -----

func.func @full_static_dim(%t: !tile.tile, %f: f32) {
  // expected-error@+1 {{'tile.full' op static dimensions must be 1, got tensor<?x4xf32>}}
  %0 = "tile.full"(%f, %t) : (f32, !tile.tile) -> tensor<?x4xf32>
  return
}

// -----

func.func @broadcast_dynamic_to_one(%t: !tile.tile, %v: tensor<?x?xf32>) {
  // expected-error@+1 {{'tile.broadcast' op cannot broadcast dynamic dimension 1 of tensor<?x?xf32> to 1}}
  %0 = "tile.broadcast"(%v, %t) : (tensor<?x?xf32>, !tile.tile) -> tensor<?x1xf32>
  return
}

// -----

func.func @broadcast_rank_change(%t: !tile.tile, %v: tensor<1xf32>) {
  // expected-error@+1 {{'tile.broadcast' op cannot broadcast tensor<1xf32> to tensor<?x?xf32>: rank or element type differs}}
  %0 = "tile.broadcast"(%v, %t, %t) : (tensor<1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
  return
}

// -----

func.func @reshape_changes_dynamic_dims(%t: !tile.tile, %v: tensor<?x?xf32>) {
  // expected-error@+1 {{'tile.reshape' op cannot reshape tensor<?x?xf32> to tensor<?x1xf32>: only unit dimensions may change}}
  %0 = "tile.reshape"(%v, %t) : (tensor<?x?xf32>, !tile.tile) -> tensor<?x1xf32>
  return
}

// -----

func.func @reshape_dynamic_to_scalar(%v: tensor<?xf32>) {
  // expected-error@+1 {{'tile.reshape' op can only reshape a tensor of unit dimensions to a scalar, not tensor<?xf32> to f32}}
  %0 = "tile.reshape"(%v) : (tensor<?xf32>) -> f32
  return
}

// -----

func.func @permute_not_a_permutation(%v: tensor<?x1xf32>) {
  // expected-error@+1 {{'tile.permute' op perm [0, 0] is not a permutation of 2 dimensions}}
  %0 = "tile.permute"(%v) {perm = array<i64: 0, 0>} : (tensor<?x1xf32>) -> tensor<?x1xf32>
  return
}

// -----

func.func @permute_wrong_result(%v: tensor<?x1xf32>) {
  // expected-error@+1 {{'tile.permute' op result tensor<?x1xf32> does not match the permuted source tensor<?x1xf32>}}
  %0 = "tile.permute"(%v) {perm = array<i64: 1, 0>} : (tensor<?x1xf32>) -> tensor<?x1xf32>
  return
}
