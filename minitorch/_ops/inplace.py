"""In-place writes, views and versions: one lesson.

A tensor's storage may be shared: views (the Functions with `view = True`: view, transpose,
basic slicing, ...) are numpy views of their base's buffer. Three pieces keep autograd
right when such storage is written in place:

1. Versions. All views of one buffer share a version counter (`_version_box`, tied by
   `autograd.function._mark_view` when a view is taken); every write bumps it, and
   `saved_tensors` refuses a tensor whose version changed since it was saved.
2. History. `inplace_update(self, result)` copies result's values into self and gives
   self result's graph node. If the new values do not depend on the old ones (fill_,
   eq_, ...), `Overwrite` records that the old values get zero gradient.
3. Views. A write through a view changes its base too: the base's history gains a
   `CopySlices` node, and the view is re-taken from the updated base by replaying the
   chain of view ops that made it (`replay_view`).

`in_place(fn)` turns any out-of-place op into its `fn_` method; `check_inplace` refuses
writes that would corrupt a leaf that requires grad; `writes_out` gives a public function
torch's `out=` keyword (the result written into a tensor the caller already has).
"""
from __future__ import annotations

import functools
import warnings
from typing import Any, Callable

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd import grad_mode
from ..autograd.function import Function
from ._common import array_of, as_tensor_operand, broadcast_shape, needs_grad, type_name, zeros_like_grad


# ----- the guard and the write ----------------------------------------------------------
def check_inplace(self: Tensor) -> None:
    """Refuse in-place writes that would corrupt autograd (to a leaf or a view of a leaf that requires grad)."""
    if not grad_mode._state.enabled:
        return
    if self._requires_grad and self.grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    base = self._base
    if base is not None and base._requires_grad and base.grad_fn is None:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place "
                           "operation.")


def inplace_update(self: Tensor, result: Tensor) -> Tensor:
    """Make `self` hold `result`, as an in-place op does: copy values, bump version, take history.

    When `self` is a view, the write also changes its base: the base's history gains a
    CopySlices node (gradient flows to `result` inside the view's region and to the old
    base outside it), and `self` becomes a fresh view of the updated base.
    """
    check_inplace(self)
    if result._array.dtype != self._array.dtype and not _dtype.can_cast(result.dtype, self.dtype):
        raise RuntimeError(f"result type {type_name(result.dtype)} can't be cast to the desired "
                           f"output type {type_name(self.dtype)}")
    if result._array.shape != self._array.shape:
        raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape "
                           f"{list(result.shape)}")
    np.copyto(self._array, result._array, casting="unsafe")
    self._version_box[0] += 1
    if grad_mode._state.enabled and self._requires_grad and not result._requires_grad:
        # New values that do not depend on the old ones: the old history gets zero gradient.
        result = Overwrite.apply(result, self)
    base = self._base
    if base is not None and self._view_chain and grad_mode._state.enabled and \
            (result._requires_grad or base._requires_grad):
        updated = CopySlices.apply(base, result, self._view_chain)
        base.grad_fn, base._output_nr, base._requires_grad = updated.grad_fn, 0, True
        result = replay_view(base, self._view_chain)
    if result.grad_fn is not None:
        self.grad_fn = result.grad_fn
        self._output_nr = result._output_nr
        self._requires_grad = True
    return self


class Overwrite(Function):
    """`new` (array or tensor), recorded as replacing the tensors `old`: whatever gradient reaches
    it flows to `new`; the old values were destroyed, so they get zero."""

    @staticmethod
    def forward(ctx, new, *old):
        return new

    @staticmethod
    def backward(ctx, grad):
        need_new, *need_old = ctx.needs_input_grad
        return (grad if need_new else None, *(zeros_like_grad(grad) if need else None for need in need_old))


class CopySlices(Function):
    """The base tensor after `values` were written into it through a view (given by its chain)."""

    @staticmethod
    def forward(ctx, base, values, chain):
        # The write already happened in memory; remember which elements it covered.
        region = np.ones(base.shape, dtype=bool)
        replay_view(_wrap(region), chain)._array[...] = False
        ctx.outside, ctx.chain = region, chain
        return base

    @staticmethod
    def backward(ctx, grad):
        return grad * _wrap(ctx.outside), replay_view(grad, ctx.chain), None


