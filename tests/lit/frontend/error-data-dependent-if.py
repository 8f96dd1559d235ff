# An `if` on a device value is data-dependent control flow: a located error
# that suggests torch.where.
# RUN: not %python %s 2>&1 | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def positive_only(x):
    out = torch.empty_like(x)
    for t in tl.tile(x.size(0)):
        # CHECK: {{.*}}error-data-dependent-if.py:[[# @LINE + 1]]:12: error: data-dependent control flow is not supported: this condition depends on a device value; use torch.where(cond, a, b) instead
        if x[t].sum() > 0:
            out[t] = x[t]
    return out


positive_only(torch.randn(16))
