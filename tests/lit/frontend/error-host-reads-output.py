# Host code after a device loop cannot read what the loop writes (loops run
# when the kernel returns): a located error naming the tensor and the loop.
# RUN: not %python %s 2>&1 | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def total(x):
    out = torch.empty_like(x)
    for t in tl.tile(x.size(0)):
        out[t] = x[t] * 2.0
    # CHECK: {{.*}}error-host-reads-output.py:[[# @LINE + 1]]:5: error: host code reads `out`, which the device loop at line [[# @LINE - 2]] writes
    s = out.sum()
    return s


total(torch.randn(16))
