"""torch.svd (_ops/decompositions.py), the legacy (U, S, V) form, against torch."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import gradcheck, randn


@pytest.mark.parametrize("shape", [(4, 3), (3, 5), (2, 3, 3)])
@pytest.mark.parametrize("some", [True, False])
def test_svd_factors_reconstruct_and_match_torchs_shapes(shape, some):
    a = randn(*shape, dtype=np.float64)
    got, expected = minitorch.svd(minitorch.tensor(a), some=some), torch.svd(torch.tensor(a), some=some)
    assert type(got).__name__ == "svd" and got._fields == ("U", "S", "V")
    for g, e in zip(got, expected):
        assert tuple(g.shape) == tuple(e.shape) and g.dtype.name == str(e.dtype)[6:]
    np.testing.assert_allclose(got.S.numpy(), expected.S.numpy(), rtol=1e-10)
    k = min(shape[-2:])
    U, V = got.U.numpy()[..., :k], got.V.numpy()[..., :k]
    np.testing.assert_allclose((U * got.S.numpy()[..., None, :]) @ np.swapaxes(V, -1, -2), a, atol=1e-10)


def test_svd_without_uv_gives_zero_factors_like_torch():
    a = randn(4, 3)
    got, expected = minitorch.tensor(a).svd(compute_uv=False), torch.tensor(a).svd(compute_uv=False)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-5)


def test_singular_values_gradcheck():
    gradcheck(lambda L, x: L.svd(x).S, randn(4, 3))
