// Verifier errors of the tileir dialect.
// RUN: tegula-opt %s --split-input-file --verify-diagnostics

func.func @tensor_view_of_a_tensor(%t: tensor<4xf32>) {
  // expected-error@+1 {{'tileir.make_tensor_view' op source must be a memref, got tensor<4xf32>}}
  %v = "tileir.make_tensor_view"(%t) : (tensor<4xf32>) -> !tileir.tensor_view
  return
}

// -----

func.func @tile_rank(%a: memref<?x?xf32>) {
  %v = "tileir.make_tensor_view"(%a) : (memref<?x?xf32>) -> !tileir.tensor_view
  // expected-error@+1 {{tile [64] needs 2 sizes for a rank-2 tensor}}
  %p = "tileir.make_partition_view"(%v) {tile = array<i64: 64>, padding = "zero"} : (!tileir.tensor_view) -> !tileir.partition_view
  return
}

// -----

func.func @tile_not_pow2(%a: memref<?xf32>) {
  %v = "tileir.make_tensor_view"(%a) : (memref<?xf32>) -> !tileir.tensor_view
  // expected-error@+1 {{tile sizes must be powers of two, got [100]}}
  %p = "tileir.make_partition_view"(%v) {tile = array<i64: 100>, padding = "zero"} : (!tileir.tensor_view) -> !tileir.partition_view
  return
}

// -----

func.func @bad_padding(%a: memref<?xf32>) {
  %v = "tileir.make_tensor_view"(%a) : (memref<?xf32>) -> !tileir.tensor_view
  // expected-error@+1 {{padding must be one of}}
  %p = "tileir.make_partition_view"(%v) {tile = array<i64: 64>, padding = "one"} : (!tileir.tensor_view) -> !tileir.partition_view
  return
}

// -----

func.func @missing_tile(%a: memref<?xf32>) {
  %v = "tileir.make_tensor_view"(%a) : (memref<?xf32>) -> !tileir.tensor_view
  // expected-error@+1 {{requires attribute 'tile'}}
  %p = "tileir.make_partition_view"(%v) {padding = "zero"} : (!tileir.tensor_view) -> !tileir.partition_view
  return
}

// -----

func.func @load_index_count(%a: memref<?x?xf32>, %i: index) {
  %v = "tileir.make_tensor_view"(%a) : (memref<?x?xf32>) -> !tileir.tensor_view
  %p = "tileir.make_partition_view"(%v) {tile = array<i64: 16, 16>, padding = "zero"} : (!tileir.tensor_view) -> !tileir.partition_view
  // expected-error@+1 {{needs 2 tile indices for a rank-2 view, got 1}}
  %x = "tileir.load_view"(%p, %i) : (!tileir.partition_view, index) -> tensor<16x16xf32>
  return
}

// -----

func.func @load_shape(%a: memref<?xf32>, %i: index) {
  %v = "tileir.make_tensor_view"(%a) : (memref<?xf32>) -> !tileir.tensor_view
  %p = "tileir.make_partition_view"(%v) {tile = array<i64: 64>, padding = "zero"} : (!tileir.tensor_view) -> !tileir.partition_view
  // expected-error@+1 {{tile tensor<128xf32> differs from the view's tile shape [64]}}
  %x = "tileir.load_view"(%p, %i) : (!tileir.partition_view, index) -> tensor<128xf32>
  return
}

// -----

func.func @load_dynamic(%a: memref<?xf32>, %i: index) {
  %v = "tileir.make_tensor_view"(%a) : (memref<?xf32>) -> !tileir.tensor_view
  %p = "tileir.make_partition_view"(%v) {tile = array<i64: 64>, padding = "zero"} : (!tileir.tensor_view) -> !tileir.partition_view
  // expected-error@+1 {{must have static power-of-two dimensions}}
  %x = "tileir.load_view"(%p, %i) : (!tileir.partition_view, index) -> tensor<?xf32>
  return
}

// -----

