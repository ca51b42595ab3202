"""Functions of one tensor (_ops/math.py, and abs/sign/rounding of arithmetic.py) against torch:
values, dtypes, gradients (oracle and gradcheck), second derivatives, and gradients at kinks."""
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import minitorch
from conftest import (ALL_DTYPES, above_one, anything, assert_matches_torch, away_from_zero, gradcheck, positive,
                      randn, same_outcome, same_unary_over_grid, sample, unit)


# ----- functions of one tensor ------------------------------------------------------------

UNARY = {
    "neg": anything, "abs": anything, "reciprocal": positive, "square": anything, "exp": anything,
    "exp2": anything, "log": positive, "log2": positive, "log10": positive, "log1p": positive,
    "expm1": anything, "sqrt": positive, "rsqrt": positive, "sin": anything, "cos": anything,
    "tan": unit, "asin": unit, "acos": unit, "atan": anything, "sinh": anything, "cosh": anything,
    "tanh": anything, "asinh": anything, "acosh": above_one, "atanh": unit, "sigmoid": anything,
    "relu": anything, "erf": anything, "erfc": anything, "sign": anything, "floor": anything,
    "ceil": anything, "trunc": anything, "frac": anything, "round": anything, "nan_to_num": anything,
    "positive": anything, "fix": anything, "arcsin": unit, "arctan": anything,
}
ZERO_GRAD = {"sign", "floor", "ceil", "trunc", "round", "fix"}


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_unary_function_and_method_match_torch(name, shape, dtype):
    x = UNARY[name](sample(shape, dtype)).astype(dtype)
    assert_matches_torch(lambda lib, t: getattr(lib, name)(t), x)
    assert_matches_torch(lambda lib, t: getattr(t, name)(), x)


@pytest.mark.parametrize("name", sorted(set(UNARY) - {"positive"}))
def test_unary_gradcheck(name):
    gradcheck(lambda lib, t: getattr(lib, name)(t), UNARY[name](randn(2, 3, dtype=np.float64)))


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("dtype", ["bool", "uint8", "int32", "int64"])
def test_unary_on_integer_and_bool_inputs_matches_torch_dtype_or_error(name, dtype):
    # functions of reals give the default float dtype; abs/floor/... keep integers; some refuse bool
    same_outcome(lambda lib, t: getattr(lib, name)(t), sample((2, 3), dtype))


def test_integer_inputs_follow_the_default_dtype():
    minitorch.set_default_dtype(minitorch.float64)
    try:
        assert minitorch.exp(minitorch.tensor([1, 2])).dtype is minitorch.float64
        assert (minitorch.tensor([1, 2]) / 2).dtype is minitorch.float64
    finally:
        minitorch.set_default_dtype(minitorch.float32)


@pytest.mark.parametrize("name", ["exp", "sin", "sqrt", "sigmoid", "erf", "tanh", "atan"])
def test_float16_keeps_dtype(name):
    assert_matches_torch(lambda lib, t: getattr(lib, name)(t), positive(randn(4)).astype(np.float16),
                         grad=False, atol=2e-3, rtol=2e-3)


def test_second_derivatives_of_unary_ops():
    for name in ["exp", "log", "sqrt", "rsqrt", "sin", "tan", "asin", "atanh", "sigmoid", "erf", "reciprocal",
                 "tanh", "cosh", "acosh", "abs"]:
        domain = above_one if name == "acosh" else unit if name in ("asin", "atanh") else positive
        x = minitorch.tensor(domain(randn(5, dtype=np.float64)), requires_grad=True)
        assert minitorch.autograd.gradgradcheck(getattr(minitorch, name), (x,)), name


def test_second_derivatives_of_binary_ops():
    a = minitorch.tensor(positive(randn(2, 3, dtype=np.float64)), requires_grad=True)
    b = minitorch.tensor(away_from_zero(randn(3, dtype=np.float64)), requires_grad=True)
    for fn in [lambda x, y: x / y, lambda x, y: x ** y, lambda x, y: y ** x, lambda x, y: minitorch.atan2(x, y),
               lambda x, y: minitorch.lerp(x, y.expand(2, 3), x * 0.3), lambda x, y: minitorch.hypot(x, y),
               lambda x, y: minitorch.clamp(x * y, -0.5, 0.5) * x, lambda x, y: minitorch.maximum(x, y) * y]:
        assert minitorch.autograd.gradgradcheck(fn, (a, b))


