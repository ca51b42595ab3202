"""Attention: scaled_dot_product_attention and multi_head_attention_forward (torch.nn.functional's).

Written with differentiable ops (matmul, masked_fill, softmax, dropout), so autograd
derives their gradients; nn.functional re-exports both and nn.MultiheadAttention calls the second.
"""
from __future__ import annotations

import enum
import math
import warnings
from typing import Optional

from .. import _creation, _dtype
from .._tensor import Tensor
from .activation import softmax
from .join import cat
from .layers import dropout, linear

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward", "SDPBackend"]


class SDPBackend(enum.IntEnum):
    """The kernels torch can choose for scaled_dot_product_attention (torch.nn.attention.SDPBackend)."""

    ERROR = -1
    MATH = 0
    FLASH_ATTENTION = 1
    EFFICIENT_ATTENTION = 2
    CUDNN_ATTENTION = 3
    OVERRIDEABLE = 4


# the backends nn.attention.sdpa_kernel allows (all, outside one); on a CPU torch can run
# MATH and its CPU FLASH_ATTENTION kernel, and minitorch's one implementation stands for both
_enabled_backends: frozenset = frozenset(SDPBackend) - {SDPBackend.ERROR}
_CPU_BACKENDS = frozenset({SDPBackend.MATH, SDPBackend.FLASH_ATTENTION})


# C++ type names, as torch's attention errors print dtypes
_CPP_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
              "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
              "uint8": "unsigned char", "bool": "bool"}


def _cpp_name(dt: _dtype.dtype) -> str:
    return _CPP_NAMES.get(dt.name, dt.name)


def _bias_from_mask(attn_mask: Tensor, query: Tensor) -> Tensor:
    """A mask as an additive bias: bool masks mark the allowed positions (False -> -inf)."""
    if attn_mask.dtype == _dtype.bool:
        return _creation.zeros(attn_mask.shape, dtype=query.dtype).masked_fill(attn_mask.logical_not(),
                                                                                 float("-inf"))
    if attn_mask.dtype != query.dtype:
        raise RuntimeError("Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                           f"attn_mask.dtype: {_cpp_name(attn_mask.dtype)} and  query.dtype: "
                           f"{_cpp_name(query.dtype)} instead.")
    return attn_mask


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Optional[Tensor] = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: Optional[float] = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(query @ key^T * scale + bias) @ value: (..., L, E), (..., S, E), (..., S, Ev) -> (..., L, Ev).

    scale defaults to 1/sqrt(E). attn_mask (broadcastable to (..., L, S)) is bool (True = may
    attend) or an additive float bias of query's dtype; is_causal masks j > i instead. A row that
    may attend to nothing gives zeros (torch's safe softmax), not NaN. enable_gqa lets key/value
    have fewer heads (dim -3) than query, each shared by a group of query heads. dropout_p is
    applied to the weights whenever it is non-zero (the caller decides on training).
    """
    if not _enabled_backends & _CPU_BACKENDS:
        raise RuntimeError("No viable backend for scaled_dot_product_attention was found. This is likely due to "
                           "turning off both the math kernel and the fused kernels.")
    if not query.dtype == key.dtype == value.dtype:
        raise RuntimeError("Expected query, key, and value to have the same dtype, but got query.dtype: "
                           f"{_cpp_name(query.dtype)} key.dtype: {_cpp_name(key.dtype)} and value.dtype: "
                           f"{_cpp_name(value.dtype)} instead.")
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when "
                           "is_causal=True")
    length, source = query.shape[-2], key.shape[-2]
    scale = 1 / math.sqrt(query.shape[-1]) if scale is None else scale
    if enable_gqa and query.dim() >= 3 and key.shape[-3] != query.shape[-3]:
        if query.shape[-3] % key.shape[-3] or query.shape[-3] % value.shape[-3]:
            raise RuntimeError("Number of heads in key and value must divide the number of heads in query, "
                               f"but got {key.shape[-3]} and {value.shape[-3]} for {query.shape[-3]}")
        key = key.repeat_interleave(query.shape[-3] // key.shape[-3], -3)
        value = value.repeat_interleave(query.shape[-3] // value.shape[-3], -3)
    scores = query @ key.transpose(-2, -1) * scale
    if is_causal:
        attn_mask = _creation.ones((length, source), dtype=_dtype.bool).tril()
    if attn_mask is not None:
        scores = scores + _bias_from_mask(attn_mask, query)
        # rows with nothing to attend to: softmax of all -inf is NaN; torch returns zeros there
        empty = (scores == float("-inf")).all(-1, keepdim=True)
        weights = softmax(scores.masked_fill(empty, 0.0), -1).masked_fill(empty, 0.0)
    else:
        weights = softmax(scores, -1)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, True)
    return weights @ value


def _check_mha_shapes(query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Optional[Tensor],
                      attn_mask: Optional[Tensor], num_heads: int) -> bool:
    """torch's input checks for multi-head attention; True when the input is batched."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError("For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                                 f"{key.dim()}-D and {value.dim()}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError("For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D "
                                 f"but found {key_padding_mask.dim()}-D tensor instead")
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError("For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D "
                                 f"but found {attn_mask.dim()}-D tensor instead")
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError("For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                                 f"{key.dim()}-D and {value.dim()}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError("For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or "
                                 f"1-D but found {key_padding_mask.dim()}-D tensor instead")
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError("For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or "
                                     f"3-D but found {attn_mask.dim()}-D tensor instead")
            expected = (num_heads, query.shape[0], key.shape[0])
            if attn_mask.dim() == 3 and tuple(attn_mask.shape) != expected:
                raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}")
        return False
    raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received {query.dim()}-D "
                         "query tensor")


