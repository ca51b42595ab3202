"""nn.functional pieces not covered by the layer tests: one_hot, normalize, distances, legacy args."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
import minitorch.nn.functional as F
from conftest import assert_matches_torch, gradcheck, randn


def test_one_hot_like_torch():
    idx = np.array([[0, 3], [2, 1]])
    for n in (-1, 5):
        ours = F.one_hot(minitorch.tensor(idx), n)
        theirs = torch.nn.functional.one_hot(torch.tensor(idx), n)
        assert ours.dtype is minitorch.int64 and ours.tolist() == theirs.tolist()
    for bad, n in ((np.array([-1]), -1), (np.array([5]), 3)):
        msgs = []
        for lib in (minitorch, torch):
            with pytest.raises(RuntimeError) as info:
                lib.nn.functional.one_hot(lib.tensor(bad), n)
            msgs.append(str(info.value))
        assert msgs[0] == msgs[1]
    with pytest.raises(RuntimeError, match="LongTensor"):
        F.one_hot(minitorch.tensor([1.0]))


@pytest.mark.parametrize("p,dim", [(2.0, 1), (1.0, 0), (3.0, -1), (float("inf"), 1)])
def test_normalize(p, dim):
    f = lambda lib, x: lib.nn.functional.normalize(x, p=p, dim=dim)
    assert_matches_torch(f, randn(3, 4))
    gradcheck(f, randn(3, 4))


def test_normalize_zero_row_is_finite_like_torch():
    x = randn(2, 3)
    x[0] = 0
    assert_matches_torch(lambda lib, x: lib.nn.functional.normalize(x, dim=1), x)


@pytest.mark.parametrize("shapes,dim", [(((4, 5), (4, 5)), 1), (((3, 4), (1, 4)), 1), (((2, 3, 4), (2, 3, 4)), 0)])
def test_cosine_similarity(shapes, dim):
    f = lambda lib, a, b: lib.nn.functional.cosine_similarity(a, b, dim=dim)
    a, b = randn(*shapes[0]), randn(*shapes[1], seed=3)
    assert_matches_torch(f, a, b)
    gradcheck(f, a, b)


@pytest.mark.parametrize("p", [1.0, 2.0, 3.0])
@pytest.mark.parametrize("keepdim", [False, True])
def test_pairwise_distance(p, keepdim):
    f = lambda lib, a, b: lib.nn.functional.pairwise_distance(a, b, p=p, keepdim=keepdim)
    assert_matches_torch(f, randn(4, 5), randn(4, 5, seed=1))
    gradcheck(f, randn(4, 5), randn(4, 5, seed=1))


def test_legacy_reduction_arguments():
    x, y = randn(3, 4), randn(3, 4, seed=1)
    for kwargs in ({"size_average": False}, {"reduce": False}, {"size_average": True, "reduce": True}):
        with pytest.warns(UserWarning):
            ours = F.mse_loss(minitorch.tensor(x), minitorch.tensor(y), **kwargs)
        with pytest.warns(UserWarning):
            theirs = torch.nn.functional.mse_loss(torch.tensor(x), torch.tensor(y), **kwargs)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def test_embedding_functional_matches_torch():
    idx = np.array([[0, 2], [2, 1]])
    assert_matches_torch(lambda lib, w: lib.nn.functional.embedding(lib.tensor(idx), w), randn(3, 4))


def test_functional_dropout_eval_is_identity():
    x = minitorch.randn(3, 3)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout2d(x.reshape(1, 3, 3, 1), 0.5, training=False).shape == (1, 3, 3, 1)
