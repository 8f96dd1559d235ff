// tegula-tile rejects bad options with a located error and exit code 1, no traceback.
// RUN: not tegula-opt %s --pass-pipeline='tegula-tile{reductions=nearest}' 2>&1 | filecheck %s --check-prefix=REDUCTIONS
// RUN: not tegula-opt %s --pass-pipeline='tegula-tile{block-size=16}' 2>&1 | filecheck %s --check-prefix=OPTION
// RUN: not tegula-opt %s --pass-pipeline='tegula-tile{default-block-size=big}' 2>&1 | filecheck %s --check-prefix=VALUE
// RUN: not tegula-opt %s --pass-pipeline='tegula-tile{loop-orders=2}' 2>&1 | filecheck %s --check-prefix=ORDER
// RUN: not tegula-opt %s --pass-pipeline='tegula-tile{persistent=always}' 2>&1 | filecheck %s --check-prefix=PERSISTENT
// RUN: not tegula-opt %s --pass-pipeline='tegula-tile{l2-groupings=3}' 2>&1 | filecheck %s --check-prefix=GROUP

// REDUCTIONS: {{.*}}tegula-tile-errors.mlir: error: tegula-tile: reductions must be 'exact' or 'pow2', got 'nearest'
// REDUCTIONS-NOT: Traceback
// OPTION: {{.*}}tegula-tile-errors.mlir: error: pass 'tegula-tile' has no option 'block-size' (options: block-sizes, default-block-size, l2-groupings, loop-orders, persistent, programs, reductions, unroll-factors)
// OPTION-NOT: Traceback
// VALUE: {{.*}}tegula-tile-errors.mlir: error: pass 'tegula-tile': bad value 'big' for option 'default-block-size'
// VALUE-NOT: Traceback
// ORDER: {{.*}}tegula-tile-errors.mlir: error: tegula-tile: loop-orders[0] = 2, but loop 0 has 1 dimension(s): 1 order(s), 0 to 0
// ORDER-NOT: Traceback
// PERSISTENT: error: pass 'tegula-tile': option 'persistent': persistent must be one of 'none', 'blocked', 'interleaved', got 'always'
// GROUP: error: pass 'tegula-tile': option 'l2-groupings': l2_groupings[0]: l2_grouping must be a power of two, got 3

func.func @k(%n: index) attributes {tile.kernel} {
  %bs = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile):
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
