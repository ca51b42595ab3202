"""Every Tensor method defined by an op, in one place, grouped by family.

`_tensor.py` defines what is about the tensor object itself (autograd fields, shape,
conversion to Python values). The ops live in `_ops/` as plain functions taking the
tensor first; this module attaches them to Tensor, so `x.exp()` is `minitorch.exp(x)`.
Search this file for a method's name (`__add__`, `cumsum`, `masked_fill_`) to find the
function behind it. It is imported last by `minitorch/__init__.py`; the op modules
themselves change nothing at import time.

In-place variants (`add_`, `exp_`, ...) are made from the out-of-place op by
`_ops.inplace.in_place`: self takes the result's values and its autograd history.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import _creation, _dtype
from ._ops import (arithmetic, casting, compare, decompositions, differences, extremes, indexing, join, linalg,
                   math, quantiles, rearrange, reduction, scan, scatter, selection, shape, sorting, vector_products)
from ._ops._common import broadcast_shape, type_name
from ._ops.inplace import copy_, in_place, in_place_arithmetic
from ._tensor import Tensor
from .autograd.function import label_node

__all__: list = []  # the torch.<name>_ functions are added below


def _attach(*functions: Callable, **renamed: Any) -> None:
    """Make functions Tensor methods: by their own name, or under the given names. Methods take
    no out= (as torch's), so a function made by `writes_out` is attached without it."""
    for fn in functions:
        setattr(Tensor, fn.__name__, getattr(fn, "without_out", fn))
    for name, fn in renamed.items():
        setattr(Tensor, name, getattr(fn, "without_out", fn))


def _same_names(module: Any, names: str) -> list:
    """The module's functions with these (space-separated) names."""
    return [getattr(module, name) for name in names.split()]


# ----- operator protocol adapters -----------------------------------------------------
def _reflected(fn: Callable) -> Callable:
    """`other <op> self` for the __r<op>__ methods Python calls when the left operand gives up."""
    def reflected(self: Tensor, other: Any) -> Tensor:
        return fn(other, self)
    return reflected


def _equality(op: Callable) -> Callable:
    """`==` / `!=` as operators: other types are not equal to a tensor (Python falls back to identity)."""
    def operator(self: Tensor, other: Any) -> Any:
        if not isinstance(other, (Tensor, int, float, bool, np.ndarray, np.generic)):
            return NotImplemented
        return op(self, other)
    return operator


def _rsub(self: Tensor, other: Any) -> Tensor:
    """number - self: one node named as torch's rsub (RsubBackward1), its only edge to self."""
    return label_node(arithmetic.sub(other, self), "RsubBackward1")


def _rdiv(self: Tensor, other: Any) -> Tensor:
    """number / self, computed as torch computes it: self.reciprocal() * number."""
    return arithmetic.mul(arithmetic.reciprocal(self), other)


def _invert(self: Tensor) -> Tensor:
    """~self: bitwise not, refused for floats with the TypeError torch raises."""
    if self._array.dtype.kind == "f":
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return compare.bitwise_not(self)


def _caster(dt: _dtype.dtype) -> Callable:
    """The method `.float()`, `.long()`, ...: the tensor converted to `dt`."""
    def cast(self: Tensor, memory_format: Any = None) -> Tensor:
        return casting.to(self, dt)
    return cast


# ----- arithmetic (_ops/arithmetic.py) ------------------------------------------------
_attach(*_same_names(arithmetic, "add sub mul div floor_divide remainder fmod pow neg positive abs reciprocal "
                                 "square sign sgn floor ceil trunc frac round lerp"),
        subtract=arithmetic.sub, multiply=arithmetic.mul, divide=arithmetic.div, true_divide=arithmetic.div,
        negative=arithmetic.neg, absolute=arithmetic.abs, fix=arithmetic.trunc,
        # number + tensor and number * tensor are tensor.add(number), tensor.mul(number), as in torch
        __add__=arithmetic.add, __radd__=arithmetic.add, __sub__=arithmetic.sub,
        __rsub__=_rsub, __mul__=arithmetic.mul, __rmul__=arithmetic.mul,
        __truediv__=arithmetic.div, __rtruediv__=_rdiv,
        __floordiv__=arithmetic.floor_divide, __rfloordiv__=_reflected(arithmetic.floor_divide),
        __mod__=arithmetic.remainder, __rmod__=_reflected(arithmetic.remainder),
        __pow__=arithmetic.pow, __rpow__=_reflected(arithmetic.pow),
        __neg__=arithmetic.neg, __pos__=arithmetic.positive, __abs__=arithmetic.abs)

# ----- functions of reals (_ops/math.py) ----------------------------------------------
_attach(*_same_names(math, "exp exp2 log log2 log10 log1p expm1 sqrt rsqrt sin cos tan asin acos atan atan2 "
                           "sinh cosh tanh asinh acosh atanh sigmoid relu erf erfc hypot copysign nan_to_num deg2rad rad2deg "
                           "erfinv sinc logit"),
        arcsin=math.asin, arccos=math.acos, arctan=math.atan, arctan2=math.atan2, arcsinh=math.asinh,
        arccosh=math.acosh, arctanh=math.atanh)

# ----- comparison, logic, clamp (_ops/compare.py) -------------------------------------
_attach(*_same_names(compare, "eq ne lt le gt ge logical_and logical_or logical_xor logical_not bitwise_and "
                              "bitwise_or bitwise_xor bitwise_not bitwise_left_shift bitwise_right_shift isclose "
                              "allclose equal isnan isinf isfinite isposinf isneginf signbit clamp clamp_min clamp_max maximum minimum fmax fmin"),
        clip=compare.clamp, greater=compare.gt, greater_equal=compare.ge, less=compare.lt,
        less_equal=compare.le, not_equal=compare.ne,
        where=lambda self, condition, other: compare.where(condition, self, other),
        __eq__=_equality(compare.eq), __ne__=_equality(compare.ne), __lt__=compare.lt, __le__=compare.le,
        __gt__=compare.gt, __ge__=compare.ge, __invert__=_invert,
        __and__=compare.bitwise_and, __rand__=_reflected(compare.bitwise_and), __or__=compare.bitwise_or,
        __ror__=_reflected(compare.bitwise_or), __xor__=compare.bitwise_xor,
        __rxor__=_reflected(compare.bitwise_xor), __lshift__=compare.bitwise_left_shift,
        __rlshift__=_reflected(compare.bitwise_left_shift), __rshift__=compare.bitwise_right_shift,
        __rrshift__=_reflected(compare.bitwise_right_shift))

# ----- reductions (_ops/reduction.py), extremes and sorting (_ops/extremes.py, sorting.py), scans (_ops/scan.py)
_attach(*_same_names(reduction, "sum mean nansum nanmean var std prod norm logsumexp softmax log_softmax any all "
                                "count_nonzero"),
        *_same_names(extremes, "max min amax amin aminmax argmax argmin"),
        *_same_names(sorting, "topk kthvalue sort argsort msort median nanmedian mode unique unique_consecutive"),
        *_same_names(scan, "cumsum cumprod cummax cummin logcumsumexp"))

# ----- views (_ops/shape.py) ----------------------------------------------------------
_attach(*_same_names(shape, "view reshape permute transpose t movedim moveaxis expand broadcast_to unsqueeze "
                            "squeeze flatten unflatten unsqueeze_ squeeze_ transpose_ t_ resize_ resize_as_"),
        view_as=lambda self, other: shape.view(self, other.shape),
        reshape_as=lambda self, other: shape.reshape(self, other.shape),
        expand_as=lambda self, other: shape.expand(self, other.shape),
        swapaxes=shape.transpose, swapdims=shape.transpose, swapaxes_=shape.transpose_,
        swapdims_=shape.transpose_,
        T=property(lambda self: shape.permute(self, tuple(reversed(range(self.ndim))))),
        mT=property(lambda self: shape.transpose(self, -2, -1)))

# ----- joins, splits, rearranging copies (_ops/join.py) -------------------------------
_attach(*_same_names(join, "narrow select unbind chunk tensor_split repeat repeat_interleave tile flip fliplr flipud "
                           "roll"),
        rearrange.rot90, rearrange.diag_embed,
        split=lambda self, split_size, dim=0: join.split(self, split_size, dim))

# ----- copies and dtype conversion (_ops/casting.py) ----------------------------------
_attach(casting.clone, casting.contiguous, casting.to, casting.type_as, copy_, type=casting.tensor_type,
        float=_caster(_dtype.float32), double=_caster(_dtype.float64), half=_caster(_dtype.float16),
        long=_caster(_dtype.int64), int=_caster(_dtype.int32), short=_caster(_dtype.int16),
        char=_caster(_dtype.int8), byte=_caster(_dtype.uint8), bool=_caster(_dtype.bool),
        cpu=lambda self, memory_format=None: self)

# ----- indexing (_ops/indexing.py, _ops/selection.py), gather and scatter (_ops/scatter.py)
_attach(*_same_names(indexing, "__getitem__ __setitem__ index_put"),
        *_same_names(selection, "index_select masked_select masked_fill masked_fill_ masked_scatter masked_scatter_ "
                                "index_add index_fill index_copy take put nonzero argwhere"),
        *_same_names(scatter, "gather scatter scatter_add scatter_reduce index_reduce take_along_dim"),
        *(in_place(fn, clone=False) for fn in (indexing.index_put,
                                               *_same_names(selection, "index_add index_fill index_copy put"))),
        *(in_place(fn, clone=False) for fn in _same_names(scatter, "scatter scatter_add scatter_reduce index_reduce")))

# ----- linear algebra (_ops/linalg.py) ------------------------------------------------
_attach(*_same_names(linalg, "matmul mm bmm mv dot vdot inner outer addmm addmv addr baddbmm addbmm trace diag diagonal tril "
                             "triu"),
        ger=linalg.outer, tril_=in_place(linalg.tril, clone=False), triu_=in_place(linalg.triu, clone=False),
        addmm_=in_place(linalg.addmm), addmv_=in_place(linalg.addmv), baddbmm_=in_place(linalg.baddbmm), addbmm_=in_place(linalg.addbmm),
        addr_=in_place(linalg.addr),
        __matmul__=linalg.matmul, __rmatmul__=_reflected(linalg.matmul))

# ----- order statistics, structured products, differences (issue 10's files) -----------
_attach(quantiles.quantile, quantiles.nanquantile, quantiles.histc, vector_products.cross, vector_products.kron,
        differences.diff, decompositions.svd)

# ----- torch.linalg as Tensor methods (x.inverse(), x.det(), ...: _linalg_aliases.py) --------
from . import _linalg_aliases  # noqa: E402  (imports minitorch.linalg, which needs Tensor defined)
_attach(**{name: getattr(_linalg_aliases, name)
           for name in "inverse det logdet slogdet cholesky qr pinverse matrix_power matrix_exp".split()})

# ----- in-place fills, sampling, new_* (_creation/) -----------------------------------
_attach(*_same_names(_creation, "zero_ fill_ uniform_ normal_ exponential_ random_ bernoulli_ multinomial "
                                "new_tensor new_zeros new_ones new_empty new_full"),
        bernoulli=lambda self, p=None, *, generator=None: _creation.bernoulli(self, p, generator=generator))

# ----- in-place elementwise variants --------------------------------------------------
# torch.<name>_ functions that exist alongside the methods
_INPLACE_FUNCTIONS = {
    arithmetic: "abs neg negative reciprocal square floor ceil trunc fix frac round",
    math: "exp exp2 log log2 log10 log1p expm1 sqrt rsqrt sin cos tan asin acos atan arcsin arccos arctan sinh "
          "cosh tanh asinh acosh atanh arcsinh arccosh arctanh sigmoid relu erf erfc nan_to_num deg2rad rad2deg "
          "sinc logit",
    compare: "clamp clip clamp_min clamp_max",
}
# Tensor methods only
_INPLACE_METHODS = {
    arithmetic: "floor_divide remainder fmod pow sign sgn lerp",
    math: "atan2 arctan2 hypot copysign erfinv",
    compare: "eq ne lt le gt ge greater greater_equal less less_equal not_equal logical_and logical_or "
             "logical_xor logical_not bitwise_and bitwise_or bitwise_xor bitwise_not bitwise_left_shift "
             "bitwise_right_shift",
}
# add_/sub_/mul_/div_ write straight into self's buffer when autograd is not involved
_ARITHMETIC_UFUNCS = {"add": np.add, "sub": np.subtract, "subtract": np.subtract, "mul": np.multiply,
                      "multiply": np.multiply, "div": np.true_divide, "divide": np.true_divide,
                      "true_divide": np.true_divide}

_inplace = {name + "_": in_place_arithmetic(getattr(arithmetic, name), ufunc, name + "_")
            for name, ufunc in _ARITHMETIC_UFUNCS.items()}
for _table in (_INPLACE_FUNCTIONS, _INPLACE_METHODS):
    for _module, _names in _table.items():
        _inplace.update({name + "_": in_place(getattr(_module, name), name + "_") for name in _names.split()})


def _cast_checked_first(method: Callable, numbers: bool = True) -> Callable:
    """The in-place binary `method`, refusing first (as torch does, before looking for a kernel) a
    broadcast shape other than self's, then a promoted dtype that self cannot hold:
    bool_tensor.bitwise_and_(float_tensor) is a cast error. With numbers False (atan2_, hypot_), a
    number `other` is left to the method's own TypeError."""
    def checked(self: Tensor, other: Any, *args: Any, **kwargs: Any) -> Tensor:
        shape = broadcast_shape(tuple(self.shape), tuple(other.shape)) if isinstance(other, Tensor) else self.shape
        if tuple(shape) != tuple(self.shape):
            raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(shape)}")
        if isinstance(other, Tensor) or numbers and isinstance(other, (bool, int, float)):
            promoted = _dtype.result_type(self, other)
            if not _dtype.can_cast(promoted, self.dtype):
                raise RuntimeError(f"result type {type_name(promoted)} can't be cast to the desired output type "
                                   f"{type_name(self.dtype)}")
        return method(self, other, *args, **kwargs)
    checked.__name__ = checked.__qualname__ = method.__name__
    checked.__doc__ = method.__doc__
    return checked


