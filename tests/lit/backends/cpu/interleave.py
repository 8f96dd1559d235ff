# The CPU backend's interleave tunable: 2 puts llvm.loop_annotation<interleave count 2> on the back edge of
# every innermost loop (the vector loop LLVM makes of each row), none on the loops around it (the programs
# of a thread); 0 leaves LLVM its own choice and no annotation. Shown on the cpu-llvm stage.
# RUN: %python %s | filecheck %s

import torch

import tegula
from tegula.examples.add import add

x, y = torch.randn(64, 1000), torch.randn(64, 1000)
print(tegula.Kernel(add.fn, backend="cpu", effort="none", config={"interleave": 2}).emit(x, y, stage="cpu-llvm"))
# CHECK: #[[IL:.+]] = #llvm.loop_interleave<count = 2 : i32>
# CHECK: #[[ANN:.+]] = #llvm.loop_annotation<interleave = #[[IL]]>
# CHECK-LABEL: llvm.func @add_launch0(
# CHECK: llvm.fadd
# CHECK: llvm.br ^{{[^{]+}} {loop_annotation = #[[ANN]]}
# CHECK-NOT: loop_annotation
# CHECK: llvm.br ^{{[^{]+}}{{$}}
# CHECK-NOT: loop_annotation
# CHECK: llvm.br ^{{[^{]+}}{{$}}
# CHECK-NOT: loop_annotation
# CHECK: llvm.return
# CHECK-LABEL: llvm.func @_mlir_ciface_add_launch0(
# CHECK: END2
print("END2")

print(tegula.Kernel(add.fn, backend="cpu", effort="none", config={"interleave": 0}).emit(x, y, stage="cpu-llvm"))
# CHECK-NOT: loop_annotation
# CHECK: END0
print("END0")
