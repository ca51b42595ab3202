"""Gather and scatter (_ops/scatter.py) against torch: values, dtypes, gradients (oracle and
gradcheck), scatter's reductions, and errors."""
import numpy as np
import pytest

import minitorch
from conftest import (assert_matches_torch, case_table_tests, distinct_inputs, gradcheck, randn, same_error,
                      same_outcome)

idx = lambda L, v: L.tensor(v)  # noqa: E731

OPS = [
    ("gather", lambda L, x: x.gather(1, idx(L, [[0, 0], [1, 0], [3, 2]])), [(3, 4)]),
    ("gather_dim0", lambda L, x: L.gather(x, 0, idx(L, [[2, 0, 1, 2]])), [(3, 4)]),
    ("gather_3d", lambda L, x: L.gather(x, -1, idx(L, [[[1], [0]]])), [(2, 2, 3)]),
    ("scatter_src", lambda L, x, s: x.scatter(0, idx(L, [[1, 2, 0, 1], [0, 0, 2, 2]]), s), [(3, 4), (2, 4)]),
    ("scatter_value", lambda L, x: L.scatter(x, 1, idx(L, [[0], [3], [2]]), 1.5), [(3, 4)]),
    ("scatter_add", lambda L, x, s: L.scatter_add(x, 0, idx(L, [[1, 1, 1], [1, 0, 1]]), s), [(2, 3), (2, 3)]),
    ("scatter_reduce_sum", lambda L, x, s: x.scatter_reduce(0, idx(L, [0, 0, 2]), s, "sum"), [(3,), (3,)]),
    ("scatter_reduce_mean", lambda L, x, s: x.scatter_reduce(0, idx(L, [0, 0, 2]), s, "mean"), [(3,), (3,)]),
    ("scatter_reduce_mean_noself", lambda L, x, s: x.scatter_reduce(0, idx(L, [0, 0, 2]), s, "mean",
                                                                     include_self=False), [(3,), (3,)]),
    ("scatter_reduce_prod", lambda L, x, s: x.scatter_reduce(0, idx(L, [1, 1, 2]), s, "prod"), [(3,), (3,)]),
    ("scatter_reduce_prod_noself", lambda L, x, s: x.scatter_reduce(0, idx(L, [1, 1, 2]), s, "prod",
                                                                     include_self=False), [(3,), (3,)]),
    ("gather_i32", lambda L, x: L.gather(x, 0, L.tensor([[1, 0]], dtype=L.int32)), [(3, 4)]),
    ("scatter_reduce_amax", lambda L, x, s: x.scatter_reduce(1, idx(L, [[0, 0, 1]]), s, "amax"), [(2, 3), (1, 3)]),
    ("scatter_reduce_amin_noself", lambda L, x, s: L.scatter_reduce(x, 0, idx(L, [1, 1, 2, 1]), s, "amin",
                                                                     include_self=False), [(3,), (4,)]),
    ("take_along_dim", lambda L, x: L.take_along_dim(x, idx(L, [[0], [2]]), 1), [(2, 3)]),
    ("take_along_dim_bcast", lambda L, x: x.take_along_dim(idx(L, [[[0, 1]]]), dim=2), [(2, 3, 4)]),
    ("take_along_dim_flat", lambda L, x: L.take_along_dim(x, idx(L, [5, 0])), [(2, 3)]),
]


test_ops_match_torch, test_ops_gradcheck = case_table_tests(OPS, grad_inputs=distinct_inputs)


@pytest.mark.parametrize("reduce", ["add", "multiply"])
def test_scatter_reduce_argument_and_larger_src(reduce):
    # torch has no derivative for these (nor for a src larger than index): compare values only
    assert_matches_torch(lambda L, x, s: x.scatter(0, idx(L, [[0, 1], [0, 0]]), s, reduce=reduce),
                         randn(2, 2), randn(2, 2, seed=2), grad=False)
    assert_matches_torch(lambda L, x, s: L.scatter(x, 1, idx(L, [[0, 1], [0, 0]]), s),
                         randn(2, 3), randn(3, 4, seed=2), grad=False)


def test_scatter_gradient_with_larger_src():
    # torch 2.13's own backward fails here, so check against the finite-difference gradient
    gradcheck(lambda L, x, s: L.scatter(x, 1, idx(L, [[0, 1], [2, 0]]), s), randn(2, 3), randn(3, 4, seed=2))


ERRORS = [
    lambda L, x: x.gather(0, L.tensor([[0.0]])),
    lambda L, x: x.scatter(0, L.tensor([[0]]), L.ones(1, 1), reduce="max"),
    lambda L, x: x.scatter_reduce(0, L.tensor([[0]]), L.ones(1, 1), "foo"), lambda L, x: x.gather(0, L.tensor([0])),
    lambda L, x: x.gather(0, L.tensor([[5]])), lambda L, x: x.gather(1, L.zeros(5, 1, dtype=L.long)),
    lambda L, x: x.scatter(0, L.tensor([[0.0]]), L.ones(1, 1)),
    lambda L, x: x.scatter(0, L.tensor([[0]]), L.ones(1, 1, dtype=L.float64)),
    lambda L, x: x.scatter(0, L.tensor([[5]]), 1.0),
    lambda L, x: x.scatter(0, L.zeros(1, 5, dtype=L.long), L.ones(2, 4)),
]


