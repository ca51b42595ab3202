"""`twin`: run a kernel test once with each compiled twin (serial and parallel) forced."""

from __future__ import annotations

import pytest

from minitorch.kernels import parallel


@pytest.fixture(params=["serial", "parallel"])
def twin(request, monkeypatch):
    """Make every `parallel.Twins` kernel run its `request.param` twin, whatever the size."""
    monkeypatch.setattr(parallel, "parallel_pays", lambda items: request.param == "parallel")
    return request.param
