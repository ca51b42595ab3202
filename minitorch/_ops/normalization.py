"""Normalisation layers built on one primitive, `Normalize`.

Batch, layer, instance and group norm all compute xhat = (x - mean) / sqrt(var + eps)
over some dims (of x, or of x viewed in groups), then y = xhat * weight + bias with the
weight broadcast over the other dims. They differ only in the dims, so each is a call
of `Normalize` with its own dims. Backward is the closed form

    dxhat = g * weight
    dx    = invstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))

in Tensor ops. With create_graph, xhat and invstd are recomputed from x with
differentiable ops first, so double backward (gradient penalties) works; otherwise the
arrays kept from forward are used.
"""
from __future__ import annotations

from math import prod
from typing import Any, NamedTuple, Sequence

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, wrap_dim
from ..kernels import batch_norm as bn_kernels
from ..autograd import grad_mode
from ..autograd.function import Function
from ._common import half_as_float, type_name
from .padding import pad
from .pooling import avg_pool2d

__all__ = ["batch_norm", "layer_norm", "group_norm", "instance_norm"]


class NormSpec(NamedTuple):
    stats_shape: tuple   # x is viewed in this shape to take statistics (groups for group norm)
    dims: tuple          # the dims of stats_shape the statistics reduce over
    affine_shape: tuple  # weight/bias are viewed in this shape to broadcast against x
    affine_dims: tuple   # the dims of x that the weight/bias gradients sum over
    eps: float
    # (A, K, B) view with statistics per k over (A, B) and weight/bias per k (repeated
    # `repeat` times): batch and instance norm, which run on the fused numba kernels
    kernel_view: tuple | None = None
    repeat: int = 1
    # a float16 layer norm computed in float32: torch keeps its statistics in float16, and its
    # backward starts from those roundings
    half_statistics: bool = False


