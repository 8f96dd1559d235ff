// tegula-roll, Welford/Chan variance: sum((x - mean)^2) joins the loop of sum(x) as a running mean and M2,
// each chunk's own mean and M2 combined with Chan's update (weight n_chunk / (n_seen + n_chunk), the last
// chunk counted as min(step, extent - k) elements); after the loop sum((x - c)^2) = M2 + n (mean - c)^2. A
// rolled layer norm reads its row twice (statistics, output) instead of three times; welford=false keeps
// three loops. The two-loop layer norm (mean keepdim=False, broadcast through mu[:, None]) gets the same
// rewrite once fused, with the chunk statistics reshaped to the carried type. A sum of squares with no
// centre (rms norm) is an ordinary rolled sum.
// RUN: tegula-opt %examples/layer_norm.py --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-roll{reduction-loops=64},canonicalize,cse' | filecheck %s
// RUN: tegula-opt %examples/layer_norm.py --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-roll{reduction-loops=64 welford=false},canonicalize,cse' | filecheck %s --check-prefix=OFF
// RUN: tegula-opt %examples/unfused.py --kernel layer_norm_two_loops --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize,tegula-roll{reduction-loops=64},canonicalize,cse' | filecheck %s --check-prefix=TWO
// RUN: tegula-opt %examples/rms_norm.py --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-roll{reduction-loops=64},canonicalize,cse' | filecheck %s --check-prefix=RMS

// CHECK-LABEL: func.func @layer_norm
// CHECK: %[[Z:[^ ]+]] = "tile.full"
// CHECK-NEXT: %[[R:[^ ]+]]:3 = scf.for %[[K:[^ ]+]] = %{{.+}} to %[[N:[^ ]+]] step %[[STEP:[^ ]+]] iter_args(%[[S:[^ ]+]] = %[[Z]], %[[MEAN:[^ ]+]] = %[[Z]], %[[M2:[^ ]+]] = %[[Z]])
// CHECK: %[[X:[^ ]+]] = "tile.load"
// CHECK-NEXT: %[[SC:[^ ]+]] = "tile.reduce"(%[[X]]) {dim = 1 : i64, keepdim = true, kind = "sum"}
// CHECK-NEXT: %[[SNEW:[^ ]+]] = arith.addf %[[S]], %[[SC]]
// CHECK-NEXT: %[[REST:[^ ]+]] = arith.subi %[[N]], %[[K]]
// CHECK-NEXT: %[[NCI:[^ ]+]] = arith.minsi %[[REST]], %[[STEP]]
// CHECK: %[[NC:[^ ]+]] = arith.sitofp
// CHECK: %[[NA:[^ ]+]] = arith.sitofp
// CHECK-NEXT: %[[NNEW:[^ ]+]] = arith.addf %[[NA]], %[[NC]] : f32
// CHECK-NEXT: %[[W:[^ ]+]] = arith.divf %[[NC]], %[[NNEW]] : f32
// CHECK-NEXT: %[[NCT:[^ ]+]] = "tile.full"(%[[NC]],
// CHECK-NEXT: %[[MC:[^ ]+]] = arith.divf %[[SC]], %[[NCT]]
// CHECK-NEXT: %[[MCB:[^ ]+]] = "tile.broadcast"(%[[MC]],
// CHECK-NEXT: %[[CEN:[^ ]+]] = arith.subf %[[X]], %[[MCB]]
// CHECK-NEXT: %[[SQ:[^ ]+]] = arith.mulf %[[CEN]], %[[CEN]]
// CHECK-NEXT: %[[M2C:[^ ]+]] = "tile.reduce"(%[[SQ]]) {dim = 1 : i64, keepdim = true, kind = "sum"}
// CHECK-NEXT: %[[D:[^ ]+]] = arith.subf %[[MC]], %[[MEAN]]
// CHECK-NEXT: %[[WT:[^ ]+]] = "tile.full"(%[[W]],
// CHECK-NEXT: %[[DW:[^ ]+]] = arith.mulf %[[D]], %[[WT]]
// CHECK-NEXT: %[[MNEW:[^ ]+]] = arith.addf %[[MEAN]], %[[DW]]
// CHECK-NEXT: %[[NAW:[^ ]+]] = arith.mulf %[[NA]], %[[W]] : f32
// CHECK-NEXT: %[[M2A:[^ ]+]] = arith.addf %[[M2]], %[[M2C]]
// CHECK-NEXT: %[[DD:[^ ]+]] = arith.mulf %[[D]], %[[D]]
// CHECK-NEXT: %[[NAWT:[^ ]+]] = "tile.full"(%[[NAW]],
// CHECK-NEXT: %[[CORR:[^ ]+]] = arith.mulf %[[DD]], %[[NAWT]]
// CHECK-NEXT: %[[M2NEW:[^ ]+]] = arith.addf %[[M2A]], %[[CORR]]
// CHECK-NEXT: scf.yield %[[SNEW]], %[[MNEW]], %[[M2NEW]]
// CHECK: %[[MU:[^ ]+]] = arith.divf %[[R]]#0,
// CHECK: %[[DEV:[^ ]+]] = arith.subf %[[R]]#1, %[[MU]]
// CHECK-NEXT: %[[DEV2:[^ ]+]] = arith.mulf %[[DEV]], %[[DEV]]
// CHECK-NEXT: %[[NDEV:[^ ]+]] = arith.mulf %{{.+}}, %[[DEV2]]
// CHECK-NEXT: %[[VARSUM:[^ ]+]] = arith.addf %[[R]]#2, %[[NDEV]]
// CHECK-NEXT: arith.divf %[[VARSUM]],
// CHECK: scf.for
// CHECK: "tile.store"
// CHECK-NOT: scf.for

// OFF-LABEL: func.func @layer_norm
// OFF-COUNT-3: scf.for
// OFF-NOT: scf.for
// OFF-NOT: arith.minsi

// TWO-LABEL: func.func @layer_norm_two_loops
// TWO: %{{.+}}:3 = scf.for
// TWO: %[[SC:[^ ]+]] = "tile.reduce"({{.+}}keepdim = true, kind = "sum"{{.+}} -> tensor<?x1xf32>
// TWO: "tile.reduce"({{.+}}keepdim = true, kind = "sum"{{.+}} -> tensor<?x1xf32>
// TWO-NEXT: "tile.reshape"({{.+}} -> tensor<?xf32>
// TWO: "tile.reshape"({{.+}} -> tensor<?xf32>
// TWO: scf.yield {{.+}} : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>
// TWO: scf.for
// TWO: "tile.store"
// TWO-NOT: scf.for

// RMS-LABEL: func.func @rms_norm
// RMS: %{{.+}} = scf.for
// RMS-NOT: arith.minsi
// RMS: scf.yield
// RMS: scf.for
// RMS-NOT: scf.for
