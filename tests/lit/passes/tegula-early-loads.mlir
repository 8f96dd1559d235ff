// tegula-early-loads{early-loads=true}: each tile.load moves up its block, past ops that neither define its
// operands nor store, and never past another load. Off (the default), nothing moves.
// RUN: tegula-opt %s --pass-pipeline='tegula-early-loads{early-loads=true}' | filecheck %s
// RUN: tegula-opt %s --pass-pipeline='tegula-early-loads' | filecheck %s --check-prefix=OFF

// Layer norm: the weight and bias rows (operands from outside the launch) rise above both reductions, to just
// below the row's load.
// CHECK-LABEL: func.func @layer_norm
// CHECK: "tile.launch"
// CHECK-NEXT: "tile.program_id"
// CHECK-NEXT: %[[T:.+]] = "tile.make_tile"
// CHECK-NEXT: %[[X:.+]] = "tile.load"(%arg1, %[[T]], %{{[^)]+}})
// CHECK-NEXT: %[[W:.+]] = "tile.load"(%arg3,
// CHECK-NEXT: %[[B:.+]] = "tile.load"(%arg4,
// CHECK-NEXT: "tile.reduce"(%[[X]])
// CHECK: "tile.reduce"
// CHECK-NOT: "tile.load"
// CHECK: "tile.store"(%arg5

// A store holds the load below it: v stays under the first store, but rises above the reduction after it.
// CHECK-LABEL: func.func @scale_twice
// CHECK: %[[X:.+]] = "tile.load"(%arg1,
// CHECK-NEXT: "tile.load"(%arg2,
// CHECK: "tile.store"(%arg3,
// CHECK-NEXT: "tile.load"(%arg4,
// CHECK-NEXT: "tile.reduce"(%[[X]])
// CHECK: "tile.store"(%arg3,

// Loads inside a loop stay below the chunk's handle that they read; the output loop stores, so nothing leaves it.
// CHECK-LABEL: func.func @softmax_two_loops
// CHECK: scf.for
// CHECK-NEXT: %[[C:.+]] = "tile.make_tile"
// CHECK-NEXT: "tile.load"(%arg1, %{{[^,]+}}, %[[C]])
// CHECK: scf.for
// CHECK-NEXT: %[[C2:.+]] = "tile.make_tile"
// CHECK-NEXT: "tile.load"(%arg1, %{{[^,]+}}, %[[C2]])

// A loop that stores nothing is passed: the bias load rises above the rolled sum's loop, and above the
// accumulator's tile.full, to just below the row handle it reads.
// CHECK-LABEL: func.func @row_sum_bias
// CHECK: %[[R:.+]] = "tile.make_tile"
// CHECK-NEXT: %[[BIAS:.+]] = "tile.load"(%arg2, %[[R]])
// CHECK-NEXT: "tile.full"
// CHECK-NEXT: %[[S:.+]] = scf.for
// CHECK: arith.addf %[[S]], %[[BIAS]]

// OFF-LABEL: func.func @layer_norm
// OFF: "tile.load"(%arg1,
// OFF-NEXT: "tile.reduce"
// OFF-LABEL: func.func @row_sum_bias
// OFF: scf.for
// OFF: "tile.load"(%arg2,