class Normalize(Function):
    """y = (x - mean) * invstd * weight + bias; also returns the batch mean and biased var
    (not differentiable: they feed running statistics). With `fixed` = (mean, var) arrays,
    those are used instead of the batch statistics (eval-mode batch norm)."""

    @staticmethod
    def forward(ctx, x, weight, bias, spec, fixed):
        ctx.spec, ctx.fixed = spec, fixed
        ctx.save_for_backward(x, weight)
        if spec.kernel_view is not None:
            return _kernel_forward(ctx, x, weight, bias, spec, fixed)
        xs = x.reshape(spec.stats_shape)
        count = prod(xs.shape[d] for d in spec.dims)
        if fixed is None and x.dtype == np.float32 and 0 < count < _SHORT_ROW:
            mean, var = _short_row_moments(xs.reshape(-1, count))
            mean, var = mean.reshape(_keepdims_shape(spec)), var.reshape(_keepdims_shape(spec))
            invstd = np.float32(1) / np.sqrt(var + np.float32(spec.eps))
        else:
            if fixed is None:
                # statistics accumulated in float64 (from x itself: x - mean in float16 would lose digits);
                # the normalisation itself runs in x's dtype
                # (add.reduce / count rather than np.mean: an empty group gives NaN without numpy's warning)
                mean64 = np.add.reduce(xs, axis=spec.dims, keepdims=True, dtype=np.float64) / count
                mean = mean64.astype(x.dtype)
                var = np.add.reduce(np.square(xs - (mean64 if x.dtype == np.float16 else mean)), axis=spec.dims,
                                    keepdims=True, dtype=np.float64) / count
            else:
                mean, var = fixed
            invstd = (1.0 / np.sqrt(var + spec.eps)).astype(x.dtype)
            if x.dtype == np.float16:  # for backward, which differentiates in float32 as torch's half kernel
                if fixed is None:  # from the statistics it saves, which are float16
                    ctx.stats32 = (mean.astype(np.float32), invstd.astype(np.float32))
                else:
                    ctx.stats32 = (np.asarray(mean, np.float32),
                                   (1.0 / np.sqrt(np.asarray(var, np.float64) + spec.eps)).astype(np.float32))
        ctx.mean = mean
        if x.dtype == np.float16:  # torch's half batch norm: (x - mean) * invstd, each rounded to half
            xhat = (xs - mean.astype(x.dtype)) * invstd
        else:  # x * invstd - mean * invstd (rather than (x - mean) * invstd): torch's rounding
            xhat = xs * invstd
            xhat -= (mean * invstd).astype(x.dtype)
        xhat = xhat.reshape(x.shape)
        if weight is not None:
            y = xhat * weight.reshape(spec.affine_shape)
            if bias is not None:
                y += bias.reshape(spec.affine_shape)
        else:
            y = xhat if bias is None else xhat + bias.reshape(spec.affine_shape)
        ctx.xhat, ctx.invstd = xhat, invstd
        ctx.mark_non_differentiable(mean, var)
        return y, mean, var

    @staticmethod
    def backward(ctx, grad, _mean, _var):
        x, weight = ctx.saved_tensors
        spec = ctx.spec
        if grad_mode.is_grad_enabled():
            # create_graph: rebuild xhat (and invstd) as functions of x so they carry history
            xs = x.reshape(spec.stats_shape)
            if ctx.fixed is None:
                xc = xs - xs.mean(spec.dims, keepdim=True)
                invstd = ((xc * xc).mean(spec.dims, keepdim=True) + spec.eps).pow(-0.5)
            else:
                xc, invstd = xs - _wrap(ctx.fixed[0]), _wrap(ctx.invstd)
            xhat = (xc * invstd).reshape(x.shape)
        elif spec.kernel_view is not None:
            return _kernel_backward(ctx, grad, x, weight)
        elif x._array.dtype == np.float16:  # torch's half kernel: float32 statistics, x and arithmetic
            mean, invstd32 = ctx.stats32
            xhat = _wrap(((x._array.reshape(spec.stats_shape) - mean) * invstd32).reshape(x.shape))
            invstd, grad = _wrap(invstd32), grad.float()
            weight = None if weight is None else weight.float()
        elif x._array.dtype == np.float32 and ctx.fixed is None and \
                prod(spec.stats_shape[d] for d in spec.dims) < _SHORT_ROW:
            # group norm over a few values: the input gradient's terms nearly cancel, and float32 lost
            # them (2.8e-5 from the exact gradient over 2 values where torch is 2.8e-6): float64. From
            # 8 values on float32 is as close as torch's (and float64 would double the backward's time)
            xs = x._array.reshape(spec.stats_shape).astype(np.float64)
            centred = xs - xs.mean(spec.dims, keepdims=True)
            invstd64 = 1.0 / np.sqrt(np.square(centred).mean(spec.dims, keepdims=True) + spec.eps)
            xhat, invstd, grad = _wrap((centred * invstd64).reshape(x.shape)), _wrap(invstd64), grad.double()
            weight = None if weight is None else weight.double()
        else:
            xhat, invstd = _wrap(ctx.xhat), _wrap(ctx.invstd)
        need = ctx.needs_input_grad
        gw, gb = _affine_grads(ctx, grad, xhat, weight)
        gx = None
        if need[0]:
            gxhat = (grad if weight is None else grad * weight.reshape(spec.affine_shape)).reshape(spec.stats_shape)
            if ctx.fixed is None:
                xh = xhat.reshape(spec.stats_shape)
                gxhat = gxhat - gxhat.mean(spec.dims, keepdim=True) - xh * (gxhat * xh).mean(spec.dims, keepdim=True)
            gx = (gxhat * invstd).reshape(x.shape)
        return gx, gw, gb, None, None


# Rows shorter than one 8-float vector: torch's CPU kernels take their moments with a scalar
# Welford loop in float32 instead of its vectorised one
_SHORT_ROW = 8


