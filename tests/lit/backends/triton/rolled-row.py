# A softmax row rolled into chunks of 256: two loops over the row (the online max and sum, then the output).
# Default config for a row past 16k elements: chunks of 16384 and load_eviction=reuse, so the first read of the
# row keeps it in L2 (evict_last) and the second, its last read, streams it (evict_first). Neither loop holds a
# dot, so neither gets num_stages (no software pipelining through shared memory); a matmul's k loop does, and so
# does a persistent program's loop over its rows where a row fits (no loop inside): the next rows' loads are
# issued while this one is computed. Its grid is programs_per_sm programs per multiprocessor.
# RUN: %python %s | filecheck %s

import torch

import tegula
from tegula.examples.matmul import matmul
from tegula.examples.softmax import softmax

x = torch.randn(2, 20000)
kernel = tegula.Kernel(softmax.fn, backend="triton", effort="none")
print(kernel.emit(x, stage="triton"))
print(tegula.Kernel(matmul.fn, backend="triton", effort="none").emit(torch.randn(64, 64), torch.randn(64, 64),
                                                                     stage="triton"))
persistent = {"persistent": "interleaved", "programs_per_sm": 4, "num_stages": 2}
print(tegula.Kernel(softmax.fn, backend="triton", config=persistent).emit(torch.randn(8, 1000), stage="triton"))
print(tegula.Kernel(softmax.fn, backend="triton", config={**persistent, "reduction_loops": [256]}).emit(
    torch.randn(8, 1000), stage="triton"))

# CHECK-LABEL: def softmax_launch0(
# CHECK: for [[K1:k[0-9]+]] in tl.range(0, x_size1, 16384):
# CHECK: tl.load({{.*}}, eviction_policy='evict_last')
# CHECK: for [[K2:k[0-9]+]] in tl.range(0, x_size1, 16384):
# CHECK: tl.load({{.*}}, eviction_policy='evict_first')
# CHECK-NOT: evict_last
# CHECK-LABEL: def matmul_launch0(
# CHECK: in tl.range({{.*}}, num_stages=3):
# CHECK-LABEL: def softmax_launch0(
# CHECK: [[P:v[0-9]+]] = tl.minimum({{.*}}, {{[0-9]+}})
# CHECK: for {{k[0-9]+}} in tl.range({{pid[0-9]+}}, {{v[0-9]+}}, [[P]], num_stages=2):
# Rolled inside the persistent loop: no loop is pipelined.
# CHECK-LABEL: def softmax_launch0(
# CHECK-NOT: num_stages
# CHECK: def softmax_grid0(
