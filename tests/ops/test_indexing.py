"""Indexing (_ops/indexing.py) and selection by indices and masks (_ops/selection.py) against torch: values,
dtypes, gradients, views and errors; their shared case tables mix both, so one file tests the two modules."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import (CASE_DTYPES, assert_matches_torch, case_inputs, distinct_inputs, gradcheck, over_cases,
                      randn, same_error, same_outcome)

# keys for x of shape (4, 5, 6); a key is built per library since it may hold tensors
KEYS = [
    ("int", lambda L, x: 1),
    ("neg_int", lambda L, x: -1),
    ("slice", lambda L, x: slice(1, 3)),
    ("slice_step", lambda L, x: (slice(None), slice(None, None, 2))),
    ("int_slice_int", lambda L, x: (1, slice(1, None), 2)),
    ("all_ints", lambda L, x: (1, 2, 3)),
    ("none", lambda L, x: None),
    ("ellipsis", lambda L, x: (Ellipsis, 1)),
    ("none_ellipsis_none", lambda L, x: (None, Ellipsis, None)),
    ("slice_none_int", lambda L, x: (slice(None), None, 2)),
    ("zero_d_tensor", lambda L, x: L.tensor(2)),
    ("zero_d_tensor_slice", lambda L, x: (slice(None), L.tensor(-1))),
    ("list", lambda L, x: [0, 2, 2]),
    ("int_tensor", lambda L, x: L.tensor([3, 0, 3, 3])),
    ("int_tensor_2d", lambda L, x: L.tensor([[0, 1], [2, 3]])),
    ("two_lists", lambda L, x: ([0, 1, 1], [2, 3, 2])),
    ("slice_then_two", lambda L, x: (slice(None), [0, 1], [2, 3])),
    ("separated", lambda L, x: ([0, 1], slice(None), [2, 3])),
    ("ellipsis_list", lambda L, x: (Ellipsis, [1, 1, 0])),
    ("broadcast_index", lambda L, x: (L.tensor([[0], [1]]), L.tensor([0, 2, 4]))),
    ("int_and_list", lambda L, x: (1, [0, 2])),
    ("none_and_list", lambda L, x: (None, [0, 1])),
    ("mask_tensor", lambda L, x: x > 0),
    ("mask_2d", lambda L, x: x[:, :, 0] > 0),
    ("mask_list", lambda L, x: [True, False, True, False]),
    ("mask_middle", lambda L, x: (slice(None), L.tensor([True, False, True, True, False]))),
    ("mask_and_int", lambda L, x: (L.tensor([True, False, True, False]), 2)),
    ("bool_scalar", lambda L, x: True),
    ("neg_list", lambda L, x: (slice(None), [-1, -5])),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
@pytest.mark.parametrize("name,key", KEYS, ids=[k[0] for k in KEYS])
def test_getitem_matches_torch(name, key, dtype):
    x = (randn(4, 5, 6) * 5).astype(dtype)
    assert_matches_torch(lambda L, t: t[key(L, t)], x)


@pytest.mark.parametrize("name,key", KEYS, ids=[k[0] for k in KEYS])
def test_getitem_gradcheck(name, key):
    x = randn(4, 5, 6, dtype=np.float64)
    gradcheck(lambda L, t: t[key(L, t.detach())], x)


SET_KEYS = [k for k in KEYS if k[0] not in ("bool_scalar",)]


@pytest.mark.parametrize("value_shape", ["scalar", "full", "broadcast"])
@pytest.mark.parametrize("name,key", SET_KEYS, ids=[k[0] for k in SET_KEYS])
def test_setitem_matches_torch(name, key, value_shape):
    x = randn(4, 5, 6)
    target = torch.tensor(x)[key(torch, torch.tensor(x))].shape
    if value_shape == "scalar":
        def fn(L, t):
            y = t * 1
            y[key(L, t.detach())] = 2.5
            return y
        assert_matches_torch(fn, x)
        return
    v = randn(*(target if value_shape == "full" else target[-1:]), seed=3)

    def fn(L, t, v):
        y = t * 1  # a non-leaf copy: torch refuses in-place writes into a leaf that requires grad
        y[key(L, t.detach())] = v
        return y
    assert_matches_torch(fn, x, v)


def test_setitem_gradcheck():
    def fn(L, t, v):
        y = t * 1
        y[:, [0, 2], 1] = v
        y[0] = y[1] * 2  # reads and writes the same tensor
        return y
    gradcheck(fn, randn(3, 4, 2, dtype=np.float64), randn(3, 2, dtype=np.float64))


def test_setitem_into_plain_tensor_records_the_value():
    # the target does not require grad; the value does: the target joins the graph
    assert_matches_torch(lambda L, v: _set(L.zeros(3, 2), 1, v), randn(2))


def _set(t, key, value):
    t[key] = value
    return t


def test_setitem_value_dtype_and_leading_ones():
    assert_matches_torch(lambda L, v: _set(L.zeros(3, 2, dtype=L.int64), 0, v), randn(2) * 5, grad=False)
    assert_matches_torch(lambda L, v: _set(L.zeros(3, 2), 0, v), randn(1, 2))


def test_setitem_is_in_place_with_rules():
    x = minitorch.zeros(3)
    v = x.view(3)
    x[1] = 5
    assert x._version == v._version == 1 and v.tolist() == [0.0, 5.0, 0.0]
    leaf = minitorch.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        leaf[0] = 1.0
    with minitorch.no_grad():
        leaf[0] = 1.0  # allowed, like torch, when not recording
    assert leaf.tolist() == [1.0, 0.0, 0.0]


def test_basic_indexing_returns_views():
    for L in (minitorch, torch):
        x = L.arange(12.0).reshape(3, 4).clone()
        a, b, c = x[1], x[:, 1:3], x[1, 2]
        a[0] = -1
        b.mul_(10)
        c.add_(100)
        x[2, ...] = 7
        assert a._version == b._version == c._version == x._version == 4
        assert (a._base is x) and (b._base is x)
        np.testing.assert_array_equal(x.numpy() if L is minitorch else x.numpy(),
                                      np.array([[0, 10, 20, 3], [-1, 50, 160, 7], [7, 7, 7, 7]]))


def test_advanced_indexing_copies():
    x = minitorch.arange(6.0)
    y = x[[0, 1]]
    y[0] = 100
    assert x[0].item() == 0 and x[x > 2]._base is None


def test_repeated_indices_accumulate_gradients():
    assert_matches_torch(lambda L, x: x[[0, 0, 1, 0]] * L.tensor([1.0, 2.0, 3.0, 4.0]), randn(3))
    assert_matches_torch(lambda L, x: x[L.tensor([[0, 0], [0, 2]]), 1], randn(3, 2))


def test_double_backward_through_indexing():
    assert_matches_torch(lambda L, x: L.autograd.grad((x[[0, 0, 2]] ** 3).sum(), x, create_graph=True)[0], randn(3))


# ----- dim-based and masks (gather/scatter: test_scatter.py) --------------------------------------------------
idx = lambda L, v: L.tensor(v)  # noqa: E731

OPS = [
    ("index_select", lambda L, x: x.index_select(1, idx(L, [4, 0, 4])), [(3, 5)]),
    ("index_select_fn", lambda L, x: L.index_select(x, 0, idx(L, 2)), [(3, 5)]),
    ("index_select_i32", lambda L, x: L.index_select(x, -1, L.tensor([1, 1], dtype=L.int32)), [(2, 3, 4)]),
    ("masked_select", lambda L, x: L.masked_select(x, x > 0), [(3, 4)]),
    ("masked_select_bcast", lambda L, x: x.masked_select(L.tensor([True, False, True, True])), [(3, 4)]),
    ("masked_select_bcast_input", lambda L, x: x.masked_select(L.tensor([[True], [False]])), [(4,)]),
    ("masked_fill", lambda L, x: x.masked_fill(x > 0, -1.0), [(3, 4)]),
    ("masked_fill_bcast", lambda L, x: L.masked_fill(x, L.tensor([True, False, False, True]), 2), [(3, 4)]),
    ("masked_fill_tensor_value", lambda L, x, v: x.masked_fill(x < 0, v.sum()), [(3, 4), (2,)]),
    ("index_add", lambda L, x, s: x.index_add(0, idx(L, [0, 2, 0]), s), [(3, 2), (3, 2)]),
    ("index_add_alpha", lambda L, x, s: L.index_add(x, 1, idx(L, [1, 1]), s, alpha=-2.0), [(3, 2), (3, 2)]),
    ("index_fill", lambda L, x: x.index_fill(1, idx(L, [0, 2]), -3.0), [(3, 4)]),
    ("index_fill_tensor", lambda L, x, v: L.index_fill(x, 0, idx(L, [1]), v.sum()), [(3, 4), (2,)]),
    ("index_copy", lambda L, x, s: x.index_copy(0, idx(L, [2, 0]), s), [(3, 4), (2, 4)]),
    ("index_put", lambda L, x, v: x.index_put((idx(L, [0, 2]), idx(L, [1, 1])), v), [(3, 4), (2,)]),
    ("index_put_acc", lambda L, x, v: L.index_put(x, (idx(L, [0, 0, 2]),), v, accumulate=True), [(3, 4), (4,)]),
    ("index_put_mask", lambda L, x, v: x.index_put((x > 0,), v), [(3, 4), (1,)]),
    ("take", lambda L, x: L.take(x, idx(L, [[0, 11], [-1, 5]])), [(3, 4)]),
    ("nonzero", lambda L, x: L.nonzero(x > 0), [(3, 4)]),
    ("nonzero_tuple", lambda L, x: (x > 0).nonzero(as_tuple=True), [(3, 4)]),
    ("argwhere", lambda L, x: L.argwhere(x), [(2, 3)]),
    ("where_single", lambda L, x: L.where(x > 0), [(2, 3)]),
]


@pytest.mark.parametrize("dtype", CASE_DTYPES)
@over_cases(OPS)
def test_ops_match_torch(fn, shapes, dtype):
    assert_matches_torch(fn, *case_inputs(shapes, dtype))


DIFFERENTIABLE_OPS = [o for o in OPS if o[0] not in ("nonzero", "nonzero_tuple", "argwhere", "where_single")]


@over_cases(DIFFERENTIABLE_OPS)
def test_ops_gradcheck(fn, shapes):
    gradcheck(fn, *distinct_inputs(shapes))


@pytest.mark.parametrize("op", ["scatter", "scatter_add", "index_add", "index_copy", "index_put", "masked_fill",
                                "index_fill"])
def test_in_place_variants(op):
    calls = {
        "scatter": lambda L, y, s: y.scatter_(1, idx(L, [[0], [2], [1]]), s[:, :1]),
        "scatter_add": lambda L, y, s: y.scatter_add_(1, idx(L, [[0, 0], [2, 2], [1, 0]]), s[:, 1:]),
        "index_add": lambda L, y, s: y.index_add_(0, idx(L, [2, 2, 0]), s, alpha=3),
        "index_copy": lambda L, y, s: y.index_copy_(0, idx(L, [2, 1, 0]), s),
        "index_put": lambda L, y, s: y.index_put_((idx(L, [0, 0]),), s[0], accumulate=True),
        "masked_fill": lambda L, y, s: y.masked_fill_(y > 0, s.sum()),
        "index_fill": lambda L, y, s: y.index_fill_(1, idx(L, [1]), 4.0),
    }

    def fn(L, x, s):
        y = x * 1
        out = calls[op](L, y, s)
        assert out is y and y._version == 1
        return y
    assert_matches_torch(fn, randn(3, 3), randn(3, 3, seed=5))


def test_masked_fill_in_place_without_grad_broadcasts_mask():
    for L in (minitorch, torch):
        x = L.zeros(2, 3)
        x.masked_fill_(L.tensor([True, False, True]), 7)
        assert x.tolist() == [[7.0, 0.0, 7.0]] * 2 and x._version == 1


ERRORS = [
    lambda L, x: x[5], lambda L, x: x[-4], lambda L, x: x[0, 5], lambda L, x: x[[0, 3]],
    lambda L, x: x[L.tensor([1.0])], lambda L, x: x[L.ones(2, dtype=L.bool)], lambda L, x: x[0, 0, 0],
    lambda L, x: x[::-1], lambda L, x: x[L.tensor([[True, False]] * 3)],
    lambda L, x: _set(x, L.tensor([0, 1]), L.ones(3)), lambda L, x: x.take(L.tensor([1], dtype=L.int32)),
    lambda L, x: x.masked_fill(L.ones(4, dtype=L.uint8), 1), lambda L, x: x.masked_fill(L.ones(4, dtype=L.long), 1),
    lambda L, x: x.masked_fill(L.ones(4), 1), lambda L, x: x.masked_fill(L.ones(4, dtype=L.bool), L.ones(2)),
    lambda L, x: x.masked_select(L.ones(4)), lambda L, x: x.index_select(0, L.tensor([0.0])),
    lambda L, x: x.index_select(0, L.tensor([[0]])), lambda L, x: x.index_select(0, L.tensor([3])),
    lambda L, x: x.take(L.tensor([12])), lambda L, x: x.take(L.tensor([2.0])),
    lambda L, x: x.index_add(0, L.tensor([0]), L.ones(2, 4)),
    lambda L, x: x.index_add(0, L.tensor([0]), L.ones(1, 4, dtype=L.float64)),
    lambda L, x: x.index_fill(0, L.tensor([0]), L.ones(2)),
]


@pytest.mark.parametrize("fn", ERRORS)
def test_errors_match_torch(fn):
    same_error(fn, np.zeros((3, 4), np.float32))


# ----- the examples of ../shared/seeds: they must print what torch prints ------------------
SEED_EXAMPLES = [
    # 004: scatter (example 1, with its keyword/positional slip fixed) and the one-hot example
    lambda L: L.zeros(3, 5).scatter(0, L.tensor([[1, 2, 1, 1, 2], [2, 0, 2, 1, 0]], dtype=L.int64),
                                    L.arange(10).reshape((2, 5)).float()),
    lambda L: L.zeros(2, 5).scatter(1, L.tensor([1, 3], dtype=L.int64).unsqueeze(-1), 1.0),
    # 002: index_select and masked_select on the printed t
    lambda L: L.index_select(L.tensor([[4, 5, 0], [5, 7, 1], [2, 5, 8]]), dim=0,
                             index=L.tensor([0, 2], dtype=L.long)),
    lambda L: L.tensor([[4, 5, 0], [5, 7, 1], [2, 5, 8]]).le(5),
    lambda L: L.masked_select(L.tensor([[4, 5, 0], [5, 7, 1], [2, 5, 8]]),
                              L.tensor([[4, 5, 0], [5, 7, 1], [2, 5, 8]]).le(5)),
]


@pytest.mark.parametrize("example", SEED_EXAMPLES)
def test_seed_examples_print_like_torch(example):
    assert repr(example(minitorch)) == repr(example(torch))


def test_seed_002_randint_index_select_runs_unchanged():
    t = minitorch.randint(0, 9, size=(3, 3))
    t_select = minitorch.index_select(t, dim=0, index=minitorch.tensor([0, 2], dtype=minitorch.long))
    assert t_select.tolist() == [t.tolist()[0], t.tolist()[2]]
    mask = t.le(5)
    assert minitorch.masked_select(t, mask).tolist() == [v for v in t.reshape(-1).tolist() if v <= 5]


@pytest.mark.parametrize("key", [0, (0, 0), (0, slice(1, 3)), (slice(1, 3), 0), (slice(None), 0), (0, slice(None)),
                                 (Ellipsis, 0), (0, Ellipsis), slice(None), slice(1, None), None, (0, None),
                                 (None, 0), (slice(None), slice(None), None), (0, 1, 2)])
def test_basic_key_node_names_like_torch(key):
    """torch names the node after the key's last effective entry (select, slice or unsqueeze)."""
    names = [(L.ones(3, 4, 5, requires_grad=True) * 1)[key].grad_fn.name() for L in (minitorch, torch)]
    assert names[0] == names[1]


