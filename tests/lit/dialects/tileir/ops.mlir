// The tileir dialect round-trips: every op parses, verifies and prints back the same; a second pass gives the
// same text. Canonicalize keeps the view loads and stores (they touch memory) and the host-side
// tileir.host_bound (it has effects), and folds nothing else away.
// RUN: tegula-opt %s | tegula-opt | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='canonicalize,cse' | filecheck %s --check-prefix=CANON

// CHECK-LABEL: func.func @vector_add
// CHECK: %[[TA:.+]] = "tileir.make_tensor_view"(%arg0) : (memref<?xf32, strided<[1], offset: ?>>) -> !tileir.tensor_view
// CHECK: %[[PA:.+]] = "tileir.make_partition_view"(%[[TA]]) {padding = "zero", tile = array<i64: 1024>} : (!tileir.tensor_view) -> !tileir.partition_view
// CHECK: %[[B:.+]] = "tileir.block_id"() {dim = 0 : i64} : () -> index
// CHECK: %[[X:.+]] = "tileir.load_view"(%[[PA]], %[[B]]) : (!tileir.partition_view, index) -> tensor<1024xf32>
// CHECK: %[[S:.+]] = arith.addf %[[X]], %{{.+}} : tensor<1024xf32>
// CHECK: "tileir.store_view"(%{{.+}}, %[[B]], %[[S]]) : (!tileir.partition_view, index, tensor<1024xf32>) -> ()
// CANON-LABEL: func.func @vector_add
// CANON-COUNT-2: "tileir.load_view"
// CANON: "tileir.store_view"
func.func @vector_add(%a: memref<?xf32, strided<[1], offset: ?>>, %b: memref<?xf32, strided<[1], offset: ?>>,
                      %c: memref<?xf32, strided<[1], offset: ?>>) attributes {tileir.kernel} {
  %ta = "tileir.make_tensor_view"(%a) : (memref<?xf32, strided<[1], offset: ?>>) -> !tileir.tensor_view
  %pa = "tileir.make_partition_view"(%ta) {tile = array<i64: 1024>, padding = "zero"} : (!tileir.tensor_view) -> !tileir.partition_view
  %tb = "tileir.make_tensor_view"(%b) : (memref<?xf32, strided<[1], offset: ?>>) -> !tileir.tensor_view
  %pb = "tileir.make_partition_view"(%tb) {tile = array<i64: 1024>, padding = "zero"} : (!tileir.tensor_view) -> !tileir.partition_view
  %tc = "tileir.make_tensor_view"(%c) : (memref<?xf32, strided<[1], offset: ?>>) -> !tileir.tensor_view
  %pc = "tileir.make_partition_view"(%tc) {tile = array<i64: 1024>, padding = "none"} : (!tileir.tensor_view) -> !tileir.partition_view
  %i = "tileir.block_id"() {dim = 0 : i64} : () -> index
  %x = "tileir.load_view"(%pa, %i) : (!tileir.partition_view, index) -> tensor<1024xf32>
  %y = "tileir.load_view"(%pb, %i) : (!tileir.partition_view, index) -> tensor<1024xf32>
  %s = arith.addf %x, %y : tensor<1024xf32>
  "tileir.store_view"(%pc, %i, %s) : (!tileir.partition_view, index, tensor<1024xf32>) -> ()
  return
}

// CHECK-LABEL: func.func @row_softmax
// CHECK: "tileir.make_partition_view"(%{{.+}}) {padding = "neg_inf", tile = array<i64: 1, 4096>}
// CHECK: "tileir.reduce"(%{{.+}}) {dim = 1 : i64, kind = "max"} : (tensor<1x4096xf32>) -> tensor<1xf32>
// CHECK: "tileir.reshape"(%{{.+}}) : (tensor<1xf32>) -> tensor<1x1xf32>
// CHECK: "tileir.broadcast"(%{{.+}}) : (tensor<1x1xf32>) -> tensor<1x4096xf32>
// CHECK: math.exp
// CHECK: "tileir.reduce"(%{{.+}}) {dim = 1 : i64, kind = "sum"}
// CHECK: "tileir.num_blocks"() {dim = 0 : i64} : () -> index
func.func @row_softmax(%x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tileir.kernel} {
  %tx = "tileir.make_tensor_view"(%x) : (memref<?x?xf32, strided<[?, 1], offset: ?>>) -> !tileir.tensor_view
  %px = "tileir.make_partition_view"(%tx) {tile = array<i64: 1, 4096>, padding = "neg_inf"} : (!tileir.tensor_view) -> !tileir.partition_view
  %to = "tileir.make_tensor_view"(%out) : (memref<?x?xf32, strided<[?, 1], offset: ?>>) -> !tileir.tensor_view
  %po = "tileir.make_partition_view"(%to) {tile = array<i64: 1, 4096>, padding = "none"} : (!tileir.tensor_view) -> !tileir.partition_view
  %c0 = arith.constant 0 : index
  %row = "tileir.block_id"() {dim = 0 : i64} : () -> index
  %v = "tileir.load_view"(%px, %row, %c0) : (!tileir.partition_view, index, index) -> tensor<1x4096xf32>
  %m = "tileir.reduce"(%v) {dim = 1 : i64, kind = "max"} : (tensor<1x4096xf32>) -> tensor<1xf32>
  %m2 = "tileir.reshape"(%m) : (tensor<1xf32>) -> tensor<1x1xf32>
  %mb = "tileir.broadcast"(%m2) : (tensor<1x1xf32>) -> tensor<1x4096xf32>
  %d = arith.subf %v, %mb : tensor<1x4096xf32>
  %e = math.exp %d : tensor<1x4096xf32>
  %s = "tileir.reduce"(%e) {dim = 1 : i64, kind = "sum"} : (tensor<1x4096xf32>) -> tensor<1xf32>
  %s2 = "tileir.reshape"(%s) : (tensor<1xf32>) -> tensor<1x1xf32>
  %sb = "tileir.broadcast"(%s2) : (tensor<1x1xf32>) -> tensor<1x4096xf32>
  %r = arith.divf %e, %sb : tensor<1x4096xf32>
  %grid = "tileir.num_blocks"() {dim = 0 : i64} : () -> index
  "tileir.store_view"(%po, %row, %c0, %r) : (!tileir.partition_view, index, index, tensor<1x4096xf32>) -> ()
  return
}

