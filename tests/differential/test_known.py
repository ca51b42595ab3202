"""minitorch's chosen behaviour where a KNOWN_DIFFERENCES entry keeps torch's own inconsistency or bug
out of the differential comparison: each test pins our answer and shows torch's, so that a torch that
changes its answer makes the test fail and the entry can be revisited."""
import numpy as np
import torch

import minitorch


def test_atan2_gradient_with_a_uint8_operand_is_the_true_derivative():
    # d/db atan2(a, b) = -a / (a^2 + b^2); torch negates the uint8 a in uint8 (-3 -> 253) first
    grads = []
    for L in (minitorch, torch):
        b = L.tensor([2.0], requires_grad=True)
        L.atan2(L.tensor([3], dtype=L.uint8), b).sum().backward()
        grads.append(b.grad.item())
    ours, theirs = grads
    assert np.isclose(ours, -3 / 13)
    assert np.isclose(theirs, 253 / 13)


def test_trigamma_of_negative_integers_in_float32_is_the_float64_value_rounded():
    # torch's float32 reflection divides by sin(pi x)^2 of its float32 sin (1.3e15 at -1); its float64
    # value, which minitorch rounds to float32, is 6.58e32
    x = [-1, -2]
    ours = minitorch.polygamma(1, minitorch.tensor(x)).numpy()
    assert np.allclose(ours, torch.polygamma(1, torch.tensor(x, dtype=torch.float64)).numpy().astype(np.float32))
    assert np.all(torch.polygamma(1, torch.tensor(x)).numpy() < 1e16)


def test_gelu_of_inf_in_float32_is_nan_whatever_the_length():
    # torch 2.13: inf for a one-element tensor (its scalar loop), NaN for longer ones (vectorised erf)
    for n in (1, 16):
        assert np.isnan(minitorch.nn.functional.gelu(minitorch.tensor([float("inf")] * n)).numpy()).all()
    assert torch.nn.functional.gelu(torch.tensor([float("inf")])).item() == float("inf")
    assert torch.nn.functional.gelu(torch.tensor([float("inf")] * 16)).isnan().all()


def test_det_gradient_at_a_singular_matrix_is_the_cofactor_matrix():
    # d det(A) / dA = adj(A)^T, nonzero at rank n - 1 (finite differences agree). torch 2.13 gives it too
    # when it differentiates with create_graph=True (its SVD formula) and at A + 1e-12, but zeros from its
    # plain backward (the LU solve's result masked where det == 0): minitorch gives adj(A)^T in both modes
    a = np.array([[2.0, -1.0], [2.0, -1.0]])
    cofactors = [[-1.0, -2.0], [1.0, 2.0]]
    for create_graph in (False, True):
        grads = []
        for L in (minitorch, torch):
            t = L.tensor(a, requires_grad=True)
            grads.append(L.autograd.grad(L.linalg.det(t), t, create_graph=create_graph)[0].detach().numpy())
        ours, theirs = grads
        assert np.allclose(ours, cofactors, atol=1e-12)
        assert np.allclose(theirs, cofactors if create_graph else np.zeros((2, 2)), atol=1e-12)


def test_unique_along_a_dim_with_nan_keeps_equal_values_together():
    # torch 2.13 sorts with a comparator under which NaN is neither less nor greater: equal slices may end up
    # apart, and stay apart (both 3s kept); minitorch gathers equal values
    values = [3.0, float("nan"), 1.0, float("nan"), 3.0]
    ours = minitorch.unique(minitorch.tensor(values), dim=0).tolist()
    theirs = torch.unique(torch.tensor(values), dim=0).tolist()
    assert ours[:2] == [1.0, 3.0] and len(ours) == 4
    assert theirs.count(3.0) == 2
