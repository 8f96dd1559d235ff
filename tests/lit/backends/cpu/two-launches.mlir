// CPU lowering of a kernel with two launches: each gets its own grid and
// launch functions, numbered in program order, each with the whole prologue.
// RUN: tegula-opt %s --emit=cpu-linalg | filecheck %s

// CHECK-LABEL: func.func @copy_twice_grid0
// CHECK-SAME: -> index attributes {llvm.emit_c_interface}
// CHECK: "arith.ceildivsi"(%{{[a-z0-9]+}}, %[[B0:[a-z0-9]+]])
// CHECK-LABEL: func.func @copy_twice_launch0
// CHECK-SAME: (%{{[a-z0-9]+}}: index, %[[X:[a-z0-9]+]]: memref<{{.*}}>, %[[Y:[a-z0-9]+]]: memref<{{.*}}>, %[[Z:[a-z0-9]+]]: memref<{{.*}}>, %tid: index, %nthreads: index) attributes {llvm.emit_c_interface}
// CHECK: %[[VX:[a-z0-9]+]] = memref.subview %[[X]]
// CHECK: %[[VY:[a-z0-9]+]] = memref.subview %[[Y]]
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[VX]] : {{.*}}) outs(%[[VY]] : {{.*}})
// CHECK-NOT: %[[Z]]
// CHECK-LABEL: func.func @copy_twice_grid1
// CHECK-SAME: -> index attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @copy_twice_launch1
// CHECK-SAME: (%{{[a-z0-9]+}}: index, %[[X:[a-z0-9]+]]: memref<{{.*}}>, %[[Y:[a-z0-9]+]]: memref<{{.*}}>, %[[Z:[a-z0-9]+]]: memref<{{.*}}>, %tid: index, %nthreads: index) attributes {llvm.emit_c_interface}
// CHECK: %[[VY:[a-z0-9]+]] = memref.subview %[[Y]]
// CHECK: %[[VZ:[a-z0-9]+]] = memref.subview %[[Z]]
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[VY]] : {{.*}}) outs(%[[VZ]] : {{.*}})
// CHECK-NOT: func.func
func.func @copy_twice(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %y: memref<?xf32, strided<[1], offset: ?>>, %z: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.kernel} {
  %c64 = arith.constant 64 : index
  %np = arith.ceildivsi %n, %c64 : index
  "tile.launch"(%np) ({
    %pid = "tile.program_id"() : () -> index
    %b = arith.muli %pid, %c64 : index
    %t = "tile.make_tile"(%b, %n, %c64) : (index, index, index) -> !tile.tile
    %v = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    "tile.store"(%y, %t, %v) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  "tile.launch"(%np) ({
    %pid = "tile.program_id"() : () -> index
    %b = arith.muli %pid, %c64 : index
    %t = "tile.make_tile"(%b, %n, %c64) : (index, index, index) -> !tile.tile
    %v = "tile.load"(%y, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    "tile.store"(%z, %t, %v) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}
