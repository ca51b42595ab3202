"""Sorting and extremes (_ops/sorting.py, _ops/extremes.py) against torch: topk, kthvalue, sort, median, mode,
unique, argmax, ties sharing the gradient, and the named tuples printed like torch.return_types."""
import math

import numpy as np
import pytest
import torch

import minitorch
from conftest import ALL_DTYPES, assert_matches_torch, check_results, randn, same_error, same_outcome


@pytest.mark.parametrize("k,kw", [(1, {}), (3, {"dim": 0}), (2, {"dim": -1, "largest": False}),
                                  (4, {"dim": 1, "sorted": True})])
def test_topk(k, kw):
    check_results(lambda L, x: L.topk(x, k, **kw), randn(4, 5))


@pytest.mark.parametrize("k,kw", [(1, {}), (3, {"dim": 0}), (2, {"dim": 1, "keepdim": True})])
def test_kthvalue(k, kw):
    check_results(lambda L, x: L.kthvalue(x, k, **kw), randn(4, 5))


@pytest.mark.parametrize("call", [
    "lib.sort(t, 0, stable=True)", "lib.sort(t, stable=True, dim=0)", "lib.sort(t, 0, False, stable=True)",
    "t.sort(0, stable=True)", "lib.sort(t, 0, True)", "lib.sort(t, 0, True, True)",
    "lib.sort(t, stable=False, descending=True)", "t.sort(-1, True)", "lib.argsort(t, 0, stable=True)",
    "lib.argsort(t, 0, True)", "t.argsort(descending=True, stable=True)"])
def test_sort_overloads_stable_only_with_keyword_dim_like_torch(call):
    # torch has (input, dim, descending) and (input, *, stable, dim, descending): naming `stable`
    # makes dim and descending keyword-only, so mixing raises TypeError
    same_outcome(lambda lib, t: eval(call), np.array([3.0, 1.0, 2.0, 1.0], dtype=np.float32))


def test_sort_descending_and_stable_ties():
    x = np.array([[2., 1, 2, 3, 1, 2], [0, 0, 5, 5, 0, 1]], np.float32)
    for kw in [{}, {"descending": True}, {"stable": True, "descending": True}, {"dim": 0}]:
        check_results(lambda L, t: L.sort(t, stable=True, **{k: v for k, v in kw.items()
                                                                    if k != "stable"}), x)
        check_results(lambda L, t: L.argsort(t, stable=True, **{k: v for k, v in kw.items()
                                                                       if k != "stable"}), x, grad=False)
    nan = np.array([2., np.nan, 1., 2.], np.float32)
    check_results(lambda L, t: L.sort(t, descending=True, stable=True), nan, grad=False)
    check_results(lambda L, t: L.sort(t, stable=True), nan, grad=False)


def test_ties_share_gradient_like_torch():
    x = np.array([[1., 3., 3., 2.], [5., 5., 5., 0.]], np.float32)
    for fn in [lambda L, t: t.max(), lambda L, t: t.amax(1), lambda L, t: L.amin(t, 0),
               lambda L, t: t.max(1), lambda L, t: t.min(dim=0), lambda L, t: t.median(),
               lambda L, t: t.median(1), lambda L, t: L.aminmax(t),
               lambda L, t: L.aminmax(t, dim=1, keepdim=True), lambda L, t: L.norm(t, math.inf, 1)]:
        check_results(fn, x)


def test_median_lower_and_nan():
    check_results(lambda L, t: (t.median(), t.median(0)), np.array([4., 1., 3., 2.], np.float32))
    check_results(lambda L, t: (t.median(), t.median(1)),
                         np.array([[4., np.nan, 3.], [1, 2, 3]], np.float32), grad=False)


def test_mode():
    x = np.array([[1, 3, 3, 2, 2], [0, 4, 4, 4, 1]], np.int64)
    check_results(lambda L, t: (t.mode(), L.mode(t, 0), t.mode(1, keepdim=True)), x)
    check_results(lambda L, t: t.mode(), np.array([[1., 2, 1], [3, 3, 0]], np.float32))