# keys of ints, slices, None and Ellipsis take __getitem__'s short path (_basic_key); others that look alike
# (numpy ints, a bool, a second Ellipsis, a zero or negative step, too many indices) the general one
BASIC_LOOKALIKES = [(1, slice(None, None, 3)), (slice(1, None, 2), None, -1), (np.int64(1), slice(1, 3)),
                    (slice(np.int64(1), 3),), (None, None, Ellipsis, 0), (0, True), (Ellipsis, 0, Ellipsis),
                    (slice(None, None, 0),), (slice(None, None, -1),), (0, 0, 0, 0), (0, Ellipsis, 0, 0, 0),
                    (4,), (0, -6), (slice(None, None, np.int64(2)),)]


@pytest.mark.parametrize("key", BASIC_LOOKALIKES, ids=str)
def test_basic_keys_and_lookalikes_match_torch(key):
    """Values, the view, the node's name and the gradient (or the error, type and message) as torch."""
    x = np.arange(60.0).reshape(4, 5, 3)
    try:
        torch.tensor(x)[key]
    except (IndexError, ValueError):
        same_error(lambda L, a: a[key], x)
        return
    same_outcome(lambda L, a: a[key], x)
    results = []
    for L in (minitorch, torch):
        t = L.tensor(x, requires_grad=True)
        y = t[key]
        y.sum().backward()
        results.append((y.grad_fn.name(), y._base is t, t.grad.numpy().tolist()))
    assert results[0] == results[1]


