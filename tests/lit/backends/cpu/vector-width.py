# The CPU backend's vector_bits tunable: 512 gives every LLVM function prefer-vector-width=512 (LLVM otherwise
# keeps to 256-bit vectors on Intel's AVX-512 machines) and noinline, so that the ExecutionEngine's packed
# wrappers, made without the attribute, cannot inline a loop and vectorize it for the host's own width;
# 0 leaves LLVM its own choice. Shown on the cpu-llvm stage.
# RUN: %python %s | filecheck %s

import torch

import tegula
from tegula.examples.softmax import softmax

x = torch.randn(64, 1000)
print(tegula.Kernel(softmax.fn, backend="cpu", effort="none", config={"vector_bits": 512}).emit(x, stage="cpu-llvm"))
# CHECK: llvm.func @softmax_launch0({{.*}} attributes {{{.*}}passthrough = {{\[\["prefer-vector-width", "512"\], "noinline"\]}}
# CHECK: llvm.func @_mlir_ciface_softmax_launch0({{.*}}passthrough = {{\[\["prefer-vector-width", "512"\], "noinline"\]}}
# CHECK-NOT: prefer-vector-width
# CHECK: END512
print("END512")

print(tegula.Kernel(softmax.fn, backend="cpu", effort="none", config={"vector_bits": 0}).emit(x, stage="cpu-llvm"))
# CHECK-NOT: prefer-vector-width
# CHECK: END0
print("END0")
