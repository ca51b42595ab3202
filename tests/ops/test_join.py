"""Joins, splits and rearranging copies (_ops/join.py) against torch: values, dtypes, gradients,
dtype promotion, copies that own their memory, and errors."""
import numpy as np
import pytest

from conftest import assert_matches_torch, case_table_tests, randn, same_error, same_outcome

# (id, fn(lib, *tensors), input shapes)
CASES = [
    ("narrow", lambda L, x: x.narrow(1, 1, 2), [(3, 4)]),
    ("narrow_neg", lambda L, x: L.narrow(x, -1, -3, 2), [(3, 4)]),
    ("select", lambda L, x: x.select(1, -1), [(3, 4)]),
    ("unbind", lambda L, x: x.unbind(1), [(3, 4)]),
    ("unbind_fn", lambda L, x: L.unbind(x), [(3, 4)]),
    ("chunk", lambda L, x: x.chunk(3), [(7, 2)]),
    ("chunk_dim", lambda L, x: L.chunk(x, 4, dim=1), [(2, 6)]),
    ("split_int", lambda L, x: x.split(2), [(5, 3)]),
    ("split_list", lambda L, x: L.split(x, [1, 0, 3], dim=1), [(2, 4)]),
    ("tensor_split", lambda L, x: x.tensor_split(3), [(7, 2)]),
    ("tensor_split_idx", lambda L, x: L.tensor_split(x, [1, 4], dim=1), [(2, 6)]),
    ("tensor_split_back", lambda L, x: L.tensor_split(x, [3, 1]), [(5,)]),
    ("repeat", lambda L, x: x.repeat(2, 1, 3), [(3, 2)]),
    ("repeat_interleave", lambda L, x: x.repeat_interleave(2, dim=1), [(3, 2)]),
    ("repeat_interleave_flat", lambda L, x: L.repeat_interleave(x, 3), [(2, 2)]),
    ("repeat_interleave_tensor", lambda L, x: x.repeat_interleave(L.tensor([1, 0, 2]), dim=0), [(3, 2)]),
    ("tile", lambda L, x: x.tile((2,)), [(3, 2)]),
    ("tile_more", lambda L, x: L.tile(x, (2, 1, 2)), [(3, 2)]),
    ("flip", lambda L, x: x.flip(0, 2), [(2, 3, 4)]),
    ("flip_fn", lambda L, x: L.flip(x, [-1]), [(2, 3)]),
    ("fliplr", lambda L, x: L.fliplr(x), [(2, 3)]),
    ("flipud", lambda L, x: x.flipud(), [(2, 3)]),
    ("roll", lambda L, x: x.roll(1, 0), [(3, 4)]),
    ("roll_multi", lambda L, x: L.roll(x, (2, -1), (1, 0)), [(3, 4)]),
    ("roll_flat", lambda L, x: x.roll(5), [(3, 4)]),
    ("cat", lambda L, x, y: L.cat([x, y]), [(2, 3), (4, 3)]),
    ("cat_dim", lambda L, x, y, z: L.cat((x, y, z), dim=-1), [(2, 3), (2, 1), (2, 2)]),
    ("concat", lambda L, x, y: L.concat([x, y], 1), [(2, 3), (2, 3)]),
    ("concatenate", lambda L, x, y: L.concatenate([x, y], 0), [(0, 3), (2, 3)]),
    ("cat_legacy_empty", lambda L, x, y: L.cat([x, y]), [(0,), (2, 3)]),
    ("stack", lambda L, x, y: L.stack([x, y]), [(2, 3), (2, 3)]),
    ("stack_dim", lambda L, x, y: L.stack((x, y), dim=-1), [(2, 3), (2, 3)]),
    ("hstack", lambda L, x, y: L.hstack([x, y]), [(2, 3), (2, 1)]),
    ("hstack_1d", lambda L, x, y: L.hstack([x, y]), [(2,), (3,)]),
    ("vstack", lambda L, x, y: L.vstack([x, y]), [(3,), (2, 3)]),
    ("dstack", lambda L, x, y: L.dstack([x, y]), [(2, 3), (2, 3, 2)]),
    ("atleast_3d", lambda L, x, y: L.atleast_3d(x, y), [(3,), (2, 3)]),
]


test_matches_torch, test_gradcheck = case_table_tests(CASES)


def test_cat_stack_promote_dtypes():
    assert_matches_torch(lambda L, x, y: L.cat([x, y.long()]), randn(2), randn(3).astype(np.int64))
    assert_matches_torch(lambda L, x, y: L.stack([x, y]), randn(2), randn(2, dtype=np.float64))