def _short_row_moments(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and biased variance of each row of a (M, N < 8) float32 array, rounded as torch's
    RowwiseMoments rounds them: Welford's update in float32, then its merge with the (empty)
    vector lanes, whose products with 0 turn an inf mean into NaN as torch's do."""
    zero = np.float32(0)
    mean, m2 = np.zeros(len(rows), np.float32), np.zeros(len(rows), np.float32)
    with np.errstate(all="ignore"):
        for n, column in enumerate(rows.T, start=1):
            delta = column - mean
            mean = mean + delta / np.float32(n)
            m2 = m2 + delta * (column - mean)
        delta = zero - mean
        mean = mean + zero * delta
        m2 = m2 + (zero + delta * delta * zero * np.float32(rows.shape[1]))
        return mean, m2 / np.float32(rows.shape[1])


def _fma32(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """a * b + c rounded once to float32, as the fused multiply-add in torch's compiled kernels
    (a * b of two float32 values is exact in float64)."""
    return (np.asarray(a, np.float64) * b + c).astype(np.float32)


def _lane_row_sum(p: np.ndarray) -> np.ndarray:
    """Row sums of (M, N) as torch's vectorised reductions add: left to right below 8 values,
    otherwise 8 running lanes (the last partial vector into the first lanes), halved pairwise."""
    n = p.shape[1]
    if n < _SHORT_ROW:
        total = p[:, 0].copy()
        for j in range(1, n):
            total += p[:, j]
        return total
    full = n // _SHORT_ROW * _SHORT_ROW
    lanes = p[:, :_SHORT_ROW].copy()
    for start in range(_SHORT_ROW, full, _SHORT_ROW):
        lanes += p[:, start:start + _SHORT_ROW]
    lanes[:, :n - full] += p[:, full:]
    while lanes.shape[1] > 1:
        half = lanes.shape[1] // 2
        lanes = lanes[:, :half] + lanes[:, half:]
    return lanes[:, 0]


def _layer_norm_input_grad(dy: np.ndarray, x: np.ndarray, gamma: np.ndarray | None, mean: np.ndarray,
                           rstd: np.ndarray) -> np.ndarray:
    """Layer norm's input gradient for rows (M, N) of float32, in torch's algebra and rounding:

        ds = sum(dy * x * gamma), db = sum(dy * gamma)
        b  = (db * mean - ds) * rstd^3 / N,  c = -b * mean - db * rstd / N
        dx = rstd * dy * gamma + b * x + c

    (the closed form of the docstring at the top, regrouped so that each row needs two sums).
    Over a few values the terms nearly cancel, so the rounding decides the answer."""
    n = x.shape[1]
    dyg = dy if gamma is None else dy * gamma
    ds = _lane_row_sum(dy * x if gamma is None else dy * x * gamma)
    db = _lane_row_sum(dyg)
    a, mean, scale = rstd.reshape(-1), mean.reshape(-1), np.float32(1) / np.float32(n)
    with np.errstate(all="ignore"):
        b = _fma32(db, mean, -ds) * a * a * a * scale
        c = _fma32(-b, mean, -(db * a * scale))
        ady = a[:, None] * dy if gamma is None else a[:, None] * dy * gamma
        return _fma32(b[:, None], x, ady) + c[:, None]


def _affine_grads(ctx: Any, grad: Tensor, xhat: Tensor, weight: Tensor | None) -> tuple:
    """The weight and bias gradients: grad * xhat and grad summed where they broadcast."""
    dims, need = ctx.spec.affine_dims, ctx.needs_input_grad
    gw = _sum_over(grad * xhat, dims).reshape(weight.shape) if need[1] else None
    gb = _sum_over(grad, dims).reshape(ctx.input_shape(2)) if need[2] else None
    return gw, gb


def _sum_over(t: Tensor, dims: tuple) -> Tensor:
    """t summed over `dims`; no dims (weight as large as x, as in layer_norm over all dims) sums nothing."""
    return t.sum(dims) if dims else t


def _per_k(t: np.ndarray | None, spec: NormSpec, fill: float) -> np.ndarray:
    """A per-channel array (weight, bias, running statistics) as one value per k of the kernel view (float64)."""
    if t is None:
        return np.full(spec.kernel_view[1], fill)
    values = t.reshape(-1).astype(np.float64)
    return values if spec.repeat == 1 else np.tile(values, spec.repeat)


def _keepdims_shape(spec: NormSpec) -> tuple:
    return tuple(1 if d in spec.dims else s for d, s in enumerate(spec.stats_shape))


def _kernel_forward(ctx, x, weight, bias, spec, fixed):
    x3 = x.reshape(spec.kernel_view)
    if fixed is None:
        mean, var = bn_kernels.moments(x3)
    else:
        mean, var = (_per_k(f, spec, 0.0) for f in fixed)
    invstd = 1.0 / np.sqrt(var + spec.eps)
    y = bn_kernels.normalize(x3, mean, invstd, _per_k(weight, spec, 1.0), _per_k(bias, spec, 0.0))
    keep = _keepdims_shape(spec)
    ctx.mean, ctx.invstd_k = mean, invstd
    ctx.invstd = invstd.astype(x.dtype).reshape(keep)   # for the create_graph path
    mean_out, var_out = mean.astype(x.dtype).reshape(keep), var.reshape(keep)
    ctx.mark_non_differentiable(mean_out, var_out)
    return y.reshape(x.shape), mean_out, var_out


def _kernel_backward(ctx, grad, x, weight):
    spec, need = ctx.spec, ctx.needs_input_grad
    view = spec.kernel_view
    gx, sum_g, sum_gxhat = bn_kernels.backward(
        x._array.reshape(view), grad._array.reshape(view), ctx.mean, ctx.invstd_k,
        _per_k(None if weight is None else weight._array, spec, 1.0), ctx.fixed is None, bool(need[0]))
    gx = _wrap(gx.reshape(x.shape)) if need[0] else None
    gw = _wrap(sum_gxhat.reshape(spec.repeat, -1).sum(0).reshape(weight.shape)) if need[1] else None
    gb = _wrap(sum_g.reshape(spec.repeat, -1).sum(0).reshape(ctx.input_shape(2))) if need[2] else None
    return gx, gw, gb, None, None


def _spec(x: Tensor, stats_shape: tuple, dims: tuple, affine_shape: tuple, eps: float,
          kernel_view: tuple | None = None, repeat: int = 1) -> NormSpec:
    """Fill in the dims the affine gradients reduce over: those where the weight broadcasts."""
    aligned = (1,) * (x.ndim - len(affine_shape)) + tuple(affine_shape)
    affine_dims = tuple(d for d in range(x.ndim) if aligned[d] == 1)
    if kernel_view is not None and x._array.dtype not in (np.float32, np.float64):
        kernel_view = None
    return NormSpec(tuple(stats_shape), dims, tuple(affine_shape), affine_dims, float(eps), kernel_view, repeat)


class NativeBatchNorm(Normalize):
    pass


class NativeLayerNorm(Normalize):
    @staticmethod
    def forward(ctx, x, weight, bias, spec, fixed):
        y, mean, var = Normalize.forward(ctx, x, weight, bias, spec, fixed)
        if x.dtype != np.float32 or x.size == 0:
            return y, mean, var
        # torch's rounding: float32 rows take (x - mean) * rstd, half rows (computed in float32 here)
        # a fused x * rstd - rstd * mean; then a fused xhat * weight + bias
        n = prod(spec.affine_shape)
        xs, m, r = x.reshape(-1, n), ctx.mean.reshape(-1, 1), np.asarray(ctx.invstd, np.float32).reshape(-1, 1)
        with np.errstate(all="ignore"):
            xhat = _fma32(xs, r, -(r * m)) if spec.half_statistics else (xs - m) * r
            ctx.xhat = xhat.reshape(x.shape)
            if weight is None and bias is None:
                return ctx.xhat, mean, var
            w = np.ones(n, np.float32) if weight is None else weight.reshape(-1)
            b = np.zeros(n, np.float32) if bias is None else bias.reshape(-1)
            return _fma32(xhat, w, b).reshape(x.shape), mean, var

    @staticmethod
    def backward(ctx, grad, _mean, _var):
        x, weight = ctx.saved_tensors
        if grad_mode.is_grad_enabled() or x._array.dtype != np.float32 or not ctx.needs_input_grad[0]:
            return Normalize.backward(ctx, grad, _mean, _var)
        # float32 input gradient in torch's own formula; the affine gradients as Normalize's
        n = prod(ctx.spec.affine_shape)
        rows = (-1, n)
        gamma = None if weight is None else weight._array.reshape(1, n)
        mean, rstd = (np.asarray(s, np.float16 if ctx.spec.half_statistics else np.float32).astype(np.float32)
                      for s in (ctx.mean, ctx.invstd))
        dy, xs = grad._array.reshape(rows), x._array.reshape(rows)
        gx = _layer_norm_input_grad(dy, xs, gamma, mean, rstd)
        _, gb = _affine_grads(ctx, grad, _wrap(ctx.xhat), weight)
        gw = None
        if ctx.needs_input_grad[1]:  # torch's xhat here is a fused rstd * x - rstd * mean
            a = rstd.reshape(-1, 1)
            with np.errstate(all="ignore"):
                xhat = _fma32(a, xs, -(a * mean.reshape(-1, 1)))
            gw = _wrap(np.add.reduce(dy * xhat, axis=0).astype(weight._array.dtype).reshape(weight.shape))
        return _wrap(gx.reshape(x.shape)), gw, gb, None, None


class NativeGroupNorm(Normalize):
    @staticmethod
    def forward(ctx, x, weight, bias, spec, fixed):
        y, mean, var = Normalize.forward(ctx, x, weight, bias, spec, fixed)
        if x.dtype != np.float32 or x.size == 0:
            return y, mean, var
        # torch's GroupNorm kernel rounds its own way: rstd in double, then per channel
        # scale = rstd * gamma, shift = beta - scale * mean, y = x * scale + shift (both fused)
        n, groups, _ = spec.stats_shape
        per_group = x.shape[1] // groups
        rstd = (1.0 / np.sqrt(np.asarray(var, np.float64) + spec.eps)).astype(np.float32)
        gamma = np.ones(x.shape[1], np.float32) if weight is None else weight
        beta = np.zeros(x.shape[1], np.float32) if bias is None else bias
        scale = rstd.reshape(n, groups, 1) * gamma.reshape(1, groups, per_group)
        with np.errstate(all="ignore"):
            shift = _fma32(-scale, ctx.mean.reshape(n, groups, 1), beta.reshape(1, groups, per_group))
            xs = x.reshape(n, groups, per_group, -1)
            y = _fma32(xs, scale[..., None], shift[..., None]).reshape(x.shape)
        ctx.invstd = rstd
        return y, mean, var


def _update_running(buffer: Tensor | None, value: np.ndarray, momentum: float) -> None:
    """buffer = (1 - momentum) * buffer + momentum * value, in place and outside autograd."""
    if buffer is None:
        return
    arr = buffer._array
    arr *= 1 - momentum
    arr += momentum * value.reshape(arr.shape).astype(arr.dtype)
    buffer._version_box[0] += 1


def _check_float(x: Tensor, kernel: str) -> None:
    if not x.dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{type_name(x.dtype)}'")


def _check_parameter_dtypes(input: Tensor, *params: Tensor | None) -> None:
    """torch's CPU norms take parameters of input's dtype, or float32 ones with a float16 input."""
    for p in params:
        if p is not None and p.dtype is not input.dtype and \
                not (input.dtype is _dtype.float16 and p.dtype is _dtype.float32):
            raise RuntimeError(f"mixed dtype (CPU): expect parameter to have scalar type of {type_name(input.dtype)}")


def _verify_batch_size(size: tuple) -> None:
    """Training statistics need more than one value per channel (torch's check, on torch's view of the input)."""
    if size[0] * prod(size[2:]) == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {list(size)}")


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel of (N, C, *) over the batch and spatial dims.

    In training (or without running stats) the batch statistics are used and the running
    ones, if given, move towards them by `momentum` (the variance unbiased). Otherwise
    the running statistics are used.
    """
    if training:
        if input.ndim == 0:
            raise IndexError("tuple index out of range")
        _verify_batch_size(tuple(input.shape))
    c = input.shape[1] if input.ndim >= 2 else 0
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                    ("bias", bias)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
    if not training:
        for name, t in (("running_mean", running_mean), ("running_var", running_var)):
            if t is None:
                raise RuntimeError(f"{name} must be defined in evaluation mode")
    wrap_dim(1, input.ndim)  # torch reads the channel count of a 1-D input here: IndexError
    _check_float(input, "batch_norm")
    _check_parameter_dtypes(input, weight, bias, running_mean, running_var)
    affine = (c,) + (1,) * (input.ndim - 2)
    dims = (0,) + tuple(range(2, input.ndim))
    spec = _spec(input, tuple(input.shape), dims, affine, eps,
                 kernel_view=(input.shape[0], c, input.numel() // max(input.shape[0] * c, 1)))
    if training or running_mean is None or running_var is None:
        count = prod(input.shape[d] for d in dims)
        y, mean, var = NativeBatchNorm.apply(input, weight, bias, spec, None)
        if training:
            _update_running(running_mean, mean._array, momentum)
            _update_running(running_var, var._array * (count / max(count - 1, 1)), momentum)
        return y
    fixed = (running_mean._array.reshape(affine), running_var._array.reshape(affine))
    return NativeBatchNorm.apply(input, weight, bias, spec, fixed)[0]


def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each (sample, channel) plane of (N, C, *) over its spatial dims.

    Running statistics, if given, are updated with the batch average of the per-instance
    statistics, and used instead when use_input_stats is False.
    """
    if use_input_stats and prod(input.shape[2:]) <= 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {input.shape}")
    _check_float(input, "batch_norm")  # torch runs instance norm as a batch norm
    affine = (input.shape[1],) + (1,) * (input.ndim - 2)
    dims = tuple(range(2, input.ndim))
    n, c = input.shape[:2]
    spec = _spec(input, tuple(input.shape), dims, affine, eps,
                 kernel_view=(1, n * c, input.numel() // max(n * c, 1)), repeat=n)
    if not use_input_stats:
        if running_mean is None or running_var is None:
            raise ValueError("Expected running_mean and running_var to be defined when "
                             "use_input_stats is false")
        fixed = (running_mean._array.reshape(affine), running_var._array.reshape(affine))
        return NativeBatchNorm.apply(input, weight, bias, spec, fixed)[0].view(input.shape)
    count = prod(input.shape[d] for d in dims)
    y, mean, var = NativeBatchNorm.apply(input, weight, bias, spec, None)
    if running_mean is not None or running_var is not None:  # (a batch of 0 has no mean to take)
        _update_running(running_mean, mean._array.mean(axis=0), momentum)
        _update_running(running_var, (var._array * (count / (count - 1))).mean(axis=0), momentum)
    # torch runs instance norm as a batch norm of a (1, N*C, ...) view, hence a view node last
    return y.view(input.shape)


def layer_norm(input: Tensor, normalized_shape: int | Sequence[int], weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalise over the trailing dims given by normalized_shape, then elementwise affine."""
    shape = (int(normalized_shape),) if isinstance(normalized_shape, (int, np.integer)) \
        else tuple(int(s) for s in normalized_shape)
    k = len(shape)
    if k == 0 or tuple(input.shape[input.ndim - k:]) != shape or input.ndim < k:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of size{list(input.shape)}")
    _check_float(input, "LayerNormKernelImpl")
    spec = _spec(input, tuple(input.shape), tuple(range(input.ndim - k, input.ndim)), shape, eps)
    if input.dtype is _dtype.float16:  # computed in float32 like torch's half kernel
        spec = spec._replace(half_statistics=True)
        return half_as_float(lambda *args: NativeLayerNorm.apply(*args, spec, None)[0], input, weight, bias)
    return NativeLayerNorm.apply(input, weight, bias, spec, None)[0]


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5, cudnn_enabled: bool = True) -> Tensor:
    """Normalise (N, C, *) over each group of C/num_groups channels and the spatial dims.

    This is torch.group_norm, which normalises a group of one value to 0; F.group_norm
    (functional_group_norm) refuses that case first."""
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    n, c = input.shape[:2]
    if num_groups <= 0 or c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got "
                           f"input of shape {list(input.shape)} and num_groups={num_groups}")
    _check_float(input, "GroupNormKernelImpl")
    if input.dtype is _dtype.float16:
        return half_as_float(group_norm, input, num_groups, weight, bias, eps)
    group_size = c // num_groups * prod(input.shape[2:])  # explicit: a batch of 0 has no -1 to infer
    spec = _spec(input, (n, num_groups, group_size), (2,), (c,) + (1,) * (input.ndim - 2), eps)
    return NativeGroupNorm.apply(input, weight, bias, spec, None)[0]


def functional_group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None,
                          bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """F.group_norm: group_norm after torch's check of more than one value per group."""
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    n, c = input.shape[:2]
    # torch checks the (N * C / G, G, *) view of the input has more than one value per group
    _verify_batch_size((n * c // num_groups, num_groups) + tuple(input.shape[2:]))
    return group_norm(input, num_groups, weight, bias, eps)


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> Tensor:
    """x / (k + alpha * mean of x^2 over `size` neighbouring channels) ** beta."""
    if input.ndim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {input.ndim} dimensions)")
    if input.numel() == 0:
        return input
    # Square, then average over a window of `size` channels: a (size, 1) avg-pool over
    # (channels, positions) with zero padding of the channel axis.
    n, c = input.shape[:2]
    sq = (input * input).reshape(n, 1, c, -1)
    div = avg_pool2d(pad(sq, (0, 0, size // 2, (size - 1) // 2)), (size, 1), stride=1).reshape(input.shape)
    return input / (div * alpha + k).pow(beta)
