"""Ranges: `arange`, `linspace`, `logspace`, and the identity matrix `eye`."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _dtype
from .._device import check_device
from .._tensor import Tensor
from ._common import _check_out, _Dtype, _finish, _np_dtype

__all__ = ["arange", "linspace", "logspace", "eye"]


def _number(v: Any) -> Any:
    return v.item() if isinstance(v, Tensor) else v


def arange(start: Any, end: Any = None, step: Any = 1, *, out: Any = None, dtype: _Dtype | None = None,
           layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Values start, start+step, ... stopping before end.

    int64 when all arguments are integers, else the default float dtype. The length is
    ceil((end - start) / step); for an integer dtype the arguments are truncated to
    integers first, as torch does.
    """
    check_device(device)
    dtype = _check_out("arange", out, dtype)
    if end is None:
        start, end = 0, start
    start, end, step = _number(start), _number(end), _number(step)
    if dtype is None:
        dtype = _dtype.result_type(start, end, step)
    if dtype is _dtype.bool:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    if not all(math.isfinite(v) for v in (start, end)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not dtype.is_floating_point:
        if int(step) == 0:  # a fractional step truncated to zero: torch reports this as a ValueError
            raise ValueError(f"step must be nonzero (step {step} truncates to 0 for {dtype})")
        start, end, step = int(start), int(end), int(step)
    if (end - start) * step < 0:
        raise RuntimeError(f"upper bound and lower bound inconsistent with step sign "
                           f"(start={start}, end={end}, step={step})")
    if dtype.is_floating_point:
        n = math.ceil((end - start) / step)
        array = start + np.arange(n, dtype=np.float64) * step  # in float64, then rounded once
    else:
        n = -((start - end) // step)
        array = start + np.arange(n, dtype=np.int64) * step
    return _finish(array.astype(dtype.np), requires_grad, out)


def _check_steps(steps: Any, name: str) -> int:
    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool):
        raise TypeError(f"{name}(): argument 'steps' (position 3) must be int, not {type(steps).__name__}")
    if steps < 0:
        raise RuntimeError(f"number of steps must be non-negative, got {steps}")
    return int(steps)


def linspace(start: Any, end: Any, steps: int, *, out: Any = None, dtype: _Dtype | None = None,
             layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """`steps` evenly spaced values from start to end inclusive."""
    check_device(device)
    dtype = _check_out("linspace", out, dtype)
    steps = _check_steps(steps, "linspace")
    array = np.linspace(float(_number(start)), float(_number(end)), steps)
    return _finish(array.astype(_np_dtype(dtype)), requires_grad, out)


def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, out: Any = None,
             dtype: _Dtype | None = None, layout: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """`steps` values base**x for x evenly spaced from start to end inclusive."""
    check_device(device)
    dtype = _check_out("logspace", out, dtype)
    steps = _check_steps(steps, "logspace")
    array = np.power(float(base), np.linspace(float(_number(start)), float(_number(end)), steps))
    return _finish(array.astype(_np_dtype(dtype)), requires_grad, out)


def eye(n: int, m: int | None = None, *, out: Any = None, dtype: _Dtype | None = None,
        layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """An n x m (default n x n) matrix with ones on the diagonal."""
    check_device(device)
    dtype = _check_out("eye", out, dtype)
    for name, value in (("n", n), ("m", m)):
        if value is not None and value < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {value}")
    return _finish(np.eye(n, m, dtype=_np_dtype(dtype)), requires_grad, out)
