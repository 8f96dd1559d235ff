// tegula-to-tileir: launch bodies become tileir ops. Loads and stores go through one tensor view per argument
// and a partition view per tile shape, at tile index begin / block (the block id split by the launch's own
// index arithmetic); tiles get static power-of-two shapes. A reduction over a ':' handle that may be ragged
// first sets the lanes past the bound to its neutral element (-inf for max, 0 for sum), then reshapes back to
// keepdim. tile.end becomes min(begin + block, bound) (here min(extent, 1024) once canonicalized). Sequential loops
// stay scf.for with their carried tiles' static types; a tile starting at the loop counter is at index
// counter / block; tile.dot is tileir.mma (a zero accumulator when it has none), tile.local is its value and
// tile.permute tileir.permute. A fixed index is a unit tile dimension, reshaped away. A host handle (the
// head_dim of attention) keeps its bound check as tileir.host_bound before the launch. What Tile IR cannot express
// is an error naming the op and the line (a block that is not a constant power of two).
// RUN: tegula-opt %examples/add.py --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-tile{block-sizes=16,64 reductions=pow2},canonicalize,cse,tegula-to-tileir,canonicalize,cse' | filecheck %s --check-prefix=ADD
// RUN: tegula-opt %examples/softmax.py --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-tile{block-sizes=4 reductions=pow2},canonicalize,cse,tegula-to-tileir,canonicalize,cse' | filecheck %s --check-prefix=SOFTMAX
// RUN: tegula-opt %examples/layer_norm.py --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-tile{block-sizes=2 reductions=pow2},canonicalize,cse,tegula-to-tileir,canonicalize,cse' | filecheck %s --check-prefix=LN
// RUN: tegula-opt %examples/matmul.py --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-tile{block-sizes=32,64,16 reductions=pow2},canonicalize,cse,tegula-to-tileir,canonicalize,cse' | filecheck %s --check-prefix=MM
// RUN: tegula-opt %examples/attention.py --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-tile{block-sizes=64,32 reductions=pow2},canonicalize,cse,tegula-to-tileir,canonicalize,cse' | filecheck %s --check-prefix=ATT
// RUN: tegula-opt %S/Inputs/first_column.py --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-tile{block-sizes=128 reductions=pow2},canonicalize,cse,tegula-to-tileir,canonicalize,cse' | filecheck %s --check-prefix=FIXED
// RUN: not tegula-opt %S/../backends/cpu/argmax.mlir --pass-pipeline='tegula-to-tileir' 2>&1 | filecheck %s --check-prefix=ERR

// ADD-LABEL: func.func @add
// ADD: "tile.launch"
// ADD-NEXT: %[[TX:.+]] = "tileir.make_tensor_view"(%arg2)
// ADD-NEXT: %[[PX:.+]] = "tileir.make_partition_view"(%[[TX]]) {padding = "zero", tile = array<i64: 16, 64>}
// ADD: %[[B:.+]] = "tileir.block_id"() {dim = 0 : i64} : () -> index
// ADD-DAG: %[[N:.+]] = arith.remsi %[[B]],
// ADD-DAG: %[[M:.+]] = arith.divsi %[[B]],
// ADD: %[[X:.+]] = "tileir.load_view"(%[[PX]], %[[M]], %[[N]]) : (!tileir.partition_view, index, index) -> tensor<16x64xf32>
// ADD: %[[Y:.+]] = "tileir.load_view"(%{{.+}}, %[[M]], %[[N]])
// ADD-NEXT: %[[S:.+]] = arith.addf %[[X]], %[[Y]] : tensor<16x64xf32>
// ADD: "tileir.store_view"(%{{.+}}, %[[M]], %[[N]], %[[S]]) : (!tileir.partition_view, index, index, tensor<16x64xf32>) -> ()
// ADD-NOT: "tile.load"
// ADD-NOT: "tile.store"

// SOFTMAX-LABEL: func.func @softmax
// SOFTMAX-DAG: %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// SOFTMAX-DAG: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// SOFTMAX: %[[DIM:.+]] = memref.dim %arg1, %c1
// SOFTMAX: "tile.launch"
// SOFTMAX: %[[X:.+]] = "tileir.load_view"(%{{.+}}, %{{.+}}, %c0) : (!tileir.partition_view, index, index) -> tensor<4x512xf32>
// SOFTMAX-NEXT: %[[IOTA:.+]] = "tileir.iota"() : () -> tensor<512xi32>
// SOFTMAX-NEXT: %[[LEFT:.+]] = arith.index_cast %[[DIM]] : index to i32
// SOFTMAX-NEXT: %[[LIM:.+]] = "tileir.full"(%[[LEFT]]) : (i32) -> tensor<512xi32>
// SOFTMAX-NEXT: %[[IN:.+]] = arith.cmpi slt, %[[IOTA]], %[[LIM]] : tensor<512xi32>
// SOFTMAX-NEXT: %[[IN2:.+]] = "tileir.reshape"(%[[IN]]) : (tensor<512xi1>) -> tensor<1x512xi1>
// SOFTMAX-NEXT: %[[MASK:.+]] = "tileir.broadcast"(%[[IN2]]) : (tensor<1x512xi1>) -> tensor<4x512xi1>
// SOFTMAX-NEXT: %[[NI:.+]] = "tileir.full"(%[[NEGINF]]) : (f32) -> tensor<4x512xf32>
// SOFTMAX-NEXT: %[[XM:.+]] = arith.select %[[MASK]], %[[X]], %[[NI]]
// SOFTMAX-NEXT: %[[MAX:.+]] = "tileir.reduce"(%[[XM]]) {dim = 1 : i64, kind = "max"} : (tensor<4x512xf32>) -> tensor<4xf32>
// SOFTMAX-NEXT: %[[MAXK:.+]] = "tileir.reshape"(%[[MAX]]) : (tensor<4xf32>) -> tensor<4x1xf32>
// SOFTMAX-NEXT: "tileir.broadcast"(%[[MAXK]]) : (tensor<4x1xf32>) -> tensor<4x512xf32>
// SOFTMAX: %[[E:.+]] = math.exp
// SOFTMAX-NEXT: %[[Z:.+]] = "tileir.full"(%[[ZERO]]) : (f32) -> tensor<4x512xf32>
// SOFTMAX-NEXT: %[[EM:.+]] = arith.select %[[MASK]], %[[E]], %[[Z]]
// SOFTMAX-NEXT: "tileir.reduce"(%[[EM]]) {dim = 1 : i64, kind = "sum"}
// SOFTMAX: "tileir.store_view"

