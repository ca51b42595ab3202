"""out= on minitorch.linalg's functions, as torch.linalg accepts it: the result written into out
(resized), out returned, tuples for the factorisations, and torch's error for a wrong out dtype."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import randn

A = randn(3, 3, seed=1)
SPD = A @ A.T + 3 * np.eye(3, dtype=np.float32)
B = randn(3, 2, seed=2)

SINGLE = {
    "inv": lambda L, o: L.linalg.inv(L.tensor(A), out=o),
    "det": lambda L, o: L.linalg.det(L.tensor(A), out=o),
    "solve": lambda L, o: L.linalg.solve(L.tensor(A), L.tensor(B), out=o),
    "eigvalsh": lambda L, o: L.linalg.eigvalsh(L.tensor(SPD), out=o),
    "svdvals": lambda L, o: L.linalg.svdvals(L.tensor(A), out=o),
    "cholesky": lambda L, o: L.linalg.cholesky(L.tensor(SPD), out=o),
    "vector_norm": lambda L, o: L.linalg.vector_norm(L.tensor(A), out=o),
    "matrix_norm": lambda L, o: L.linalg.matrix_norm(L.tensor(A), out=o),
    "norm": lambda L, o: L.linalg.norm(L.tensor(A), out=o),
    "cross": lambda L, o: L.linalg.cross(L.tensor(A), L.tensor(B[:, :1].repeat(3, 1)), out=o),
}


@pytest.mark.parametrize("name", SINGLE)
def test_out_is_written_and_returned_like_torch(name):
    results = []
    for L in (minitorch, torch):
        out = L.empty(0)
        returned = SINGLE[name](L, out)
        assert returned is out
        results.append(out.numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", SINGLE)
@pytest.mark.parametrize("dtype", ["float64", "int64"])
def test_wrong_out_dtype_raises_like_torch(name, dtype):
    errors = []
    for L in (minitorch, torch):
        with pytest.raises(RuntimeError) as info:
            SINGLE[name](L, L.empty(0, dtype=getattr(L, dtype)))
        errors.append(str(info.value))
    assert errors[0] == errors[1]


@pytest.mark.parametrize("name, call, count", [
    ("eigh", lambda L, o: L.linalg.eigh(L.tensor(SPD), out=o), 2),
    ("svd", lambda L, o: L.linalg.svd(L.tensor(A), out=o), 3),
    ("qr", lambda L, o: L.linalg.qr(L.tensor(A), out=o), 2),
])
def test_factorisations_write_tuples_of_outs(name, call, count):
    shapes = []
    for L in (minitorch, torch):
        outs = tuple(L.empty(0) for _ in range(count))
        returned = call(L, outs)
        assert all(r is o for r, o in zip(returned, outs))
        shapes.append([tuple(o.shape) for o in outs])
    assert shapes[0] == shapes[1]
    if name != "svd":  # svd's factors are unique only up to signs
        got = call(minitorch, tuple(minitorch.empty(0) for _ in range(count)))
        expected = call(torch, tuple(torch.empty(0) for _ in range(count)))
        np.testing.assert_allclose(np.abs(got[0].numpy()), np.abs(expected[0].numpy()), rtol=1e-4, atol=1e-5)


def test_out_refuses_inputs_that_require_grad_like_torch():
    for L in (minitorch, torch):
        with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
            L.linalg.inv(L.tensor(A, requires_grad=True), out=L.empty(0))