func.func @store_element_type(%a: memref<?xf32>, %i: index, %t: tensor<64xf16>) {
  %v = "tileir.make_tensor_view"(%a) : (memref<?xf32>) -> !tileir.tensor_view
  %p = "tileir.make_partition_view"(%v) {tile = array<i64: 64>, padding = "none"} : (!tileir.tensor_view) -> !tileir.partition_view
  // expected-error@+1 {{tile element type f16 differs from the tensor's f32}}
  "tileir.store_view"(%p, %i, %t) : (!tileir.partition_view, index, tensor<64xf16>) -> ()
  return
}

// -----

func.func @block_id_dim() {
  // expected-error@+1 {{dim must be 0, 1 or 2, got 3}}
  %b = "tileir.block_id"() {dim = 3 : i64} : () -> index
  return
}

// -----

func.func @full_type(%x: f32) {
  // expected-error@+1 {{value f32 differs from the element type of}}
  %t = "tileir.full"(%x) : (f32) -> tensor<8xf16>
  return
}

// -----

func.func @iota_float() {
  // expected-error@+1 {{result must be a 1-D integer tile}}
  %t = "tileir.iota"() : () -> tensor<8xf32>
  return
}

// -----

func.func @broadcast_shape(%t: tensor<2x8xf32>) {
  // expected-error@+1 {{cannot broadcast}}
  %b = "tileir.broadcast"(%t) : (tensor<2x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @reshape_count(%t: tensor<2x8xf32>) {
  // expected-error@+1 {{element count or type differs}}
  %b = "tileir.reshape"(%t) : (tensor<2x8xf32>) -> tensor<32xf32>
  return
}

// -----

func.func @permute_perm(%t: tensor<2x8xf32>) {
  // expected-error@+1 {{perm [0, 0] is not a permutation of 2 dimensions}}
  %b = "tileir.permute"(%t) {perm = array<i64: 0, 0>} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @reduce_result(%t: tensor<4x8xf32>) {
  // expected-error@+1 {{result must be tensor<4xf32>, got tensor<4x1xf32>}}
  %r = "tileir.reduce"(%t) {dim = 1 : i64, kind = "sum"} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return
}

// -----

func.func @reduce_kind(%t: tensor<8xf32>) {
  // expected-error@+1 {{kind must be one of}}
  %r = "tileir.reduce"(%t) {dim = 0 : i64, kind = "mean"} : (tensor<8xf32>) -> f32
  return
}

// -----

func.func @scan_dim(%t: tensor<8xf32>) {
  // expected-error@+1 {{dim 1 out of range}}
  %r = "tileir.scan"(%t) {dim = 1 : i64, kind = "sum", reverse = false} : (tensor<8xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @mma_shapes(%a: tensor<16x32xbf16>, %b: tensor<16x32xbf16>, %c: tensor<16x32xf32>) {
  // expected-error@+1 {{shapes do not multiply}}
  %r = "tileir.mma"(%a, %b, %c) : (tensor<16x32xbf16>, tensor<16x32xbf16>, tensor<16x32xf32>) -> tensor<16x32xf32>
  return
}

// -----

func.func @mma_result(%a: tensor<16x32xbf16>, %b: tensor<32x16xbf16>, %c: tensor<16x16xf32>) {
  // expected-error@+1 {{result must be the accumulator's type}}
  %r = "tileir.mma"(%a, %b, %c) : (tensor<16x32xbf16>, tensor<32x16xbf16>, tensor<16x16xf32>) -> tensor<16x16xf16>
  return
}

// -----

func.func @host_bound_in_launch(%n: index, %m: index) {
  %c0 = arith.constant 0 : index
  "tile.launch"(%n) ({
    // expected-error@+1 {{is a host-side check: it must be outside tile.launch}}
    "tileir.host_bound"(%c0, %m) {block = 64 : i64} : (index, index) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}

// -----

func.func @host_bound_block(%m: index) {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{block must be positive}}
  "tileir.host_bound"(%c0, %m) {block = 0 : i64} : (index, index) -> ()
  return
}
