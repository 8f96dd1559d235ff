// tegula-promote{stages=S}: S > 0 sets `tile.stages = S` on exactly the scf.for whose body promotes a
// tile (the innermost k loop of a dot; not an outer loop, not a loop that promotes nothing); stages=0 sets none.
// RUN: tegula-opt %s --pass-pipeline='tegula-promote{stages=3}' | filecheck %s --check-prefix=S3
// RUN: tegula-opt %s --pass-pipeline='tegula-promote{stages=0}' | filecheck %s --check-prefix=S0

// S3-LABEL: func.func @mm
// S3: scf.for
// S3: "tile.local"
// S3: "tile.local"
// S3: "tile.dot"
// S3-NEXT: scf.yield
// S3-NEXT: } {tile.stages = 3 : i64}
// A loop that promotes nothing (a row sum over k) is not staged:
// S3-LABEL: func.func @row_sum
// S3: scf.for
// S3-NOT: "tile.local"
// S3: scf.yield
// S3-NEXT: {{^ *}}}{{$}}
// Only the innermost loop, whose body holds the promoted loads, is staged; the outer loop is not:
// S3-LABEL: func.func @nested
// S3: scf.for
// S3: scf.for
// S3: "tile.local"
// S3: "tile.local"
// S3: "tile.dot"
// S3-NEXT: scf.yield
// S3-NEXT: } {tile.stages = 3 : i64}
// S3-NEXT: scf.yield
// S3-NEXT: {{^ *}}}{{$}}

// S0-LABEL: func.func @mm
// S0: "tile.local"
// S0: "tile.local"
// S0-NOT: tile.stages
// S0-LABEL: func.func @row_sum
// S0-NOT: tile.stages
// S0-LABEL: func.func @nested
// S0: "tile.local"
// S0: "tile.local"
// S0-NOT: tile.stages
// S0: return
func.func @mm(%m: index, %n: index, %k: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
  %bm = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %bn = "tile.block_size"() {hint = 1000 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %bk = "tile.block_size"() {hint = 1000 : i64, id = 2 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  "tile.for"(%c0, %c0, %m, %n, %bm, %bn) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %init = "tile.full"(%zero, %tm, %tn) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %acc = scf.for %kk = %c0 to %k step %bk iter_args(%c = %init) -> (tensor<?x?xf32>) {
      %tk = "tile.make_tile"(%kk, %k, %bk) : (index, index, index) -> !tile.tile
      %lhs = "tile.load"(%x, %tm, %tk) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %rhs = "tile.load"(%y, %tk, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %d = "tile.dot"(%lhs, %rhs, %c) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
      scf.yield %d : tensor<?x?xf32>
    }
    "tile.store"(%out, %tm, %tn, %acc) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}

func.func @row_sum(%n: index, %k: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.kernel} {
  %bs = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %bk = "tile.block_size"() {hint = 1000 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile):
    %init = "tile.full"(%zero, %t) : (f32, !tile.tile) -> tensor<?xf32>
    %r = scf.for %i = %c0 to %k step %bk iter_args(%acc = %init) -> (tensor<?xf32>) {
      %tk = "tile.make_tile"(%i, %k, %bk) : (index, index, index) -> !tile.tile
      %v = "tile.load"(%x, %t, %tk) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %s = "tile.reduce"(%v) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
      %next = arith.addf %acc, %s : tensor<?xf32>
      scf.yield %next : tensor<?xf32>
    }
    "tile.store"(%out, %t, %r) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}

func.func @nested(%m: index, %n: index, %k: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %y: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.kernel} {
  %bm = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %bn = "tile.block_size"() {hint = 1000 : i64, id = 1 : i64, kind = "tile"} : () -> index
  %bk = "tile.block_size"() {hint = 1000 : i64, id = 2 : i64, kind = "tile"} : () -> index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %zero = arith.constant 0.0 : f32
  "tile.for"(%c0, %c0, %m, %n, %bm, %bn) ({
  ^bb0(%tm: !tile.tile, %tn: !tile.tile):
    %init = "tile.full"(%zero, %tm, %tn) : (f32, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %twice = scf.for %o = %c0 to %c2 step %c1 iter_args(%outer = %init) -> (tensor<?x?xf32>) {
      %acc = scf.for %kk = %c0 to %k step %bk iter_args(%c = %outer) -> (tensor<?x?xf32>) {
        %tk = "tile.make_tile"(%kk, %k, %bk) : (index, index, index) -> !tile.tile
        %lhs = "tile.load"(%x, %tm, %tk) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
        %rhs = "tile.load"(%y, %tk, %tn) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
        %d = "tile.dot"(%lhs, %rhs, %c) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
        scf.yield %d : tensor<?x?xf32>
      }
      scf.yield %acc : tensor<?x?xf32>
    }
    "tile.store"(%out, %tm, %tn, %twice) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 2, 2, 2>} : (index, index, index, index, index, index) -> ()
  return
}