def test_double_backward_through_cat_and_split():
    assert_matches_torch(lambda L, x: L.autograd.grad(L.cat([x, x * x]).pow(2).sum(), x, create_graph=True)[0],
                         randn(3))


ERRORS = [
    lambda L, x: x.narrow(0, 4, 1), lambda L, x: x.narrow(0, 1, 5), lambda L, x: x.select(0, 5),
    lambda L, x: x.chunk(0), lambda L, x: x.split([1, 1]), lambda L, x: x.split(0), lambda L, x: x.split(-1),
    lambda L, x: L.cat([x, L.zeros(3, 5)]), lambda L, x: L.cat([]), lambda L, x: L.cat([L.tensor(1.0)]),
    lambda L, x: L.cat([x, L.zeros(3)]), lambda L, x: L.stack([x, L.zeros(3, 5)]), lambda L, x: L.stack([]),
    lambda L, x: x.repeat(2), lambda L, x: x.flip(0, 0), lambda L, x: L.fliplr(L.zeros(3)),
    lambda L, x: L.flipud(L.tensor(1.0)), lambda L, x: x.roll((1, 2), (0,)), lambda L, x: x.tensor_split(0),
    lambda L, x: x.repeat_interleave(L.tensor([1, 2])), lambda L, x: x.repeat_interleave(-1),
    lambda L, x: x.unbind(2),
]


@pytest.mark.parametrize("fn", ERRORS)
def test_errors_match_torch(fn):
    same_error(fn, np.zeros((3, 4), np.float32))


# ----- splits of empty and 0-d tensors, bad dims and sizes --------------------------------------------------
JOIN_CALLS = [
    lambda L, x: len(x.split(2)), lambda L, x: x.split(2), lambda L, x: x.split(1, dim=-1), lambda L, x: x.split([0]),
    lambda L, x: x.split([0, 0]), lambda L, x: x.split(0), lambda L, x: x.split(-1), lambda L, x: len(x.chunk(2)),
    lambda L, x: len(x.tensor_split(2)), lambda L, x: x.unbind(2), lambda L, x: x.narrow(-1, 0, 1),
    lambda L, x: x.select(0, -1), lambda L, x: x.flip(0), lambda L, x: x.flip((0, 0)), lambda L, x: x.roll(1, 0),
    lambda L, x: x.roll(1), lambda L, x: x.repeat(2, -1), lambda L, x: x.repeat(2, 1, 1), lambda L, x: x.tile(()),
]


@pytest.mark.parametrize("shape", [(), (0,), (5,), (0, 3), (2, 0), (2, 3)], ids=str)
@pytest.mark.parametrize("call", range(len(JOIN_CALLS)))
def test_splits_and_rearrangements_match_torch_at_the_edges(shape, call):
    """split of an empty dim gives one empty piece (torch), a 0-d tensor cannot be split, ..."""
    def fn(L, x):
        out = JOIN_CALLS[call](L, x)
        return L.stack([L.tensor(list(p.shape)) for p in out]) if isinstance(out, tuple) and out else out
    same_outcome(fn, randn(*shape))


# ----- 0-d and legacy empty (0,) tensors --------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda L, a: L.cat([a, a], 2), lambda L, a: L.cat([a, a], 0),           # 0-d: RuntimeError
    lambda L, a: L.cat([a.reshape(0), a.reshape(0)], -3),                  # legacy empty: any dim
    lambda L, a: L.cat([a.reshape(1)[:0], a.reshape(1)], 3),               # one non-empty: checked
    lambda L, a: L.roll(a.reshape(1)[:0], 3, 3), lambda L, a: L.roll(a.reshape(1)[:0].reshape(0, 1), 1, 5),
    lambda L, a: L.roll(a, 1, 1),
    lambda L, a: L.narrow(a.reshape(1)[:0], 2, 0, -1), lambda L, a: L.narrow(a.reshape(1), 0, 5, -1),
    lambda L, a: L.narrow(a, 0, 0, -1), lambda L, a: L.narrow(a.reshape(1)[:0], 2, 0, 0),
])
def test_joins_of_0d_and_empty_tensors_match_torch(call):
    same_outcome(call, np.array(2.5))


@pytest.mark.parametrize("repeats, dim", [(2, 0), (2, -1), (2, None), ("tensor", 0), ("tensor", None)])
def test_repeat_interleave_of_a_0d_tensor_along_a_dim_raises_like_torch(repeats, dim):
    same_outcome(lambda L, a: L.repeat_interleave(a, L.tensor([2]) if repeats == "tensor" else repeats, dim=dim),
                 np.array(5))
