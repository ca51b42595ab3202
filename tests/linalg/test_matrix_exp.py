"""linalg.matrix_exp / torch.matrix_exp against torch: values over a range of norms (the scaling
steps), batches, dtypes, gradients, double backward, node name and errors."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import randn


@pytest.mark.parametrize("scale", [0.0, 1e-3, 1.0, 7.0, 40.0])
@pytest.mark.parametrize("shape", [(4, 4), (3, 2, 5, 5), (1, 1)])
def test_values_match_torch(scale, shape):
    a = randn(*shape, dtype=np.float64) * scale
    expected = torch.linalg.matrix_exp(torch.tensor(a)).numpy()
    for fn in (minitorch.linalg.matrix_exp, minitorch.matrix_exp, minitorch.Tensor.matrix_exp):
        np.testing.assert_allclose(fn(minitorch.tensor(a)).numpy(), expected, rtol=1e-12, atol=1e-12)


def test_mixed_norms_in_one_batch_and_known_values():
    # each matrix of a batch is scaled by its own power of two; rotation generators give cos/sin
    t = np.array([0.1, 3.0, 30.0])
    gen = np.zeros((3, 2, 2))
    gen[:, 0, 1], gen[:, 1, 0] = -t, t
    out = minitorch.linalg.matrix_exp(minitorch.tensor(gen)).numpy()
    expected = np.stack([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]).transpose(2, 0, 1)
    np.testing.assert_allclose(out, expected, atol=1e-12)
    np.testing.assert_allclose(out, torch.linalg.matrix_exp(torch.tensor(gen)).numpy(), atol=1e-12)


def test_float32_and_empty_like_torch():
    a = randn(3, 3, dtype=np.float32)
    out, expected = minitorch.matrix_exp(minitorch.tensor(a)), torch.matrix_exp(torch.tensor(a))
    assert out.dtype == minitorch.float32
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)
    assert tuple(minitorch.matrix_exp(minitorch.zeros(2, 0, 0)).shape) == (2, 0, 0)


@pytest.mark.parametrize("shape, scale", [((3, 3), 0.5), ((2, 4, 4), 3.0)])
def test_gradients_and_double_backward_match_torch(shape, scale):
    a = randn(*shape, dtype=np.float64) * scale
    w = randn(*shape, dtype=np.float64, seed=1)
    results = []
    for lib in (minitorch, torch):
        x = lib.tensor(a, requires_grad=True)
        out = lib.linalg.matrix_exp(x)
        g, = lib.autograd.grad((out * lib.tensor(w)).sum(), x, create_graph=True)
        (g ** 2).sum().backward()
        results.append((out.grad_fn.name(), g.detach().numpy(), x.grad.numpy()))
    (m_name, m_g, m_gg), (t_name, t_g, t_gg) = results
    assert m_name == t_name == "LinalgMatrixExpBackward0"
    np.testing.assert_allclose(m_g, t_g, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(m_gg, t_gg, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("make", [lambda lib: lib.ones(2, 2, dtype=lib.long), lambda lib: lib.ones(2, 3),
                                  lambda lib: lib.ones(3)])
def test_errors_match_torch(make):
    with pytest.raises(RuntimeError) as expected:
        torch.linalg.matrix_exp(make(torch))
    with pytest.raises(RuntimeError) as got:
        minitorch.linalg.matrix_exp(make(minitorch))
    assert str(got.value) == str(expected.value)