def replay_view(base: Tensor, chain: tuple) -> Tensor:
    """Take the same view of `base` again, by re-applying a view's chain of ops."""
    for fn, args, kwargs in chain:
        base = fn.apply(base, *args, **kwargs)
    return base


# ----- in-place variants of out-of-place ops ----------------------------------------------
def in_place(fn: Any, name: str | None = None, *, clone: bool = True) -> Any:
    """The in-place variant of fn: self takes fn(self, ...)'s values and history.

    With `clone=False`, for ops whose backward does not read self's old values (scatter_,
    tril_, ...), fn reads self directly instead of a copy.
    """
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if not clone or not needs_grad(self, *args, *kwargs.values()):
            return inplace_update(self, fn(self, *args, **kwargs))
        # backward may need self's old values (mul_ does), which the write destroys: work on a copy
        result = fn(self.clone(), *args, **kwargs)
        if result.grad_fn is None and not method.__name__.startswith("logical_"):
            # eq_ and friends give their inputs a zero gradient; torch leaves logical_*_ untracked
            values = result._array.astype(self._array.dtype)
            result = Overwrite.apply(values, self, *[x for x in args if isinstance(x, Tensor)])
        return inplace_update(self, result)
    method.__name__ = method.__qualname__ = name or fn.__name__ + "_"
    method.__doc__ = f"In-place {fn.__name__}: self takes the result's values (and autograd history)."
    return method


def in_place_arithmetic(fn: Any, ufunc: Any, name: str) -> Any:
    """add_/sub_/mul_/div_: straight into self's buffer when autograd is not involved and the
    operand has self's float dtype (or is a number); anything else takes the general path."""
    general = in_place(fn, name)

    def method(self: Tensor, other: Any, **kwargs: Any) -> Tensor:
        a = self._array
        alpha = kwargs.pop("alpha", 1) if ufunc is np.add or ufunc is np.subtract else 1
        bool_alpha = isinstance(alpha, bool)  # True == 1, but torch refuses a bool alpha for float results
        if (kwargs or bool_alpha or a.dtype.kind != "f" or needs_grad(self, other)
                or not (type(other) in (int, float) or isinstance(other, Tensor) and other._array.dtype == a.dtype)):
            if bool_alpha or alpha != 1:
                kwargs["alpha"] = alpha
            return general(self, other, **kwargs)
        operand = array_of(other) if alpha == 1 else array_of(other) * alpha
        check_inplace(self)
        try:
            ufunc(a, operand, out=a)
        except ValueError:  # other broadcasts beyond self's shape: the general path words the error
            return general(self, other)
        self._version_box[0] += 1
        return self
    method.__name__ = method.__qualname__ = name
    method.__doc__ = general.__doc__
    return method


# ----- copy_ -----------------------------------------------------------------------------
class Copy(Function):
    @staticmethod
    def forward(ctx, a, src):
        out = np.empty_like(a)
        np.copyto(out, src, casting="unsafe")
        return out

    @staticmethod
    def backward(ctx, grad):
        need = ctx.needs_input_grad
        return zeros_like_grad(grad) if need[0] else None, grad if need[1] else None


def copy_(self: Tensor, src: Any, non_blocking: bool = False) -> Tensor:
    """Copy src's values into self (broadcast to self's shape, cast to its dtype); differentiable w.r.t. src."""
    src = as_tensor_operand(src)
    if isinstance(src, Tensor) and src._array.shape != self._array.shape:
        shape = broadcast_shape(self._array.shape, src._array.shape)
        if shape != self._array.shape:
            raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape "
                               f"{list(shape)}")
    if needs_grad(self, src):
        return inplace_update(self, Copy.apply(self, src))
    check_inplace(self)
    np.copyto(self._array, array_of(src), casting="unsafe")
    self._version_box[0] += 1
    return self


# ----- the inplace=True flag of nn.functional -----------------------------------------
def maybe_in_place(input: Tensor, result: Tensor, inplace: bool) -> Tensor:
    """`result` written into `input` when the caller asked for inplace=True (F.relu(x, inplace=True), ...)."""
    return inplace_update(input, result) if inplace else result


def in_place_source(input: Tensor, inplace: bool) -> Tensor:
    """The tensor a composite in-place op computes from: a copy, since the ops it is made of
    save their inputs for backward and the in-place write would invalidate them."""
    return input.clone() if inplace and input.requires_grad else input


