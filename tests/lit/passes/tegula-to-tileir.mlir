// tegula-to-tileir: launch bodies become tileir ops. Loads and stores go through one tensor view per argument
// and a partition view per tile shape, at tile index begin / block (the block id split by the launch's own
// index arithmetic); tiles get static power-of-two shapes. A reduction over a ':' handle that may be ragged
// first sets the lanes past the bound to its neutral element (-inf for max, 0 for sum), then reshapes back to
// keepdim. tile.end becomes min(begin + block, bound) (here min(extent, 1024) once canonicalized). What Tile IR cannot express yet is an error naming the
// op and the kernel's line (a matmul's k loop).
// RUN: tegula-opt %examples/add.py --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-tile{block-sizes=16,64 reductions=pow2},canonicalize,cse,tegula-to-tileir,canonicalize,cse' | filecheck %s --check-prefix=ADD
// RUN: tegula-opt %examples/softmax.py --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-tile{block-sizes=4 reductions=pow2},canonicalize,cse,tegula-to-tileir,canonicalize,cse' | filecheck %s --check-prefix=SOFTMAX
// RUN: tegula-opt %examples/layer_norm.py --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-tile{block-sizes=2 reductions=pow2},canonicalize,cse,tegula-to-tileir,canonicalize,cse' | filecheck %s --check-prefix=LN
// RUN: not tegula-opt %examples/matmul.py --pass-pipeline='canonicalize,cse,tegula-tile{reductions=pow2},canonicalize,cse,tegula-to-tileir' 2>&1 | filecheck %s --check-prefix=ERR

// ADD-LABEL: func.func @add
// ADD: "tile.launch"
// ADD: %[[B:.+]] = "tileir.block_id"() {dim = 0 : i64} : () -> index
// ADD-DAG: %[[N:.+]] = arith.remsi %[[B]],
// ADD-DAG: %[[M:.+]] = arith.divsi %[[B]],
// ADD: %[[TX:.+]] = "tileir.make_tensor_view"(%arg2)
// ADD-NEXT: %[[PX:.+]] = "tileir.make_partition_view"(%[[TX]]) {padding = "zero", tile = array<i64: 16, 64>}
// ADD-NEXT: %[[X:.+]] = "tileir.load_view"(%[[PX]], %[[M]], %[[N]]) : (!tileir.partition_view, index, index) -> tensor<16x64xf32>
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

// ERR: matmul.py:{{[0-9]+}}:{{[0-9]+}}: error: the tileir backend cannot express a sequential loop (`scf.for`)
