"""Special functions (_ops/special.py) against torch: lgamma, digamma, polygamma over a wide range
(negatives, poles, 0 and -0, +-inf, nan), their gradients, xlogy and logaddexp[2], dtypes and errors."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_matches_torch, same_error

WIDE = np.concatenate([np.linspace(-12.75, 12.75, 103), [0.0, -0.0, -1.0, -2.0, -7.0, 1e-8, -1e-8, 1.4616321449683622,
                                                          30.5, 1e6, 1e300, np.inf, -np.inf, np.nan]])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", ["lgamma", "digamma", "polygamma1", "polygamma2", "polygamma3"])
def test_gamma_family_values_match_torch_over_a_wide_range(name, dtype):
    # float64 to 1e-13 (poles, signs of zero, inf and nan in the same places); float32 to its precision
    x = WIDE.astype(dtype)
    if dtype == "float32" and name == "polygamma1":
        x = x[(x >= 0) | (x != np.round(x))]  # torch's float32 trigamma at negative integers: see known.py
    fns = {"lgamma": lambda L, a: L.lgamma(a), "digamma": lambda L, a: L.digamma(a),
           **{f"polygamma{n}": (lambda n: lambda L, a: L.polygamma(n, a))(n) for n in (1, 2, 3)}}
    ours = fns[name](minitorch, minitorch.tensor(x)).numpy()
    theirs = fns[name](torch, torch.tensor(x)).numpy()
    assert ours.dtype == theirs.dtype
    assert np.array_equal(np.isnan(ours), np.isnan(theirs))
    assert np.array_equal(ours[np.isinf(theirs)], theirs[np.isinf(theirs)])
    finite = np.isfinite(theirs)
    rtol = 1e-13 if dtype == "float64" else 2e-5
    assert np.allclose(ours[finite], theirs[finite], rtol=rtol, atol=rtol)


@pytest.mark.parametrize("call", [lambda L, a: L.lgamma(a), lambda L, a: L.digamma(a),
                                  lambda L, a: L.polygamma(2, a), lambda L, a: a.polygamma(1)],
                         ids=["lgamma", "digamma", "polygamma2", "polygamma1_method"])
def test_gamma_family_gradients_match_torch(call):
    # lgamma' = digamma, digamma' = polygamma(1), polygamma(n)' = polygamma(n + 1)
    x = np.array([0.3, 1.7, 4.2, -2.5, -0.4, 11.0, 25.5])
    assert_matches_torch(call, x, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", ["int64", "bool", "uint8"])
def test_gamma_family_computes_integers_in_float32_like_torch(dtype):
    x = np.array([1, 2, 5, 0], dtype=dtype)
    for call in (lambda L, a: L.lgamma(a), lambda L, a: L.digamma(a), lambda L, a: L.polygamma(2, a)):
        assert_matches_torch(call, x, grad=False)


def test_polygamma_refuses_negative_n_like_torch():
    same_error(lambda L: L.polygamma(-1, L.ones(2)))


def test_in_place_variants_match_torch():
    x = np.array([0.5, 2.0, 3.5])
    for name, args in (("lgamma_", ()), ("digamma_", ()), ("polygamma_", (2,)), ("xlogy_", (np.array([2.0, 0.5, 3.0]),))):
        results = []
        for L in (minitorch, torch):
            t = L.tensor(x)
            getattr(t, name)(*(L.tensor(a) if isinstance(a, np.ndarray) else a for a in args))
            results.append(t.numpy())
        assert np.allclose(*results, rtol=1e-13), name


XLOGY_X = np.array([0.0, 0.0, 0.0, 2.0, -1.5, 3.0, 0.0, 1.0])
XLOGY_Y = np.array([0.0, np.nan, -1.0, 0.0, 2.5, np.inf, np.inf, -2.0])


def test_xlogy_is_zero_where_x_is_zero_unless_y_is_nan_and_its_gradients_match_torch():
    assert_matches_torch(lambda L, a, b: L.xlogy(a, b), XLOGY_X, XLOGY_Y)
    assert_matches_torch(lambda L, b: L.xlogy(2, b), np.abs(XLOGY_Y))
    assert_matches_torch(lambda L, a: L.xlogy(a, 3.0), XLOGY_X)


@pytest.mark.parametrize("dtypes", [("int64", "int64"), ("int32", "float64"), ("float16", "float32"), ("bool", "uint8")])
def test_xlogy_promotes_like_torch(dtypes):
    a, b = (np.array([0, 1, 2]).astype(d) for d in dtypes)
    assert_matches_torch(lambda L, x, y: L.xlogy(x, y), a, b + 1 if b.dtype != bool else b, grad=False)


@pytest.mark.parametrize("name", ["logaddexp", "logaddexp2"])
def test_logaddexp_values_gradients_and_infinities_match_torch(name):
    a = np.array([0.0, 1000.0, -1000.0, np.inf, -np.inf, -np.inf, np.inf, 3.0, np.nan])
    b = np.array([0.0, 1000.0, -999.0, np.inf, -np.inf, 2.0, -np.inf, -4.0, 1.0])
    assert_matches_torch(lambda L, x, y: getattr(L, name)(x, y), a, b)
    assert_matches_torch(lambda L, x, y: getattr(x, name)(y), a.reshape(3, 3), b[:3])


@pytest.mark.parametrize("name", ["logaddexp", "logaddexp2"])
def test_logaddexp_errors_match_torch(name):
    same_error(lambda L: getattr(L, name)(L.tensor([1, 2]), L.tensor([1, 2])))  # integers: not implemented
    same_error(lambda L: getattr(L, name)(L.ones(2), 1.0))  # other must be a Tensor
    same_error(lambda L: getattr(L, name)(1.0, L.ones(2)))
    same_error(lambda L: getattr(L, name)(L.ones(2, dtype=L.int32), L.ones(3, dtype=L.int32)))  # shape first


@pytest.mark.parametrize("p", [1, 2, 3, 5])
def test_mvlgamma_values_and_gradients_match_torch(p):
    x = np.array([2.5, 3.0, 7.25, 0.4, 12.0])  # torch 2.13 does not check x > (p - 1) / 2: neither do we
    assert_matches_torch(lambda L, a: L.mvlgamma(a, p), x, rtol=1e-12, atol=1e-12)
    assert_matches_torch(lambda L, a: a.mvlgamma(p), x.astype(np.float32))
    assert_matches_torch(lambda L, a: L.mvlgamma(a, p), np.array([1, 2, 5]), grad=False)


def test_mvlgamma_refuses_p_below_1_like_torch():
    same_error(lambda L: L.mvlgamma(L.ones(2), 0))
    same_error(lambda L: L.mvlgamma(L.ones(2, dtype=L.bool), 2))
