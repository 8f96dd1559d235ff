"""Shared pytest setup.

Collecting no test is an error here (not pytest's silent exit code 5): a CI
run that tests nothing must fail loudly.
"""

from __future__ import annotations

import pytest
import torch


def pytest_collection_finish(session: pytest.Session) -> None:
    if not session.items and not session.config.option.collectonly:
        raise pytest.UsageError("no tests were collected: the suite is misconfigured")


@pytest.fixture(autouse=True)
def _seed() -> None:
    torch.manual_seed(0)
