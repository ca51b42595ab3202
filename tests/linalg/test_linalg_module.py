"""minitorch.linalg against torch.linalg: values, gradients (float64), gradcheck and errors."""
import math

import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_matches_torch, gradcheck, randn


def spd(n, batch=(), seed=0):
    """A well-conditioned symmetric positive-definite matrix (or batch of them), float64."""
    a = randn(*batch, n, n, dtype=np.float64, seed=seed)
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


VECTOR_NORMS = [(2, None, False), (1, 0, True), (math.inf, 1, False), (-math.inf, None, False),
                (0, -1, False), (3, (0, 1), True), (0.5, 1, False)]


@pytest.mark.parametrize("ord,dim,keepdim", VECTOR_NORMS)
def test_vector_norm(ord, dim, keepdim):
    x = randn(3, 4, dtype=np.float64)
    assert_matches_torch(lambda L, t: L.linalg.vector_norm(t, ord, dim, keepdim), x, atol=1e-10)
    gradcheck(lambda L, t: L.linalg.vector_norm(t, ord, dim, keepdim), x)


def test_vector_norm_gradient_at_zero_is_zero_like_torch():
    assert_matches_torch(lambda L, t: L.linalg.vector_norm(t), np.zeros((3,)), atol=0)
    assert_matches_torch(lambda L, t: L.linalg.vector_norm(t, 3, 1), np.zeros((2, 3)), atol=0)


@pytest.mark.parametrize("ord", ["fro", "nuc", math.inf, -math.inf, 1, -1, 2, -2])
def test_matrix_norm(ord):
    a = randn(2, 3, 4, dtype=np.float64)
    assert_matches_torch(lambda L, t: L.linalg.matrix_norm(t, ord), a, atol=1e-10)
    assert_matches_torch(lambda L, t: L.linalg.matrix_norm(t, ord, (0, 2), keepdim=True), a, atol=1e-10)


@pytest.mark.parametrize("call", [
    lambda L, t: L.linalg.norm(t),
    lambda L, t: L.linalg.norm(t[0], "fro"),
    lambda L, t: L.linalg.norm(t[0], 2),
    lambda L, t: L.linalg.norm(t, 3, dim=1),
    lambda L, t: L.linalg.norm(t, dim=(1, 2), keepdim=True),
    lambda L, t: L.linalg.norm(t[0, 0], math.inf),
])
def test_norm_picks_vector_or_matrix_norm_like_torch(call):
    assert_matches_torch(call, randn(2, 3, 4, dtype=np.float64), atol=1e-10)


def test_inv_det_solve():
    a = spd(3, (2,)) + randn(2, 3, 3, dtype=np.float64, seed=3)
    b = randn(2, 3, 2, dtype=np.float64, seed=4)
    assert_matches_torch(lambda L, t: L.linalg.inv(t), a, atol=1e-10)
    assert_matches_torch(lambda L, t: L.linalg.det(t), a, atol=1e-9)
    assert_matches_torch(lambda L, t, u: L.linalg.solve(t, u), a, b, atol=1e-10)
    assert_matches_torch(lambda L, t, u: L.linalg.solve(t, u[..., 0]), a, b, atol=1e-10)      # vector B
    assert_matches_torch(lambda L, t, u: L.linalg.solve(t, u[0, :, 0]), a, b, atol=1e-10)     # 1-D B
    assert_matches_torch(lambda L, t, u: L.linalg.solve(t[0], u), a, b, atol=1e-10)           # broadcast
    assert_matches_torch(lambda L, t, u: L.linalg.solve(t, u.mT, left=False), a, b, atol=1e-10)
    for fn in (lambda L, t: L.linalg.inv(t), lambda L, t: L.linalg.det(t)):
        gradcheck(fn, a)
    gradcheck(lambda L, t, u: L.linalg.solve(t, u), a, b)


