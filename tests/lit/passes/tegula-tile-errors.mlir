// tegula-tile rejects bad options with a located error and exit code 1, no traceback.
// RUN: not tegula-opt %s --pass-pipeline='tegula-tile{reductions=nearest}' 2>&1 | filecheck %s --check-prefix=REDUCTIONS
// RUN: not tegula-opt %s --pass-pipeline='tegula-tile{block-size=16}' 2>&1 | filecheck %s --check-prefix=OPTION
// RUN: not tegula-opt %s --pass-pipeline='tegula-tile{default-block-size=big}' 2>&1 | filecheck %s --check-prefix=VALUE

// REDUCTIONS: {{.*}}tegula-tile-errors.mlir:0:0: error: pass failed: tegula-tile: reductions must be 'exact' or 'pow2', got 'nearest'
// REDUCTIONS-NOT: Traceback
// OPTION: {{.*}}tegula-tile-errors.mlir: error: pass 'tegula-tile' has no option 'block-size' (options: block-sizes, default-block-size, reductions)
// OPTION-NOT: Traceback
// VALUE: {{.*}}tegula-tile-errors.mlir: error: pass 'tegula-tile': bad value 'big' for option 'default-block-size'
// VALUE-NOT: Traceback

func.func @k(%n: index) attributes {tile.kernel} {
  %bs = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile):
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