// CHECK-LABEL: func.func @gemm
// CHECK: "tileir.full"(%{{.+}}) : (f32) -> tensor<128x256xf32>
// CHECK: scf.for
// CHECK: "tileir.mma"(%{{.+}}, %{{.+}}, %{{.+}}) : (tensor<128x64xbf16>, tensor<64x256xbf16>, tensor<128x256xf32>) -> tensor<128x256xf32>
// CHECK: "tileir.permute"(%{{.+}}) {perm = array<i64: 1, 0>} : (tensor<128x256xf32>) -> tensor<256x128xf32>
// CHECK: "tileir.iota"() : () -> tensor<128xi32>
// CHECK: "tileir.scan"(%{{.+}}) {dim = 0 : i64, kind = "sum", reverse = false} : (tensor<128xi32>) -> tensor<128xi32>
// CHECK: "tileir.reduce"(%{{.+}}) {dim = 0 : i64, kind = "argmax"} : (tensor<128xi32>) -> i32
func.func @gemm(%a: memref<?x?xbf16, strided<[?, 1], offset: ?>>, %b: memref<?x?xbf16, strided<[?, 1], offset: ?>>,
                %k: index) attributes {tileir.kernel} {
  %ta = "tileir.make_tensor_view"(%a) : (memref<?x?xbf16, strided<[?, 1], offset: ?>>) -> !tileir.tensor_view
  %pa = "tileir.make_partition_view"(%ta) {tile = array<i64: 128, 64>, padding = "zero"} : (!tileir.tensor_view) -> !tileir.partition_view
  %tb = "tileir.make_tensor_view"(%b) : (memref<?x?xbf16, strided<[?, 1], offset: ?>>) -> !tileir.tensor_view
  %pb = "tileir.make_partition_view"(%tb) {tile = array<i64: 64, 256>, padding = "zero"} : (!tileir.tensor_view) -> !tileir.partition_view
  %zero = arith.constant 0.0 : f32
  %acc0 = "tileir.full"(%zero) : (f32) -> tensor<128x256xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = "tileir.block_id"() {dim = 0 : i64} : () -> index
  %n = "tileir.block_id"() {dim = 1 : i64} : () -> index
  %acc = scf.for %i = %c0 to %k step %c1 iter_args(%acc1 = %acc0) -> (tensor<128x256xf32>) {
    %x = "tileir.load_view"(%pa, %m, %i) : (!tileir.partition_view, index, index) -> tensor<128x64xbf16>
    %y = "tileir.load_view"(%pb, %i, %n) : (!tileir.partition_view, index, index) -> tensor<64x256xbf16>
    %r = "tileir.mma"(%x, %y, %acc1) : (tensor<128x64xbf16>, tensor<64x256xbf16>, tensor<128x256xf32>) -> tensor<128x256xf32>
    scf.yield %r : tensor<128x256xf32>
  }
  %t = "tileir.permute"(%acc) {perm = array<i64: 1, 0>} : (tensor<128x256xf32>) -> tensor<256x128xf32>
  %io = "tileir.iota"() : () -> tensor<128xi32>
  %cs = "tileir.scan"(%io) {dim = 0 : i64, kind = "sum", reverse = false} : (tensor<128xi32>) -> tensor<128xi32>
  %am = "tileir.reduce"(%cs) {dim = 0 : i64, kind = "argmax"} : (tensor<128xi32>) -> i32
  return
}

// CHECK-LABEL: func.func @host_bound
// CHECK: "tileir.host_bound"(%c0, %arg0) {block = 64 : i64} : (index, index) -> ()
// CANON-LABEL: func.func @host_bound
// CANON: "tileir.host_bound"(%c0, %arg0) {block = 64 : i64} : (index, index) -> ()
func.func @host_bound(%m: index) {
  %c0 = arith.constant 0 : index
  "tileir.host_bound"(%c0, %m) {block = 64 : i64} : (index, index) -> ()
  return
}
