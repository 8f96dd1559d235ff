"""Shared pytest setup.

Collecting no test is an error here (not pytest's silent exit code 5): a CI
run that tests nothing must fail loudly.
"""

from __future__ import annotations

import os

import torch

# Without a GPU, the Triton backend runs its generated kernels under Triton's interpreter. This must be set
# before any Triton kernel is defined, hence here.
if not torch.cuda.is_available():
    os.environ.setdefault("TRITON_INTERPRET", "1")

# Kernels without config= would autotune on their first call; the suite tests kernels, not tuning, except
# where a test asks for an effort itself (tests/test_autotune.py). A private cache keeps runs independent.
os.environ.setdefault("TEGULA_AUTOTUNE_EFFORT", "none")

import pytest  # noqa: E402


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``TEGULA_TEST_SHARD=i/n`` keeps every n-th test from the i-th (0-based): n processes run the suite in
    parallel without pytest-xdist (the GPU machine has no package index)."""
    shard = os.environ.get("TEGULA_TEST_SHARD")
    if not shard:
        return
    i, n = (int(x) for x in shard.split("/"))
    keep = [t for j, t in enumerate(items) if j % n == i]
    config.hook.pytest_deselected(items=[t for t in items if t not in keep])
    items[:] = keep


def pytest_collection_finish(session: pytest.Session) -> None:
    if not session.items and not session.config.option.collectonly:
        raise pytest.UsageError("no tests were collected: the suite is misconfigured")


@pytest.fixture(autouse=True)
def _seed() -> None:
    torch.manual_seed(0)
