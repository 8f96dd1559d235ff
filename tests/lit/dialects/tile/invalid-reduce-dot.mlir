// Verifier errors of tile.reduce and tile.dot.
// RUN: tegula-opt %s --split-input-file --verify-diagnostics

func.func @reduce_dim_out_of_range(%v: tensor<?x?xf32>) {
  // expected-error@+1 {{'tile.reduce' op dim 2 out of range for tensor<?x?xf32>}}
  %0 = "tile.reduce"(%v) {dim = 2 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
  return
}

// -----

func.func @reduce_keepdim_result(%v: tensor<?x?xf32>) {
  // expected-error@+1 {{'tile.reduce' op result must be tensor<?x1xf32>, got tensor<?xf32>}}
  %0 = "tile.reduce"(%v) {dim = 1 : i64, keepdim = true, kind = "max"} : (tensor<?x?xf32>) -> tensor<?xf32>
  return
}

// -----

func.func @argmax_result_element(%v: tensor<?x?xf32>) {
  // expected-error@+1 {{'tile.reduce' op result must be tensor<?xi64>, got tensor<?xf32>}}
  %0 = "tile.reduce"(%v) {dim = 0 : i64, keepdim = false, kind = "argmax"} : (tensor<?x?xf32>) -> tensor<?xf32>
  return
}

// -----

func.func @reduce_to_scalar(%v: tensor<?xf32>) {
  // expected-error@+1 {{'tile.reduce' op result must be f32, got tensor<f32>}}
  %0 = "tile.reduce"(%v) {dim = 0 : i64, keepdim = false, kind = "sum"} : (tensor<?xf32>) -> tensor<f32>
  return
}

// -----

func.func @dot_rank_mismatch(%a: tensor<?x?xf32>, %b: tensor<?x?x?xf32>) {
  // expected-error@+1 {{'tile.dot' op operands must both be rank 2 or 3, got tensor<?x?xf32> and tensor<?x?x?xf32>}}
  %0 = "tile.dot"(%a, %b) : (tensor<?x?xf32>, tensor<?x?x?xf32>) -> tensor<?x?xf32>
  return
}

// -----

func.func @dot_rank_one(%a: tensor<?xf32>, %b: tensor<?xf32>) {
  // expected-error@+1 {{'tile.dot' op operands must both be rank 2 or 3, got tensor<?xf32> and tensor<?xf32>}}
  %0 = "tile.dot"(%a, %b) : (tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
  return
}

// -----

func.func @dot_acc_type(%a: tensor<?x?xbf16>, %b: tensor<?x?xbf16>, %acc: tensor<?x?xbf16>) {
  // expected-error@+1 {{'tile.dot' op takes at most one accumulator, of the result type}}
  %0 = "tile.dot"(%a, %b, %acc) : (tensor<?x?xbf16>, tensor<?x?xbf16>, tensor<?x?xbf16>) -> tensor<?x?xf32>
  return
}

// -----

func.func @dot_two_accs(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>, %acc: tensor<?x?xf32>) {
  // expected-error@+1 {{'tile.dot' op takes at most one accumulator, of the result type}}
  %0 = "tile.dot"(%a, %b, %acc, %acc) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return
}
