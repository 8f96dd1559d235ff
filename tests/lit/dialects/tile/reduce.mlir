// Round trip of tile.reduce: every kind, keepdim, and reductions to a scalar.
// RUN: tegula-opt %s | tegula-opt | filecheck %s

// CHECK-LABEL: func.func @reduce
// CHECK-SAME: (%[[V:[^:]+]]: tensor<?x?xf32>, %[[W:[^:]+]]: tensor<?xi32>)
// CHECK: "tile.reduce"(%[[V]]) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
// CHECK: "tile.reduce"(%[[V]]) {dim = 0 : i64, keepdim = false, kind = "prod"} : (tensor<?x?xf32>) -> tensor<?xf32>
// CHECK: "tile.reduce"(%[[V]]) {dim = 1 : i64, keepdim = true, kind = "max"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
// CHECK: "tile.reduce"(%[[V]]) {dim = 0 : i64, keepdim = true, kind = "min"} : (tensor<?x?xf32>) -> tensor<1x?xf32>
// argmax/argmin return i64 positions, whatever the element type.
// CHECK: "tile.reduce"(%[[V]]) {dim = 1 : i64, keepdim = false, kind = "argmax"} : (tensor<?x?xf32>) -> tensor<?xi64>
// CHECK: "tile.reduce"(%[[V]]) {dim = 1 : i64, keepdim = true, kind = "argmin"} : (tensor<?x?xf32>) -> tensor<?x1xi64>
// Rank 1 to rank 0: a scalar.
// CHECK: "tile.reduce"(%[[W]]) {dim = 0 : i64, keepdim = false, kind = "sum"} : (tensor<?xi32>) -> i32
// CHECK: "tile.reduce"(%[[W]]) {dim = 0 : i64, keepdim = false, kind = "argmax"} : (tensor<?xi32>) -> i64
// CHECK: "tile.reduce"(%[[W]]) {dim = 0 : i64, keepdim = true, kind = "max"} : (tensor<?xi32>) -> tensor<1xi32>
func.func @reduce(%v: tensor<?x?xf32>, %w: tensor<?xi32>) {
  %0 = "tile.reduce"(%v) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
  %1 = "tile.reduce"(%v) {dim = 0 : i64, keepdim = false, kind = "prod"} : (tensor<?x?xf32>) -> tensor<?xf32>
  %2 = "tile.reduce"(%v) {dim = 1 : i64, keepdim = true, kind = "max"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
  %3 = "tile.reduce"(%v) {dim = 0 : i64, keepdim = true, kind = "min"} : (tensor<?x?xf32>) -> tensor<1x?xf32>
  %4 = "tile.reduce"(%v) {dim = 1 : i64, keepdim = false, kind = "argmax"} : (tensor<?x?xf32>) -> tensor<?xi64>
  %5 = "tile.reduce"(%v) {dim = 1 : i64, keepdim = true, kind = "argmin"} : (tensor<?x?xf32>) -> tensor<?x1xi64>
  %6 = "tile.reduce"(%w) {dim = 0 : i64, keepdim = false, kind = "sum"} : (tensor<?xi32>) -> i32
  %7 = "tile.reduce"(%w) {dim = 0 : i64, keepdim = false, kind = "argmax"} : (tensor<?xi32>) -> i64
  %8 = "tile.reduce"(%w) {dim = 0 : i64, keepdim = true, kind = "max"} : (tensor<?xi32>) -> tensor<1xi32>
  return
}
