# The CPU backend's nontemporal_stores option: the launch function's stores into the kernel's tensors become
# nontemporal (streaming) stores and the function ends with a fence, so the team's barrier sees their data;
# stores into scratch buffers (softmax's row maximum and sum) stay plain. Off by default. Shown on cpu-llvm.
# RUN: %python %s | filecheck %s

import torch

import tegula
from tegula.examples.add import add
from tegula.examples.softmax import softmax

x = torch.randn(64, 1000)
print(tegula.Kernel(add.fn, backend="cpu", effort="none", config={"nontemporal_stores": True}).emit(x, x, stage="cpu-llvm"))
# CHECK-LABEL: llvm.func @add_launch0(
# CHECK: llvm.store {{.*}} {nontemporal} : f32, !llvm.ptr
# CHECK: llvm.fence seq_cst
# CHECK-NEXT: llvm.return
# CHECK-LABEL: END-ADD
print("END-ADD")

print(tegula.Kernel(softmax.fn, backend="cpu", effort="none", config={"nontemporal_stores": True}).emit(x, stage="cpu-llvm"))
# CHECK-LABEL: llvm.func @softmax_launch0(
# CHECK: llvm.store {{%[0-9a-z_]+}}, {{%[0-9a-z_]+}} : f32, !llvm.ptr
# CHECK: llvm.store {{.*}} {nontemporal} : f32, !llvm.ptr
# CHECK: llvm.fence seq_cst
# CHECK-LABEL: END-SOFTMAX
print("END-SOFTMAX")

print(tegula.Kernel(add.fn, backend="cpu", effort="none").emit(x, x, stage="cpu-llvm"))
# CHECK-NOT: nontemporal
# CHECK-NOT: llvm.fence
# CHECK: END-OFF
print("END-OFF")
