"""`_ops._common.remembered`: argument checks remembered per argument values, never their errors."""
from __future__ import annotations

import pytest
import torch

import minitorch as mt
from minitorch._ops._common import remembered


def test_a_remembered_check_runs_once_per_hashable_arguments_and_every_time_for_others():
    calls = []

    @remembered
    def check(shape, kernel):
        calls.append((shape, kernel))
        return tuple(s // k for s, k in zip(shape, kernel))

    assert check((4, 6), (2, 3)) == (2, 2)
    assert check((4, 6), (2, 3)) == (2, 2)
    assert len(calls) == 1
    assert check((4, 6), [2, 3]) == (2, 2)  # a list does not hash: checked afresh each time
    assert check((4, 6), [2, 3]) == (2, 2)
    assert len(calls) == 3


def test_a_remembered_check_raises_every_time_and_tells_2_from_2_0():
    @remembered
    def kernel_of(value):
        if not isinstance(value, int):
            raise TypeError(f"kernel must be an int, not {type(value).__name__}")
        if value <= 0:
            raise RuntimeError(f"kernel must be positive, got {value}")
        return value

    assert kernel_of(2) == 2
    for _ in range(2):
        with pytest.raises(TypeError, match="not float"):
            kernel_of(2.0)  # equal to 2 and hashing alike, but refused
        with pytest.raises(RuntimeError, match="got 0"):
            kernel_of(0)


@pytest.mark.parametrize("lib", [torch, mt], ids=["torch", "minitorch"])
def test_pooling_and_conv_keep_refusing_what_they_refused_after_a_good_call(lib):
    x = lib.ones(1, 1, 4, 4)
    assert tuple(lib.nn.functional.max_pool2d(x, 2).shape) == (1, 1, 2, 2)
    with pytest.raises(TypeError):
        lib.nn.functional.max_pool2d(x, 2.0)
    for _ in range(2):
        with pytest.raises(RuntimeError, match="too small"):
            lib.nn.functional.max_pool2d(x, 5, padding=2, stride=8, dilation=3)
    w = lib.ones(2, 1, 3, 3)
    assert tuple(lib.nn.functional.conv2d(x, w).shape) == (1, 2, 2, 2)
    for _ in range(2):
        with pytest.raises(RuntimeError, match="Kernel size can't be greater"):
            lib.nn.functional.conv2d(x, lib.ones(2, 1, 5, 5))
    assert tuple(lib.nn.functional.max_pool2d(x, [2, 2]).shape) == (1, 1, 2, 2)