# ----- index ranges: negative positions are errors except in a[idx], index_fill, take and put ---------------
RANGE_INDICES = [[0], [2], [-1], [-3], [3], [-4], [1, 5, -9], [1, -9, 5], [], 0, -1, 3]
RANGE_OPS = {
    "index_select": lambda L, x, d, i: x.index_select(d, i),
    "index_add": lambda L, x, d, i: x.index_add(d, i, L.ones_like(x.index_select(d, i.clamp(0, 0)))),
    "index_copy": lambda L, x, d, i: x.index_copy(d, i, L.ones_like(x.index_select(d, i.clamp(0, 0)))),
    "index_fill": lambda L, x, d, i: x.index_fill(d, i, 7.0),
    "take": lambda L, x, d, i: L.take(x, i),
    "put": lambda L, x, d, i: x.put(i, L.ones(i.shape)),
    "put_accumulate": lambda L, x, d, i: x.put(i, L.ones(i.shape), accumulate=True),
    "getitem": lambda L, x, d, i: x[(slice(None),) * (d % max(x.ndim, 1)) + (i,)],
}


@pytest.mark.parametrize("op", RANGE_OPS)
@pytest.mark.parametrize("shape,dim", [((3,), 0), ((3,), -1), ((2, 3), 1), ((3, 2), 0), ((2, 3), -1), ((), 0),
                                       ((2, 3, 4), 1), ((2, 3, 4, 5), 2), ((2, 3, 4), 2)])