# ----- the out= keyword of the torch.* functions ---------------------------------------
CASTABLE = "result type {result} can't be cast to the desired output type {out}"
SAME_DTYPE = "Expected out tensor to have dtype {result_cpp}, but got {out_cpp} instead"
_CPP_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short int",
              "int32": "int", "int64": "long int", "float16": "c10::Half", "float32": "float", "float64": "double"}


def writes_out(fn: Callable | None = None, *, dtype_rule: str = "castable", message: str | None = None,
               error: type = RuntimeError, warn_on_resize: bool = True) -> Any:
    """Decorator: `fn(..., out=t)` writes fn's result into `t` and returns `t` itself (torch's out=).

    A tuple result (max with dim, sort, ...) takes a tuple of outs. Each out is resized to
    the result's shape (with torch's deprecation warning if it had elements), written, and
    its version bumped. Not differentiable: with grad mode on, an input or out that requires
    grad is refused. Which out dtypes are accepted is the op's `dtype_rule`:
      "castable"  the result dtype must cast to out's safely (torch.can_cast), else `message`;
      "same"      out must have exactly the result's dtype, else `message`;
      "computes_in"  any dtype: fn computes in out's dtype (its `dtype=` argument), as sum does.
    `message` may name {result}/{out} (Float, Long) or {result_cpp}/{out_cpp} (float, long int).
    A few ops (addbmm) resize a wrong-shaped out silently: `warn_on_resize=False`.
    Tensor methods use `fn` itself (`.without_out`): torch's methods take no out=.
    """
    if fn is None:
        return functools.partial(writes_out, dtype_rule=dtype_rule, message=message, error=error,
                                 warn_on_resize=warn_on_resize)
    message = message or (SAME_DTYPE if dtype_rule == "same" else CASTABLE)

    @functools.wraps(fn)
    def with_out(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        if out is None:
            return fn(*args, **kwargs)
        outs = tuple(out) if isinstance(out, (tuple, list)) else (out,)
        operands = [x for a in (*args, *kwargs.values()) for x in (a if isinstance(a, (tuple, list)) else (a,))]
        if needs_grad(*operands, *outs):
            raise RuntimeError(f"{fn.__name__}(): functions with out=... arguments don't support automatic "
                               "differentiation, but one of the arguments requires grad.")
        if dtype_rule == "computes_in" and kwargs.get("dtype") is None:
            kwargs["dtype"] = outs[0].dtype
        result = fn(*args, **kwargs)
        results = result if isinstance(result, tuple) else (result,)
        if len(outs) != len(results) or not all(isinstance(o, Tensor) for o in outs):
            raise TypeError(f"{fn.__name__}(): argument 'out' must be "
                            f"{'tuple of ' + str(len(results)) + ' Tensors' if len(results) > 1 else 'Tensor'}")
        for target, value in zip(outs, results):
            _write_out(target, value, dtype_rule, message, error, warn_on_resize)
        if isinstance(result, tuple):
            return type(result)(*outs) if hasattr(result, "_fields") else outs
        return out
    with_out.without_out = fn
    return with_out


def _write_out(out: Tensor, value: Tensor, dtype_rule: str, message: str, error: type,
               warn_on_resize: bool = True) -> None:
    """Copy `value` into `out` (resized to fit), checking out's dtype by the op's rule."""
    source, target = value.dtype, out.dtype
    if dtype_rule == "same" and source is not target or \
            dtype_rule == "castable" and source is not target and not _dtype.can_cast(source, target):
        raise error(message.format(result=type_name(source), out=type_name(target),
                                   result_cpp=_CPP_NAMES[source.name], out_cpp=_CPP_NAMES[target.name]))
    shape = value._array.shape
    resized = out._array.shape != shape
    if resized:
        if out._array.size and warn_on_resize:
            warnings.warn(f"An output with one or more elements was resized since it had shape {list(out.shape)}, "
                          f"which does not match the required output shape {list(shape)}. This behavior is "
                          "deprecated, and in a future PyTorch release outputs will not be resized unless they "
                          "have zero elements. You can explicitly reuse an out tensor t by resizing it, inplace, "
                          "to zero elements with t.resize_(0).", UserWarning, stacklevel=3)
        out.resize_(shape)  # counts as the write's version bump
    np.copyto(out._array, value._array, casting="unsafe")
    if not resized:
        out._version_box[0] += 1
