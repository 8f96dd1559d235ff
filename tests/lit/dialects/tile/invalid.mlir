// Verifier errors of the tile dialect.
// RUN: tegula-opt %s --split-input-file --verify-diagnostics

func.func @program_id_outside_launch() {
  // expected-error@+1 {{'tile.program_id' op must be inside a tile.launch}}
  %0 = "tile.program_id"() : () -> index
  return
}

// -----

func.func @bad_reduce_kind(%t: tensor<?x?xf32>) {
  // expected-error@+1 {{kind must be one of}}
  %0 = "tile.reduce"(%t) {dim = 1 : i64, keepdim = false, kind = "mean"} : (tensor<?x?xf32>) -> tensor<?xf32>
  return
}
