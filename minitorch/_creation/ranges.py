"""Ranges: `arange`, `linspace`, `logspace`, and the identity matrix `eye`."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _dtype
from .._device import check_device
from .._tensor import Tensor
from .._ops.selection import check_fill_dtype
from ._common import _check_out, _Dtype, _finish, _np_dtype

__all__ = ["arange", "linspace", "logspace", "eye"]


def _number(v: Any) -> Any:
    return v.item() if isinstance(v, Tensor) else v


def arange(start: Any, end: Any = None, step: Any = 1, *, out: Any = None, dtype: _Dtype | None = None,
           layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Values start, start+step, ... stopping before end.

    int64 when all arguments are integers (or bools), else the default float dtype. The length is
    ceil((end - start) / step) of the arguments as given; for an integer dtype the values are
    trunc(start) + i * trunc(step), as torch computes them.
    """
    check_device(device)
    dtype = _check_out("arange", out, dtype)
    if end is None:
        start, end = 0, start
    start, end, step = _number(start), _number(end), _number(step)
    if dtype is None:
        dtype = _dtype.result_type(start, end, step)
        dtype = _dtype.int64 if dtype is _dtype.bool else dtype  # bools count as ints
    if dtype is _dtype.bool:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    if not all(math.isfinite(v) for v in (start, end)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if not (step > 0 or step < 0):  # (also NaN)
        raise RuntimeError("step must be nonzero")
    if not dtype.is_floating_point and not all(-2.0**63 <= v < 2.0**63 for v in (start, end, step)):  # (inf)
        raise RuntimeError("value cannot be converted to type int64_t without overflow")
    if not (step > 0 and end >= start or step < 0 and end <= start):
        raise RuntimeError(f"upper bound and lower bound inconsistent with step sign "
                           f"(start={start}, end={end}, step={step})")
    if dtype is _dtype.int64:  # torch reads int64's arguments as integers before sizing
        start, end, step = int(start), int(end), int(step)
        if step == 0:
            raise ValueError("step must be nonzero")
    size = (end - start) / step
    if not size <= 2**63 - 1:  # (also inf)
        raise RuntimeError("invalid size, possible overflow?")
    n = math.ceil(size)
    try:
        positions = np.arange(n, dtype=np.float64 if dtype.is_floating_point else np.int64)
    except (ValueError, MemoryError):  # numpy's "array is too big": torch's allocator raises RuntimeError
        raise RuntimeError(f"DefaultCPUAllocator: can't allocate memory: you tried to allocate {n * 8} bytes.") \
            from None
    if dtype.is_floating_point:
        array = start + positions * step  # in float64, then rounded once
    else:
        array = int(start) + positions * int(step)
    return _finish(array.astype(dtype.np), requires_grad, out)


def _check_steps(steps: Any, name: str) -> int:
    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool):
        raise TypeError(f"{name}(): argument 'steps' (position 3) must be int, not {type(steps).__name__}")
    if steps < 0:
        raise RuntimeError(f"number of steps must be non-negative, got {steps}")
    return int(steps)


def linspace(start: Any, end: Any, steps: int, *, out: Any = None, dtype: _Dtype | None = None,
             layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """`steps` evenly spaced values from start to end inclusive.

    As torch computes them: from start and end converted to the dtype, with a float step, the first half
    as start + step * i, the second as end - step * (steps - 1 - i)."""
    check_device(device)
    dtype = _check_out("linspace", out, dtype) or _dtype.get_default_dtype()
    steps = _check_steps(steps, "linspace")
    start, end = _number(start), _number(end)
    if steps <= 1:  # torch fills with start without its kernel: no dtype check for a float or bool
        if steps and not dtype.is_floating_point and dtype is not _dtype.bool:
            check_fill_dtype(dtype.np, start)
        with np.errstate(all="ignore"):
            return _finish(np.asarray([start] * steps, np.float64).astype(dtype.np), requires_grad, out)
    if dtype is _dtype.bool:
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    check_fill_dtype(dtype.np, start)
    check_fill_dtype(dtype.np, end)
    # float16 in float16 (its overflow to inf, hence NaN, is torch's); float32 and float64 in float64, rounded
    # once: torch computes them in the dtype, in vector lanes whose width depends on the CPU, so their last
    # bit is no spec
    work = np.float16 if dtype is _dtype.float16 else np.float64
    a, b = (work(np.asarray(v).astype(dtype.np)) for v in (start, end))
    i = np.arange(steps, dtype=work)
    with np.errstate(all="ignore"):
        step = (b - a) / work(steps - 1)
        values = np.where(i < steps // 2, a + step * i, b - step * (steps - 1 - i))
    return _finish(np.asarray(values).astype(dtype.np), requires_grad, out)


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
