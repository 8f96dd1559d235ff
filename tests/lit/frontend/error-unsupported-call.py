# A call the device compiler does not know is a TegulaCompileError located at
# the call, with the source line and a caret; no Python frames from Tegula.
# RUN: not %python %s 2>&1 | filecheck %s

import torch

import tegula
import tegula.language as tl


@tegula.kernel
def sort_rows(x):
    out = torch.empty_like(x)
    for t in tl.tile(x.size(0)):
        # CHECK: TegulaCompileError: {{.*}}error-unsupported-call.py:[[# @LINE + 1]]:18: error: calls to `torch.sort` are not supported in device code (see docs/language.md for what is)
        out[t] = torch.sort(x[t])[0]
        # CHECK-NEXT: {{^}}    out[t] = torch.sort(x[t])[0]
        # CHECK-NEXT: {{^}}             ^
    return out


sort_rows(torch.randn(16, 8))
