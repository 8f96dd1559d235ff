# Slices with bounds are not part of the language: a located error.
# RUN: not %python %s 2>&1 | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def first_cols(x):
    out = torch.empty([x.size(0), 2], dtype=x.dtype, device=x.device)
    for t in tl.tile(x.size(0)):
        # CHECK: {{.*}}error-slice-bounds.py:[[# @LINE + 1]]:21: error: slices with bounds (`a:b`) are not supported; index with a tile or `:`
        out[t, :] = x[t, 1:3]
    return out


first_cols(torch.randn(16, 8))
