"""cdist (_ops/distances.py) against torch: values, gradients (zero distances included), errors."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_matches_torch, gradcheck, randn, same_error


@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, float("inf")])
@pytest.mark.parametrize("shapes", [[(4, 3), (5, 3)], [(2, 4, 3), (1, 5, 3)]])
def test_cdist_matches_torch_and_gradcheck(p, shapes):
    arrays = [randn(*s, seed=i) for i, s in enumerate(shapes)]
    assert_matches_torch(lambda L, a, b: L.cdist(a, b, p=p), *arrays)
    gradcheck(lambda L, a, b: L.cdist(a, b, p=p), *arrays)


def test_cdist_of_a_set_with_itself_has_torchs_zero_gradient_on_the_diagonal():
    assert_matches_torch(lambda L, a: L.cdist(a, a), randn(4, 3))
    for L in (minitorch, torch):
        assert L.cdist(L.randn(2, 3, requires_grad=True), L.randn(2, 3)).grad_fn.name() == "CdistBackward0"


@pytest.mark.parametrize("call", [
    lambda L: L.cdist(L.randn(2, 3), L.randn(2, 4)),
    lambda L: L.cdist(L.randn(3), L.randn(2, 3)),
    lambda L: L.cdist(L.randn(2, 3), L.randn(2, 3), p=-1),
    lambda L: L.cdist(L.arange(6).view(2, 3), L.arange(6).view(2, 3)),
    lambda L: L.cdist(L.randn(2, 2, 3), L.randn(3, 2, 3)),
])
def test_errors_match_torch(call):
    same_error(lambda L: call(L))
