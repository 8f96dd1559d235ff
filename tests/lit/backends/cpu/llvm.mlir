// --emit=cpu-llvm: the linalg output parses, and upstream conversions turn it
// into the LLVM dialect: llvm.func for the grid and launch functions plus the
// _mlir_ciface_ wrappers that llvm.emit_c_interface asks for; no linalg left.
// (vector_bits 0: no prefer-vector-width, whatever the host; tests/lit/backends/cpu/vector-width.py has it)
// RUN: tegula-opt %s --emit=cpu-llvm --config '{"vector_bits": 0}' | filecheck %s

// CHECK-LABEL: llvm.func @neg_grid0(
// CHECK-SAME: -> i64 attributes {llvm.emit_c_interface}
// CHECK-LABEL: llvm.func @_mlir_ciface_neg_grid0(
// CHECK-SAME: -> i64 attributes {llvm.emit_c_interface}
// CHECK: llvm.call @neg_grid0(
// CHECK-LABEL: llvm.func @neg_launch0(
// CHECK: llvm.fneg %{{.+}} : f32
// CHECK-LABEL: llvm.func @_mlir_ciface_neg_launch0(
// CHECK: llvm.call @neg_launch0(
// CHECK-NOT: linalg.
// CHECK-NOT: func.func
func.func @neg(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.kernel} {
  %c64 = arith.constant 64 : index
  %np = arith.ceildivsi %n, %c64 : index
  "tile.launch"(%np) ({
    %pid = "tile.program_id"() : () -> index
    %b = arith.muli %pid, %c64 : index
    %t = "tile.make_tile"(%b, %n, %c64) : (index, index, index) -> !tile.tile
    %v = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
    %r = arith.negf %v : tensor<?xf32>
    "tile.store"(%x, %t, %r) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}
