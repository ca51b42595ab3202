"""Copies and dtype conversion (_ops/casting.py) against torch: clone, contiguous, and copies that
own their memory."""
import numpy as np
import pytest

import minitorch
from conftest import CASE_DTYPES, assert_matches_torch, case_inputs, gradcheck, over_cases

# (id, fn(lib, *tensors), input shapes)
CASES = [
    ("contiguous", lambda L, x: x.t().contiguous(), [(2, 3)]),
    ("clone", lambda L, x: L.clone(x), [(2, 3)]),
]


@pytest.mark.parametrize("dtype", CASE_DTYPES)
@over_cases(CASES)
def test_matches_torch(fn, shapes, dtype):
    assert_matches_torch(fn, *case_inputs(shapes, dtype))


@over_cases(CASES)
def test_gradcheck(fn, shapes):
    gradcheck(fn, *case_inputs(shapes, np.float64))


def test_copies_do_not_share_memory():
    x = minitorch.arange(6.0).reshape(2, 3)
    copies = [x.flip(0), x.roll(1), x.repeat(1, 1), x.clone(), minitorch.cat([x]), minitorch.stack([x])[0],
              x.t().reshape(-1), x.tile((1,)), x.repeat_interleave(1)]
    x.mul_(0)
    assert all(c.abs().sum().item() > 0 for c in copies)
