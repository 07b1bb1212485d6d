"""What to do when a test needs something this machine lacks (a model, PostgreSQL, Chromium)."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def unavailable(reason: str) -> NoReturn:
    """Fail in CI (where everything must run), skip on a developer's machine."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)
