"""linalg.matrix_norm / linalg.norm / torch.norm against torch: float16 (computed for 'fro', +-1 and +-inf,
refused for 2, -2 and 'nuc'), torch's order of checks (ord, A, dim, dtype=), empty matrices."""
import itertools
import math

import numpy as np
import pytest

from conftest import assert_matches_torch, same_outcome

ORDS = ["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf]


@pytest.mark.parametrize("ord", ["fro", 1, -1, math.inf, -math.inf])
@pytest.mark.parametrize("keepdim", [False, True])
def test_float16_matrix_norms_values_and_gradients_like_torch(ord, keepdim):
    a = np.array([[[1, -2, 3], [4, 5, -6]], [[0.5, 7, -1], [2, 2, 2]]], np.float16)
    assert_matches_torch(lambda L, x: L.linalg.matrix_norm(x, ord, keepdim=keepdim), a, atol=1e-2, rtol=1e-3)
    assert_matches_torch(lambda L, x: L.linalg.norm(x, ord, dim=(2, 0)), a, atol=1e-2, rtol=1e-3)


@pytest.mark.parametrize("ord", [2, -2, "nuc"])
def test_float16_singular_value_norms_refused_like_torch(ord):
    a = np.ones((2, 2), np.float16)
    same_outcome(lambda L, x: L.linalg.matrix_norm(x, ord), a)
    same_outcome(lambda L, x: L.linalg.norm(x, ord), a)
    same_outcome(lambda L, x: L.norm(x, ord), a)  # (torch.norm's 2 is the vector 2-norm: computed)


CHECK_INPUTS = {"1-D half": np.ones(3, np.float16), "half": np.arange(9.0).reshape(3, 3).astype(np.float16) - 4,
                "int64": np.ones((3, 3), np.int64), "empty rows": np.ones((0, 3), np.float16),
                "empty cols": np.ones((3, 0), np.float32), "batch": np.arange(18.0).reshape(2, 3, 3)}


@pytest.mark.parametrize("name,ord,dim,dtype", list(itertools.product(
    CHECK_INPUTS, ORDS + [3], [(-2, -1), (0, 0), (1, 0), (0, 3)], [None, "float32", "float16", "int64"])))
def test_checks_in_torchs_order_and_empty_matrices(name, ord, dim, dtype):
    # (a singular matrix's -2 norm and 2-norm are rounding noise: compared loosely by same_outcome)
    same_outcome(lambda L, x: L.linalg.matrix_norm(x, ord, dim=dim, dtype=dtype and getattr(L, dtype)),
                 CHECK_INPUTS[name], atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("shape,dim", [((2, 0, 2), (-2, -1)), ((0, 2, 3), (1, -1)), ((0, 3), (-2, -1)),
                                       ((3, 0), (-1, -2)), ((2, 3, 0), (-2, -1))])
@pytest.mark.parametrize("ord", [1, math.inf, 2, -1])
def test_empty_matrices_are_zero_and_tracked_like_torch(shape, dim, ord):
    # torch returns untracked zeros where the max runs over an empty dim, else the amax/amin result
    def fn(L, x):
        x.requires_grad_()
        r = L.linalg.matrix_norm(x, ord, dim=dim)
        return r.detach(), L.tensor(r.requires_grad)
    same_outcome(fn, np.zeros(shape, np.float32))