# ----- kinks, ties and special values ----------------------------------------------------
KINKS = [
    ("abs", lambda lib, x: lib.abs(x), [0.0, -1.0, 2.0]),
    ("relu", lambda lib, x: lib.relu(x), [0.0, -1.0, 2.0, float("nan"), -0.0]),
    ("sqrt at 0", lambda lib, x: lib.sqrt(x), [0.0, 4.0]),
    ("rsqrt at 0", lambda lib, x: lib.rsqrt(x), [0.0, 4.0]),
    ("log at 0", lambda lib, x: lib.log(x), [0.0, 1.0, -1.0]),
    ("reciprocal at 0", lambda lib, x: lib.reciprocal(x), [0.0, 2.0]),
    ("clamp bounds", lambda lib, x: lib.clamp(x, 0, 1), [-1.0, 0.0, 0.5, 1.0, 2.0]),
    ("clamp min>max", lambda lib, x: lib.clamp(x, 3, 2), [1.0, 2.0, 2.5, 3.0, 4.0]),
    ("clamp nan", lambda lib, x: lib.clamp(x, 0, 1), [float("nan"), 0.5]),
    ("sign", lambda lib, x: lib.sign(x), [0.0, -0.0, float("nan"), -2.0]),
    ("pow 0**0", lambda lib, x: x ** 0, [0.0, 1.0]),
    ("pow 0**0.5", lambda lib, x: x ** 0.5, [0.0, 1.0]),
    ("rpow 0**x", lambda lib, x: 0.0 ** x, [0.0, 2.0, -1.0]),
    ("rpow 2**x", lambda lib, x: 2.0 ** x, [0.0, 2.0, -1.0]),
    ("nan_to_num", lambda lib, x: lib.nan_to_num(x), [float("nan"), float("inf"), -float("inf"), 1.0]),
    ("nan_to_num values", lambda lib, x: lib.nan_to_num(x, nan=1.0, posinf=2.0, neginf=-2),
     [float("nan"), float("inf"), -float("inf"), 1.0]),
    ("round half even", lambda lib, x: lib.round(x), [0.5, 1.5, 2.5, -0.5, -1.5]),
    ("round decimals", lambda lib, x: lib.round(x, decimals=2), [1.2345, 2.675, -0.125, 0.135]),
    ("round negative decimals", lambda lib, x: lib.round(x, decimals=-2), [1234.5678, 50.0, 150.0]),
    ("frac", lambda lib, x: lib.frac(x), [-1.5, 2.25, 3.0]),
    ("remainder specials", lambda lib, x: x % 0.0, [1.0, -1.0]),
    ("exp overflow", lambda lib, x: lib.exp(x), [1000.0, -1000.0]),
    ("sigmoid extremes", lambda lib, x: lib.sigmoid(x), [1000.0, -1000.0, 0.0]),
]


@pytest.mark.parametrize("name,fn,values", KINKS, ids=[k[0] for k in KINKS])
def test_gradients_at_kinks_and_special_values_follow_torch(name, fn, values):
    assert_matches_torch(fn, np.array(values, dtype=np.float64))
    assert_matches_torch(fn, np.array(values, dtype=np.float32))