@pytest.mark.parametrize("index", RANGE_INDICES, ids=str)
def test_index_range_checks_match_torch(op, shape, dim, index):
    """Out-of-range and (where torch refuses them) negative positions raise torch's exception, never wrap."""
    x = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    same_outcome(lambda L, x: RANGE_OPS[op](L, x, dim, L.tensor(index, dtype=L.int64)), x)


@pytest.mark.parametrize("op", ["gather", "scatter", "scatter_value", "scatter_add", "scatter_reduce"])
@pytest.mark.parametrize("index", [[[0, 2]], [[-1, 0]], [[3, 0]], [[1, -4]], [[0, 5], [-9, 1]]], ids=str)
@pytest.mark.parametrize("dim", [1, -1, 0])
def test_gather_scatter_refuse_negative_and_large_indices(op, index, dim):
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    fns = {"gather": lambda L, x, i: x.gather(dim, i),
           "scatter": lambda L, x, i: x.scatter(dim, i, L.ones(i.shape)),
           "scatter_value": lambda L, x, i: x.scatter(dim, i, 2.5),
           "scatter_add": lambda L, x, i: x.scatter_add(dim, i, L.ones(i.shape)),
           "scatter_reduce": lambda L, x, i: x.scatter_reduce(dim, i, L.ones(i.shape), "amax")}
    same_outcome(lambda L, x: fns[op](L, x, L.tensor(index)), x)


