"""Timing candidates: device timers, with the L2 cache flushed before each repetition on a GPU.

``timer_for(device)`` returns ``time(fn, budget_s) -> seconds`` over repetitions
of ``fn`` filling about ``budget_s`` (at least 3). On CUDA each repetition is
timed by CUDA events after writing a buffer larger than the L2 cache (as
``triton.testing.do_bench`` does), so a candidate cannot look fast by finding
its inputs in L2, and the median is kept; on the CPU by ``time.perf_counter``,
keeping the fastest repetition: the other processes of a shared machine only
ever add time, so the minimum is the least noisy estimate there.

``retimer_for(device)`` is the timer of the leaders' final comparison: on CUDA
``fn`` is captured once in a CUDA graph and its replays are timed (after the
same flush), so the leaders are compared on their device work alone, as the
benchmarks compare kernels, without the launcher's host work or the driver's
launch path; where ``fn`` cannot be captured, the plain timer.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import torch

Timer = Callable[[Callable[[], Any], float], float]


def timer_for(device: torch.device) -> Timer:
    return _cuda_time if device.type == "cuda" else _cpu_time


def retimer_for(device: torch.device) -> Timer:
    return _cuda_graph_time if device.type == "cuda" else _cpu_time


def _cpu_time(fn: Callable[[], Any], budget_s: float) -> float:
    fn()
    t0 = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t0, 1e-7)
    reps = max(3, min(1000, int(budget_s / once)))
    best = once
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


_FLUSH: dict[int, torch.Tensor] = {}


def l2_flush_buffer() -> torch.Tensor:
    """A 256 MB buffer on the current CUDA device, larger than its L2 cache: ``zero_()`` it to flush the cache."""
    dev = torch.cuda.current_device()
    if dev not in _FLUSH:
        _FLUSH[dev] = torch.empty(256 * 1024 * 1024 // 4, dtype=torch.int32, device="cuda")
    return _FLUSH[dev]


def _cuda_time(fn: Callable[[], Any], budget_s: float) -> float:
    flush = l2_flush_buffer()
    fn()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(3):
        fn()
    end.record()
    torch.cuda.synchronize()
    once = max(start.elapsed_time(end) / 3 * 1e-3, 1e-6)
    reps = max(3, min(500, int(budget_s / once)))
    starts = [torch.cuda.Event(enable_timing=True) for _ in range(reps)]
    ends = [torch.cuda.Event(enable_timing=True) for _ in range(reps)]
    for s, e in zip(starts, ends):
        flush.zero_()
        s.record()
        fn()
        e.record()
    torch.cuda.synchronize()
    return statistics.median(s.elapsed_time(e) for s, e in zip(starts, ends)) * 1e-3


def capture_graph(fn: Callable[[], Any]) -> "torch.cuda.CUDAGraph | None":
    """``fn``'s launches captured once in a CUDA graph (after a warm-up launch off the default stream, which
    capture needs) and replayed once, or None where ``fn`` cannot be captured (a host sync, an allocation)."""
    try:
        fn()
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            fn()
        torch.cuda.current_stream().wait_stream(side)
        torch.cuda.synchronize()
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            fn()
        graph.replay()
        torch.cuda.synchronize()
    except Exception:  # noqa: BLE001 - not capturable: the caller falls back
        torch.cuda.synchronize()
        return None
    return graph


def _cuda_graph_time(fn: Callable[[], Any], budget_s: float) -> float:
    graph = capture_graph(fn)
    if graph is None:  # time the launches instead
        return _cuda_time(fn, budget_s)
    try:
        return _cuda_time(graph.replay, budget_s)
    finally:
        del graph