NAN = float("nan")
BINARY_KINKS = [
    ("maximum ties", lambda lib, a, b: lib.maximum(a, b), [1.0, 2.0, 3.0, float("nan")], [1.0, 3.0, 2.0, 1.0]),
    ("minimum ties", lambda lib, a, b: lib.minimum(a, b), [1.0, 2.0, 3.0, 1.0], [1.0, 3.0, 2.0, float("nan")]),
    ("fmax nan", lambda lib, a, b: lib.fmax(a, b), [1.0, 2.0, 3.0, NAN, 1.0], [1.0, 3.0, 2.0, 1.0, NAN]),
    ("fmin nan", lambda lib, a, b: lib.fmin(a, b), [1.0, 2.0, 3.0, NAN, 1.0], [1.0, 3.0, 2.0, 1.0, NAN]),
    ("pow zero base", lambda lib, a, b: a ** b, [0.0, 0.0, 2.0, -1.0, 0.0], [0.0, 2.0, 3.0, 2.0, -1.0]),
    ("atan2 origin", lambda lib, a, b: lib.atan2(a, b), [0.0, 1.0], [0.0, 2.0]),
    ("hypot", lambda lib, a, b: lib.hypot(a, b), [0.0, 3.0], [0.0, 4.0]),
    ("clamp tensor bounds", lambda lib, x, lo: lib.clamp(x, lo, lo + 1), [-1.0, 0.0, 0.5, 1.0, 2.0], [0.0] * 5),
    ("clamp tensor min>max", lambda lib, x, lo: lib.clamp(x, lo, lo - 1), [1.0, 2.0, 2.5, 3.0, 4.0], [3.0] * 5),
    ("clamp tensor min==max", lambda lib, x, lo: lib.clamp(x, lo, lo * 1), [1.0, 2.0, 3.0], [2.0] * 3),
    ("clamp tensor min only", lambda lib, x, lo: lib.clamp(x, min=lo), [-1.0, 0.0, 0.5], [0.0] * 3),
    ("clamp tensor max only", lambda lib, x, hi: lib.clamp(x, max=hi), [-1.0, 0.0, 0.5], [0.0] * 3),
    ("clamp nan bounds", lambda lib, x, lo: lib.clamp(x, lo, lo + 1),
     [float("nan"), 0.5, 0.5], [0.0, float("nan"), 0.0]),
    ("where", lambda lib, a, b: lib.where(a > 1, a, b), [1.0, 2.0], [3.0, 5.0]),
]


@pytest.mark.parametrize("name,fn,a,b", BINARY_KINKS, ids=[k[0] for k in BINARY_KINKS])
def test_binary_gradients_at_ties_and_special_values_follow_torch(name, fn, a, b):
    assert_matches_torch(fn, np.array(a), np.array(b))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_atan2_gradients_at_the_origin_axes_and_infinities_match_torch(dtype):
    y = np.array([0.0, 0, 1, -1, 0, np.inf, 0, -0.0, np.inf, -np.inf, np.nan, 1e-30], dtype)
    x = np.array([0.0, 1, 0, 0, -1, 1, -0.0, -0.0, np.inf, np.inf, 1, 1e-30], dtype)
    assert_matches_torch(lambda lib, a, b: lib.atan2(a, b), y, x)
    assert_matches_torch(lambda lib, a, b: lib.atan2(a, b), y.reshape(-1, 1)[:3], x[:4])
    assert_matches_torch(lambda lib, a, b: lib.atan2(a, b), y, np.array([1, 0, -1, 2, 0, 1, 0, 0, 1, 1, 1, 1]))


# ----- deg2rad, rad2deg, erfinv, sinc, logit ---------------------------------------------------------
NEW_UNARY = {
    "deg2rad": lambda lib, t: lib.deg2rad(t), "rad2deg": lambda lib, t: t.rad2deg(),
    "erfinv": lambda lib, t: lib.erfinv(t / 7), "sinc": lambda lib, t: lib.sinc(t),
    "logit": lambda lib, t: lib.logit(t / 13 + 0.5), "logit_eps": lambda lib, t: t.logit(eps=0.2),
}


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("name", sorted(NEW_UNARY))
def test_new_unary_functions_match_torch_for_every_dtype(name, dtype):
    # integer and bool inputs give the default float dtype; inf, nan, 0-d and empty inputs included
    same_unary_over_grid(NEW_UNARY[name], dtype, atol=1e-3 if dtype == "float16" else 1e-5, rtol=1e-3)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(NEW_UNARY))
def test_new_unary_function_gradients_match_torch(name, dtype):
    x = np.array([-3.0, -0.5, 0.0, 0.25, 1.0, 2.5, 6.9, -6.9], dtype)
    assert_matches_torch(NEW_UNARY[name], x)
    assert_matches_torch(NEW_UNARY[name], np.array(0.5, dtype))


@pytest.mark.parametrize("x", [np.array([-1.0, -0.999999, -0.5, -1e-8, 0, 1e-5, 0.5, 0.9999999999, 1, 1.5, np.nan]),
                               np.array([-1.0, -0.9999, -0.3, 0, 0.7, 0.99999, 1, -2], np.float32)],
                         ids=["float64", "float32"])