def test_det_gradient_of_a_singular_matrix_is_its_cofactor_matrix():
    # d det(A)/dA is the cofactor matrix, also for a singular A. (torch 2.13 returns zeros for
    # this rank-2 matrix, which is not the derivative; the exact cofactors are the reference.)
    singular = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.5, 1.0, 2.0]])
    cofactors = np.array([[np.linalg.det(np.delete(np.delete(singular, i, 0), j, 1)) * (-1) ** (i + j)
                           for j in range(3)] for i in range(3)])
    a = minitorch.tensor(singular, requires_grad=True)
    minitorch.linalg.det(a).backward()
    np.testing.assert_allclose(a.grad.numpy(), cofactors, atol=1e-12)


def test_eigh_gauge_invariant_outputs_and_gradients():
    a = spd(4, (2,), seed=5) + np.diag([0.0, 1.0, 2.5, 4.0])  # distinct eigenvalues
    for uplo in ("L", "U"):
        def call(L, t):
            values, vectors = L.linalg.eigh(t, UPLO=uplo)
            return values, vectors * vectors  # squares: independent of each column's sign
        assert_matches_torch(call, a, atol=1e-9)
    assert_matches_torch(lambda L, t: L.linalg.eigvalsh(t), a, atol=1e-9)


def test_svd_values_and_gradients():
    for shape in ((4, 3), (3, 5), (2, 4, 4)):
        a = randn(*shape, dtype=np.float64, seed=6)

        def call(L, t):
            U, S, Vh = L.linalg.svd(t, full_matrices=False)
            return U * U, S, Vh * Vh  # squares: independent of the singular vectors' signs
        assert_matches_torch(call, a, atol=1e-9)
        assert_matches_torch(lambda L, t: L.linalg.svdvals(t), a, atol=1e-10)
    full = minitorch.linalg.svd(minitorch.tensor(randn(4, 3, dtype=np.float64)))
    assert [tuple(t.shape) for t in full] == [(4, 4), (3,), (3, 3)]


@pytest.mark.parametrize("shape", [(4, 3), (3, 5), (2, 4, 2)])
def test_svd_full_matrices_differentiates_the_first_k_vectors_like_torch(shape):
    a = randn(*shape, dtype=np.float64, seed=7)
    k = min(shape[-2:])

    def call(L, t):
        U, S, Vh = L.linalg.svd(t)  # full_matrices=True, torch's default
        return (U[..., :k] ** 2).sum() + S.sum() + (Vh[..., :k, :] ** 2 * 0.5).sum()
    assert_matches_torch(call, a, atol=1e-9)


@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (2, 5, 2), (3, 5), (2, 2, 4)])
def test_qr(shape):
    a = randn(*shape, dtype=np.float64, seed=8)
    assert_matches_torch(lambda L, t: L.linalg.qr(t), a, atol=1e-10)
    assert_matches_torch(lambda L, t: L.linalg.qr(t, mode="complete"), a, atol=1e-10, grad=shape[-2] <= shape[-1])
    assert_matches_torch(lambda L, t: L.linalg.qr(t, mode="r")[1], a, atol=1e-10, grad=False)
    gradcheck(lambda L, t: L.linalg.qr(t), a)


@pytest.mark.parametrize("shape", [(4, 3), (3, 5)])
def test_qr_mode_r_has_no_gradient_like_torch(shape):
    errors = []
    for lib in (minitorch, torch):
        a = lib.tensor(randn(*shape, dtype=np.float64), requires_grad=True)
        with pytest.raises(RuntimeError, match="not computed when mode='r'") as info:
            lib.linalg.qr(a, mode="r")[1].sum().backward()
        errors.append(str(info.value))
    assert errors[0] == errors[1]


def test_cholesky():
    a = spd(3, (2,), seed=9)
    assert_matches_torch(lambda L, t: L.linalg.cholesky(t), a, atol=1e-10)
    assert_matches_torch(lambda L, t: L.linalg.cholesky(t, upper=True), a, atol=1e-10)
    gradcheck(lambda L, t: L.linalg.cholesky(t + t.mT), a)


def raised(fn, lib):
    try:
        fn(lib)
    except Exception as e:  # the class and message is what is compared
        return type(e).__mro__[:2], str(e)
    return None


