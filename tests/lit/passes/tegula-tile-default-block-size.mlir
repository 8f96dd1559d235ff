// tegula-tile falls back to default-block-size, capped by the next power of
// two of the symbol's hint, for ids that block-sizes leaves out or marks 'none'.
// RUN: tegula-opt %s --split-input-file --pass-pipeline='tegula-tile' | filecheck %s --check-prefix=DEFAULT
// RUN: tegula-opt %s --split-input-file --pass-pipeline='tegula-tile{block-sizes=none,8 default-block-size=128}' | filecheck %s --check-prefix=MIXED

// Hint 20: the default 64 is capped to 32; with default 128 too.
// DEFAULT-LABEL: func.func @small_hint
// DEFAULT: %[[C:.+]] = arith.constant 32 : index
// DEFAULT: arith.ceildivsi %{{.+}}, %[[C]] : index
// MIXED-LABEL: func.func @small_hint
// MIXED: %[[C:.+]] = arith.constant 32 : index
// MIXED: arith.ceildivsi %{{.+}}, %[[C]] : index
func.func @small_hint(%n: index) attributes {tile.kernel} {
  %bs = "tile.block_size"() {hint = 20 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile):
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}

// -----

// A large hint does not cap; a hint of 0 (unknown) neither. Symbol 1 takes
// its explicit size 8 in MIXED.
// DEFAULT-LABEL: func.func @two_symbols
// DEFAULT-DAG: %[[C64A:.+]] = arith.constant 64 : index
// DEFAULT-DAG: %[[C64B:.+]] = arith.constant 64 : index
// DEFAULT: "tile.launch"
// DEFAULT: "tile.make_tile"(%{{.+}}, %{{.+}}, %[[C64A]])
// DEFAULT: "tile.make_tile"(%{{.+}}, %{{.+}}, %[[C64B]])
// MIXED-LABEL: func.func @two_symbols
// MIXED-DAG: %[[C128:.+]] = arith.constant 128 : index
// MIXED-DAG: %[[C8:.+]] = arith.constant 8 : index
// MIXED: "tile.launch"
// MIXED: "tile.make_tile"(%{{.+}}, %{{.+}}, %[[C128]])
// MIXED: "tile.make_tile"(%{{.+}}, %{{.+}}, %[[C8]])
func.func @two_symbols(%m: index, %n: index) attributes {tile.kernel} {
  %b0 = "tile.block_size"() {hint = 5000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %b1 = "tile.block_size"() {hint = 0 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  "tile.for"(%c0, %c0, %m, %n, %b0, %b1) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}
