"""meshgrid, cartesian_prod, combinations, tril_indices, triu_indices (_ops/grids.py) against torch."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_matches_torch, gradcheck, randn, same_error, same_outcome


@pytest.mark.parametrize("fn, shapes", [
    (lambda L, a, b: L.meshgrid(a, b, indexing="ij"), [(2,), (3,)]),
    (lambda L, a, b, c: L.meshgrid([a, b, c], indexing="xy"), [(2,), (3,), (4,)]),
    (lambda L, a, b: L.cartesian_prod(a, b), [(2,), (3,)]),
    (lambda L, a, b, c: L.cartesian_prod(a, b, c), [(2,), (1,), (3,)]),
    (lambda L, a: L.combinations(a), [(4,)]),
    (lambda L, a: L.combinations(a, r=3, with_replacement=True), [(3,)]),
    (lambda L, a: L.combinations(a, r=5), [(3,)]),
])
def test_matches_torch_and_gradcheck(fn, shapes):
    arrays = [randn(*s, seed=i) for i, s in enumerate(shapes)]
    assert_matches_torch(fn, *arrays)
    gradcheck(fn, *arrays)


def test_meshgrid_of_a_matrix_raises_like_torch():
    # torch prints the tensor in C++'s layout; the message starts alike and the type is the same
    same_outcome(lambda L, a: L.meshgrid(a[None], indexing="ij"), np.arange(3.0))
    with pytest.raises(RuntimeError, match="Expected 0D or 1D tensor in the tensor list"):
        minitorch.meshgrid(minitorch.ones(2, 2), indexing="ij")


def test_meshgrid_without_indexing_warns_and_uses_ij():
    with pytest.warns(UserWarning, match="indexing argument"):
        x, y = minitorch.meshgrid(minitorch.arange(2), minitorch.arange(3))
    assert x.shape == (2, 3) and y.tolist() == [[0, 1, 2], [0, 1, 2]]


def test_special_cases_match_torch():
    same_outcome(lambda L, a: L.combinations(a, r=0), np.arange(3.0))
    same_outcome(lambda L, a: L.cartesian_prod(a), np.arange(3))
    for call in (lambda L: L.tril_indices(3, 4), lambda L: L.tril_indices(4, 3, -1), lambda L: L.triu_indices(3, 2, 1),
                 lambda L: L.triu_indices(3, 3, dtype=L.int32), lambda L: L.tril_indices(0, 3),
                 lambda L: L.tril_indices(3, 4, -5)):
        got, expected = call(minitorch), call(torch)
        assert got.dtype.name == str(expected.dtype)[6:] and got.tolist() == expected.tolist()


@pytest.mark.parametrize("fn", [
    lambda L, a: L.combinations(a[None]),
    lambda L, a: L.combinations(a, r=-1),
    lambda L, a: L.cartesian_prod(a, a[None]),
    lambda L, a: L.meshgrid(a, indexing="yx"),
    lambda L, a: L.tril_indices(-1, 2),
    lambda L, a: L.triu_indices(2, 2, dtype=L.float32),
])
def test_errors_match_torch(fn):
    same_error(fn, np.arange(3.0))


@pytest.mark.parametrize("indices, shape", [([4, 7], (3, 4)), (5, (2, 3)), ([[1, -1]], (2, 3)), ([12, -13], (3, 4)),
                                            ([3], ()), ([0, 5, 11], 12)])
def test_unravel_index_matches_torch(indices, shape):
    got = minitorch.unravel_index(minitorch.tensor(indices), shape)
    expected = torch.unravel_index(torch.tensor(indices), shape)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.dtype.name == "int64" and g.tolist() == e.tolist()


@pytest.mark.parametrize("call", [lambda L: L.unravel_index(L.tensor([1.0]), (3, 4)),
                                  lambda L: L.unravel_index(L.tensor([1]), (3, -4))])
def test_unravel_index_errors_match_torch(call):
    same_error(lambda L: call(L))
