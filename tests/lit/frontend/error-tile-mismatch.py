# Storing a tile indexed by one loop's handle into another's is a shape error.
# RUN: not %python %s 2>&1 | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def shifted(x):
    out = torch.empty_like(x)
    for t in tl.tile(x.size(0)):
        for u in tl.tile(x.size(0)):
            # CHECK: {{.*}}error-tile-mismatch.py:[[# @LINE + 1]]:13: error: cannot store a float32 tile [u] into `out[t]`: tile shapes do not broadcast: [u] vs [t] (dimension `u` vs `t`)
            out[t] = x[u]
    return out


shifted(torch.randn(16))
