"""`twin`: run a kernel test once with each compiled twin (serial and parallel) forced;
`im2col_path`: once with each of im2col/col2im's two kernel families forced."""

from __future__ import annotations

import importlib

import pytest

from minitorch.kernels import parallel


@pytest.fixture(params=["serial", "parallel"])
def twin(request, monkeypatch):
    """Make every `parallel.Twins` kernel run its `request.param` twin, whatever the size."""
    monkeypatch.setattr(parallel, "parallel_pays", lambda items: request.param == "parallel")
    return request.param


@pytest.fixture(params=["rows", "tables"])
def im2col_path(request, monkeypatch):
    """Make im2col/col2im run their row kernels or their offset-table kernels, whatever the shape."""
    im2col = importlib.import_module("minitorch.kernels.im2col")
    monkeypatch.setattr(im2col, "_use_tables", lambda out_spatial, stride: request.param == "tables")
    return request.param
