"""cross / linalg.cross and kron (_ops/vector_products.py) against torch: values, gradients, errors."""
import warnings

import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_matches_torch, gradcheck, randn, same_error, same_outcome

CASES = [
    (lambda L, a, b: L.linalg.cross(a, b), [(4, 3), (4, 3)]),
    (lambda L, a, b: L.linalg.cross(a, b, dim=0), [(3, 2), (3, 1)]),
    (lambda L, a, b: L.cross(a, b, dim=1), [(2, 3, 4), (1, 3, 1)]),
    (lambda L, a, b: a.cross(b, dim=-1), [(5, 3), (1, 3)]),
    (lambda L, a, b: L.kron(a, b), [(2, 3), (4, 2)]),
    (lambda L, a, b: L.kron(a, b), [(3,), (2, 2)]),
    (lambda L, a, b: a.kron(b), [(2, 1, 2), (3,)]),
]


@pytest.mark.parametrize("fn, shapes", CASES)
def test_matches_torch_and_gradcheck(fn, shapes):
    arrays = [randn(*s, seed=i) for i, s in enumerate(shapes)]
    assert_matches_torch(fn, *arrays)
    gradcheck(fn, *arrays)


def test_cross_double_backward():
    a, b = randn(4, 3, dtype=np.float64), randn(4, 3, dtype=np.float64, seed=1)
    inputs = [minitorch.tensor(x, requires_grad=True) for x in (a, b)]
    assert minitorch.autograd.gradgradcheck(lambda x, y: minitorch.linalg.cross(x, y), inputs)


def test_cross_without_dim_warns_and_takes_the_first_size_3_dim():
    a, b = randn(3, 3), randn(3, 3, seed=1)
    with pytest.warns(UserWarning, match="without specifying the dim arg is deprecated"):
        got = minitorch.cross(minitorch.tensor(a), minitorch.tensor(b))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = torch.cross(torch.tensor(a), torch.tensor(b))
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-6)


def test_node_names_and_integer_dtypes_match_torch():
    for L in (minitorch, torch):
        a = L.tensor(randn(2, 3), requires_grad=True)
        assert L.linalg.cross(a, a.detach()).grad_fn.name() == "LinalgCrossBackward0"
        assert L.kron(a, a.detach()).grad_fn.name() == "UnsafeViewBackward0"
    ints = [np.arange(6).reshape(2, 3), np.arange(3).reshape(1, 3) - 1]
    assert_matches_torch(lambda L, a, b: L.linalg.cross(a, b), *ints, grad=False)
    assert_matches_torch(lambda L, a, b: L.kron(a, b), *ints, grad=False)


def test_out_matches_torch():
    a, b = randn(4, 3), randn(4, 3, seed=1)
    for name, call in (("cross", lambda L, x, y, o: L.linalg.cross(x, y, out=o)),
                       ("kron", lambda L, x, y, o: L.kron(x, y, out=o))):
        got, expected = minitorch.empty(0), torch.empty(0)
        call(minitorch, minitorch.tensor(a), minitorch.tensor(b), got)
        call(torch, torch.tensor(a), torch.tensor(b), expected)
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-6, err_msg=name)


@pytest.mark.parametrize("fn, arrays", [
    (lambda L, a, b: L.linalg.cross(a, b, dim=1), [randn(3, 2), randn(3, 2)]),
    (lambda L, a, b: L.linalg.cross(a, b), [randn(2, 3), randn(4, 3)]),
    (lambda L, a, b: L.linalg.cross(a, b), [randn(2, 3), randn(2, 3, dtype=np.float64)]),
    (lambda L, a, b: L.cross(a, b, dim=3), [randn(2, 3), randn(2, 3)]),
    (lambda L, a, b: L.linalg.cross(a, b, dim=0), [randn(3, 2), randn(1, 2)]),
    (lambda L, a, b: L.linalg.cross(a, b), [randn(2, 3), randn(3)]),
    (lambda L, a, b: L.kron(a, b.tolist()), [randn(2), randn(2)]),
])
def test_errors_match_torch(fn, arrays):
    same_error(fn, *arrays)


def test_cross_without_a_size_3_dim_raises_like_torch():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_error(lambda L, a, b: L.cross(a, b), randn(4, 2), randn(4, 2))


@pytest.mark.parametrize("shapes", [[(2, 2), (1,), (1, 3)], [(3,)], [(2, 3), (3, 2)], [()]])
def test_block_diag_matches_torch_and_gradcheck(shapes):
    arrays = [randn(*s, seed=i) if s else np.array(1.5, np.float32) for i, s in enumerate(shapes)]
    assert_matches_torch(lambda L, *xs: L.block_diag(*xs), *arrays)
    gradcheck(lambda L, *xs: L.block_diag(*xs), *arrays)


def test_block_diag_dtypes_node_and_errors_like_torch():
    assert_matches_torch(lambda L, a, b: L.block_diag(a, b), np.ones((2, 2), np.float32), np.arange(2), grad=False)
    for L in (minitorch, torch):
        assert L.block_diag(L.ones(2, 2, requires_grad=True)).grad_fn.name() == "BlockDiagBackward0"
        assert tuple(L.block_diag().shape) == (1, 0)
    same_error(lambda L, a: L.block_diag(a), randn(2, 2, 2))


@pytest.mark.parametrize("a, b", [(np.array(4.0), np.array(3)), (np.ones(2), np.ones(2, np.int64)),
                                  (np.ones(3), np.ones(3, np.int64))])
def test_cross_checks_dims_and_lengths_before_dtypes_like_torch(a, b):
    same_outcome(lambda L, x, y: L.linalg.cross(x, y), a, b)
