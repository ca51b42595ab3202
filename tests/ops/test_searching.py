"""searchsorted, bucketize, isin (_ops/searching.py) against torch: values, dtypes, out=, errors."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import same_error, same_outcome

SEQ = np.array([1.0, 2.0, 2.0, 3.0, 5.0], np.float32)
ROWS = np.sort(np.random.default_rng(0).integers(0, 6, size=(2, 3, 6)), axis=-1).astype(np.float32)
VALUES = np.array([[0.5, 2.0, 2.0], [3.0, 4.0, 6.0]], np.float32)


@pytest.mark.parametrize("fn, arrays", [
    (lambda L, s, v: L.searchsorted(s, v), [SEQ, VALUES]),
    (lambda L, s, v: L.searchsorted(s, v, right=True), [SEQ, VALUES]),
    (lambda L, s, v: L.searchsorted(s, v, side="right", out_int32=True), [SEQ, VALUES]),
    (lambda L, s, v: L.searchsorted(s, v), [ROWS, np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4) % 7]),
    (lambda L, s, v: L.searchsorted(s, v, right=True), [ROWS, np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4) % 7]),
    (lambda L, s, v: L.searchsorted(s, 2.0), [SEQ, VALUES]),
    (lambda L, s, v: L.searchsorted(s, v.double()), [SEQ, VALUES]),
    (lambda L, s, v: L.searchsorted(s, v, sorter=L.tensor([4, 3, 0, 1, 2])), [SEQ[[2, 3, 4, 1, 0]], VALUES]),
    (lambda L, s, v: L.bucketize(v, s), [SEQ, VALUES]),
    (lambda L, s, v: L.bucketize(v, s, right=True, out_int32=True), [SEQ, VALUES]),
    (lambda L, s, v: L.bucketize(3, s), [SEQ, VALUES]),
    (lambda L, s, v: L.isin(v, s), [SEQ, VALUES]),
    (lambda L, s, v: L.isin(v, s, invert=True), [SEQ, VALUES]),
    (lambda L, s, v: L.isin(v, 2.0), [SEQ, VALUES]),
    (lambda L, s, v: L.isin(3, s), [SEQ, VALUES]),
    (lambda L, s, v: L.isin(v.long(), s), [SEQ, VALUES]),
])
def test_matches_torch(fn, arrays):
    same_outcome(fn, *arrays)


@pytest.mark.parametrize("fn", [
    lambda L, s, v: L.searchsorted(s[None], v),
    lambda L, s, v: L.searchsorted(s, v, side="middle"),
    lambda L, s, v: L.searchsorted(s, v, side="left", right=True),
    lambda L, s, v: L.searchsorted(s, v, sorter=L.tensor([0, 1])),
    lambda L, s, v: L.bucketize(v, s[None]),
    lambda L, s, v: L.isin(2, 3),
])
def test_errors_match_torch(fn):
    same_error(fn, SEQ, VALUES)


def test_out_matches_torch():
    for L in (minitorch, torch):
        out = L.empty(0, dtype=L.int64)
        L.searchsorted(L.tensor(SEQ), L.tensor(VALUES), out=out)
        flags = L.empty(0, dtype=L.bool)
        L.isin(L.tensor(VALUES), L.tensor(SEQ), out=flags)
        buckets = L.empty(0, dtype=L.int64)
        L.bucketize(L.tensor(VALUES), L.tensor(SEQ), out=buckets)
        if L is minitorch:
            got = (out.numpy(), flags.numpy(), buckets.numpy())
    for g, e in zip(got, (out.numpy(), flags.numpy(), buckets.numpy())):
        np.testing.assert_array_equal(g, e)
