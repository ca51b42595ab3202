"""F.pad in every mode against torch, gradcheck, double backward and errors."""
import itertools

import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_matches_torch, gradcheck, randn


def F(lib):
    return lib.nn.functional


CASES = [
    ("constant", (2, 3, 4), (1, 2)),
    ("constant", (2, 3, 4, 5), (1, 0, 2, 3)),
    ("constant", (2, 3, 4, 5), (-1, 2, 0, -2)),      # negative pads crop
    ("constant", (3, 4), (1, 1, 2, 2)),
    ("constant", (2, 2, 2, 3, 3), (1, 1, 1, 1, 1, 1, 1, 1)),
    ("reflect", (2, 5), (2, 3)),
    ("reflect", (2, 3, 5), (4, 1)),
    ("reflect", (1, 2, 4, 5), (1, 3, 2, 0)),
    ("reflect", (1, 2, 3, 4, 3), (1, 2, 2, 1, 1, 1)),
    ("replicate", (2, 3, 4), (3, 2)),
    ("replicate", (1, 2, 4, 5), (2, 2, 3, 1)),
    ("replicate", (2, 3, 4, 3), (1, 0, 2, 1, 1, 2)),
    ("circular", (2, 3, 4), (2, 3)),
    ("circular", (1, 2, 4, 5), (1, 2, 4, 0)),
    ("circular", (1, 1, 3, 2, 3), (1, 1, 2, 0, 1, 1)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("mode,shape,pad", CASES)
def test_pad_matches_torch(mode, shape, pad, dtype):
    assert_matches_torch(lambda lib, x: F(lib).pad(x, pad, mode=mode), randn(*shape, dtype=dtype))


def test_constant_value_and_gradcheck():
    assert_matches_torch(lambda lib, x: F(lib).pad(x, (1, 2, 0, 1), value=-2.5), randn(2, 3, 4))
    for mode in ("constant", "reflect", "replicate", "circular"):
        gradcheck(lambda lib, x: F(lib).pad(x, (2, 1, 1, 2), mode=mode), randn(1, 2, 3, 4))


def test_pad_double_backward():
    def penalty(lib, x):
        g, = lib.autograd.grad((F(lib).pad(x, (2, 1, 1, 2), mode="reflect") ** 3).sum(), x, create_graph=True)
        return (g * g).sum()
    assert_matches_torch(penalty, randn(1, 2, 3, 4, dtype=np.float64))


@pytest.mark.parametrize("mode,shape,pad", [
    ("reflect", (1, 2, 3), (3, 0)),                 # reflect pad must be < size
    ("reflect", (1, 2, 3, 3), (1, 1)),              # wrong pad length for the rank
    ("constant", (2, 3), (1, 1, 1)),                # odd length
    ("circular", (1, 1, 2), (3, 0)),                # wraps more than once
])
def test_pad_errors(mode, shape, pad):
    x = randn(*shape)
    with pytest.raises(Exception) as expected:
        F(torch).pad(torch.tensor(x), pad, mode=mode)
    with pytest.raises(type(expected.value)):
        F(minitorch).pad(minitorch.tensor(x), pad, mode=mode)


# ----- circular padding with negative pads: crop first, then wrap what is left -------------------------------
def _circular_cases():
    for shape in [(1, 1, 3, 3), (1, 2, 4), (2, 3, 5), (1, 1, 2, 3, 4)]:
        dims = min(len(shape) - 2, 2)
        for pads in itertools.product([-2, -1, 0, 1, 3], repeat=2 * dims):
            sizes = shape[::-1][:dims]
            kept = [s - max(-pads[2 * i], 0) - max(-pads[2 * i + 1], 0) for i, s in enumerate(sizes)]
            # a pad longer than what is left makes torch refuse or read uninitialised memory: not compared
            if all(p <= k for i, k in enumerate(kept) for p in pads[2 * i:2 * i + 2]) or min(kept) < 0:
                yield shape, list(pads)


@pytest.mark.parametrize("shape,pads", list(_circular_cases()), ids=str)
def test_circular_padding_with_negative_pads_matches_torch(shape, pads):
    x = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    try:
        torch.nn.functional.pad(torch.tensor(x), pads, mode="circular")
    except Exception as e:  # negative output size, or a 5-D input with 2-D padding
        with pytest.raises(type(e)):
            minitorch.nn.functional.pad(minitorch.tensor(x), pads, mode="circular")
        return
    assert_matches_torch(lambda L, x: L.nn.functional.pad(x, pads, mode="circular"), x)
