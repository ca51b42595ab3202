"""quantile, nanquantile, histc (_ops/quantiles.py) against torch: values, gradients, NaN rows, errors."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_matches_torch, gradcheck, randn, same_error, same_outcome

MODES = ["linear", "lower", "higher", "midpoint", "nearest"]


@pytest.mark.parametrize("interpolation", MODES)
@pytest.mark.parametrize("q, dim, keepdim", [(0.3, None, False), (0.5, 1, False), (0.75, 0, True),
                                            ([0.0, 0.25, 0.5, 1.0], 1, False), ([0.1, 0.9], None, True),
                                            ([0.4], -1, True)])
def test_quantile_matches_torch_and_gradcheck(interpolation, q, dim, keepdim):
    def fn(L, x):
        qs = L.tensor(q, dtype=x.dtype) if isinstance(q, list) else q
        return L.quantile(x, qs, dim, keepdim, interpolation=interpolation)
    x = randn(4, 6)
    assert_matches_torch(fn, x)
    gradcheck(fn, x)


@pytest.mark.parametrize("interpolation", MODES)
def test_nan_rows_like_torch(interpolation):
    x = randn(4, 5, dtype=np.float64)
    x[1, 2] = x[3, :] = np.nan
    q = [0.2, 0.5, 1.0]
    for name in ("quantile", "nanquantile"):
        def fn(L, t):
            return getattr(L, name)(t, L.tensor(q, dtype=t.dtype), dim=1, interpolation=interpolation)
        same_outcome(fn, x)
        same_outcome(lambda L, t: getattr(L, name)(t, 0.4), x)


def test_methods_and_out_match_torch():
    x = randn(3, 5)
    assert_matches_torch(lambda L, t: t.quantile(0.3, dim=0), x)
    assert_matches_torch(lambda L, t: t.nanquantile(L.tensor([0.1, 0.6]), dim=-1, keepdim=True), x)
    for L in (minitorch, torch):
        out = L.empty(0)
        L.quantile(L.tensor(x), 0.5, dim=1, out=out)
        counts = L.empty(0)
        L.histc(L.tensor(x), bins=4, out=counts)
        if L is minitorch:
            got = out.numpy(), counts.numpy()
    np.testing.assert_allclose(got[0], out.numpy(), rtol=1e-6)
    np.testing.assert_array_equal(got[1], counts.numpy())


@pytest.mark.parametrize("fn, x", [
    (lambda L, t: L.quantile(t.long(), 0.5), randn(5)),
    (lambda L, t: L.quantile(t, 1.5), randn(5)),
    (lambda L, t: L.quantile(t, L.tensor([0.5], dtype=L.float64)), randn(5)),
    (lambda L, t: L.quantile(t, L.tensor([0.5, 1.2])), randn(5)),
    (lambda L, t: L.quantile(t, L.ones(2, 2) / 2), randn(5)),
    (lambda L, t: L.quantile(t, 0.5), randn(0)),
    (lambda L, t: L.quantile(t, 0.5, interpolation="cubic"), randn(5)),
    (lambda L, t: L.nanquantile(t, 0.5, dim=2), randn(5, 2)),
    (lambda L, t: L.histc(t.long(), 3), randn(5)),
    (lambda L, t: L.histc(t, -1), randn(5)),
    (lambda L, t: L.histc(t, 3, 2, 1), randn(5)),
])
def test_errors_match_torch(fn, x):
    same_error(fn, x)


@pytest.mark.parametrize("fn", [
    lambda L, t: L.histc(t),
    lambda L, t: L.histc(t, bins=7, min=-1, max=1),
    lambda L, t: t.histc(5, 0.5, 0.5),
    lambda L, t: L.histc(t.double() * 0 + 2, bins=3),
])
def test_histc_matches_torch(fn):
    same_outcome(fn, randn(50))