// LN-LABEL: func.func @layer_norm
// LN: "tileir.reduce"({{.+}}kind = "sum"
// LN: %[[END:.+]] = arith.minsi %{{.+}}, %c1024 : index
// LN: "tileir.load_view"(%{{.+}}, %c0) : (!tileir.partition_view, index) -> tensor<1024xf32>
// LN: "tileir.store_view"

// MM-LABEL: func.func @matmul
// MM: %[[A:.+]] = "tileir.make_partition_view"(%{{.+}}) {padding = "zero", tile = array<i64: 32, 16>}
// MM: %[[B:.+]] = "tileir.make_partition_view"(%{{.+}}) {padding = "zero", tile = array<i64: 16, 64>}
// MM: %[[C:.+]] = "tileir.make_partition_view"(%{{.+}}) {padding = "zero", tile = array<i64: 32, 64>}
// MM: %[[ZERO:.+]] = "tileir.full"(%{{.+}}) : (f32) -> tensor<32x64xf32>
// MM-NEXT: %[[ACC:.+]] = scf.for %[[K:.+]] = %c0 to %{{.+}} step %c16 iter_args(%[[IT:.+]] = %[[ZERO]]) -> (tensor<32x64xf32>) {
// MM-NEXT: %[[KI:.+]] = arith.divsi %[[K]], %c16 : index
// MM-NEXT: %[[TA:.+]] = "tileir.load_view"(%[[A]], %{{.+}}, %[[KI]]) : (!tileir.partition_view, index, index) -> tensor<32x16xf32>
// MM-NEXT: %[[TB:.+]] = "tileir.load_view"(%[[B]], %[[KI]], %{{.+}}) : (!tileir.partition_view, index, index) -> tensor<16x64xf32>
// MM-NEXT: %[[D:.+]] = "tileir.mma"(%[[TA]], %[[TB]], %[[IT]])
// MM-NEXT: scf.yield %[[D]] : tensor<32x64xf32>
// MM: "tileir.store_view"(%[[C]], %{{.+}}, %{{.+}}, %[[ACC]])
// MM-NOT: "tile.load
// MM-NOT: "tile.dot

// ATT-LABEL: func.func @attention
// ATT: "tileir.host_bound"(%c0, %arg2) {block = 64 : i64} : (index, index) -> ()
// ATT-NEXT: "tile.launch"
// ATT: scf.for {{.+}} -> (tensor<1x64xf32>, tensor<1x64x64xf32>, tensor<1x64xf32>) {
// ATT: %[[KT:.+]] = "tileir.load_view"({{.+}}) : (!tileir.partition_view, index, index, index) -> tensor<1x32x64xf32>
// ATT-NEXT: %[[KP:.+]] = "tileir.permute"(%[[KT]]) {perm = array<i64: 0, 2, 1>} : (tensor<1x32x64xf32>) -> tensor<1x64x32xf32>
// ATT: %[[S:.+]] = "tileir.mma"(%{{.+}}, %[[KP]], %{{.+}}) : (tensor<1x64x64xf32>, tensor<1x64x32xf32>, tensor<1x64x32xf32>) -> tensor<1x64x32xf32>
// ATT: "tileir.reduce"({{.+}}) {dim = 2 : i64, kind = "max"}
// ATT: "tileir.mma"({{.+}}) : (tensor<1x64x32xf32>, tensor<1x32x64xf32>, tensor<1x64x64xf32>) -> tensor<1x64x64xf32>
// ATT: scf.yield

// FIXED-LABEL: func.func @first_column
// FIXED: %[[V:.+]] = "tileir.make_partition_view"(%{{.+}}) {padding = "zero", tile = array<i64: 128, 1>}
// FIXED: %[[T:.+]] = "tileir.load_view"(%[[V]], %{{.+}}, %c0) : (!tileir.partition_view, index, index) -> tensor<128x1xf32>
// FIXED-NEXT: %[[R:.+]] = "tileir.reshape"(%[[T]]) : (tensor<128x1xf32>) -> tensor<128xf32>
// FIXED-NEXT: "tileir.store_view"(%{{.+}}, %{{.+}}, %[[R]])

// ERR: error: the tileir backend cannot express a block size that is not a constant power of two (`tile.load`)
