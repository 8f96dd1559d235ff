#!/bin/bash
# benchmarks.gpu on the GPU machine, from the project's root: WARM processes compile in parallel (--warm), then
# the timed run. ARGS are benchmarks.gpu's options (with --tileir this is the second call of the GPU README's
# two-call TileIR flow); TAG names the outputs under $OUT; WARM_TIMEOUT bounds the compiles and TOTAL (seconds
# from the start) the whole script: the timed run stops there, its finished cases already written.
start=$(date +%s)
source .gpu/env.sh
out=${OUT:-/tmp/tegula-out}
tag=${TAG:-run}
mkdir -p "$out"
case " ${ARGS:-} " in
  *" --tileir "*)
    if [ ! -d /opt/tegula-kits/tileir ]; then
      echo "NO TILEIR KIT: the machine went cold between the two calls (run the first call again)"
      exit 3
    fi ;;
esac
export CUDA_TILE_COMPILER_TIMEOUT_SEC=${CUDA_TILE_COMPILER_TIMEOUT_SEC:-120}
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
t0=$(date +%s)
logs=$(mktemp -d)
w=${WARM:-12}
for i in $(seq 0 $((w - 1))); do
  eval timeout "${WARM_TIMEOUT:-240}" python -m benchmarks.gpu --warm "$i/$w" "${ARGS:-}" > "$logs/warm-$i.log" 2>&1 &
done
wait
cat "$logs"/warm-*.log > "$out/warm-$tag.log" 2>/dev/null
echo "warm: $(( $(date +%s) - t0 )) s, $(grep -c '^warm' "$out/warm-$tag.log") compiles"
grep -h "Error\|error" "$out/warm-$tag.log" | cut -c1-300 | head -10
left=$(( ${TOTAL:-570} - ($(date +%s) - start) ))
echo "timed run: $left s left"
eval timeout "$left" python -m benchmarks.gpu --out "$out" --tag "$tag" "${ARGS:-}" > "$out/gpu-$tag.log" 2>&1
echo "exit: $? after $(( $(date +%s) - t0 )) s"
grep -h "cuBLAS\|launch overhead\|^Traceback\|Error" "$out/gpu-$tag.log" | cut -c1-300 | head -20
grep -h '^{"case"' "$out/gpu-$tag.log" | cut -c1-200
[ -f "$out/gpu-$tag.md" ] && grep -v "^|---" "$out/gpu-$tag.md" | cut -c1-400
