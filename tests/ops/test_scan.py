"""Scans (_ops/scan.py) against torch: cumsum/cumprod gradients with zeros, cummax/cummin values,
indices and gradients (ties, nan), logcumsumexp without overflow; every dtype, 0-d and empty inputs."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import ALL_DTYPES, assert_matches_torch, check_results, gradcheck, same_unary_over_grid


def test_cumprod_gradient_with_zeros():
    x = np.array([[2., 0., 3., 0.5], [1., 2., 0., 4.], [1., 0., 0., 3.]], np.float32)
    for fn in [lambda L, t: t.cumprod(1), lambda L, t: L.cumprod(t, 0)]:
        check_results(fn, x)
        gradcheck(fn, x)


# ----- running extremes and log-cum-sum-exp ------------------------------------------------------------
@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("name", ["cummax", "cummin", "logcumsumexp"])
@pytest.mark.parametrize("dim", [0, -1, 2])
def test_scans_match_torch_for_every_dtype_and_shape(name, dim, dtype):
    # values and indices (ties move the index on; nan, once met, stays), 0-d and empty inputs, bad dims,
    # and NotImplementedError for logcumsumexp of integers
    same_unary_over_grid(lambda lib, t: getattr(lib, name)(t, dim), dtype,
                         atol=1e-3 if dtype == "float16" else 1e-5, rtol=1e-3)


SCANNED = [np.array([1.0, 3, 3, 2, 5, 5, 0]), np.array([[1.0, np.nan, 3], [2, 2, np.nan], [0, 1, 1]]),
           np.array([[np.inf, 1.0], [-np.inf, -np.inf], [2.0, np.inf]]), np.array(2.5), np.zeros((0, 3))]


@pytest.mark.parametrize("x", SCANNED, ids=lambda x: str(x.tolist()))
@pytest.mark.parametrize("dim", [0, -1])
@pytest.mark.parametrize("name", ["cummax", "cummin", "logcumsumexp"])
def test_scan_gradients_with_ties_nan_and_inf_match_torch(name, dim, x):
    # cummax/cummin: the gradient accumulates at the selected index (repeated for a run of ties)
    assert_matches_torch(lambda lib, t: getattr(lib, name)(t, dim), x)
    assert_matches_torch(lambda lib, t: getattr(t, name)(dim), x.astype(np.float32))


def test_logcumsumexp_gradient_with_large_inputs_and_mixed_sign_upstream_matches_torch():
    x = np.array([[1000.0, -1000, 3, 700], [0.5, 0.25, -3, 2]])
    assert_matches_torch(lambda lib, t: lib.logcumsumexp(t, 1) * lib.tensor([[1.0, -2, 3, -4]], dtype=t.dtype), x)


def test_running_extremes_print_like_torch_return_types():
    for lib in (minitorch, torch):
        out = lib.cummax(lib.tensor([1, 3, 2]), 0)
        assert out.values.tolist() == [1, 3, 3] and out.indices.tolist() == [0, 1, 1]
    assert repr(minitorch.cummin(minitorch.tensor([3, 1]), 0)) == repr(torch.cummin(torch.tensor([3, 1]), 0))


def test_float_scans_carry_a_double_running_value_like_torch():
    # torch's CPU cumsum/cumprod of float32 accumulate in float64 and round each output once
    x = (np.random.default_rng(0).standard_normal((50, 7)) * 2).astype(np.float32)
    for name in ("cumsum", "cumprod"):
        ours = getattr(minitorch, name)(minitorch.tensor(x), 1).numpy()
        np.testing.assert_array_equal(ours, getattr(torch, name)(torch.tensor(x), 1).numpy())


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@pytest.mark.parametrize("zeros", [False, True])
def test_scan_to_float32_of_float64_input_differentiates_in_float64_like_torch(name, zeros):
    # torch casts the gradient back to the input's dtype before its backward formula runs
    x = np.random.default_rng(1).standard_normal((4, 3, 5)) * 2
    if zeros:
        x[1, 2, 3] = x[0, 0, 0] = 0.0
    w = np.random.default_rng(2).standard_normal((4, 3, 5)).astype(np.float32)
    grads = []
    for lib in (minitorch, torch):
        t = lib.tensor(x, requires_grad=True)
        (getattr(lib, name)(t, 0, dtype=lib.float32) * lib.tensor(w)).sum().backward()
        grads.append(t.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12, atol=1e-12)


def test_cumprod_of_one_element_and_float16_to_float64_pass_the_gradient_like_torch():
    assert_matches_torch(lambda L, t: L.cumprod(t, 0, dtype=L.float32), np.array([-0.5209756609742717]), atol=0, rtol=0)
    x = np.array([[0.55, -1.6, 4.55, -2.85], [3.5, 1.63, -3.1, np.nan]], np.float16)
    assert_matches_torch(lambda L, t: L.cumprod(t, 1, dtype=L.float64), x)


@pytest.mark.parametrize("value", [float("nan"), 3.0, float("inf")])
def test_logcumsumexp_of_one_value_passes_its_gradient_through_like_torch(value):
    # torch returns the incoming gradient for a 0-d input (NaN or not) and names the node LogcumsumexpBackward0
    seen = []
    for lib in (minitorch, torch):
        x = lib.tensor(value, dtype=lib.float64, requires_grad=True)
        y = lib.logcumsumexp(x, 0)
        y.backward(lib.tensor(0.7, dtype=lib.float64))
        seen.append((float(x.grad), y.grad_fn.name()))
    assert seen[0] == seen[1]
