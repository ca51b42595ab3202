"""F.scaled_dot_product_attention, F.multi_head_attention_forward and nn.MultiheadAttention
(_ops/attention.py, nn/modules/attention.py) against torch: values, gradients of inputs and of
weights copied from torch with load_state_dict, shapes, parameter names, init, dropout, errors."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_matches_torch, assert_prints_like_torch, randn

F64 = np.float64


def _sdpa(lib, q, k, v, mask=None, **kwargs):
    mask = None if mask is None else lib.tensor(mask)
    return lib.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask, **kwargs)


_BOOL_MASK = np.ones((4, 5), bool)
_BOOL_MASK[1] = False  # a row that may attend to nothing: zeros, not NaN
_BOOL_MASK[2, 3] = False


@pytest.mark.parametrize("shapes, kwargs", [
    (((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)), {}),
    (((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)), {"mask": _BOOL_MASK}),
    (((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)), {"mask": randn(3, 4, 5, dtype=F64)}),
    (((4, 8), (4, 8), (4, 6)), {"is_causal": True, "scale": 0.3}),
    (((3, 4, 8), (3, 4, 8), (3, 4, 8)), {"is_causal": True}),
    (((2, 4, 3, 8), (2, 2, 5, 8), (2, 2, 5, 6)), {"enable_gqa": True}),
])
def test_sdpa_matches_torch(shapes, kwargs):
    arrays = [randn(*s, dtype=F64, seed=i) for i, s in enumerate(shapes)]
    assert_matches_torch(_sdpa, *arrays, atol=1e-12, rtol=1e-10, kwargs=kwargs)


def test_sdpa_float32_and_dropout_in_training():
    q = randn(2, 4, 8)
    assert_matches_torch(_sdpa, q, q, q, atol=1e-5)
    x = minitorch.ones(2, 4, 8)
    # constant values: the output only shows how much of each row's weight dropout kept
    out = minitorch.nn.functional.scaled_dot_product_attention(x, x, x, dropout_p=0.5)
    assert not np.allclose(out.numpy(), 1.0)
    assert np.allclose(minitorch.nn.functional.scaled_dot_product_attention(x, x, x).numpy(), 1.0)


@pytest.mark.parametrize("q_dtype, k_dtype, mask_dtype, message", [
    ("float64", "float32", "bool", "Expected query, key, and value to have the same dtype, but got query.dtype: "
                                   "double key.dtype: float and value.dtype: double instead."),
    ("float32", "float32", "int64", "Expected attn_mask dtype to be bool or float or to match query dtype, but "
                                    "got attn_mask.dtype: long int and  query.dtype: float instead."),
    ("float32", "float32", "float64", "Expected attn_mask dtype to be bool or float or to match query dtype, "
                                      "but got attn_mask.dtype: double and  query.dtype: float instead."),
])
def test_sdpa_dtype_errors_match_torch(q_dtype, k_dtype, mask_dtype, message):
    for lib in (torch, minitorch):
        q = lib.zeros(4, 8, dtype=getattr(lib, q_dtype))
        k = lib.zeros(4, 8, dtype=getattr(lib, k_dtype))
        with pytest.raises(RuntimeError) as err:
            lib.nn.functional.scaled_dot_product_attention(q, k, q, attn_mask=lib.zeros(4, 4,
                                                                                    dtype=getattr(lib, mask_dtype)))
        assert str(err.value) == message


def test_sdpa_mask_with_is_causal_is_an_error():
    for lib in (torch, minitorch):
        q = lib.zeros(4, 8)
        with pytest.raises(RuntimeError, match="Explicit attn_mask should not be set when is_causal=True"):
            lib.nn.functional.scaled_dot_product_attention(q, q, q, attn_mask=lib.ones(4, 4, dtype=lib.bool),
                                                           is_causal=True)


def _pair(*args, **kwargs):
    th = torch.nn.MultiheadAttention(*args, **kwargs).double()
    mt = minitorch.nn.MultiheadAttention(*args, **kwargs).double()
    assert list(mt.state_dict()) == list(th.state_dict())
    mt.load_state_dict({k: minitorch.tensor(v.detach().numpy()) for k, v in th.state_dict().items()})
    return mt, th


def _compare(mt, th, shapes, masks=None, **kwargs):
    """Same (output, weights), and same gradients of inputs and parameters."""
    masks = masks or {}
    arrays = [randn(*s, dtype=F64, seed=i) for i, s in enumerate(shapes)]
    th_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    mt_in = [minitorch.tensor(a, requires_grad=True) for a in arrays]
    th_out = th(*th_in, **{k: torch.tensor(v) for k, v in masks.items()}, **kwargs)
    mt_out = mt(*mt_in, **{k: minitorch.tensor(v) for k, v in masks.items()}, **kwargs)
    for m, t in zip(mt_out, th_out):
        if t is None:
            assert m is None
            continue
        assert tuple(m.shape) == tuple(t.shape) and m.dtype == minitorch.float64
        np.testing.assert_allclose(m.detach().numpy(), t.detach().numpy(), atol=1e-12)
    upstream = randn(*th_out[0].shape, dtype=F64, seed=9)
    (th_out[0] * torch.tensor(upstream)).sum().backward()
    (mt_out[0] * minitorch.tensor(upstream)).sum().backward()
    for m, t in zip(mt_in, th_in):
        np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), atol=1e-12)
    for (name, p), (_, q) in zip(mt.named_parameters(), th.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), atol=1e-12, err_msg=name)


_PADDING = np.zeros((3, 4), bool)
_PADDING[1, 2:] = True
_CAUSAL_FLOAT = np.triu(np.full((5, 5), -np.inf), 1)


@pytest.mark.parametrize("shapes, masks, kwargs", [
    ([(5, 3, 8)] * 3, {}, {}),
    ([(5, 3, 8), (4, 3, 8), (4, 3, 8)], {}, {"need_weights": False}),
    ([(5, 3, 8), (4, 3, 8), (4, 3, 8)], {}, {"average_attn_weights": False}),
    ([(5, 3, 8), (4, 3, 8), (4, 3, 8)], {"key_padding_mask": _PADDING, "attn_mask": np.triu(np.ones((5, 4), bool), 1)},
     {}),
    ([(5, 3, 8), (4, 3, 8), (4, 3, 8)], {"key_padding_mask": _PADDING, "attn_mask": np.triu(np.ones((5, 4), bool), 1)},
     {"need_weights": False}),
    ([(5, 3, 8), (4, 3, 8), (4, 3, 8)], {"attn_mask": randn(6, 5, 4, dtype=F64)}, {}),
    ([(5, 8), (4, 8), (4, 8)], {}, {}),  # unbatched
    ([(5, 3, 8)] * 3, {"attn_mask": _CAUSAL_FLOAT}, {"is_causal": True, "need_weights": False}),
])
def test_mha_matches_torch(shapes, masks, kwargs):
    mt, th = _pair(8, 2)
    _compare(mt, th, shapes, masks, **kwargs)


@pytest.mark.parametrize("masks, kwargs", [
    ({"attn_mask": randn(12, 5, 4, dtype=F64)}, {}),
    ({"key_padding_mask": _PADDING}, {"need_weights": False}),
])
def test_mha_separate_projections_bias_kv_zero_attn_batch_first(masks, kwargs):
    mt, th = _pair(8, 4, add_bias_kv=True, add_zero_attn=True, kdim=3, vdim=5, batch_first=True, bias=False)
    _compare(mt, th, [(3, 5, 8), (3, 4, 3), (3, 4, 5)], masks, **kwargs)


def test_mha_parameters_init_and_repr():
    mha = minitorch.nn.MultiheadAttention(64, 4)
    assert [(n, tuple(p.shape)) for n, p in mha.named_parameters()] == [
        ("in_proj_weight", (192, 64)), ("in_proj_bias", (192,)), ("out_proj.weight", (64, 64)),
        ("out_proj.bias", (64,))]
    bound = (6 / (64 + 192)) ** 0.5  # Xavier-uniform over fan_in 64, fan_out 192
    w = mha.in_proj_weight.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert abs(w.std() - bound / 3 ** 0.5) < 0.05 * bound
    assert not mha.in_proj_bias.detach().numpy().any() and not mha.out_proj.bias.detach().numpy().any()
    assert mha.head_dim == 16 and mha._qkv_same_embed_dim and mha.bias_k is None
    assert_prints_like_torch("print(nn.MultiheadAttention(8, 2, kdim=3, add_bias_kv=True, bias=False))")


def test_mha_dropout_only_in_training():
    mha = minitorch.nn.MultiheadAttention(8, 2, dropout=0.5)
    x = minitorch.tensor(randn(5, 3, 8))
    first, second = mha(x, x, x)[1], mha(x, x, x)[1]
    assert not np.allclose(first.detach().numpy(), second.detach().numpy())
    mha.eval()
    np.testing.assert_array_equal(mha(x, x, x)[1].detach().numpy(), mha(x, x, x)[1].detach().numpy())
    np.testing.assert_allclose(mha(x, x, x)[1].detach().numpy().sum(-1), 1.0, rtol=1e-6)


@pytest.mark.parametrize("build, call, error", [
    (lambda lib: lib.nn.MultiheadAttention(0, 2), None, ValueError),
    (lambda lib: lib.nn.MultiheadAttention(6, 4), None, AssertionError),
    (lambda lib: lib.nn.MultiheadAttention(8, 2), lambda lib, m: m(lib.zeros(5, 3, 8), lib.zeros(4, 8),
                                                                   lib.zeros(4, 8)), AssertionError),
    (lambda lib: lib.nn.MultiheadAttention(8, 2), lambda lib, m: m(lib.zeros(5, 3, 6), lib.zeros(4, 3, 6),
                                                                   lib.zeros(4, 3, 6)), AssertionError),
    (lambda lib: lib.nn.MultiheadAttention(8, 2), lambda lib, m: m(lib.zeros(5, 3, 8), lib.zeros(4, 3, 8),
                                                                   lib.zeros(4, 3, 8), attn_mask=lib.zeros(5, 5)),
     RuntimeError),
    (lambda lib: lib.nn.MultiheadAttention(8, 2), lambda lib, m: m(lib.zeros(5, 3, 8), lib.zeros(4, 3, 8),
                                                                   lib.zeros(4, 3, 8), is_causal=True),
     RuntimeError),
    (lambda lib: lib.nn.MultiheadAttention(8, 2), lambda lib, m: m(lib.zeros(5, 3, 8), lib.zeros(4, 3, 8),
                                                                   lib.zeros(4, 3, 8),
                                                                   key_padding_mask=lib.zeros(3, 5)),
     AssertionError),
])
def test_mha_errors_match_torch(build, call, error):
    messages = []
    for lib in (torch, minitorch):
        with pytest.raises(error) as err:
            module = build(lib)
            call(lib, module)
        messages.append(str(err.value))
    assert messages[0] == messages[1]