_inplace.update({name: _cast_checked_first(_inplace[name]) for name in (
    "floor_divide_ remainder_ fmod_ pow_ bitwise_and_ bitwise_or_ bitwise_xor_ bitwise_left_shift_ "
    "bitwise_right_shift_").split()})
_inplace.update({name: _cast_checked_first(_inplace[name], numbers=False) for name in ("atan2_", "arctan2_", "hypot_")})
_attach(**_inplace,
        __iadd__=_inplace["add_"], __isub__=_inplace["sub_"], __imul__=_inplace["mul_"],
        __itruediv__=_inplace["div_"], __ifloordiv__=_inplace["floor_divide_"],
        __imod__=_inplace["remainder_"], __ipow__=_inplace["pow_"], __iand__=_inplace["bitwise_and_"],
        __ior__=_inplace["bitwise_or_"], __ixor__=_inplace["bitwise_xor_"],
        __ilshift__=_inplace["bitwise_left_shift_"], __irshift__=_inplace["bitwise_right_shift_"])

for _names in _INPLACE_FUNCTIONS.values():
    for _name in _names.split():
        globals()[_name + "_"] = _inplace[_name + "_"]
        __all__.append(_name + "_")

# ----- special functions (_ops/special.py), one block added by the correctness helper ----------------
from ._ops import special  # noqa: E402


def _polygamma_method(self: Tensor, n: int) -> Tensor:
    """polygamma(n, self): torch's method takes n first, like the function."""
    return special.polygamma(n, self)


_polygamma_method.__name__ = _polygamma_method.__qualname__ = "polygamma"
_attach(*_same_names(special, "lgamma digamma mvlgamma xlogy logaddexp logaddexp2"), polygamma=_polygamma_method,
        mvlgamma_=in_place(special.mvlgamma, "mvlgamma_"),
        lgamma_=in_place(special.lgamma, "lgamma_"), digamma_=in_place(special.digamma, "digamma_"),
        xlogy_=_cast_checked_first(in_place(special.xlogy, "xlogy_")),
        polygamma_=in_place(_polygamma_method, "polygamma_"))