module {
  func.func @layer_norm(%arg0: index, %arg1: memref<?x?xf32, strided<[?, 1], offset: ?>>, %arg2: f32, %arg3: memref<?xf32, strided<[1], offset: ?>>, %arg4: memref<?xf32, strided<[1], offset: ?>>, %arg5: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["m", "x", "eps", "weight", "bias", "out"], tile.kernel} {
    %c8192 = arith.constant 8192 : index
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %dim = memref.dim %arg1, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
    %0 = "tile.make_tile"(%c0, %dim, %c8192) : (index, index, index) -> !tile.tile
    %1 = arith.maxsi %arg0, %c0 : index
    "tile.launch"(%1) ({
      %2 = "tile.program_id"() : () -> index
      %3 = "tile.make_tile"(%2, %arg0, %c1) : (index, index, index) -> !tile.tile
      %4 = "tile.load"(%arg1, %3, %0) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %5 = "tile.reduce"(%4) {dim = 1 : i64, keepdim = true, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
      %6 = "tile.end"(%0) : (!tile.tile) -> index
      %7 = "tile.begin"(%0) : (!tile.tile) -> index
      %8 = arith.subi %6, %7 : index
      %9 = arith.index_cast %8 : index to i64
      %10 = arith.sitofp %9 : i64 to f32
      %11 = "tile.full"(%10, %3) : (f32, !tile.tile) -> tensor<?x1xf32>
      %12 = arith.divf %5, %11 : tensor<?x1xf32>
      %13 = "tile.broadcast"(%12, %3, %0) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %14 = arith.subf %4, %13 : tensor<?x?xf32>
      %15 = arith.mulf %14, %14 : tensor<?x?xf32>
      %16 = "tile.reduce"(%15) {dim = 1 : i64, keepdim = true, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
      %17 = arith.divf %16, %11 : tensor<?x1xf32>
      %18 = "tile.full"(%arg2, %3) : (f32, !tile.tile) -> tensor<?x1xf32>
      %19 = arith.addf %17, %18 : tensor<?x1xf32>
      %20 = math.rsqrt %19 : tensor<?x1xf32>
      %21 = "tile.broadcast"(%20, %3, %0) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %22 = arith.mulf %14, %21 : tensor<?x?xf32>
      %23 = "tile.load"(%arg3, %0) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
      %24 = "tile.reshape"(%23, %0) : (tensor<?xf32>, !tile.tile) -> tensor<1x?xf32>
      %25 = "tile.broadcast"(%24, %3, %0) : (tensor<1x?xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %26 = arith.mulf %22, %25 : tensor<?x?xf32>
      %27 = "tile.load"(%arg4, %0) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
      %28 = "tile.reshape"(%27, %0) : (tensor<?xf32>, !tile.tile) -> tensor<1x?xf32>
      %29 = "tile.broadcast"(%28, %3, %0) : (tensor<1x?xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %30 = arith.addf %26, %29 : tensor<?x?xf32>
      "tile.store"(%arg5, %3, %0, %30) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
      "tile.yield"() : () -> ()
    }) : (index) -> ()
    return
  }

  func.func @scale_twice(%arg0: index, %arg1: memref<?x?xf32, strided<[?, 1], offset: ?>>, %arg2: memref<?xf32, strided<[1], offset: ?>>, %arg3: memref<?x?xf32, strided<[?, 1], offset: ?>>, %arg4: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["m", "x", "w", "out", "v"], tile.kernel} {
    %c128 = arith.constant 128 : index
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c8 = arith.constant 8 : index
    %dim = memref.dim %arg1, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
    %0 = "tile.make_tile"(%c0, %dim, %c128) : (index, index, index) -> !tile.tile
    %1 = arith.maxsi %arg0, %c0 : index
    %2 = arith.ceildivsi %1, %c8 : index
    "tile.launch"(%2) ({
      %3 = "tile.program_id"() : () -> index
      %4 = arith.muli %3, %c8 : index
      %5 = "tile.make_tile"(%4, %arg0, %c8) : (index, index, index) -> !tile.tile
      %6 = "tile.load"(%arg1, %5, %0) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %7 = "tile.load"(%arg2, %0) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
      %8 = "tile.reshape"(%7, %0) : (tensor<?xf32>, !tile.tile) -> tensor<1x?xf32>
      %9 = "tile.broadcast"(%8, %5, %0) : (tensor<1x?xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %10 = arith.mulf %6, %9 : tensor<?x?xf32>
      "tile.store"(%arg3, %5, %0, %10) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
      %11 = "tile.reduce"(%6) {dim = 1 : i64, keepdim = true, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
      %12 = "tile.broadcast"(%11, %5, %0) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %13 = arith.mulf %6, %12 : tensor<?x?xf32>
      %14 = "tile.load"(%arg4, %0) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
      %15 = "tile.reshape"(%14, %0) : (tensor<?xf32>, !tile.tile) -> tensor<1x?xf32>
      %16 = "tile.broadcast"(%15, %5, %0) : (tensor<1x?xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
      %17 = arith.addf %13, %16 : tensor<?x?xf32>
      "tile.store"(%arg3, %5, %0, %17) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
      "tile.yield"() : () -> ()
    }) : (index) -> ()
    return
  }

  func.func @softmax_two_loops(%arg0: index, %arg1: memref<?x?xf32, strided<[?, 1], offset: ?>>, %arg2: memref<?xf32, strided<[1], offset: ?>> {tile.scratch}, %arg3: memref<?xf32, strided<[1], offset: ?>> {tile.scratch}, %arg4: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "row_max", "row_sum", "out"], tile.kernel} {
    %c1024 = arith.constant 1024 : index
    %cst = arith.constant 0.000000e+00 : f32
    %cst_0 = arith.constant 0xFF800000 : f32
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %dim = memref.dim %arg1, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
    %0 = arith.maxsi %arg0, %c0 : index
    "tile.launch"(%0) ({
      %1 = "tile.program_id"() : () -> index
      %2 = "tile.make_tile"(%1, %arg0, %c1) : (index, index, index) -> !tile.tile
      %3 = "tile.full"(%cst_0, %2) : (f32, !tile.tile) -> tensor<?xf32>
      %4 = "tile.full"(%cst, %2) : (f32, !tile.tile) -> tensor<?xf32>
      %5:2 = scf.for %arg5 = %c0 to %dim step %c1024 iter_args(%arg6 = %3, %arg7 = %4) -> (tensor<?xf32>, tensor<?xf32>) {
        %8 = "tile.make_tile"(%arg5, %dim, %c1024) : (index, index, index) -> !tile.tile
        %9 = "tile.load"(%arg1, %2, %8) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
        %10 = "tile.reduce"(%9) {dim = 1 : i64, keepdim = false, kind = "max"} : (tensor<?x?xf32>) -> tensor<?xf32>
        %11 = arith.maximumf %arg6, %10 : tensor<?xf32>
        %12 = arith.cmpf oeq, %11, %3 : tensor<?xf32>
        %13 = arith.select %12, %4, %11 : tensor<?xi1>, tensor<?xf32>
        %14 = "tile.reshape"(%13, %2) : (tensor<?xf32>, !tile.tile) -> tensor<?x1xf32>
        %15 = "tile.broadcast"(%14, %2, %8) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
        %16 = arith.subf %9, %15 : tensor<?x?xf32>
        %17 = math.exp %16 : tensor<?x?xf32>
        %18 = "tile.reduce"(%17) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
        %19 = arith.subf %arg6, %13 : tensor<?xf32>
        %20 = math.exp %19 : tensor<?xf32>
        %21 = arith.mulf %arg7, %20 : tensor<?xf32>
        %22 = arith.addf %21, %18 : tensor<?xf32>
        scf.yield %11, %22 : tensor<?xf32>, tensor<?xf32>
      }
      %6 = "tile.reshape"(%5#0, %2) : (tensor<?xf32>, !tile.tile) -> tensor<?x1xf32>
      %7 = "tile.reshape"(%5#1, %2) : (tensor<?xf32>, !tile.tile) -> tensor<?x1xf32>
      scf.for %arg5 = %c0 to %dim step %c1024 {
        %8 = "tile.make_tile"(%arg5, %dim, %c1024) : (index, index, index) -> !tile.tile
        %9 = "tile.load"(%arg1, %2, %8) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
        %10 = "tile.broadcast"(%6, %2, %8) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
        %11 = arith.subf %9, %10 : tensor<?x?xf32>
        %12 = math.exp %11 : tensor<?x?xf32>
        %13 = "tile.broadcast"(%7, %2, %8) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
        %14 = arith.divf %12, %13 : tensor<?x?xf32>
        "tile.store"(%arg4, %2, %8, %14) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
      }
      "tile.yield"() : () -> ()
    }) : (index) -> ()
    return
  }

  func.func @row_sum_bias(%arg0: index, %arg1: memref<?x?xf32, strided<[?, 1], offset: ?>>, %arg2: memref<?xf32, strided<[1], offset: ?>>, %arg3: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.arg_names = ["m", "x", "b", "out"], tile.kernel} {
    %c32 = arith.constant 32 : index
    %cst = arith.constant 0.000000e+00 : f32
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c8 = arith.constant 8 : index
    %dim = memref.dim %arg1, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
    %0 = arith.maxsi %arg0, %c0 : index
    %1 = arith.ceildivsi %0, %c8 : index
    "tile.launch"(%1) ({
      %2 = "tile.program_id"() : () -> index
      %3 = arith.muli %2, %c8 : index
      %4 = "tile.make_tile"(%3, %arg0, %c8) : (index, index, index) -> !tile.tile
      %5 = "tile.full"(%cst, %4) : (f32, !tile.tile) -> tensor<?xf32>
      %6 = scf.for %arg4 = %c0 to %dim step %c32 iter_args(%arg5 = %5) -> (tensor<?xf32>) {
        %9 = "tile.make_tile"(%arg4, %dim, %c32) : (index, index, index) -> !tile.tile
        %10 = "tile.load"(%arg1, %4, %9) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
        %11 = "tile.reduce"(%10) {dim = 1 : i64, keepdim = false, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?xf32>
        %12 = arith.addf %arg5, %11 : tensor<?xf32>
        scf.yield %12 : tensor<?xf32>
      }
      %7 = "tile.load"(%arg2, %4) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
      %8 = arith.addf %6, %7 : tensor<?xf32>
      "tile.store"(%arg3, %4, %8) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
      "tile.yield"() : () -> ()
    }) : (index) -> ()
    return
  }
}
