"""Copies and dtype conversion (_ops/casting.py) against torch: clone, contiguous, and copies that
own their memory."""
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
