"""Scaled dot-product attention (torch.nn.functional.scaled_dot_product_attention).

Written with differentiable ops (matmul, masked_fill, softmax, dropout), so autograd
derives its gradients; nn.functional re-exports it and nn.MultiheadAttention builds on it.
"""
from __future__ import annotations

import math
from typing import Optional

from .. import _creation, _dtype
from .._tensor import Tensor
from .activation import softmax
from .layers import dropout

__all__ = ["scaled_dot_product_attention"]


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
                           f"attn_mask.dtype: {_cpp_name(attn_mask.dtype)} and  query.dtype: {_cpp_name(query.dtype)} "
                           "instead.")
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
        allowed = _creation.ones((length, source), dtype=_dtype.bool).tril()
        attn_mask = allowed
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