def _as_bias(mask: Optional[Tensor], name: str, dtype: _dtype.dtype) -> Optional[Tensor]:
    """nn.MultiheadAttention's masks as an additive float bias: a bool True means *not* allowed."""
    if mask is None:
        return None
    if mask.dtype == _dtype.bool:
        return _creation.zeros(mask.shape, dtype=dtype).masked_fill(mask, float("-inf"))
    if not mask.is_floating_point():
        raise AssertionError(f"only bool and floating types of {name} are supported")
    return mask


def _warn_if_mismatched(mask: Optional[Tensor], other: Optional[Tensor], name: str, other_name: str) -> None:
    """torch deprecates a bool mask beside a float one (each is turned into a bias on its own)."""
    if mask is not None and other is not None and mask.dtype != other.dtype:
        warnings.warn(f"Support for mismatched {name} and {other_name} is deprecated. Use same type for both "
                      "instead.")


def _pad_last(mask: Optional[Tensor]) -> Optional[Tensor]:
    """One more allowed (zero-bias) key column, for the key added by bias_k or add_zero_attn."""
    if mask is None:
        return None
    return cat([mask, _creation.zeros((*mask.shape[:-1], 1), dtype=mask.dtype)], -1)


def multi_head_attention_forward(
        query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: int, num_heads: int,
        in_proj_weight: Optional[Tensor], in_proj_bias: Optional[Tensor], bias_k: Optional[Tensor],
        bias_v: Optional[Tensor], add_zero_attn: bool, dropout_p: float, out_proj_weight: Tensor,
        out_proj_bias: Optional[Tensor], training: bool = True, key_padding_mask: Optional[Tensor] = None,
        need_weights: bool = True, attn_mask: Optional[Tensor] = None, use_separate_proj_weight: bool = False,
        q_proj_weight: Optional[Tensor] = None, k_proj_weight: Optional[Tensor] = None,
        v_proj_weight: Optional[Tensor] = None, static_k: Optional[Tensor] = None,
        static_v: Optional[Tensor] = None, average_attn_weights: bool = True,
        is_causal: bool = False) -> tuple[Tensor, Optional[Tensor]]:
    """Multi-head attention on (L, N, E) query and (S, N, Ek), (S, N, Ev) key/value (or unbatched (L, E)).

    Project q, k, v, split E into num_heads heads, attend per head, concatenate and project out.
    Returns (output (L, N, E), weights (N, L, S), averaged over heads, or (N, heads, L, S), or None
    when need_weights is False). Masks: bool True = not allowed, or an additive float bias;
    attn_mask is (L, S) or (N*heads, L, S), key_padding_mask (N, S).
    """
    batched = _check_mha_shapes(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        key_padding_mask = None if key_padding_mask is None else key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight and key.shape[:2] != value.shape[:2]:
        raise AssertionError(f"key's sequence and batch dims {key.shape[:2]} do not match value's "
                             f"{value.shape[:2]}")
    if not use_separate_proj_weight and key.shape != value.shape:
        raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
    _warn_if_mismatched(key_padding_mask, attn_mask, "key_padding_mask", "attn_mask")
    key_padding_mask = _as_bias(key_padding_mask, "key_padding_mask", query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the Transformer "
                           "module method `generate_square_subsequent_mask` to create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        # torch trusts the hint: the mask is dropped and SDPA masks causally itself
        attn_mask = None
    else:
        attn_mask = _as_bias(attn_mask, "attn_mask", query.dtype)
        is_causal = False

    if use_separate_proj_weight:
        weights = (q_proj_weight, k_proj_weight, v_proj_weight)
    else:
        weights = in_proj_weight.chunk(3)
    biases = (None, None, None) if in_proj_bias is None else in_proj_bias.chunk(3)
    q, k, v = (linear(x, w, b) for x, w, b in zip((query, key, value), weights, biases))

    if attn_mask is not None:
        expected = (tgt_len, key.shape[0]) if attn_mask.dim() == 2 else (bsz * num_heads, tgt_len, key.shape[0])
        if tuple(attn_mask.shape) != expected:
            raise RuntimeError(f"The shape of the {attn_mask.dim()}D attn_mask is {attn_mask.shape}, but should "
                               f"be {expected}.")
        if attn_mask.dim() == 2:
            attn_mask = attn_mask.unsqueeze(0)
    if bias_k is not None and bias_v is not None:
        k = cat([k, bias_k.repeat(1, bsz, 1)])
        v = cat([v, bias_v.repeat(1, bsz, 1)])
        attn_mask, key_padding_mask = _pad_last(attn_mask), _pad_last(key_padding_mask)

    # heads become batch entries: (L, N, E) -> (N*heads, L, head_dim)
    q = q.reshape(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    k = (k.reshape(k.shape[0], bsz * num_heads, head_dim).transpose(0, 1) if static_k is None else static_k)
    v = (v.reshape(v.shape[0], bsz * num_heads, head_dim).transpose(0, 1) if static_v is None else static_v)
    if add_zero_attn:
        k = cat([k, _creation.zeros((bsz * num_heads, 1, head_dim), dtype=k.dtype)], 1)
        v = cat([v, _creation.zeros((bsz * num_heads, 1, head_dim), dtype=v.dtype)], 1)
        attn_mask, key_padding_mask = _pad_last(attn_mask), _pad_last(key_padding_mask)
    src_len = k.shape[1]

    if key_padding_mask is not None:
        for dim, size in enumerate((bsz, src_len)):
            if key_padding_mask.shape[dim] != size:
                raise AssertionError(f"Expected key_padded_mask.shape[{dim}] to be {size}, but got "
                                     f"{key_padding_mask.shape[dim]}")
        padding = key_padding_mask.reshape(bsz, 1, 1, src_len).expand(-1, num_heads, -1, -1)
        padding = padding.reshape(bsz * num_heads, 1, src_len)
        attn_mask = padding if attn_mask is None else attn_mask + padding
    if not training:
        dropout_p = 0.0

    if need_weights:
        # the weights themselves are wanted: plain softmax (a fully masked row is NaN, as in torch)
        scores = (q * math.sqrt(1.0 / head_dim)) @ k.transpose(-2, -1)
        if attn_mask is not None:
            scores = scores + attn_mask
        attn = softmax(scores, -1)
        if dropout_p > 0.0:
            attn = dropout(attn, dropout_p)
        out = (attn @ v).transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        attn = attn.reshape(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            attn = attn.mean(1)
    else:
        if attn_mask is not None:
            attn_mask = attn_mask.reshape(bsz, num_heads, -1, src_len) if attn_mask.shape[0] != 1 \
                else attn_mask.unsqueeze(0)
        out = scaled_dot_product_attention(q.reshape(bsz, num_heads, tgt_len, head_dim),
                                           k.reshape(bsz, num_heads, src_len, head_dim),
                                           v.reshape(bsz, num_heads, src_len, head_dim), attn_mask, dropout_p,
                                           is_causal)
        out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
        attn = None
    out = linear(out, out_proj_weight, out_proj_bias).reshape(tgt_len, bsz, embed_dim)
    if not batched:
        out = out.squeeze(1)
        attn = None if attn is None else attn.squeeze(0)
    return out, attn
