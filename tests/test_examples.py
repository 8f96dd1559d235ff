"""Every example kernel on every backend available here, against PyTorch.

References run in float64 on the same inputs; shapes include sizes that are
not multiples of any block size (ragged tiles).
"""

from __future__ import annotations

import os

import pytest
import torch

from tegula.examples import all_examples

EXAMPLES = all_examples()
CASES = [(ex, dtype, shape) for ex in EXAMPLES for dtype in ex.dtypes for shape in ex.shapes]


@pytest.mark.parametrize("ex,dtype,shape", CASES,
                         ids=[f"{e.name}-{str(d).removeprefix('torch.')}-{'x'.join(map(str, s))}" for e, d, s in CASES])
def test_example_cpu(ex, dtype, shape):
    args = ex.inputs(shape, dtype)
    out = ex.kernel(*args)
    ok, message = ex.check(out, args, dtype)
    assert ok, f"{ex.name} {dtype} {shape}: {message}"


def test_every_example_has_three_shapes_and_a_ragged_one():
    for ex in EXAMPLES:
        assert len(ex.shapes) >= 3, ex.name
        assert any(any(s % 16 for s in shape) for shape in ex.shapes), ex.name


def test_reuse_compiled_kernel_across_sizes():
    """One specialization serves every size of the same kind (sizes stay dynamic)."""
    from tegula.examples.softmax import softmax

    before = len(softmax.compiled())
    for n, m in [(37, 91), (200, 45), (5, 300)]:
        x = torch.randn(n, m)
        torch.testing.assert_close(softmax(x), torch.softmax(x, -1))
    assert len(softmax.compiled()) - before <= 1


def test_non_contiguous_inputs_are_read_in_place():
    from tegula.examples.add import add

    base = torch.randn(64, 130)
    x = base[:, ::2]  # strided last dimension
    y = base.t()[:65, :64].t()  # transposed view
    torch.testing.assert_close(add(x, y), x + y)


def test_config_keys_are_checked_against_the_search_space():
    from tegula.compiler.errors import TegulaValueError
    from tegula.compiler.kernel import Kernel
    from tegula.examples.softmax import softmax

    x = torch.randn(10, 20)
    with pytest.raises(TegulaValueError, match="bogus"):
        Kernel(softmax.fn, config={"bogus": 1})(x)
    with pytest.raises(TegulaValueError, match="num_threads"):
        Kernel(softmax.fn, config={"num_threads": -1})(x)
    k = Kernel(softmax.fn, config={"block_sizes": [4], "num_threads": 1})
    torch.testing.assert_close(k(x), torch.softmax(x, -1))
    assert k.compiled()[0].launcher.num_threads == 1


def test_large_cpu_outputs_get_huge_page_advice(monkeypatch):
    """Tensors the kernel stores into, of 4 MB and more, get MADV_HUGEPAGE over their storage before the launch
    (a fresh output then faults in 2 MB pages); inputs and small outputs do not; results are unchanged."""
    from tegula.backends.cpu import jit
    from tegula.compiler.kernel import Kernel
    from tegula.examples.layer_norm import layer_norm
    from tegula.examples.softmax import softmax

    calls: list[tuple[int, int, int]] = []
    monkeypatch.setattr(jit, "_madvise", lambda start, length, advice: calls.append((start, length, advice)) or 0)
    k = Kernel(softmax.fn, backend="cpu", effort="none")
    x = torch.randn(2048, 1024)  # 8 MB
    out = k(x)
    torch.testing.assert_close(out, torch.softmax(x, -1))
    assert k.compiled()[-1].launcher.written == [2]  # (rows, x, out): only out is stored into
    [(start, length, advice)] = calls
    assert advice == 14 and start % 4096 == 0 and length % 4096 == 0
    assert out.data_ptr() <= start and start + length <= out.data_ptr() + out.numel() * 4 and length >= (8 << 20) - 8192
    calls.clear()
    small = torch.randn(64, 1024)
    torch.testing.assert_close(k(small), torch.softmax(small, -1))
    assert not calls  # 256 KB: no advice
    ln = Kernel(layer_norm.fn, backend="cpu", effort="none")
    x = torch.randn(1024, 2048)
    w, b = torch.randn(2048), torch.randn(2048)
    torch.testing.assert_close(ln(x, w, b), torch.nn.functional.layer_norm(x, (2048,), w, b), rtol=1e-4, atol=1e-4)
    assert len(calls) == 1
    monkeypatch.setattr(jit, "_madvise", None)  # TEGULA_CPU_HUGE_PAGES=0, or no THP on request: no advice
    calls.clear()
    torch.testing.assert_close(k(torch.ones(2048, 1024)), torch.full((2048, 1024), 1 / 1024))
    assert not calls


