# store_eviction: the L2 policy of every pointer store -- evict_first / evict_last eviction priority, or the .cs
# (streaming) cache operator; the default adds nothing. Loads keep their own policy (load_eviction). A TMA
# descriptor store (indexing=descriptor) takes no policy; its pointer fallback does.
# RUN: %python %s | filecheck %s

import torch

import tegula
from tegula.examples.add import add
from tegula.examples.softmax import softmax

x, y = torch.randn(100, 70), torch.randn(100, 70)
for policy in ("default", "first", "streaming"):
    print(f"== {policy}")
    print(tegula.Kernel(add.fn, backend="triton", config={"store_eviction": policy}).emit(x, y, stage="triton"))
print("== softmax last")
print(tegula.Kernel(softmax.fn, backend="triton", config={"store_eviction": "last", "load_eviction": "first"}).emit(
    x, stage="triton"))
print("== descriptor")
print(tegula.Kernel(add.fn, backend="triton", config={"store_eviction": "first", "indexing": "descriptor"}).emit(
    x, y, stage="triton"))

# CHECK-LABEL: == default
# CHECK: tl.store({{[^)]*}}mask={{[^)]*}})
# CHECK-NOT: evict
# CHECK-NOT: cache_modifier
# CHECK-LABEL: == first
# CHECK: tl.load(
# CHECK-NOT: tl.load({{.*}}eviction_policy
# CHECK: tl.store({{.*}}, v{{[0-9]+}}, eviction_policy='evict_first')
# CHECK: tl.store({{.*}}, mask={{.*}}, eviction_policy='evict_first')
# CHECK-LABEL: == streaming
# CHECK: tl.store({{.*}}, mask={{.*}}, cache_modifier='.cs')
# CHECK-LABEL: == softmax last
# CHECK: tl.load({{.*}}, eviction_policy='evict_first')
# CHECK: tl.store({{.*}}, eviction_policy='evict_last')
# CHECK-LABEL: == descriptor
# CHECK: out_desc{{[0-9]+}}.store([{{.*}}], v{{[0-9]+}})
# CHECK-NEXT: else:
# CHECK-NEXT: if even
# CHECK-NEXT: tl.store({{.*}}, eviction_policy='evict_first')
