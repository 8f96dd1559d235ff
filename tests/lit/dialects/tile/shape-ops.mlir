// Round trip of the ops that make and reshape tiles: full, broadcast, reshape, permute.
// RUN: tegula-opt %s --split-input-file | tegula-opt --split-input-file | filecheck %s

// CHECK-LABEL: func.func @full
// CHECK-SAME: (%[[TM:[^:]+]]: !tile.tile, %[[TN:[^:]+]]: !tile.tile, %[[F:[^:]+]]: f32, %[[I:[^:]+]]: i1)
// CHECK: "tile.full"(%[[F]], %[[TM]], %[[TN]]) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
// CHECK: "tile.full"(%[[I]], %[[TN]]) : (i1, !tile.tile) -> tensor<1x?xi1>
// CHECK: "tile.full"(%[[F]]) : (f32) -> tensor<1x1xf32>
func.func @full(%tm: !tile.tile, %tn: !tile.tile, %f: f32, %i: i1) {
  %a = "tile.full"(%f, %tm, %tn) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
  %b = "tile.full"(%i, %tn) : (i1, !tile.tile) -> tensor<1x?xi1>
  %c = "tile.full"(%f) : (f32) -> tensor<1x1xf32>
  return
}

// -----

// CHECK-LABEL: func.func @broadcast
// CHECK-SAME: (%[[TM:[^:]+]]: !tile.tile, %[[TN:[^:]+]]: !tile.tile, %[[ROW:[^:]+]]: tensor<?x1xf32>, %[[COL:[^:]+]]: tensor<1x?xbf16>)
// CHECK: "tile.broadcast"(%[[ROW]], %[[TM]], %[[TN]]) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
// CHECK: "tile.broadcast"(%[[COL]], %[[TM]], %[[TN]]) : (tensor<1x?xbf16>, !tile.tile, !tile.tile) -> tensor<?x?xbf16>
// CHECK: "tile.broadcast"(%[[ROW]], %[[TM]]) : (tensor<?x1xf32>, !tile.tile) -> tensor<?x1xf32>
func.func @broadcast(%tm: !tile.tile, %tn: !tile.tile, %row: tensor<?x1xf32>, %col: tensor<1x?xbf16>) {
  %a = "tile.broadcast"(%row, %tm, %tn) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
  %b = "tile.broadcast"(%col, %tm, %tn) : (tensor<1x?xbf16>, !tile.tile, !tile.tile) -> tensor<?x?xbf16>
  %c = "tile.broadcast"(%row, %tm) : (tensor<?x1xf32>, !tile.tile) -> tensor<?x1xf32>
  return
}

// -----

// Reshape inserts or removes unit dimensions, and turns an all-unit tile into a scalar.
// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[T:[^:]+]]: !tile.tile, %[[V:[^:]+]]: tensor<?xf32>, %[[ONE:[^:]+]]: tensor<1x1xi64>)
// CHECK: %[[A:.+]] = "tile.reshape"(%[[V]], %[[T]]) : (tensor<?xf32>, !tile.tile) -> tensor<?x1xf32>
// CHECK: "tile.reshape"(%[[A]], %[[T]]) : (tensor<?x1xf32>, !tile.tile) -> tensor<1x?x1xf32>
// CHECK: "tile.reshape"(%[[A]], %[[T]]) : (tensor<?x1xf32>, !tile.tile) -> tensor<?xf32>
// CHECK: "tile.reshape"(%[[ONE]]) : (tensor<1x1xi64>) -> i64
func.func @reshape(%t: !tile.tile, %v: tensor<?xf32>, %one: tensor<1x1xi64>) {
  %a = "tile.reshape"(%v, %t) : (tensor<?xf32>, !tile.tile) -> tensor<?x1xf32>
  %b = "tile.reshape"(%a, %t) : (tensor<?x1xf32>, !tile.tile) -> tensor<1x?x1xf32>
  %c = "tile.reshape"(%a, %t) : (tensor<?x1xf32>, !tile.tile) -> tensor<?xf32>
  %d = "tile.reshape"(%one) : (tensor<1x1xi64>) -> i64
  return
}

// -----

// CHECK-LABEL: func.func @permute
// CHECK-SAME: (%[[A:[^:]+]]: tensor<?x1xf32>, %[[B:[^:]+]]: tensor<?x?x1xf16>)
// CHECK: "tile.permute"(%[[A]]) {perm = array<i64: 1, 0>} : (tensor<?x1xf32>) -> tensor<1x?xf32>
// CHECK: "tile.permute"(%[[B]]) {perm = array<i64: 2, 0, 1>} : (tensor<?x?x1xf16>) -> tensor<1x?x?xf16>
// CHECK: "tile.permute"(%[[B]]) {perm = array<i64: 0, 1, 2>} : (tensor<?x?x1xf16>) -> tensor<?x?x1xf16>
func.func @permute(%a: tensor<?x1xf32>, %b: tensor<?x?x1xf16>) {
  %0 = "tile.permute"(%a) {perm = array<i64: 1, 0>} : (tensor<?x1xf32>) -> tensor<1x?xf32>
  %1 = "tile.permute"(%b) {perm = array<i64: 2, 0, 1>} : (tensor<?x?x1xf16>) -> tensor<1x?x?xf16>
  %2 = "tile.permute"(%b) {perm = array<i64: 0, 1, 2>} : (tensor<?x?x1xf16>) -> tensor<?x?x1xf16>
  return
}
