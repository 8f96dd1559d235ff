// Round trip of tile.dot: 2-D with and without an accumulator, and batched 3-D.
// RUN: tegula-opt %s | tegula-opt | filecheck %s

// CHECK-LABEL: func.func @dot
// CHECK-SAME: (%[[A:[^:]+]]: tensor<?x?xbf16>, %[[B:[^:]+]]: tensor<?x?xbf16>, %[[ACC:[^:]+]]: tensor<?x?xf32>, %[[A3:[^:]+]]: tensor<?x?x?xf32>, %[[B3:[^:]+]]: tensor<?x?x?xf32>, %[[ACC3:[^:]+]]: tensor<?x?x?xf32>)
// CHECK: "tile.dot"(%[[A]], %[[B]]) : (tensor<?x?xbf16>, tensor<?x?xbf16>) -> tensor<?x?xf32>
// CHECK: "tile.dot"(%[[A]], %[[B]], %[[ACC]]) : (tensor<?x?xbf16>, tensor<?x?xbf16>, tensor<?x?xf32>) -> tensor<?x?xf32>
// CHECK: "tile.dot"(%[[A3]], %[[B3]]) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
// CHECK: "tile.dot"(%[[A3]], %[[B3]], %[[ACC3]]) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
func.func @dot(%a: tensor<?x?xbf16>, %b: tensor<?x?xbf16>, %acc: tensor<?x?xf32>, %a3: tensor<?x?x?xf32>, %b3: tensor<?x?x?xf32>, %acc3: tensor<?x?x?xf32>) {
  %0 = "tile.dot"(%a, %b) : (tensor<?x?xbf16>, tensor<?x?xbf16>) -> tensor<?x?xf32>
  %1 = "tile.dot"(%a, %b, %acc) : (tensor<?x?xbf16>, tensor<?x?xbf16>, tensor<?x?xf32>) -> tensor<?x?xf32>
  %2 = "tile.dot"(%a3, %b3) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %3 = "tile.dot"(%a3, %b3, %acc3) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  return
}
