// Verifier errors of the tile dialect's symbols, loops, launches and terminators.
// RUN: tegula-opt %s --split-input-file --verify-diagnostics

func.func @reduction_without_extent() {
  // expected-error@+1 {{'tile.block_size' op of kind 'reduction' takes 1 extent operand(s)}}
  %0 = "tile.block_size"() {hint = 128 : i64, id = 0 : i64, kind = "reduction"} : () -> index
  return
}

// -----

func.func @tile_with_extent(%n: index) {
  // expected-error@+1 {{'tile.block_size' op of kind 'tile' takes 0 extent operand(s)}}
  %0 = "tile.block_size"(%n) {hint = 128 : i64, id = 0 : i64, kind = "tile"} : (index) -> index
  return
}

// -----

func.func @bad_block_size_kind() {
  // expected-error@+1 {{'tile.block_size' op kind must be one of ('tile', 'reduction'), got 'grid'}}
  %0 = "tile.block_size"() {hint = 128 : i64, id = 0 : i64, kind = "grid"} : () -> index
  return
}

// -----

func.func @for_mismatched_bounds(%m: index, %n: index, %bs: index) attributes {tile.kernel} {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'tile.for' op needs as many lower bounds, upper bounds and block sizes, at least one}}
  "tile.for"(%c0, %c0, %m, %n, %bs) ({
  ^bb0(%t: !tile.tile, %u: !tile.tile):
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 1>} : (index, index, index, index, index) -> ()
  return
}

// -----

func.func @for_wrong_handle_count(%n: index, %bs: index) attributes {tile.kernel} {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'tile.for' op body must take 1 !tile.tile handle(s)}}
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile, %u: !tile.tile):
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}

// -----

func.func @for_index_argument(%n: index, %bs: index) attributes {tile.kernel} {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'tile.for' op body must take 1 !tile.tile handle(s)}}
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%i: index):
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}

// -----

func.func @for_nested_in_for(%n: index, %bs: index) attributes {tile.kernel} {
  %c0 = arith.constant 0 : index
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile):
    // expected-error@+1 {{'tile.for' op must be at the top level of a kernel function (nested loops are scf.for)}}
    "tile.for"(%c0, %n, %bs) ({
    ^bb0(%u: !tile.tile):
      "tile.yield"() : () -> ()
    }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}

// -----

func.func @launch_in_launch(%n: index) attributes {tile.kernel} {
  "tile.launch"(%n) ({
    // expected-error@+1 {{'tile.launch' op must be at the top level of a kernel function}}
    "tile.launch"(%n) ({
      "tile.yield"() : () -> ()
    }) : (index) -> ()
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}

// -----

func.func @launch_with_arguments(%n: index) attributes {tile.kernel} {
  // expected-error@+1 {{'tile.launch' op body must be one block without arguments}}
  "tile.launch"(%n) ({
  ^bb0(%t: !tile.tile):
    "tile.yield"() : () -> ()
  }) : (index) -> ()
  return
}

// -----

func.func @yield_outside_loop(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    // expected-error@+1 {{'tile.yield' op must terminate a tile.for or tile.launch body}}
    "tile.yield"() : () -> ()
  }
  return
}