def test_range_error_messages_match_torch():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    same_error(lambda L, x: x.index_select(1, L.tensor([-1])), x)
    same_error(lambda L, x: x.index_add(1, L.tensor([-1]), L.ones(2, 1)), x)
    same_error(lambda L, x: x.index_copy(1, L.tensor([0, 3]), L.ones(2, 2)), x)
    same_error(lambda L, x: x.index_fill(1, L.tensor([-4]), 1.0), x)
    same_error(lambda L, x: x.gather(1, L.tensor([[1, -9, 5]])), x)
    same_error(lambda L, x: x.reshape(-1).put(L.tensor([-7]), L.ones(1)), x)
    same_error(lambda L, x: x.put(L.tensor([0, 1]), L.ones(3)), x)
    same_error(lambda L, x: x.put(L.tensor([0]), L.ones(1, dtype=L.float64)), x)


def test_put_gradients_match_torch():
    assert_matches_torch(lambda L, x, s: x.put(L.tensor([[-1], [0]]), s), randn(2, 3), randn(1, 2))
    assert_matches_torch(lambda L, x, s: x.put(L.tensor([1, 1]), s, accumulate=True), randn(2, 3), randn(2))


def test_index_backward_with_negative_indices_matches_torch():
    assert_matches_torch(lambda L, x: x[L.tensor([-1, -1, 0])], randn(4, 3))
    assert_matches_torch(lambda L, x: x[:, [-3, 2, -3]], randn(4, 3))