@pytest.mark.parametrize("dt", [np.int64, np.int32, np.uint8])
def test_integer_order_statistics(dt):
    x = np.array([[4, 1, 3, 6], [0, 2, 5, 7]]).astype(dt)  # no ties: their order is unspecified
    check_results(lambda L, t: (t.argmax(), t.argmin(1), t.topk(2), t.sort(dim=1, stable=True),
                                       t.kthvalue(2), t.median(), t.median(1), t.min(0), t.amin(1)), x)


def test_argmax_keepdim_without_dim_and_nan():
    check_results(lambda L, t: (t.argmax(keepdim=True), t.argmin(dim=0, keepdim=True)), randn(2, 3))
    x = np.array([[1., np.nan, 3.], [2., 1., 0.]], np.float32)
    check_results(lambda L, t: (t.argmax(1), t.max(1), t.amax(0), t.max()), x, grad=False)


@pytest.mark.parametrize("kw", [{}, {"return_inverse": True}, {"return_counts": True},
                                {"return_inverse": True, "return_counts": True, "dim": 0},
                                {"return_inverse": True, "dim": 1}, {"sorted": True, "return_counts": True}])
def test_unique(kw):
    x = np.array([[3, 1, 3], [0, 5, 0], [3, 1, 3]], np.int64)
    check_results(lambda L, t: L.unique(t, **kw), x)
    check_results(lambda L, t: t.unique(**kw), x.astype(np.float32), grad=False)


def test_namedtuple_fields_and_repr():
    x = randn(3, 4)
    pairs = [("max", lambda L, t: L.max(t, 1)), ("min", lambda L, t: t.min(0, True)),
             ("sort", lambda L, t: t.sort()), ("topk", lambda L, t: t.topk(2)),
             ("kthvalue", lambda L, t: t.kthvalue(1)), ("median", lambda L, t: t.median(0)),
             ("mode", lambda L, t: t.mode()), ("aminmax", lambda L, t: L.aminmax(t))]
    for name, fn in pairs:
        mine, ref = fn(minitorch, minitorch.tensor(x)), fn(torch, torch.tensor(x))
        assert type(mine).__name__ == type(ref).__name__ == name and len(mine) == len(ref) == 2
        for field in mine._fields:
            np.testing.assert_array_equal(getattr(mine, field).numpy(), getattr(ref, field).numpy())
        assert repr(mine) == repr(ref)
        values, indices = mine
        assert values is mine[0]


def test_max_binary_form_is_maximum():
    a, b = randn(3, 4), randn(4, seed=1)
    check_results(lambda L, x, y: (L.max(x, y), L.min(x, y), x.max(y), x.min(other=y)), a, b)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("name,call", [
    ("topk", lambda lib, t: lib.topk(t, 1)), ("topk_k0", lambda lib, t: lib.topk(t, 0, 0)),
    ("kthvalue", lambda lib, t: lib.kthvalue(t, 1)), ("kthvalue_dim0", lambda lib, t: lib.kthvalue(t, 2, 0)),
    ("mode", lambda lib, t: lib.mode(t)), ("mode_dim0", lambda lib, t: lib.mode(t, 0, True)),
    ("sort", lambda lib, t: lib.sort(t, dim=0, descending=True, stable=True)), ("argsort", lambda lib, t: lib.argsort(t)),
    ("aminmax", lambda lib, t: lib.aminmax(t)), ("max_dim", lambda lib, t: lib.max(t, -1, True)),
])
def test_order_statistics_of_0d_empty_and_bool_inputs_match_torch(name, call, dtype):
    # empty reduced dims raise IndexError, bool refused by topk/kthvalue; values of distinct-valued inputs
    for shape in [(), (0,), (3, 0), (2, 3)]:
        x = (np.arange(int(np.prod(shape)), dtype=np.float64)[::-1] % 5).reshape(shape)
        same_outcome(call, x.astype(dtype) if dtype != "bool" else x.astype(bool))


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin"])
def test_whole_tensor_extremes_with_nan_route_the_gradient_like_torch(name):
    # max()/min() share it among the NaN entries; amax/amin give NaN everywhere
    x = np.array([[-2.2, -1.2, np.nan], [1.2, np.nan, 2.1]])
    assert_matches_torch(lambda L, a: getattr(L, name)(a), x)
    assert getattr(minitorch, name)(minitorch.tensor(x, requires_grad=True)).grad_fn.name() == \
        getattr(torch, name)(torch.tensor(x, requires_grad=True)).grad_fn.name()


