// tegula-roll, online softmax: the sum of exp(x - max) joins the max's chunk loop (two passes over the row:
// max+sum, then the output), rescaled by exp(m_old - m_new) and reading a still -inf max as 0; online=false
// keeps three passes (max, sum, output); cross entropy becomes one pass (max, sum of exp, target logit). The max
// may be reshaped before its broadcast (m[:, None] of a keepdim=False max: the fused two-loop softmax).
// RUN: tegula-opt %examples/softmax.py --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-roll{reduction-loops=64},canonicalize,cse' | filecheck %s
// RUN: tegula-opt %examples/softmax.py --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-roll{reduction-loops=64 online=false},canonicalize,cse' | filecheck %s --check-prefix=OFF
// RUN: tegula-opt %examples/unfused.py --kernel softmax_two_loops --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-fuse,cse,canonicalize,tegula-roll{reduction-loops=64},canonicalize,cse' | filecheck %s --check-prefix=TWO
// RUN: tegula-opt %examples/cross_entropy.py --no-debuginfo --pass-pipeline='canonicalize,cse,tegula-roll{reduction-loops=64},canonicalize,cse' | filecheck %s --check-prefix=CE

// CHECK-LABEL: func.func @softmax
// CHECK-DAG: %[[NEGINF:[^ ]+]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[ZERO:[^ ]+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[MINIT:[^ ]+]] = "tile.full"(%[[NEGINF]], %[[T:[^ ,)]+]])
// CHECK-NEXT: %[[SINIT:[^ ]+]] = "tile.full"(%[[ZERO]], %[[T]])
// CHECK-NEXT: %[[R:[^ ]+]]:2 = scf.for %{{.+}} iter_args(%[[M:[^ ]+]] = %[[MINIT]], %[[S:[^ ]+]] = %[[SINIT]])
// CHECK: %[[X:[^ ]+]] = "tile.load"
// CHECK-NEXT: %[[PM:[^ ]+]] = "tile.reduce"(%[[X]]) {dim = 1 : i64, keepdim = true, kind = "max"}
// CHECK-NEXT: %[[MNEW:[^ ]+]] = arith.maximumf %[[M]], %[[PM]]
// CHECK-NEXT: %[[INF:[^ ]+]] = arith.cmpf oeq, %[[MNEW]], %[[MINIT]]
// CHECK-NEXT: %[[MSAFE:[^ ]+]] = arith.select %[[INF]], %[[SINIT]], %[[MNEW]]
// CHECK-NEXT: %[[B:[^ ]+]] = "tile.broadcast"(%[[MSAFE]],
// CHECK-NEXT: %[[D:[^ ]+]] = arith.subf %[[X]], %[[B]]
// CHECK-NEXT: %[[E:[^ ]+]] = math.exp %[[D]]
// CHECK-NEXT: %[[PS:[^ ]+]] = "tile.reduce"(%[[E]]) {dim = 1 : i64, keepdim = true, kind = "sum"}
// CHECK-NEXT: %[[DM:[^ ]+]] = arith.subf %[[M]], %[[MSAFE]]
// CHECK-NEXT: %[[ALPHA:[^ ]+]] = math.exp %[[DM]]
// CHECK-NEXT: %[[KEPT:[^ ]+]] = arith.mulf %[[S]], %[[ALPHA]]
// CHECK-NEXT: %[[SNEW:[^ ]+]] = arith.addf %[[KEPT]], %[[PS]]
// CHECK-NEXT: scf.yield %[[MNEW]], %[[SNEW]]
// CHECK: scf.for
// CHECK: "tile.broadcast"(%[[R]]#0,
// CHECK: "tile.broadcast"(%[[R]]#1,
// CHECK: "tile.store"
// CHECK-NOT: scf.for

// OFF-LABEL: func.func @softmax
// OFF-COUNT-3: scf.for
// OFF-NOT: scf.for
// OFF-NOT: arith.cmpf

// CE-LABEL: func.func @cross_entropy
// CE: %{{.+}}:3 = scf.for
// CE: "tile.reduce"({{.+}}kind = "max"
// CE: math.exp
// CE: "tile.reduce"({{.+}}kind = "sum"
// CE: "tile.reduce"({{.+}}kind = "sum"
// CE: scf.yield
// CE-NOT: scf.for

// TWO-LABEL: func.func @softmax_two_loops
// TWO: %{{.+}}:2 = scf.for
// TWO: %[[MS:[^ ]+]] = arith.select
// TWO-NEXT: %[[R:[^ ]+]] = "tile.reshape"(%[[MS]],
// TWO-NEXT: "tile.broadcast"(%[[R]],
// TWO: "tile.reduce"({{.+}}kind = "sum"
// TWO: scf.yield
// TWO: scf.for
// TWO-NOT: scf.for
