"""A step's LSTM and GRU gradients compiled (kernels/recurrent.py) against the same formulas as
recorded tensor ops (_ops/recurrent.py), on strided views as the sequence ops pass them."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch
from minitorch._ops import recurrent as formulas
from minitorch.kernels import recurrent as kernels


def _random(shape, dtype, seed):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def _tensors(arrays):
    return [minitorch.tensor(a) for a in arrays]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n, hidden", [(1, 1), (3, 5), (97, 51)])
def test_lstm_step_backward_matches_the_formulas(dtype, n, hidden):
    gates, c, grad_h, grad_c = (_random(s, dtype, seed) for seed, s in
                                enumerate([(n, 4 * hidden), (n, hidden), (n, hidden), (n, hidden)]))
    activations = formulas._lstm_activations(gates, c, formulas._ARRAYS)  # i, f, g, o: views with a row stride of 4H
    d_gates, d_c = np.empty((n, 4 * hidden), dtype), np.empty((n, hidden), dtype)
    kernels.lstm_step_backward(*activations[:4], c, activations[5], grad_h, grad_c, d_gates, d_c)
    expected = formulas._lstm_gradients(_tensors(activations), *_tensors([c, grad_h, grad_c]))
    tolerance = 1e-6 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(d_gates, expected[0].numpy(), rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(d_c, expected[1].numpy(), rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n, hidden", [(1, 1), (3, 5), (20, 32)])
def test_gru_step_backward_matches_the_formulas(dtype, n, hidden):
    x_proj, h_proj, h, grad = (_random(s, dtype, seed) for seed, s in
                               enumerate([(n, 3 * hidden), (n, 3 * hidden), (n, hidden), (n, hidden)]))
    activations = formulas._gru_activations(x_proj, h_proj, formulas._ARRAYS)  # h_n: a strided view
    d_x_proj, d_h_proj = np.empty((n, 3 * hidden), dtype), np.empty((n, 3 * hidden), dtype)
    d_h = np.empty((n, hidden), dtype)
    kernels.gru_step_backward(*activations, h, grad, d_x_proj, d_h_proj, d_h)
    expected = formulas._gru_gradients(_tensors(activations), *_tensors([h, grad]))
    tolerance = 1e-6 if dtype == np.float32 else 1e-14
    for got, want in zip((d_x_proj, d_h_proj, d_h), expected):
        np.testing.assert_allclose(got, want.numpy(), rtol=tolerance, atol=tolerance)