def test_aminmax_without_dim_keeps_every_dim_with_keepdim_like_torch():
    same_outcome(lambda L, a: tuple(L.aminmax(a, keepdim=True)), np.array([[4, -3, 2]]))


def test_unique_keeps_each_nan_and_checks_its_dim_like_torch():
    # every NaN is its own value (numpy's default gathers them); a 0-d tensor has no dim 0; an empty tensor
    # needs its single zero-size dim selected
    same_outcome(lambda L, a: L.unique(a, return_inverse=True, return_counts=True), np.array([3.0, np.nan, 1.0, np.nan]))
    same_outcome(lambda L, a: L.unique(a, dim=0), np.array(2.0))
    for shape, dim in [((0, 0, 1), 2), ((0, 0, 0), 2), ((3, 0), 1), ((3, 0), 0)]:
        same_outcome(lambda L, a: L.unique(a, dim=dim), np.zeros(shape))


NAN_ROWS = np.array([[np.nan, 1, np.nan, 3], [np.nan] * 4, [2, 2, 1, np.nan], [0, 0, 0, 0]], dtype=np.float32)


@pytest.mark.parametrize("call", ["lib.nanmedian(t)", "lib.nanmedian(t, 1)", "lib.nanmedian(t, 0, keepdim=True)",
                                  "t.nanmedian(-1)", "lib.nanmedian(t[1])", "lib.nanmedian(t[0])"])
def test_nanmedian_values_indices_and_gradient_like_torch(call):
    # the all-NaN row reports the index torch's nth_element leaves first; the whole-tensor form
    # shares the gradient among tied entries (all the NaNs when every value is NaN)
    check_results(lambda lib, t: eval(call), NAN_ROWS)


@pytest.mark.parametrize("n", [1, 4, 7, 33])
def test_nanmedian_of_all_nan_rows_reports_torchs_index(n):
    check_results(lambda L, t: L.nanmedian(t, 1), np.full((2, n), np.nan))


@pytest.mark.parametrize("fn", [lambda L, t: L.nanmedian(t[:, :0], 1), lambda L, t: L.nanmedian(t > 0),
                                lambda L, t: L.nanmedian(t > 0, 0), lambda L, t: L.nanmedian(t, 2)])
def test_nanmedian_errors_like_torch(fn):
    same_error(fn, NAN_ROWS)


def test_nanmedian_of_empty_integer_tensor_is_torchs_cast_nan():
    check_results(lambda L, t: L.nanmedian(t), np.zeros(0, np.int64))


def test_msort_like_torch():
    check_results(lambda L, t: (L.msort(t), t.msort()), randn(4, 3))


@pytest.mark.parametrize("kw", [{}, {"return_inverse": True}, {"return_counts": True},
                                {"return_inverse": True, "return_counts": True, "dim": 0},
                                {"return_counts": True, "dim": 1}])
def test_unique_consecutive_like_torch(kw):
    a = np.array([[1, 1, 2], [1, 1, 2], [3, 1, 1], [3, 1, 1], [1, 1, 2]])
    check_results(lambda L, t: L.unique_consecutive(t, **kw), a, grad=False)
    check_results(lambda L, t: t.unique_consecutive(**kw), a.astype(np.float32), grad=False)


def test_unique_consecutive_keeps_each_nan():
    check_results(lambda L, t: L.unique_consecutive(t, return_counts=True), np.array([np.nan, np.nan, 1, 1]), grad=False)


@pytest.mark.parametrize("call", ["lib.unique(x)", "lib.unique(x, dim=0)", "lib.unique(x, sorted=False)",
                                  "x.unique(return_inverse=True)[0]", "lib.unique_consecutive(x)",
                                  "lib.unique_consecutive(x, dim=0, return_counts=True)[0]"])
def test_unique_values_record_a_node_whose_backward_raises_like_torchs(call):
    # torch has no derivative for unique: the values require grad, and backward says so
    seen = []
    for lib in (minitorch, torch):
        x = lib.tensor([[1.0, 1.0], [1.0, 1.0], [2.0, 3.0]], requires_grad=True)
        values = eval(call, {"lib": lib, "x": x})
        with pytest.raises(NotImplementedError) as error:
            values.sum().backward()
        seen.append((values.requires_grad, type(values.grad_fn).__name__, str(error.value)))
    assert seen[0] == seen[1]
