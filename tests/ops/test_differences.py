"""diff (_ops/differences.py) against torch: values, gradients, prepend/append, bools, errors."""
import numpy as np
import pytest

from conftest import assert_matches_torch, gradcheck, randn, same_error, same_outcome


@pytest.mark.parametrize("fn, shapes", [
    (lambda L, x: L.diff(x), [(6,)]),
    (lambda L, x: L.diff(x, n=2, dim=0), [(5, 3)]),
    (lambda L, x: x.diff(n=3, dim=-1), [(2, 4)]),
    (lambda L, x: L.diff(x, n=7), [(2, 4)]),
    (lambda L, x: L.diff(x, n=0), [(2, 4)]),
    (lambda L, x, p, a: L.diff(x, dim=1, prepend=p, append=a), [(2, 4), (2, 1), (2, 3)]),
    (lambda L, x, p: L.diff(x, n=2, prepend=p), [(3,), (2,)]),
])
def test_matches_torch_and_gradcheck(fn, shapes):
    arrays = [randn(*s, seed=i) for i, s in enumerate(shapes)]
    assert_matches_torch(fn, *arrays)
    gradcheck(fn, *arrays)


def test_integer_and_bool_dtypes_match_torch():
    same_outcome(lambda L, x: L.diff(x, n=2), np.array([1, 4, 9, 16, 25]))
    same_outcome(lambda L, x: L.diff(x), np.array([True, False, False, True]))


@pytest.mark.parametrize("fn, x", [
    (lambda L, t: L.diff(t, n=-1), randn(4)),
    (lambda L, t: L.diff(t[0]), randn(4)),
    (lambda L, t: L.diff(t, dim=2), randn(4)),
    (lambda L, t: L.diff(t, prepend=1), randn(4)),
    (lambda L, t: L.diff(t, prepend=t[None]), randn(4)),
])
def test_errors_match_torch(fn, x):
    same_error(fn, x)
