"""nn.attention.SDPBackend and sdpa_kernel as torch's on a CPU: MATH or FLASH_ATTENTION must be allowed."""
import numpy as np
import pytest
import torch
import torch.nn.attention  # noqa: F401  (torch.nn.attention is not imported by `import torch`)

import minitorch

LIBS = [minitorch, torch]
IDS = ["minitorch", "torch"]


def test_backend_names_and_values():
    ours, theirs = minitorch.nn.attention.SDPBackend, torch.nn.attention.SDPBackend
    assert {k: int(v) for k, v in ours.__members__.items()} == {k: int(v) for k, v in theirs.__members__.items()}
    assert repr(ours.MATH) == repr(theirs.MATH) == "<SDPBackend.MATH: 0>"


@pytest.mark.parametrize("lib", LIBS, ids=IDS)
@pytest.mark.parametrize("names", [["MATH"], ["FLASH_ATTENTION"], ["EFFICIENT_ATTENTION", "MATH"]])
def test_cpu_backends_give_the_same_attention(lib, names):
    rng = np.random.default_rng(0)
    q, k, v = (lib.tensor(rng.standard_normal((2, 3, 4, 5))) for _ in range(3))
    expected = lib.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
    backends = [getattr(lib.nn.attention.SDPBackend, n) for n in names]
    with lib.nn.attention.sdpa_kernel(backends if len(backends) > 1 else backends[0], set_priority=True):
        got = lib.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
    # torch's CPU flash kernel rounds differently from its math kernel (1e-16)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("lib", LIBS, ids=IDS)
def test_no_cpu_backend_refused_then_restored(lib):
    x = lib.ones(1, 3, 4)
    attention, sdpa = lib.nn.attention, lib.nn.functional.scaled_dot_product_attention
    mha = lib.nn.MultiheadAttention(4, 2, batch_first=True)
    for backend in ["EFFICIENT_ATTENTION", "CUDNN_ATTENTION", "ERROR"]:
        with attention.sdpa_kernel(getattr(attention.SDPBackend, backend)):
            with pytest.raises(RuntimeError, match="No viable backend for scaled_dot_product_attention"):
                sdpa(x, x, x)
            assert mha(x, x, x)[0].shape == (1, 3, 4)       # need_weights=True: not the SDPA kernel
            with pytest.raises(RuntimeError, match="No viable backend"):
                mha(x, x, x, need_weights=False)
            with attention.sdpa_kernel(attention.SDPBackend.MATH):   # nested: the inner choice holds
                assert sdpa(x, x, x).shape == (1, 3, 4)
            with pytest.raises(RuntimeError, match="No viable backend"):
                sdpa(x, x, x)
    assert sdpa(x, x, x).shape == (1, 3, 4)


@pytest.mark.parametrize("lib", LIBS, ids=IDS)
def test_backend_must_be_an_sdpbackend(lib):
    with pytest.raises(AssertionError, match="Backend must be an instance of SDPBackend .* got str"):
        with lib.nn.attention.sdpa_kernel("math"):
            pass
