# indexing=descriptor: the layer norm example's row load and store go through TMA tensor descriptors made once
# at the kernel's start, under the alignment flag of their tensor (the pointer form in the other branch, with
# its own even-flag twins); the 1-D weight and bias keep pointers. Triton compiles it for sm_90 into
# tensormap creation and TMA copies (no GPU needed).
# RUN: %python %s | filecheck %s

import torch

import tegula
from tegula.examples.layer_norm import layer_norm

kernel = tegula.Kernel(layer_norm.fn, backend="triton",
                       config={"block_sizes": [1], "num_warps": 8, "indexing": "descriptor"})
x = torch.randn(4096, 8192, dtype=torch.bfloat16)
w, b = torch.randn(8192, dtype=torch.bfloat16), torch.randn(8192, dtype=torch.bfloat16)
print(kernel.emit(x, w, b, stage="triton"))
print(kernel.emit(x, w, b, stage="triton-ttgir"))

# CHECK-LABEL: def layer_norm_launch0(
# CHECK-SAME: [[EVEN:even[0-9]]]: tl.constexpr, [[AX:aligned[0-9]]]: tl.constexpr, [[AOUT:aligned[0-9]]]: tl.constexpr):
# CHECK: if [[AX]]:
# CHECK-NEXT: [[XD:x_desc[0-9]+]] = tl.make_tensor_descriptor(x_ptr, [x_size0, x_size1], [x_stride0, 1], [1, 8192])
# CHECK: if [[AOUT]]:
# CHECK-NEXT: [[OD:out_desc[0-9]+]] = tl.make_tensor_descriptor(out_ptr, [out_size0, out_size1], [out_stride0, 1], [1, 8192])
# CHECK: [[PID:pid[0-9]+]] = tl.program_id(0)
# CHECK: if [[AX]]:
# CHECK-NEXT: [[X:x[0-9]+]] = tl.reshape([[XD]].load([[[PID]], 0]), [8192])
# CHECK-NEXT: else:
# CHECK-NEXT: if [[EVEN]]:
# CHECK-NEXT: [[X]] = tl.load(x_ptr + [[PID]] * x_stride0 + {{offs[0-9]+}})
# CHECK: tl.load(weight_ptr + {{offs[0-9]+}})
# CHECK: if [[AOUT]]:
# CHECK-NEXT: [[OD]].store([[[PID]], 0], tl.reshape({{v[0-9]+}}, [1, 8192]))
# CHECK-NEXT: else:
# CHECK: def layer_norm_grid0(m, x, eps, weight, bias, out):
# CHECK: (x.data_ptr() % 16 == 0 and x.stride(0) * 2 % 16 == 0), (out.data_ptr() % 16 == 0 and out.stride(0) * 2 % 16 == 0))
# CHECK: tt.func public @layer_norm_launch0
# CHECK: ttng.tensormap_create
# CHECK: ttng.async_tma_copy_global_to_local
# CHECK: ttng.async_tma_copy_local_to_global
