// CPU lowering: each launch becomes @<name>_grid<i> (the number of programs)
// and @<name>_launch<i> (programs [np*tid/nthreads, np*(tid+1)/nthreads) of
// one thread), both with llvm.emit_c_interface and the kernel's arguments.
// RUN: tegula-opt %s --emit=cpu-linalg | filecheck %s

// CHECK: module {
// CHECK-LABEL: func.func @scale_grid0
// CHECK-SAME: (%[[N:a0]]: index, %a1: memref<?xf32, strided<[1], offset: ?>>, %a2: f32) -> index attributes {llvm.emit_c_interface} {
// CHECK-DAG: %[[BS:[a-z0-9]+]] = "arith.constant"() {value = 128 : index}
// CHECK-DAG: %[[ZERO:[a-z0-9]+]] = "arith.constant"() {value = 0 : index}
// CHECK: %[[P:[a-z0-9]+]] = "arith.maxsi"(%[[N]], %[[ZERO]])
// CHECK: %[[NP:[a-z0-9]+]] = "arith.ceildivsi"(%[[P]], %[[BS]])
// CHECK-NEXT: return %[[NP]] : index
// CHECK-NEXT: }

// CHECK-LABEL: func.func @scale_launch0
// CHECK-SAME: (%[[N:a0]]: index, %[[X:a1]]: memref<?xf32, strided<[1], offset: ?>>, %[[S:a2]]: f32, %tid: index, %nthreads: index) attributes {llvm.emit_c_interface} {
// The prologue (everything outside the launch) is recomputed here.
// CHECK: %[[NP:[a-z0-9]+]] = "arith.ceildivsi"
// CHECK: %[[LO:[a-z0-9]+]] = arith.muli %[[NP]], %tid : index
// CHECK: %[[FIRST:[a-z0-9]+]] = arith.divsi %[[LO]], %nthreads : index
// CHECK: %[[T1:[a-z0-9]+]] = arith.addi %tid, %{{[a-z0-9]+}} : index
// CHECK: %[[HI:[a-z0-9]+]] = arith.muli %[[NP]], %[[T1]] : index
// CHECK: %[[LAST:[a-z0-9]+]] = arith.divsi %[[HI]], %nthreads : index
// CHECK: scf.for %pid = %[[FIRST]] to %[[LAST]] step %{{[a-z0-9]+}} {
// CHECK: linalg.generic
// CHECK: "arith.mulf"(%{{[a-z0-9_]+}}, %[[S]])
// CHECK: return
// CHECK-NOT: func.func
func.func @scale(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>, %s: f32) attributes {tile.kernel} {
  %c128 = arith.constant 128 : index
  %c0 = arith.constant 0 : index
  %0 = arith.maxsi %n, %c0 : index
  %np = arith.ceildivsi %0, %c128 : index
  "tile.launch"(%np) ({
    %pid = "tile.program_id"() : () -> index
    %b = arith.muli %pid, %c128 : index
    %t = "tile.make_tile"(%b, %n, %c128) : (index, index, index) -> !tile.tile
    %v = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %f = "tile.full"(%s, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %r = arith.mulf %v, %f : tensor<?xf32>
    "tile.store"(%x, %t, %r) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}
