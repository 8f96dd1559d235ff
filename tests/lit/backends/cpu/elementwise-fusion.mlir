// CPU lowering: an elementwise chain (loads, a splat, mulf/addf/sqrt) fuses
// into ONE linalg.generic that reads the inputs and writes the output in
// place through memref.subview: no scratch buffer, no copy.
// RUN: tegula-opt %s --emit=cpu-linalg | filecheck %s

// CHECK-LABEL: func.func @ew_launch0
// CHECK-SAME: (%[[N:[a-z0-9]+]]: index, %[[X:[a-z0-9]+]]: memref<?xf32, strided<[1], offset: ?>>, %[[Y:[a-z0-9]+]]: memref<?xf32, strided<[1], offset: ?>>, %[[OUT:[a-z0-9]+]]: memref<?xf32, strided<[1], offset: ?>>, %tid: index, %nthreads: index)
// CHECK-DAG: %[[BS:[a-z0-9]+]] = "arith.constant"() {value = 64 : index}
// CHECK-DAG: %[[TWO:[a-z0-9]+]] = "arith.constant"() {value = 2.000000e+00 : f32}
// CHECK-NOT: memref.alloc
// CHECK: scf.for %pid =
// CHECK: %[[B:[a-z0-9]+]] = "arith.muli"(%pid, %[[BS]])
// CHECK: %[[REM:[a-z0-9]+]] = arith.subi %[[N]], %[[B]] : index
// CHECK: %[[MIN:[a-z0-9]+]] = arith.minsi %[[BS]], %[[REM]] : index
// CHECK: %[[EXT:[a-z0-9]+]] = arith.maxsi %[[MIN]], %{{[a-z0-9]+}} : index
// CHECK: %[[VX:[a-z0-9]+]] = memref.subview %[[X]][%[[B]]] [%[[EXT]]] [1]
// CHECK: %[[VY:[a-z0-9]+]] = memref.subview %[[Y]][%[[B]]] [%[[EXT]]] [1]
// CHECK: %[[VO:[a-z0-9]+]] = memref.subview %[[OUT]][%[[B]]] [%[[EXT]]] [1]
// CHECK-NEXT: linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%[[VX]], %[[VY]] : {{.*}}) outs(%[[VO]] : memref<?xf32, strided<[1], offset: ?>>) {
// CHECK-NEXT: ^bb0(%[[IX:[a-z0-9_]+]]: f32, %[[IY:[a-z0-9_]+]]: f32, %{{[a-z0-9_]+}}: f32):
// CHECK-NEXT: %[[M:[a-z0-9]+]] = "arith.mulf"(%[[IX]], %[[TWO]])
// CHECK-NEXT: %[[S:[a-z0-9]+]] = "arith.addf"(%[[M]], %[[IY]])
// CHECK-NEXT: %[[R:[a-z0-9]+]] = "math.sqrt"(%[[S]])
// CHECK-NEXT: linalg.yield %[[R]] : f32
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @ew(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %y: memref<?xf32, strided<[1], offset: ?>>, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.kernel} {
  %c64 = arith.constant 64 : index
  %c0 = arith.constant 0 : index
  %cst = arith.constant 2.0 : f32
  %0 = arith.maxsi %n, %c0 : index
  %np = arith.ceildivsi %0, %c64 : index
  "tile.launch"(%np) ({
    %pid = "tile.program_id"() : () -> index
    %b = arith.muli %pid, %c64 : index
    %t = "tile.make_tile"(%b, %n, %c64) : (index, index, index) -> !tile.tile
    %a = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %c = "tile.load"(%y, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %two = "tile.full"(%cst, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %m = arith.mulf %a, %two : tensor<?xf32>
    %s = arith.addf %m, %c : tensor<?xf32>
    %r = math.sqrt %s : tensor<?xf32>
    "tile.store"(%out, %t, %r) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}