@pytest.mark.parametrize("fn", [
    lambda L: L.linalg.inv(L.ones(2, 3, dtype=L.float64)),
    lambda L: L.linalg.det(L.ones(3, dtype=L.float64)),
    lambda L: L.linalg.inv(L.ones(2, 2, dtype=L.int64)),
    lambda L: L.linalg.inv(L.ones(2, 2)),
    lambda L: L.linalg.inv(L.ones(3, 2, 2)),
    lambda L: L.linalg.solve(L.ones(2, 2), L.ones(3)),
    lambda L: L.linalg.solve(L.eye(2), L.ones(2, dtype=L.float64)),
    lambda L: L.linalg.cholesky(-L.eye(3)),
    lambda L: L.linalg.cholesky(L.ones(2, 3)),
    lambda L: L.linalg.eigh(L.eye(2), UPLO="X"),
    lambda L: L.linalg.qr(L.eye(2), mode="x"),
    lambda L: L.linalg.matrix_norm(L.ones(3)),
    lambda L: L.linalg.norm(L.ones(2, 2, 2), 2),
    lambda L: L.linalg.vector_norm(L.ones(3, dtype=L.int64)),
])
def test_errors_match_torch_class(fn):
    mine, theirs = raised(fn, minitorch), raised(fn, torch)
    assert theirs is not None and mine is not None
    assert [c.__name__ for c in mine[0]] == [c.__name__.lstrip("_") for c in theirs[0]], (mine, theirs)


def test_linalg_error_is_a_runtime_error_like_torch():
    assert issubclass(minitorch.linalg.LinAlgError, RuntimeError)
    with pytest.raises(minitorch.linalg.LinAlgError, match="singular"):
        minitorch.linalg.inv(minitorch.zeros(2, 2))
    with pytest.raises(minitorch.linalg.LinAlgError, match="leading minor of order 2"):
        minitorch.linalg.cholesky(minitorch.tensor([[1.0, 2.0], [2.0, 1.0]]))


@pytest.mark.parametrize("fn, shape", [("vector_norm", (3,)), ("matrix_norm", (3, 3)), ("norm", (3,))])
@pytest.mark.parametrize("given, wanted", [("float64", "int64"), ("float64", "bool"), ("float64", "float32"),
                                           ("float32", "float16"), ("float32", "float64"), ("float16", "float32")])
def test_norm_dtype_is_refused_when_not_floating_or_narrowing_like_torch(fn, shape, given, wanted):
    a = randn(*shape, dtype=np.float64).astype(given)
    outcomes = []
    for lib in (minitorch, torch):
        try:
            outcomes.append(str(getattr(lib.linalg, fn)(lib.tensor(a), dtype=getattr(lib, wanted)).dtype).split(".")[-1])
        except RuntimeError as e:
            outcomes.append(str(e))
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_inv_refuses_an_exactly_singular_matrix_that_numpys_lu_rounds_past_like_torch(dtype):
    # numpy's LU leaves a pivot of -1.7e-16 for this integer matrix of determinant 0; torch's LU (MKL's)
    # meets the exact 0 and refuses on an AMD Zen 4 (found by make fuzz), while on an Intel Xeon it rounds
    # past it too and returns a "inverse" of 1e16-sized values (2026-12-05). minitorch refuses it on every
    # machine, with torch's message where torch refuses. A nonsingular but ill-conditioned one still inverts.
    singular = [[-1.0, 0.0, 0.0], [-1.0, -1.0, 2.0], [-2.0, 1.0, -2.0]]
    batch = [singular, [[2.0, 0, 0], [0, 1, 0], [0, 0, 1]]]
    with pytest.raises(minitorch.linalg.LinAlgError) as error:
        minitorch.linalg.inv(minitorch.tensor(batch, dtype=getattr(minitorch, dtype)))
    try:
        torch_inverse = torch.linalg.inv(torch.tensor(batch, dtype=getattr(torch, dtype)))
    except torch.linalg.LinAlgError as torch_error:
        assert str(error.value) == str(torch_error)
    else:
        assert torch_inverse[0].abs().max() > 1e6  # rounded past the zero pivot
    hilbert = np.array([[1 / (i + j + 1) for j in range(10)] for i in range(10)])
    np.testing.assert_allclose(minitorch.linalg.inv(minitorch.tensor(hilbert)).numpy() @ hilbert, np.eye(10), atol=1e-2)
