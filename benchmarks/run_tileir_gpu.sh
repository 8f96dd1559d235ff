#!/bin/bash
# The second call of the GPU README's two-call TileIR flow, from the project's root on the GPU machine:
# a smoke run, tests/gpu/test_gpu_tileir.py in parallel shards (compiles are CPU-bound), then
# benchmarks/tileir.py (BENCH_ARGS; a second run with BENCH2_ARGS); logs and results under $OUT.
# SHARDS, TEST_TIMEOUT, BENCH_TIMEOUT and BENCH2_TIMEOUT tune it; WARM=N compiles each benchmark's configs in
# N processes beside the tests first (benchmarks.tileir --warm), so that the timed runs find them cached.
source .gpu/env.sh
out=${OUT:-/tmp/tegula-out}
mkdir -p "$out"
if [ ! -d /opt/tegula-kits/tileir ]; then
  echo "NO TILEIR KIT: the machine went cold between the two calls (run the first call again)"
  exit 3
fi
export CUDA_TILE_COMPILER_TIMEOUT_SEC=${CUDA_TILE_COMPILER_TIMEOUT_SEC:-120}
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
python - <<'PY' 2>&1 | tee "$out/smoke.log"
import time, traceback, torch
from tegula.backends.tileir import TileIRBackend
from tegula.compiler.kernel import Kernel
from tegula.examples import get
print("tileir available:", TileIRBackend.available())
for name, shape in [("add", (1000, 999)), ("softmax", (37, 333)), ("matmul", (100, 33, 70))]:
    ex = get(name)
    try:
        args = ex.inputs(shape, torch.float32, "cuda")
        t = time.time()
        out = Kernel(ex.kernel.fn, backend="tileir", effort="none")(*args)
        torch.cuda.synchronize()
        print(name, shape, ex.check(out, args, torch.float32), f"{time.time() - t:.1f} s")
    except Exception:
        traceback.print_exc()
PY
n=${SHARDS:-12}
[ "${RUN_TESTS:-1}" = 0 ] && n=0
logs=$(mktemp -d)
for i in $(seq 0 $((n - 1))); do
  TEGULA_TEST_SHARD=$i/$n timeout "${TEST_TIMEOUT:-180}" python -m pytest -q -p no:cacheprovider -rfs \
    tests/gpu/test_gpu_tileir.py > "$logs/tests-$i.log" 2>&1 &
done
w=${WARM:-0}
for i in $(seq 0 $((w - 1))); do
  for args in "${BENCH_ARGS:-}" "${BENCH2_ARGS:-}"; do
    [ -z "$args" ] && continue
    eval timeout "${TEST_TIMEOUT:-180}" python -m benchmarks.tileir --warm $i/$w "$args" >> "$logs/warm-$i.log" 2>&1
  done &
done
wait
cat "$logs"/warm-*.log > "$out/warm.log" 2>/dev/null
grep -h "Error\|error" "$out/warm.log" | cut -c1-300 | head -20
cat "$logs"/tests-*.log > "$out/tests.log" 2>/dev/null
for f in "$logs"/tests-*.log; do tail -n 1 "$f"; done
grep -h "^FAILED\|^E  " "$out/tests.log" | cut -c1-300 | head -60
eval timeout "${BENCH_TIMEOUT:-330}" python -m benchmarks.tileir --out "$out" "${BENCH_ARGS:-}"
echo "exit: $?"
if [ -n "${BENCH2_ARGS:-}" ]; then
  eval timeout "${BENCH2_TIMEOUT:-330}" python -m benchmarks.tileir --out "$out" "$BENCH2_ARGS"
  echo "exit: $?"
fi
