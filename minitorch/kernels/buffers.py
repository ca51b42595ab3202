"""Reused result arrays: a large array is handed out again once nothing references it.

Writing into fresh memory costs a page fault per page (the OS zeroes it first), and on the
machines we target that costs as much as a kernel's own work: a CNN's ReLU fills a warm
9 MB buffer in 0.5 ms and a fresh one in several. glibc hands large freed blocks back to
the OS, so a training loop that allocates the same shapes every step would pay those
faults every step. The kernels take their large results from `empty` instead.

`empty` keeps the arrays it hands out, a few per (shape, dtype). One whose only reference
left is this module's own is free: nothing in the process can read or write it any more
(a Tensor, a numpy view through its `.base`, a value saved for backward, a memoryview,
all hold a reference), so handing it out again cannot be observed. An array a user keeps,
such as a returned activation or a parameter's `.grad`, stays referenced and is not
reused while kept. Small arrays are left to numpy, whose allocator recycles them anyway.

The arrays kept are bounded by `_BUDGET` bytes: past it, the shapes used longest ago are
forgotten (their arrays are freed as soon as their users drop them).
"""
from __future__ import annotations

from math import prod
from sys import getrefcount

import numpy as np

__all__ = ["empty"]

_MIN_BYTES = 1 << 17           # below this, glibc's free lists recycle blocks without page faults
_PER_SHAPE = 4                 # a CNN step has at most ~3 live arrays of one activation shape
_BUDGET = 1 << 28              # bytes of arrays kept, free or in use (512 MiB put peak RSS above torch's)

_kept: dict = {}               # (shape, dtype) -> arrays handed out; oldest use first
_kept_bytes = 0


def _refcount_of_a_free_array() -> int:
    """What `getrefcount` reports inside `empty`'s loop for an array nobody else holds: the
    list's reference, the loop variable's and the call's argument (fewer on Pythons that
    borrow arguments), measured rather than assumed."""
    kept = [np.empty(0)]
    for array in kept:
        return getrefcount(array)
    raise AssertionError("unreachable")


_FREE = _refcount_of_a_free_array()


def empty(shape: tuple, dtype) -> np.ndarray:
    """An uninitialised C-contiguous array of `shape` and `dtype`, reusing a free one if any.

    The caller must fill it: a reused array holds an earlier result.
    """
    global _kept_bytes
    dtype = np.dtype(dtype)
    nbytes = prod(shape) * dtype.itemsize
    if nbytes < _MIN_BYTES:
        return np.empty(shape, dtype)
    key = (tuple(shape), dtype)
    arrays = _kept.pop(key, None)
    if arrays is None:
        arrays = []
    _kept[key] = arrays                # (re)inserted last: the dict runs from oldest use to newest
    # The loop variable holds its own reference until the caller has one, so two threads
    # can never both see the same array free.
    for array in arrays:
        if getrefcount(array) == _FREE:
            return array
    array = np.empty(shape, dtype)
    if len(arrays) < _PER_SHAPE and nbytes <= _BUDGET // _PER_SHAPE:
        arrays.append(array)
        _kept_bytes += nbytes
        while _kept_bytes > _BUDGET:
            old_key = next(iter(_kept))  # never `key`, the newest, since its arrays fit the budget
            _kept_bytes -= sum(a.nbytes for a in _kept.pop(old_key))
    return array
