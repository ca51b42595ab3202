"""`twin`: run a kernel test once with each compiled twin (serial and parallel) forced, and
the kernels that minitorch's threads share (`shared_work.run_compiled`) on one thread or shared;
`im2col_path`: once with each of im2col/col2im's two kernel families forced; `slice_route`:
once with a convolution slice's steps (or a split product's slices) in compiled code that
calls the BLAS itself and once from Python."""

from __future__ import annotations

import importlib

import pytest

from minitorch.kernels import activation, blas, parallel, pooling


@pytest.fixture(params=["serial", "parallel"])
def twin(request, monkeypatch):
    """Make every `parallel.Twins` kernel run its `request.param` twin, and the kernels shared
    among minitorch's threads run shared ("parallel") or not, whatever the size."""
    monkeypatch.setattr(parallel, "parallel_pays", lambda items: request.param == "parallel")
    for module in (activation, pooling):
        monkeypatch.setattr(module, "_SHARED_FROM", 0 if request.param == "parallel" else 1 << 62)
    return request.param


@pytest.fixture(params=["rows", "tables"])
def im2col_path(request, monkeypatch):
    """Make im2col/col2im run their row kernels or their offset-table kernels, whatever the shape."""
    im2col = importlib.import_module("minitorch.kernels.im2col")
    monkeypatch.setattr(im2col, "_use_tables", lambda out_spatial, stride: request.param == "tables")
    return request.param


@pytest.fixture(params=["compiled", "python"])
def slice_route(request, monkeypatch):
    """Run a convolution slice's steps in one compiled call that calls the BLAS itself
    (`blas.compiled_products`), or as calls from Python."""
    if request.param == "compiled" and not blas.compiled_products():
        pytest.skip("numpy's BLAS does not export the CBLAS names that compiled code calls")
    monkeypatch.setattr(blas, "_compiled_products", request.param == "compiled")
    return request.param
