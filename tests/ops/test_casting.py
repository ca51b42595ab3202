"""Copies and dtype conversion (_ops/casting.py) against torch: clone, contiguous, and copies that
own their memory."""
import numpy as np
import pytest

import minitorch
from conftest import assert_matches_torch, gradcheck, randn

# (id, fn(lib, *tensors), input shapes)
CASES = [
    ("contiguous", lambda L, x: x.t().contiguous(), [(2, 3)]),
    ("clone", lambda L, x: L.clone(x), [(2, 3)]),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
@pytest.mark.parametrize("name,fn,shapes", CASES, ids=[c[0] for c in CASES])
def test_matches_torch(name, fn, shapes, dtype):
    arrays = [(randn(*s, seed=i) * 5).astype(dtype) for i, s in enumerate(shapes)]
    assert_matches_torch(fn, *arrays)


@pytest.mark.parametrize("name,fn,shapes", CASES, ids=[c[0] for c in CASES])
def test_gradcheck(name, fn, shapes):
    gradcheck(fn, *[randn(*s, dtype=np.float64, seed=i) for i, s in enumerate(shapes)])


def test_copies_do_not_share_memory():
    x = minitorch.arange(6.0).reshape(2, 3)
    copies = [x.flip(0), x.roll(1), x.repeat(1, 1), x.clone(), minitorch.cat([x]), minitorch.stack([x])[0],
              x.t().reshape(-1), x.tile((1,)), x.repeat_interleave(1)]
    x.mul_(0)
    assert all(c.abs().sum().item() > 0 for c in copies)
