# Layer norm's centered row on the CPU: `centered` is read twice (its squares are summed, and it is normalized), so it
# cannot stay a lazy expression; the variance reduction computes it in its own generic and writes it as a second
# output, instead of a separate pass that writes it.
# - `norm`: the normalization that is stored is `centered`'s only other reader, at the same points, so `centered`
#   goes into the output tile, which the normalization then overwrites in place (no scratch row; the output's
#   cache misses come in the pass that computes, as in torch's CPU kernels).
# - `norm_and_centered` also stores `centered` itself, so it goes to a scratch buffer, written in groups of 4 rows
#   and in the rows left. 10 rows in blocks of 4: two blocks of one group each, and a block of 2 rows, all left
#   over after its (empty) groups.
# RUN: %python %s | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel(config={"block_sizes": [4]})
def norm(x):
    out = torch.empty_like(x)
    for t in tl.tile(x.size(0)):
        row = x[t, :]
        centered = row - row.mean(-1, keepdim=True)
        var = (centered * centered).mean(-1, keepdim=True)
        out[t, :] = centered * torch.rsqrt(var + 1e-5)
    return out


@tegula.kernel(config={"block_sizes": [4]})
def norm_and_centered(x):
    out = torch.empty_like(x)
    cen = torch.empty_like(x)
    for t in tl.tile(x.size(0)):
        row = x[t, :]
        centered = row - row.mean(-1, keepdim=True)
        var = (centered * centered).mean(-1, keepdim=True)
        out[t, :] = centered * torch.rsqrt(var + 1e-5)
        cen[t, :] = centered
    return out, cen


x = torch.randn(10, 100)
print(norm.emit(x, stage="cpu-linalg"))
print(norm_and_centered.emit(x, stage="cpu-linalg"))
torch.testing.assert_close(norm(x), torch.nn.functional.layer_norm(x, (100,), eps=1e-5), rtol=1e-4, atol=1e-4)
out, cen = norm_and_centered(x)
torch.testing.assert_close(out, torch.nn.functional.layer_norm(x, (100,), eps=1e-5), rtol=1e-4, atol=1e-4)
torch.testing.assert_close(cen, x - x.mean(-1, keepdim=True), rtol=1e-5, atol=1e-5)

# CHECK-LABEL: func.func @norm_launch0
# CHECK-NOT: memref.alloc({{.*}}) : memref<?x?xf32>
# CHECK: scf.for %pid =
# The mean (groups of 4 rows, then the rows left):
# CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]}
# CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]}
# No pass of its own writes `centered`:
# CHECK-NOT: iterator_types = ["parallel", "parallel"]
# The variance, which writes `centered` into the output tile:
# CHECK: %[[O:[a-z0-9]+]] = memref.subview %a2[
# CHECK-NEXT: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins({{.*}}) outs(%{{[a-z0-9]+}}, %[[O]] :
# CHECK: "arith.subf"
# CHECK: "arith.mulf"
# CHECK: linalg.yield %{{[a-z0-9]+}}, %{{[a-z0-9]+}} : f32, f32
# The normalization reads the output tile and overwrites it:
# CHECK: %[[O2:[a-z0-9]+]] = memref.subview %a2[
# CHECK-NEXT: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%[[O]], {{.*}} outs(%[[O2]] :

# CHECK-LABEL: func.func @norm_and_centered_launch0
# CHECK: scf.for %pid =
# CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]}
# CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]}
# CHECK-NOT: iterator_types = ["parallel", "parallel"]
# The variance, which writes `centered` too, into a scratch buffer:
# CHECK: %[[C:[a-z0-9]+]] = memref.subview %buf{{[0-9]+}}[0, 0] [%{{[a-z0-9]+}}, %{{[a-z0-9]+}}]
# CHECK: scf.for
# CHECK: %[[GC:[a-z0-9]+]] = memref.subview %[[C]][
# CHECK-NEXT: linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]} ins({{.*}}) outs(%{{[a-z0-9]+}}, %[[GC]] :
# CHECK: "arith.subf"
# CHECK: %[[SQ:[a-z0-9]+]] = "arith.mulf"
# CHECK: linalg.yield %{{[a-z0-9]+}}, %{{[a-z0-9]+}} : f32, f32
# CHECK: %[[RC:[a-z0-9]+]] = memref.subview %[[C]][
# CHECK-NEXT: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins({{.*}}) outs(%{{[a-z0-9]+}}, %[[RC]] :
# CHECK: linalg.yield %{{[a-z0-9]+}}, %{{[a-z0-9]+}} : f32, f32
# The normalization reads the buffer:
# CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%[[C]],
