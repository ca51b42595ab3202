"""Copies and dtype conversion (_ops/casting.py) against torch: clone, contiguous, and copies that
own their memory, float64 to uint8."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import case_table_tests

# (id, fn(lib, *tensors), input shapes)
CASES = [
    ("contiguous", lambda L, x: x.t().contiguous(), [(2, 3)]),
    ("clone", lambda L, x: L.clone(x), [(2, 3)]),
]


test_matches_torch, test_gradcheck = case_table_tests(CASES)


def test_copies_do_not_share_memory():
    x = minitorch.arange(6.0).reshape(2, 3)
    copies = [x.flip(0), x.roll(1), x.repeat(1, 1), x.clone(), minitorch.cat([x]), minitorch.stack([x])[0],
              x.t().reshape(-1), x.tile((1,)), x.repeat_interleave(1)]
    x.mul_(0)
    assert all(c.abs().sum().item() > 0 for c in copies)


@pytest.mark.parametrize("make", [lambda L, v: L.tensor(v).to(L.uint8), lambda L, v: L.tensor(v).byte(),
                                  lambda L, v: L.tensor(v, dtype=L.uint8)])
def test_float64_to_uint8_keeps_the_low_byte_of_large_values_like_torch(make):
    # torch converts through int64; numpy's astype goes through int32 and gave 0 beyond its range
    values = np.array([-29858596214.640644, 384217361.2799, 3e10, 300.7, -1.5, np.nan, np.inf])
    with np.errstate(invalid="ignore"):
        assert make(minitorch, values).tolist() == make(torch, values).tolist()