@pytest.mark.parametrize("fn", ERRORS)
def test_errors_match_torch(fn):
    same_error(fn, np.zeros((3, 4), np.float32))


@pytest.mark.parametrize("shapes", [((), ()), ((), (1,)), ((3,), ()), ((), (2,)), ((1,), ()), ((2, 3), ())], ids=str)
@pytest.mark.parametrize("dim", [0, -1, 1])
def test_gather_treats_zero_d_as_one_d_like_torch(shapes, dim):
    x = np.arange(int(np.prod(shapes[0])), dtype=np.float32).reshape(shapes[0])
    index = np.zeros(shapes[1], np.int64)
    same_outcome(lambda L, x, i: x.gather(dim, i), x, index)


def test_take_along_dim_refuses_out_of_range_indices():
    """torch reads memory outside the tensor here (an out-of-range index returns garbage); we refuse."""
    with pytest.raises(RuntimeError, match="out of bounds"):
        minitorch.arange(3.0).take_along_dim(minitorch.tensor([0, 5]), 0)


@pytest.mark.parametrize("reduce", ["prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_index_reduce_values_and_gradients_like_torch(reduce, include_self):
    # index 0 twice (source rows 0 and 2 meet there), row 1 never written; ties with self's ones in amax/amin
    x, src = np.ones((4, 2), np.float32), np.array([[1, 5], [1, -2], [3, 0.5]], np.float32)
    assert_matches_torch(lambda L, a, s: a.index_reduce(0, L.tensor([0, 2, 0]), s, reduce, include_self=include_self),
                         x, src)
    assert_matches_torch(lambda L, a, s: L.index_reduce(a, 1, L.tensor([1, 1, 0]), s, reduce,
                                                        include_self=include_self), randn(2, 3), randn(2, 3))


def test_index_reduce_integer_mean_and_in_place_like_torch():
    same_outcome(lambda L, a: a.index_reduce(0, L.tensor([0, 0]), L.tensor([3, 4]), "mean"), np.arange(4))
    same_outcome(lambda L, a: a.clone().index_reduce_(0, L.tensor([1, 0]), a[:2] * 3, "amax"), randn(3, 2))
    same_outcome(lambda L, a: a.index_reduce(0, L.tensor(0), L.tensor(3.0), "prod"), np.array(2.0, np.float32))


@pytest.mark.parametrize("fn", [
    lambda L, a: a.index_reduce(0, L.tensor([0, 1, 0]), a[:3], "sum"),
    lambda L, a: a.index_reduce(0, L.tensor([0.0, 1, 0]), a[:3], "mean"),
    lambda L, a: a.index_reduce(0, L.tensor([[0]]), a[:1], "mean"),
    lambda L, a: a.index_reduce(0, L.tensor([5, 0, 0]), a[:3], "mean"),
    lambda L, a: a.index_reduce(0, L.tensor([-1, 0, 0]), a[:3], "amin"),
    lambda L, a: a.index_reduce(0, L.tensor([0, 1, 0]), a[:3].double(), "mean"),
    lambda L, a: a.index_reduce(0, L.tensor([0, 1, 0]), a[:2], "mean"),
    lambda L, a: a.index_reduce(0, L.tensor([0, 1, 0]), a[:3, :1], "mean"),
    lambda L, a: a.index_reduce(2, L.tensor([0, 1, 0]), a[:3], "mean"),
    lambda L, a: a[0, 0].index_reduce(0, L.tensor([0, 0]), a[0], "prod"),
])
def test_index_reduce_errors_like_torch(fn):
    same_error(fn, randn(4, 2))


@pytest.mark.parametrize("reduce", ["amax", "amin"])
def test_scatter_reduce_without_self_still_counts_an_equal_self_as_a_tie_like_torch(reduce):
    # torch divides the gradient among the src winners and an input entry equal to the result even
    # with include_self=False, then drops the input's share: each src winner gets 1/2 here
    assert_matches_torch(lambda L, x, s: L.scatter_reduce(x, 0, L.tensor([[0, 0], [2, 2]]), s, reduce,
                                                          include_self=False),
                         np.ones((3, 2), np.float32), np.array([[1, 5], [1, -2]], np.float32))


def test_index_reduce_warns_once_that_it_is_beta_like_torch(monkeypatch):
    # torch: "index_reduce() is in beta and the API may change at any time. (Triggered internally
    # at ...)", once per process (TORCH_WARN_ONCE), and only once its checks have passed
    import warnings
    from minitorch._ops import scatter
    monkeypatch.setattr(scatter, "_index_reduce_warned", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        x = minitorch.ones(3, 2)
        with pytest.raises(RuntimeError):
            x.index_reduce(0, minitorch.tensor([0, 1]), minitorch.ones(2, 2), "sum")
        assert not caught
        for _ in range(2):
            x.index_reduce(0, minitorch.tensor([0, 1]), minitorch.ones(2, 2), "prod")
    assert [(w.category, str(w.message)) for w in caught] == [
        (UserWarning, "index_reduce() is in beta and the API may change at any time.")]