# ----- setitem and fills with another dtype --------------------------------------------------------------
SETITEM_KEYS = {
    "int": lambda L: 0,
    "slice": lambda L: slice(0, 2),
    "index_tensor": lambda L: L.tensor([0, 2]),
    "mask": lambda L: L.tensor([True, False, True]),
    "list": lambda L: [1],
}
SETITEM_VALUES = {
    "float64_1d": lambda L: L.tensor([1.5], dtype=L.float64),
    "float64_0d": lambda L: L.tensor(1.5, dtype=L.float64),
    "float32_1d": lambda L: L.tensor([1.5]),
    "int64_1d": lambda L: L.tensor([2]),
    "int64_0d": lambda L: L.tensor(2),
    "bool_0d": lambda L: L.tensor(True),
    "python_float": lambda L: 2.5,
    "python_int": lambda L: 3,
}


@pytest.mark.parametrize("dtype", ["float32", "float16", "int64", "bool"])
@pytest.mark.parametrize("key", SETITEM_KEYS)
@pytest.mark.parametrize("value", SETITEM_VALUES)
def test_setitem_with_another_dtype_matches_torch(dtype, key, value):
    """Advanced-index writes refuse a tensor of another dtype (x[mask] = 0-d tensor casts, like masked_fill_)."""
    def fn(L, x):
        x = x.clone()
        x[SETITEM_KEYS[key](L)] = SETITEM_VALUES[value](L)
        return x
    same_outcome(fn, np.zeros(3, dtype))


def test_setitem_dtype_error_message_matches_torch():
    def fn(L, x):
        x[L.tensor([0])] = L.tensor([1.0], dtype=L.float64, requires_grad=True)
    same_error(fn, np.zeros(3, np.float32))


FILL_VALUES = [300, -1, -129, -255, -256, 2.5, -1.5, 127.9, 255.5, 70000.0, 1e30, 3.5e38, float("inf"),
               float("-inf"), float("nan"), 2 ** 63, True]


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int32", "int64", "float16", "float32", "float64", "bool"])
@pytest.mark.parametrize("value", FILL_VALUES, ids=str)
@pytest.mark.parametrize("op", ["masked_fill", "masked_fill_", "masked_fill_tensor", "index_fill"])
def test_fill_values_that_overflow_the_dtype_raise_like_torch(dtype, value, op):
    """int_tensor.masked_fill(mask, -inf) raises in torch; numpy would store INT64_MIN."""
    fns = {"masked_fill": lambda L, x, m: x.masked_fill(m, value),
           "masked_fill_": lambda L, x, m: x.clone().masked_fill_(m, value),
           "masked_fill_tensor": lambda L, x, m: x.masked_fill(m, L.tensor(value)),
           "index_fill": lambda L, x, m: x.index_fill(0, L.tensor([1]), value)}
    same_outcome(fns[op], np.zeros(3, dtype), np.array([True, False, True]))


# ----- ints among index tensors: torch selects with the ints first -------------------------------------
MIXED_KEYS = [
    lambda L: (Ellipsis, L.tensor(1), slice(None), L.tensor([0, 1])),
    lambda L: (L.tensor(1), slice(None), L.tensor([0, 1])),
    lambda L: (slice(None), L.tensor(1), slice(None), L.tensor([0, 1])),
    lambda L: (0, slice(None), L.tensor([0, 1])),
    lambda L: (slice(None), 0, slice(None), L.tensor([0, 1])),
    lambda L: (slice(None), L.tensor(0), L.tensor([0, 1])),
    lambda L: (L.tensor([[1, 0]]), 2, slice(None), L.tensor([[0], [1]])),
    lambda L: (slice(None), L.tensor([[1, 0]]), 2, L.tensor([[0], [1]]), None),
    lambda L: (1, slice(None), L.tensor([True, False, True, True]), 1),
    lambda L: (1, L.tensor([1, 0]), 2, L.tensor([0, 1])),
    lambda L: (None, 1, slice(None), L.tensor([-1, 0]), slice(1, 3)),
]


@pytest.mark.parametrize("key", range(len(MIXED_KEYS)))
def test_ints_among_index_tensors_place_dims_like_torch(key):
    assert_matches_torch(lambda L, x: x[MIXED_KEYS[key](L)], randn(2, 3, 4, 5))


