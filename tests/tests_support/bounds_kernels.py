"""Kernels whose loops can run past a tensor's end (tests/test_bounds.py)."""

import torch, tegula
import tegula.language as tl

@tegula.kernel
def vadd(x, y):
    out = torch.empty_like(x)
    for t in tl.tile(x.size(0)):
        out[t] = x[t] + y[t]
    return out

@tegula.kernel
def bias_add(a, b):
    out = torch.empty_like(a)
    for tm, tn in tl.tile(a.size()):
        out[tm, tn] = a[tm, tn] + b[tm, tn]
    return out