def test_erfinv_is_accurate_to_the_last_digits_near_plus_minus_one(x):
    assert_matches_torch(lambda lib, t: lib.erfinv(t), x, atol=0, rtol=1e-12 if x.dtype == np.float64 else 1e-6)


@pytest.mark.parametrize("eps", [None, 0.1, 0.5])
def test_logit_gradient_outside_the_clamp_matches_torch(eps):
    x = np.array([-0.5, 0.0, 0.05, 0.1, 0.3, 0.9, 0.95, 1.0, 1.5])
    assert_matches_torch(lambda lib, t: lib.logit(t, eps), x)


@pytest.mark.parametrize("name", ["deg2rad", "rad2deg", "sinc", "logit", "erfinv"])
def test_new_unary_in_place_variants_match_torch(name):
    x = np.array([0.1, 0.25, 0.5])
    same_outcome(lambda lib, t: getattr(t, name + "_")() is t and t, x)
    same_outcome(lambda lib, t: getattr(t, name + "_")(), np.array([0, 1]))  # int self: result type Float refused
    if name != "erfinv":  # torch has no torch.erfinv_
        same_outcome(lambda lib, t: getattr(lib, name + "_")(t), x)


# ----- copysign ---------------------------------------------------------------------------

@pytest.mark.parametrize("other", [2.0, -1, np.array([-0.0, float("nan"), 1.5]), np.array([[-1.0], [1.0]])])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_copysign_matches_torch(other, dtype):
    x = np.array([0.0, -2.0, 3.0]).astype(dtype)
    assert_matches_torch(lambda L, a, b: L.copysign(a, b), x, other)  # values, dtype, gradients (0 at 0)
    assert_matches_torch(lambda L, a, b: a.copysign(b), x, other)


def test_copysign_needs_a_tensor_first_and_in_place_keeps_the_dtype():
    with pytest.raises(TypeError):
        minitorch.copysign(2.0, minitorch.tensor([1.0]))
    a = minitorch.tensor([1.0, 2.0])
    assert a.copysign_(-1.0) is a and a.tolist() == [-1.0, -2.0]
    with pytest.raises(RuntimeError):  # a float result cannot go into an int64 tensor
        minitorch.tensor([1]).copysign_(-1.0)


def test_forward_ops_do_not_warn_where_torch_is_silent():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"minitorch(\.|$)")  # as on import
        x = minitorch.tensor([float("inf"), 0.0, 1000.0, -1.0])
        y = x * minitorch.tensor([0.0, 0.0, 1.0, 1.0])
        assert np.isnan(y.numpy()[0]) and np.isinf(x.exp().numpy()[2]) and np.isnan(x.log().numpy()[3])
        minitorch.nn.functional.layer_norm(minitorch.ones(2, 0), (0,))
        minitorch.var_mean(minitorch.tensor([1.0, float("inf"), 2.0]))


def test_importing_minitorch_silences_only_its_own_runtime_warnings():
    # a fresh interpreter that turns every warning into an error: minitorch's ops stay quiet,
    # while a RuntimeWarning raised by other code still surfaces
    code = ("import warnings, minitorch as t\n"
            "x = t.tensor([float('inf'), 1000.0]); (x * t.tensor([0.0, 1.0])).exp()\n"
            "try:\n    warnings.warn('elsewhere', RuntimeWarning)\nexcept RuntimeWarning:\n    print('raised')\n")
    done = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True,
                          cwd=os.path.join(os.path.dirname(__file__), "..", ".."))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "raised"


@pytest.mark.parametrize("dtypes", [("float32", "float64"), ("float64", "float32"), ("float16", "float32")])
def test_atan2_gradient_squares_each_operand_in_its_own_dtype_like_torch(dtypes):
    a = np.array([0.49, -1.3, 2.2], dtypes[0])
    b = np.array([0.76, 0.3, -1.7], dtypes[1])
    grads = []
    for lib in (minitorch, torch):
        x, y = lib.tensor(a, requires_grad=True), lib.tensor(b, requires_grad=True)
        lib.atan2(x, y).sum().backward()
        grads.append((x.grad.numpy(), y.grad.numpy()))
    for m, t in zip(*grads):
        assert m.dtype == t.dtype
        np.testing.assert_allclose(m, t, rtol=1e-13 if m.dtype == np.float64 else 1e-6)