@pytest.mark.parametrize("key", range(len(MIXED_KEYS)))
def test_setitem_with_ints_among_index_tensors_matches_torch(key):
    def fn(L, x, v):
        out = x * 1
        target = out[MIXED_KEYS[key](L)]
        out[MIXED_KEYS[key](L)] = v[:target.numel()].reshape(target.shape)
        return out
    assert_matches_torch(fn, randn(2, 3, 4, 5), randn(40))


def test_mask_shape_errors_match_torch():
    same_error(lambda L, x: x.masked_fill(L.tensor([True, False]), 1.0), np.zeros((2, 3), np.float32))
    same_error(lambda L, x: x.masked_select(L.ones(2, dtype=L.bool)), np.zeros((2, 3), np.float32))

    def set_rows(L, x):
        x[L.tensor([True, False])] = L.ones(2, 3)  # the value may broadcast to the target, not the other way
    same_error(set_rows, np.zeros((2, 3), np.float32))


@pytest.mark.parametrize("key", [(Ellipsis, Ellipsis), (Ellipsis, 0, Ellipsis), (0, Ellipsis, Ellipsis),
                                 (Ellipsis, None, Ellipsis), (Ellipsis, Ellipsis, Ellipsis)])
def test_repeated_ellipsis_is_accepted_like_torch(key):
    # torch lets the first Ellipsis take the free dims and the later ones none
    same_outcome(lambda L, a: a[key], np.arange(24).reshape(2, 3, 4))
    assert minitorch.arange(24).reshape(2, 3, 4)[..., minitorch.tensor([0, 1]), ...].shape == (2, 3, 2)


def test_index_copy_with_the_wrong_number_of_indices_is_an_index_error():
    same_outcome(lambda L, a: a.index_copy(0, L.tensor([0, 0, 0, 0]), L.zeros(1, 1)), np.zeros((1, 1), "float32"))


def test_setitem_reports_a_bad_value_shape_before_an_out_of_range_index():
    same_outcome(lambda L, a: a.__setitem__(L.tensor([3, 1, 1]), L.zeros(2, 4, 4)), np.zeros((2, 4, 4), "float32"))
    same_outcome(lambda L, a: a.__setitem__(L.tensor([2]), L.zeros(1, 3)), np.zeros((2, 3), "float32"))


@pytest.mark.parametrize("accumulate", [False, True])
def test_index_put_refuses_values_that_do_not_broadcast_to_the_result_like_torch(accumulate):
    # found by make fuzz: numpy's ValueError came through where torch raises RuntimeError
    call = lambda L: L.zeros(2, 2, 1).index_put((L.tensor([0]),), L.ones(2, 2, 1), accumulate=accumulate)
    same_error(call)


@pytest.mark.parametrize("mask_shape", [(3,), (2, 1), (2, 3), (1, 2, 3)])
def test_masked_scatter_broadcasts_and_differentiates_to_both_like_torch(mask_shape):
    mask = np.random.default_rng(len(mask_shape)).random(mask_shape) < 0.5
    assert_matches_torch(lambda L, x, m, s: (x.masked_scatter(m, s), L.masked_scatter(x, m, s * 2)),
                         randn(2, 3), mask, randn(7))


def test_masked_scatter_in_place_like_torch():
    mask = np.array([True, False, True])
    assert_matches_torch(lambda L, x, m, s: x.clone().masked_scatter_(m, s), randn(2, 3), mask, randn(2, 2))
    same_outcome(lambda L, x, m: x.masked_scatter_(m, L.arange(4)), np.zeros((2, 3), np.int64), mask)


@pytest.mark.parametrize("fn", [
    lambda L, x, m: x.masked_scatter(m.long(), x),
    lambda L, x, m: x.masked_scatter(m.long(), x.double()),
    lambda L, x, m: x.masked_scatter(m, x[0, :1]),
    lambda L, x, m: x.masked_scatter(m[:2], x),
    lambda L, x, m: x.masked_scatter(m, 1.0),
    lambda L, x, m: x.masked_scatter_(m.reshape(3, 1), x),
    lambda L, x, m: x.masked_scatter_(m[:2], x.double()),
])
def test_masked_scatter_errors_like_torch(fn):
    same_error(fn, randn(2, 3), np.array([True, False, True]))
