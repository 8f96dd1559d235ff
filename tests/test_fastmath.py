"""Accuracy of the CPU backend's vectorizable float32 math against float64 references."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tegula.backends.cpu.fastmath import evaluate

RNG = np.random.default_rng(0)


def _ulps(got: np.ndarray, ref: np.ndarray) -> float:
    spacing = np.abs(np.spacing(ref.astype(np.float32))).astype(np.float64)
    ok = np.isfinite(ref)
    return float(np.max(np.abs(got.astype(np.float64) - ref)[ok] / np.maximum(spacing[ok], 1e-45)))


CASES = {
    "math.exp": (RNG.uniform(-87, 88, 100_000), np.exp, 2),
    "math.log": (np.exp(RNG.uniform(np.log(1e-37), np.log(1e37), 100_000)), np.log, 2),
    "math.tanh": (RNG.uniform(-12, 12, 100_000), np.tanh, 2),
    "math.erf": (RNG.uniform(-6, 6, 100_000), lambda x: torch.erf(torch.from_numpy(x)).numpy(), 8),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_max_ulp_error(name):
    x, ref, bound = CASES[name]
    x = x.astype(np.float32)
    assert _ulps(evaluate(name, x), ref(x.astype(np.float64))) <= bound


def test_log_near_one_and_subnormals():
    x = np.concatenate([RNG.uniform(0.5, 2, 10_000), [1e-40, 1e-45, 5e-39]]).astype(np.float32)
    assert _ulps(evaluate("math.log", x), np.log(x.astype(np.float64))) <= 2


@pytest.mark.parametrize("name,inputs,expected", [
    ("math.exp", [np.inf, -np.inf, np.nan, 100.0, -100.0], [np.inf, 0.0, np.nan, np.inf, 0.0]),
    ("math.log", [0.0, -1.0, np.inf, np.nan], [-np.inf, np.nan, np.inf, np.nan]),
    ("math.tanh", [np.inf, -np.inf, np.nan, 20.0, -20.0, 0.0], [1.0, -1.0, np.nan, 1.0, -1.0, 0.0]),
    ("math.erf", [np.inf, -np.inf, np.nan, 0.0], [1.0, -1.0, np.nan, 0.0]),
])
def test_special_values(name, inputs, expected):
    got = evaluate(name, np.float32(inputs))
    np.testing.assert_array_equal(got, np.float32(expected))