def test_huge_page_advice_is_opt_in():
    """Off unless TEGULA_CPU_HUGE_PAGES=1 (on the 2-core VM the same huge-page faults were 2x faster or 4x slower
    from call to call); with it, on where THP is in madvise mode."""
    import subprocess
    import sys
    from pathlib import Path

    probe = "from tegula.backends.cpu import jit; print(jit._madvise is not None)"
    env = {k: v for k, v in os.environ.items() if k != "TEGULA_CPU_HUGE_PAGES"}
    off = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert off.stdout.strip() == "False"
    on = subprocess.run([sys.executable, "-c", probe], env=dict(env, TEGULA_CPU_HUGE_PAGES="1"), capture_output=True,
                        text=True, check=True)
    thp = Path("/sys/kernel/mm/transparent_hugepage/enabled")
    madvise_mode = thp.exists() and "[madvise]" in thp.read_text()
    assert on.stdout.strip() == str(madvise_mode)


def _disassembly(kernel) -> str | None:
    """``objdump -d`` of the object code of ``kernel``'s last compiled entry (every JIT function), or None
    where objdump fails (the callers then check results only)."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".o") as f:
        kernel.compiled()[-1].launcher.engine.dump_to_object_file(f.name)
        done = subprocess.run(["objdump", "-d", "--no-show-raw-insn", f.name], capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else None


def test_cpu_vector_bits_change_the_vectors_not_the_results():
    """vector_bits 512 (the default on Intel's AVX-512 hosts) lets LLVM use 512-bit vectors, 256 keeps it to
    256-bit ones (the default on other AVX-512 hosts), 0 leaves its own choice;
    each gives torch's results on a ragged shape; a width outside the domain is a config error."""
    import tegula
    from tegula.backends.cpu import HOST_AVX512, HOST_VECTOR_BITS, CPUBackend
    from tegula.compiler.kernel import Kernel
    from tegula.examples.add import add
    from tegula.examples.softmax import softmax

    x = torch.randn(37, 1001)
    zmm = {}
    for bits in (0, 256, 512):
        for fn, args, want in ((softmax.fn, (x,), torch.softmax(x, -1)), (add.fn, (x, x), x + x)):
            k = Kernel(fn, backend="cpu", effort="none", config={"vector_bits": bits})
            torch.testing.assert_close(k(*args), want)
            asm = _disassembly(k)
            if asm is not None:
                zmm[bits] = zmm.get(bits, 0) + asm.count("zmm")
    if zmm:
        # every function counts: the engine's packed wrappers (what the launcher calls) once inlined add's loop
        # and vectorized it for the host's own width, 512 bits on AMD's Zen 4, whatever vector_bits said
        assert zmm[256] == 0  # 0 is LLVM's choice: 256 bits on Intel, 512 on AMD's Zen 4
        if HOST_AVX512:
            assert zmm[512] > 0
    default = Kernel(softmax.fn, backend="cpu", effort="none")
    default(x)
    assert default.compiled()[-1].config.get("vector_bits", 0) == HOST_VECTOR_BITS
    assert any(t.name == "vector_bits" for t in CPUBackend().tunables())
    with pytest.raises(tegula.TegulaValueError, match="vector_bits must be one of 0, 256, 512, got 128"):
        Kernel(softmax.fn, backend="cpu", effort="none", config={"vector_bits": 128})(x)


def test_cpu_nontemporal_stores_stream_the_outputs_not_the_results():
    """nontemporal_stores: the kernel's stores into its tensors become streaming stores (``movnt``) in the
    machine code, results stay torch's on ragged shapes (several launches and threads, scratch buffers kept
    plain); off by default and not searched; a value that is not a bool is a config error."""
    import tegula
    from tegula.backends.cpu import NONTEMPORAL
    from tegula.compiler.kernel import Kernel
    from tegula.examples.add import add
    from tegula.examples.layer_norm import layer_norm
    from tegula.examples.softmax import softmax

    streamed = {}
    for shape in ((1, 1), (37, 1001), (515, 2049)):
        x, w, b = torch.randn(*shape), torch.randn(shape[1]), torch.randn(shape[1])
        cases = ((add.fn, (x, x), x + x), (softmax.fn, (x,), torch.softmax(x, -1)),
                 (layer_norm.fn, (x, w, b), torch.nn.functional.layer_norm(x, (shape[1],), w, b)))
        for fn, args, want in cases:
            for on in (True, False):
                k = Kernel(fn, backend="cpu", effort="none", config={"nontemporal_stores": on})
                torch.testing.assert_close(k(*args), want, atol=1e-4, rtol=1e-4)
                asm = _disassembly(k)
                if asm is not None:
                    streamed.setdefault((fn.__name__, on), asm.count("movnt"))
    if streamed:  # objdump present
        assert all(streamed[(name, True)] > 0 and streamed[(name, False)] == 0
                   for name in ("add", "softmax", "layer_norm")), streamed
    h = torch.randn(37, 1001).to(torch.bfloat16)  # 2-byte stores (x86 streams 4 bytes at least)
    k = Kernel(add.fn, backend="cpu", effort="none", config={"nontemporal_stores": True})
    torch.testing.assert_close(k(h, h), h + h)
    assert NONTEMPORAL.default is False and not NONTEMPORAL.tune
    x = torch.randn(8, 8)
    with pytest.raises(tegula.TegulaValueError, match="nontemporal_stores"):
        Kernel(add.fn, backend="cpu", effort="none", config={"nontemporal_stores": "yes"})(x, x)


def _most_adds_in_a_loop(disassembly: str) -> int:
    """The most vector adds in an innermost loop of ``objdump -d`` output: between a backward jump and its
    target, with no other backward jump in between."""
    import re

    lines = [(int(m.group(1), 16), m.group(2)) for m in re.finditer(r"^\s*([0-9a-f]+):\s+(.*)$", disassembly, re.M)]
    back = {}  # index of each backward jump -> its target address
    for i, (addr, text) in enumerate(lines):
        jump = re.match(r"j\w+\s+([0-9a-f]+)\b", text)
        if jump and int(jump.group(1), 16) < addr:
            back[i] = int(jump.group(1), 16)
    most = 0
    for i, target in back.items():
        body = [j for j in range(i) if lines[j][0] >= target]
        if not any(j in back for j in body):
            most = max(most, sum(lines[j][1].startswith(("vaddps", "addps")) for j in body))
    return most


def test_cpu_interleave_changes_the_vector_loop_not_the_results():
    """interleave 1, 2 and 4 put that many vectors in a trip of each innermost loop (the adds of add's vector
    loop, counted in the object code where objdump runs), 0 leaves LLVM its choice; add and sum give torch's
    results with each on ragged shapes; a count outside the domain is a config error."""
    import tegula
    from tegula.backends.cpu import CPUBackend
    from tegula.compiler.kernel import Kernel
    from tegula.examples.add import add
    from tegula.examples.sum import sum_rows

    x, y = torch.randn(37, 1001), torch.randn(37, 1001)
    adds = {}
    for count in (0, 1, 2, 4):
        k = Kernel(add.fn, backend="cpu", effort="none", config={"interleave": count, "block_sizes": [1, 1024]})
        torch.testing.assert_close(k(x, y), x + y)
        s = Kernel(sum_rows.fn, backend="cpu", effort="none", config={"interleave": count})
        torch.testing.assert_close(s(x), x.sum(-1), rtol=1e-5, atol=1e-4)
        asm = _disassembly(k)
        if asm is not None:
            adds[count] = _most_adds_in_a_loop(asm.split("<add_launch0>:")[1].split(">:")[0])
    if adds:
        assert adds[1] == 1 and adds[2] == 2 and adds[4] == 4, adds
    assert any(t.name == "interleave" for t in CPUBackend().tunables())
    with pytest.raises(tegula.TegulaValueError, match="interleave must be one of 0, 1, 2, 4, got 3"):
        Kernel(add.fn, backend="cpu", effort="none", config={"interleave": 3})(x, y)


def test_cpu_threads_run_every_chunk_on_openmp_or_the_pool(monkeypatch):
    """Where torch runs on GNU OpenMP, a split call runs on its OpenMP team, chunk i on thread i % team; a team
    smaller than asked for (a nested region), or none at all (the pool), still runs every chunk. Kernels
    called from two Python threads at once keep their results apart."""
    import threading

    from tegula.backends.cpu import jit
    from tegula.compiler.kernel import Kernel
    from tegula.examples.add import add

    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    k = Kernel(add.fn, backend="cpu", config={"num_threads": 4})
    x = torch.randn(1031, 517)
    want = x + x
    torch.testing.assert_close(k(x, x), want)
    if jit._OMP is not None:
        import ctypes

        par, _, _ = jit._OMP
        alone = ctypes.CFUNCTYPE(ctypes.c_int)(lambda: 0), ctypes.CFUNCTYPE(ctypes.c_int)(lambda: 1)
        monkeypatch.setattr(jit, "_OMP", (par, *alone))  # every thread thinks it is alone
        torch.testing.assert_close(k(x, x), want)
        monkeypatch.setattr(jit, "_OMP", (lambda fn, data, n, flags: None, *alone))  # a team ran nothing
        torch.testing.assert_close(k(x, x), want)
    monkeypatch.setattr(jit, "_OMP", None)
    torch.testing.assert_close(k(x, x), want)
    monkeypatch.undo()
    outs: dict[int, torch.Tensor] = {}
    inputs = {i: torch.randn(2048, 1024) for i in range(2)}

    def call(i: int) -> None:
        for _ in range(5):
            outs[i] = k(inputs[i], inputs[i])

    threads = [threading.Thread(target=call, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(2):
        torch.testing.assert_close(outs[i], inputs[i] * 2)


def test_small_cpu_calls_stay_on_one_thread(monkeypatch):
    """Handing work to other threads costs about 90 us on a 2-core machine: a call whose tensors total under
    4 MB (256 KB with a dot) runs on the calling thread; a bigger one, or a configured thread count, splits."""
    from tegula.backends.cpu import jit
    from tegula.compiler.kernel import Kernel
    from tegula.examples.add import add
    from tegula.examples.matmul import matmul

    handed: list[int] = []
    real_parallel = jit.parallel
    monkeypatch.setattr(jit, "parallel",
                        lambda run, arrays, *rest: handed.append(len(arrays)) or real_parallel(run, arrays, *rest))
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    k = Kernel(add.fn, backend="cpu", effort="none")
    small = torch.randn(256, 256)  # 3 x 256 KB
    torch.testing.assert_close(k(small, small), small + small)
    assert not handed
    big = torch.randn(1024, 1024)  # 3 x 4 MB
    torch.testing.assert_close(k(big, big), big + big)
    assert handed
    handed.clear()
    mm = Kernel(matmul.fn, backend="cpu", effort="none")
    a = torch.randn(256, 256)  # 3 x 256 KB: past the threshold of a kernel with a dot
    torch.testing.assert_close(mm(a, a), a @ a, rtol=1e-4, atol=1e-3)
    assert handed
    handed.clear()
    two = Kernel(add.fn, backend="cpu", config={"num_threads": 2})
    torch.testing.assert_close(two(small, small), small + small)
    assert handed  # a configured thread count is kept
