"""Elementwise ops against torch: values, dtypes, gradients (oracle and gradcheck), kinks, errors."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_close, assert_matches_torch, gradcheck, randn

DTYPES = ["bool", "uint8", "int8", "int32", "int64", "float32", "float64"]


def sample(shape, dtype="float32", seed=0):
    """Test values of a dtype: normals for floats, small signed ints (nonneg for uint8), random bools."""
    rng = np.random.default_rng(seed + 13 * len(shape))
    if dtype == "bool":
        return np.asarray(rng.random(shape) < 0.5)
    if dtype.startswith("float"):
        return np.asarray(rng.standard_normal(shape), dtype)
    low = 0 if dtype == "uint8" else -5
    return np.asarray(rng.integers(low, 6, size=shape), dtype)


def same_outcome(fn, *arrays, atol=1e-5, rtol=1e-4):
    """fn(lib, *tensors) under both libraries gives the same values and dtype, or the same error type."""
    mt_in = [minitorch.tensor(a) if isinstance(a, np.ndarray) else a for a in arrays]
    th_in = [torch.tensor(a) if isinstance(a, np.ndarray) else a for a in arrays]
    try:
        expected = fn(torch, *th_in)
    except Exception as e:  # torch refuses: minitorch must refuse with the same exception type
        with pytest.raises(type(e)):
            fn(minitorch, *mt_in)
        return
    got = fn(minitorch, *mt_in)
    if isinstance(expected, torch.Tensor):
        assert_close(got, expected, atol, rtol)
    else:
        assert got == expected


def same_error(fn, *arrays):
    """Both libraries raise the same exception type with the same message."""
    with pytest.raises(Exception) as expected:
        fn(torch, *[torch.tensor(a) if isinstance(a, np.ndarray) else a for a in arrays])
    with pytest.raises(type(expected.value)) as got:
        fn(minitorch, *[minitorch.tensor(a) if isinstance(a, np.ndarray) else a for a in arrays])
    assert str(got.value) == str(expected.value)


# ----- functions of one tensor ------------------------------------------------------------
positive = lambda x: np.asarray(np.abs(x) + 0.5, x.dtype)    # noqa: E731  log, sqrt, ... domains
unit = lambda x: np.asarray(np.tanh(x) * 0.9, x.dtype)        # noqa: E731  asin, acos, atanh
above_one = lambda x: np.asarray(np.abs(x) + 1.5, x.dtype)    # noqa: E731  acosh
anything = lambda x: x                                         # noqa: E731

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


# ----- binary arithmetic --------------------------------------------------------------------
away_from_zero = lambda y: np.asarray(np.sign(y) * (np.abs(y) + 0.5), y.dtype)  # noqa: E731

BINARY = {
    "add": (lambda lib, a, b: lib.add(a, b), anything, anything),
    "add_alpha": (lambda lib, a, b: lib.add(a, b, alpha=2.5), anything, anything),
    "sub": (lambda lib, a, b: lib.sub(a, b), anything, anything),
    "sub_alpha": (lambda lib, a, b: a.sub(b, alpha=-3), anything, anything),
    "mul": (lambda lib, a, b: lib.mul(a, b), anything, anything),
    "div": (lambda lib, a, b: lib.div(a, b), anything, away_from_zero),
    "div_floor": (lambda lib, a, b: lib.div(a, b, rounding_mode="floor"), anything, away_from_zero),
    "div_trunc": (lambda lib, a, b: lib.div(a, b, rounding_mode="trunc"), anything, away_from_zero),
    "remainder": (lambda lib, a, b: lib.remainder(a, b), anything, away_from_zero),
    "fmod": (lambda lib, a, b: lib.fmod(a, b), anything, away_from_zero),
    "pow": (lambda lib, a, b: lib.pow(a, b), positive, anything),
    "atan2": (lambda lib, a, b: lib.atan2(a, b), anything, anything),
    "hypot": (lambda lib, a, b: lib.hypot(a, b), anything, anything),
    "maximum": (lambda lib, a, b: lib.maximum(a, b), anything, anything),
    "minimum": (lambda lib, a, b: lib.minimum(a, b), anything, anything),
    "fmax": (lambda lib, a, b: lib.fmax(a, b), anything, anything),
    "fmin": (lambda lib, a, b: lib.fmin(a, b), anything, anything),
    "lerp": (lambda lib, a, b: lib.lerp(a, b, 0.3), anything, anything),
    "+": (lambda lib, a, b: a + b, anything, anything),
    "-": (lambda lib, a, b: a - b, anything, anything),
    "*": (lambda lib, a, b: a * b, anything, anything),
    "/": (lambda lib, a, b: a / b, anything, away_from_zero),
    "%": (lambda lib, a, b: a % b, anything, away_from_zero),
    "**": (lambda lib, a, b: a ** b, positive, anything),
}
BROADCASTS = [((3, 4), (3, 4)), ((3, 1), (1, 4)), ((2, 3), (3,)), ((), (2, 3)), ((4,), ()), ((2, 1, 3), (4, 1))]


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("shapes", BROADCASTS, ids=str)
def test_binary_ops_broadcast_and_match_torch(name, shapes):
    fn, dom_a, dom_b = BINARY[name]
    a = dom_a(sample(shapes[0], seed=1)).astype(np.float32)
    b = dom_b(sample(shapes[1], seed=2)).astype(np.float32)
    assert_matches_torch(fn, a, b)
    assert_matches_torch(fn, a.astype(np.float64), b.astype(np.float64))


@pytest.mark.parametrize("name", sorted(set(BINARY) - {"div_floor", "div_trunc"}))
def test_binary_gradcheck(name):
    fn, dom_a, dom_b = BINARY[name]
    # a and b apart so that maximum/fmod/remainder are away from their kinks
    a = dom_a(sample((2, 3), "float64", seed=3))
    b = dom_b(sample((3,), "float64", seed=4))
    gradcheck(fn, a, b)


def test_floor_division_forms_match_torch():
    same_outcome(lambda lib, x: x // 0.0, np.array([1.0, -1.0, 0.0]))
    same_outcome(lambda lib, x, y: x // y, np.array([7.5, -7.5, 1e-30, -1e-30, np.inf]),
                 np.array([2.0, 2.0, -1.0, 3.0, 2.0]))
    a, b = sample((3, 4), seed=5) * 4, away_from_zero(sample((4,), seed=6))
    for x, y in [(a, b), (a.astype(np.float64), b.astype(np.float64))]:
        assert_matches_torch(lambda lib, s, t: lib.floor_divide(s, t), x, y, grad=False)
        assert_matches_torch(lambda lib, s, t: s // t, x, y, grad=False)
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="derivative for aten::floor_divide is not implemented"):
        (x // 2).sum().backward()


@pytest.mark.parametrize("expr", [
    lambda lib, x: x + 2, lambda lib, x: 2 + x, lambda lib, x: x - 2.5, lambda lib, x: 2 - x,
    lambda lib, x: x * 3, lambda lib, x: 3 * x, lambda lib, x: x / 4, lambda lib, x: 2 / x,
    lambda lib, x: x ** 2, lambda lib, x: x ** 0.5, lambda lib, x: 2 ** x, lambda lib, x: 0.5 ** x,
    lambda lib, x: (x // 0.7).detach(), lambda lib, x: (3 // x).detach(), lambda lib, x: x % 0.7,
    lambda lib, x: (3 % x).detach(),  # torch has no gradient for a number % tensor
    lambda lib, x: -x, lambda lib, x: +x, lambda lib, x: abs(x), lambda lib, x: lib.add(x, 1, alpha=2),
    lambda lib, x: lib.sub(x, 1.5, alpha=2), lambda lib, x: x.mul(2.5).div(3),
])
def test_scalar_and_reverse_operators(expr):
    x = positive(sample((2, 3), seed=7))
    assert_matches_torch(expr, x)
    assert_matches_torch(expr, x.astype(np.float64))


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "//", "%", "**", "&", "|", "^", "==", "<", "max", "pow"])
@pytest.mark.parametrize("da", DTYPES)
@pytest.mark.parametrize("db", DTYPES)
def test_binary_result_dtype_matches_torch_for_every_dtype_pair(op, da, db):
    ops = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
           "//": lambda a, b: a // b, "%": lambda a, b: a % b, "**": lambda a, b: a ** abs(b),
           "&": lambda a, b: a & b, "|": lambda a, b: a | b, "^": lambda a, b: a ^ b,
           "==": lambda a, b: a == b, "<": lambda a, b: a < b}
    a = sample((2, 3), da, seed=8)
    b = sample((3,), db, seed=9)
    if db not in ("bool", "uint8") and not db.startswith("float"):
        b[b == 0] = 1  # integer division by zero raises (tested separately)
    if op == "max":
        same_outcome(lambda lib, s, t: lib.maximum(s, t), a, b)
    elif op == "pow":
        same_outcome(lambda lib, s, t: lib.pow(s, t.abs() if t.dtype != lib.bool else t), a, b)
    else:
        same_outcome(lambda lib, s, t: ops[op](s, t), a, b)


@pytest.mark.parametrize("scalar", [2, 2.5, True, -3, 0.5])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", ["+", "r-", "*", "/", "r/", "**", "r**", "//", "%", "==", ">", "&"])
def test_scalar_operand_is_weak_like_torch(op, dtype, scalar):
    ops = {"+": lambda t, s: t + s, "r-": lambda t, s: s - t, "*": lambda t, s: t * s,
           "/": lambda t, s: t / s, "r/": lambda t, s: s / t, "**": lambda t, s: t ** s,
           "r**": lambda t, s: s ** t, "//": lambda t, s: t // s, "%": lambda t, s: t % s,
           "==": lambda t, s: t == s, ">": lambda t, s: t > s, "&": lambda t, s: t & s}
    x = sample((2, 3), dtype, seed=10)
    if op in ("r/", "r**") and dtype != "bool" and not dtype.startswith("float"):
        x[x == 0] = 1
    same_outcome(lambda lib, t: ops[op](t, scalar), x)


def test_zero_dim_tensors_promote_like_scalars():
    for da, db in [("int64", "float64"), ("float32", "float64"), ("uint8", "int64"), ("int8", "int32")]:
        same_outcome(lambda lib, a, b: a + b, sample((3,), da), np.array(sample((), db)))
        same_outcome(lambda lib, a, b: a * b, np.array(sample((), da)), np.array(sample((), db)))


def test_known_dtype_results():
    t = minitorch.tensor
    assert (t([1, 2]) / t([2, 4])).dtype is minitorch.float32
    assert (t([1, 2]) * 2.5).dtype is minitorch.float32
    assert (t([1], dtype=minitorch.uint8) + t([1], dtype=minitorch.int8)).dtype is minitorch.int16
    assert (t([True]) + t([True])).tolist() == [True]
    assert (t([7.5, -7.5]) // 2).tolist() == [3.0, -4.0]
    assert (t([1], dtype=minitorch.int8) + 300).tolist() == [45]  # wraps like torch


def test_integer_powers():
    same_outcome(lambda lib, a, b: a ** b, np.array([1, -1, -1, 2, 3, 0]), np.array([-1, -2, -3, -1, 2, 0]))
    same_outcome(lambda lib, a: 2 ** a, np.array([-1, 0, 3]))
    same_outcome(lambda lib, a: a ** 9, np.array([2, 3], dtype=np.uint8))
    same_error(lambda lib, a: a ** -1, np.array([1, 2]))
    same_error(lambda lib, a: a ** a, np.array([True]))


@pytest.mark.parametrize("fn", [
    lambda lib, a, b: a // b, lambda lib, a, b: a % b, lambda lib, a, b: lib.fmod(a, b),
    lambda lib, a, b: lib.div(a, b, rounding_mode="floor"), lambda lib, a, b: lib.div(a, b, rounding_mode="trunc"),
])
def test_integer_division_by_zero_raises(fn):
    same_error(fn, np.array([1, -2, 3]), np.array([1, 0, 2]))
    same_outcome(fn, np.array([1.0, -2.0, 0.0]), np.array([0.0, 0.0, 0.0]))  # floats give inf/nan
    same_outcome(fn, np.array([-7, 7, -7, 7]), np.array([2, -2, -2, 2]))  # signs of int quotients


def test_alpha_rules():
    same_error(lambda lib, a: lib.add(a, a, alpha=0.5), np.array([1, 2]))
    same_outcome(lambda lib, a: lib.add(a, a, alpha=True), np.array([True, False]))
    same_outcome(lambda lib, a: lib.sub(a, a, alpha=2), np.array([1, 2]))


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


# ----- clamp, lerp, nan_to_num, is* ------------------------------------------------------
@pytest.mark.parametrize("kwargs", [dict(min=-0.5), dict(max=0.5), dict(min=-0.5, max=0.5), dict(min=1, max=-1)])
def test_clamp_with_scalar_bounds(kwargs):
    x = randn(3, 4)
    for name in ["clamp", "clip"]:
        assert_matches_torch(lambda lib, t: getattr(lib, name)(t, **kwargs), x)
        assert_matches_torch(lambda lib, t: getattr(t, name)(**kwargs), x.astype(np.float64))
    assert_matches_torch(lambda lib, t: lib.clamp(t, **kwargs), np.array(0.7, dtype=np.float32))
    gradcheck(lambda lib, t: lib.clamp(t, **kwargs), randn(3, 4, dtype=np.float64) * 3)


def test_clamp_with_broadcast_tensor_bounds():
    x, lo, hi = randn(3, 4), randn(4) - 0.5, randn(3, 1) + 0.5
    assert_matches_torch(lambda lib, t, a, b: lib.clamp(t, a, b), x, lo, hi)
    assert_matches_torch(lambda lib, t, a: lib.clamp(t, min=a), x, lo)
    assert_matches_torch(lambda lib, t, b: t.clamp(max=b), x, hi)
    gradcheck(lambda lib, t, a, b: lib.clamp(t, a, b), x * 2, lo, hi + 1)


def test_clamp_min_max_and_dtypes():
    assert_matches_torch(lambda lib, t: lib.clamp_min(t, 0.1), randn(5))
    assert_matches_torch(lambda lib, t: t.clamp_max(0.1), randn(5))
    same_outcome(lambda lib, t: lib.clamp(t, min=0.5), np.array([1, -2, 3]))           # int -> float32
    same_outcome(lambda lib, t: lib.clamp(t, -1, 2), np.array([1, -2, 3]))             # stays int64
    same_outcome(lambda lib, t: lib.clamp(t, max=2), np.array([1, -2, 3], dtype=np.int8))
    same_outcome(lambda lib, t: lib.relu(t), np.array([1, -2, 3], dtype=np.int16))
    same_outcome(lambda lib, t: lib.clamp(t, -1, 0.5), np.array([1, -2, 3], dtype=np.float16))
    same_outcome(lambda lib, t: lib.clamp(t, min=0), np.array([True, False]))          # bool -> int64
    same_outcome(lambda lib, t: lib.clamp(t, lib.tensor([2, 2, 2]), lib.tensor(6.5)), np.array([1, 5, 9]))
    same_error(lambda lib, t: lib.clamp(t), randn(3))
    same_error(lambda lib, t: lib.clamp(t, min=lib.tensor([2.0, 2.0])), randn(3))


def test_lerp_forms():
    a, b, w = randn(2, 3), randn(3), np.random.default_rng(1).random((2, 1)).astype(np.float32)
    assert_matches_torch(lambda lib, s, e: lib.lerp(s, e, 0.3), a, b)
    assert_matches_torch(lambda lib, s, e: s.lerp(e, 0.7), a, b)
    assert_matches_torch(lambda lib, s, e, t: lib.lerp(s, e, t), a, b, w)
    assert_matches_torch(lambda lib, s, e, t: lib.lerp(s, e, t), a, b, np.array(1.5, dtype=np.float32))
    gradcheck(lambda lib, s, e, t: lib.lerp(s, e, t), a, b, w)
    same_error(lambda lib, s, e: lib.lerp(s, e.double(), 0.5), a, b)
    same_error(lambda lib, s, e: lib.lerp(s, e, 0.5), np.array([1, 2]), np.array([3, 4]))


def test_special_value_predicates():
    x = np.array([1.0, float("nan"), float("inf"), -float("inf"), 0.0], dtype=np.float32)
    for name in ["isnan", "isinf", "isfinite", "isposinf", "isneginf"]:
        same_outcome(lambda lib, t: getattr(lib, name)(t), x)
        same_outcome(lambda lib, t: getattr(t, name)(), np.array([1, 2]))
    same_outcome(lambda lib, t: lib.nan_to_num(t), np.array([float("inf")], dtype=np.float16))
    same_outcome(lambda lib, t: lib.nan_to_num(t), np.array([1, 2]))


# ----- comparison and logic ----------------------------------------------------------------
COMPARISONS = ["eq", "ne", "lt", "le", "gt", "ge", "greater", "less_equal", "not_equal"]


@pytest.mark.parametrize("name", COMPARISONS)
@pytest.mark.parametrize("shapes", BROADCASTS[1:4], ids=str)
def test_comparisons_broadcast_and_match_torch(name, shapes):
    a, b = np.asarray(np.round(sample(shapes[0], seed=11))), np.asarray(np.round(sample(shapes[1], seed=12)))
    same_outcome(lambda lib, s, t: getattr(lib, name)(s, t), a, b)
    same_outcome(lambda lib, s, t: getattr(s, name)(t), a.astype(np.int64), b)
    same_outcome(lambda lib, s: getattr(lib, name)(s, 0.0), a)


def test_comparison_operators():
    a, b = sample((3, 4), seed=13).round(), sample((4,), seed=14).round()
    for op in [lambda s, t: s == t, lambda s, t: s != t, lambda s, t: s < t, lambda s, t: s <= t,
               lambda s, t: s > t, lambda s, t: s >= t, lambda s, t: 0.5 < s, lambda s, t: 1 == s]:
        same_outcome(lambda lib, s, t: op(s, t), a, b)
    x = minitorch.tensor([1.0])
    assert (x == None) is False and (x != "a") is True  # noqa: E711
    assert x in [minitorch.tensor([2.0]), x]


@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
@pytest.mark.parametrize("da,db", [("bool", "bool"), ("float32", "int64"), ("int8", "bool")])
def test_logical_ops(name, da, db):
    a = sample((2, 3), da, seed=15).round()
    b = sample((3,), db, seed=16).round()
    same_outcome(lambda lib, s, t: getattr(lib, name)(s, t), a, b)
    same_outcome(lambda lib, s, t: getattr(s, name)(t), a, b)
    same_error(lambda lib, s: getattr(lib, name)(s, 1), a)


def test_logical_not_and_bitwise_ops():
    for dt in ["bool", "uint8", "int32", "float32"]:
        x = sample((5,), dt, seed=17).round()
        same_outcome(lambda lib, t: lib.logical_not(t), x)
        same_outcome(lambda lib, t: lib.bitwise_not(t), x)
        same_outcome(lambda lib, t: ~t, x)
        for fn in ["bitwise_and", "bitwise_or", "bitwise_xor"]:
            same_outcome(lambda lib, t: getattr(lib, fn)(t, t.flip(0)), x)
    same_outcome(lambda lib, a, b: a ^ b, np.array([5], dtype=np.uint8), np.array([3], dtype=np.int8))
    same_outcome(lambda lib, a: True & a, np.array([True, False]))
    same_outcome(lambda lib, a: 6 | a, np.array([1, 2]))
    same_error(lambda lib, a: ~a, np.array([1.0]))


def test_where_forms():
    c = sample((3, 1), "bool", seed=18)
    x, y = randn(3, 4), randn(4)
    assert_matches_torch(lambda lib, a, b: lib.where(lib.tensor(c), a, b), x, y)
    assert_matches_torch(lambda lib, a: lib.where(lib.tensor(c), a, 0.5), x)
    assert_matches_torch(lambda lib, b: lib.where(lib.tensor(c), 2, b), y)
    assert_matches_torch(lambda lib, a, b: a.where(lib.tensor(c), b), x, y)
    gradcheck(lambda lib, a, b: lib.where(lib.tensor(c), a, b), x, y)
    same_outcome(lambda lib, cond: lib.where(cond, 1.0, 0), c)
    same_outcome(lambda lib, cond: lib.where(cond, 1, 0), c)
    same_outcome(lambda lib, cond, a: lib.where(cond, a, 0.5), c, np.array([1, 2, 3, 4]))
    same_outcome(lambda lib, cond, a, b: lib.where(cond, a, b), c, np.array([1, 2]).astype(np.int8),
                 np.array(3.0))
    same_error(lambda lib, a: lib.where(a, 1.0, 0.0), randn(3))
    same_error(lambda lib, cond, a: lib.where(cond, a, 0.0), sample((3, 2), "bool"), randn(5))


def test_isclose_allclose_equal():
    a = np.array([1.0, float("nan"), float("inf"), 1.0, -float("inf"), 2.0], dtype=np.float32)
    b = np.array([1.0 + 1e-6, float("nan"), float("inf"), 1.1, float("inf"), 2.0], dtype=np.float32)
    for kw in [{}, {"equal_nan": True}, {"rtol": 0.2}, {"atol": 0.1, "rtol": 0}]:
        same_outcome(lambda lib, s, t: lib.isclose(s, t, **kw), a, b)
        same_outcome(lambda lib, s, t: s.isclose(t, **kw), a, b)
        same_outcome(lambda lib, s, t: lib.allclose(s[:1], t[:1], **kw), a, b)
        same_outcome(lambda lib, s, t: s.allclose(t, **kw), a, b)
    same_outcome(lambda lib, s, t: lib.isclose(s, t, rtol=0, atol=1), np.array([1, 2, 5]), np.array([1, 3, 3]))
    same_outcome(lambda lib, s: lib.isclose(s, s), np.array([True, False]))
    same_outcome(lambda lib, s, t: lib.isclose(s, t), randn(2, 3), randn(3))
    same_error(lambda lib, s: lib.isclose(s, s.double()), randn(3))
    same_error(lambda lib, s: lib.isclose(s, s, rtol=-1), randn(3))
    same_error(lambda lib, s: lib.isclose(s, s, atol=-1), randn(3))
    for x, y in [(np.array([1, 2]), np.array([1.0, 2.0])), (a, a), (a[:2], a[:2]), (a[:1], a[:1]),
                 (np.array([1, 2]), np.array([1, 2, 3])), (np.array([1, 2]), np.array([1, 3]))]:
        same_outcome(lambda lib, s, t: lib.equal(s, t), x, y)
        same_outcome(lambda lib, s, t: s.equal(t), x, y)


# ----- in-place ---------------------------------------------------------------------------
INPLACE_UNARY = ["abs_", "neg_", "negative_", "reciprocal_", "exp_", "exp2_", "log_", "log2_", "log10_",
                 "log1p_", "expm1_", "sqrt_", "rsqrt_", "square_", "sin_", "cos_", "tan_", "asin_",
                 "acos_", "atan_", "sinh_", "cosh_", "tanh_", "sigmoid_", "relu_", "erf_", "erfc_",
                 "sign_", "floor_", "ceil_", "trunc_", "frac_", "round_", "nan_to_num_", "arcsin_",
                 "asinh_", "atanh_", "fix_", "logical_not_"]


@pytest.mark.parametrize("name", INPLACE_UNARY)
def test_unary_in_place_methods_match_torch_with_gradients(name):
    x = unit(randn(2, 3))
    if name in ("log_", "log2_", "log10_", "sqrt_", "rsqrt_", "reciprocal_"):
        x = positive(x)

    def fn(lib, t):
        y = t * 1  # a non-leaf, which may be modified in place
        out = getattr(y, name)()
        assert out is y
        return y
    assert_matches_torch(fn, x, grad=name not in ("asinh_", "atanh_"))  # torch lacks these two gradients
    if hasattr(torch, name):  # torch.exp_(t) and friends
        assert_matches_torch(lambda lib, t: getattr(lib, name)(t * 1), x, grad=name not in ("asinh_", "atanh_"))


INPLACE_BINARY = {
    "add_": lambda y, o: y.add_(o), "add_alpha": lambda y, o: y.add_(o, alpha=2), "sub_": lambda y, o: y.sub_(o),
    "mul_": lambda y, o: y.mul_(o), "div_": lambda y, o: y.div_(o),
    "div_floor": lambda y, o: y.div_(o, rounding_mode="floor"), "pow_": lambda y, o: y.abs().pow_(o),
    "remainder_": lambda y, o: y.remainder_(o), "fmod_": lambda y, o: y.fmod_(o),
    "atan2_": lambda y, o: y.atan2_(o), "hypot_": lambda y, o: y.hypot_(o), "lerp_": lambda y, o: y.lerp_(o, 0.3),
    "clamp_": lambda y, o: y.clamp_(o - 1, o + 1), "clip_": lambda y, o: y.clip_(min=o),
    "clamp_min_": lambda y, o: y.clamp_min_(0.1), "clamp_max_": lambda y, o: y.clamp_max_(0.1),
    "copy_": lambda y, o: y.copy_(o),
    "eq_": lambda y, o: y.eq_(o), "lt_": lambda y, o: y.lt_(o), "ge_": lambda y, o: y.ge_(o),
    "logical_and_": lambda y, o: y.logical_and_(o), "subtract_": lambda y, o: y.subtract_(o),
    "+=": lambda y, o: y.__iadd__(o), "-=": lambda y, o: y.__isub__(o), "*=": lambda y, o: y.__imul__(o),
    "/=": lambda y, o: y.__itruediv__(o), "%=": lambda y, o: y.__imod__(o), "**=": lambda y, o: y.abs().__ipow__(o),
}


@pytest.mark.parametrize("name", sorted(INPLACE_BINARY))
def test_binary_in_place_methods_broadcast_other_and_match_torch(name):
    x, other = randn(2, 3), away_from_zero(randn(3))

    def fn(lib, t, o):
        y = t * 1
        out = INPLACE_BINARY[name](y, o)
        return out
    assert_matches_torch(fn, x, other)
    if name not in ("div_floor", "eq_", "lt_", "ge_", "logical_and_"):
        gradcheck(fn, x.astype(np.float64), other.astype(np.float64))


@pytest.mark.parametrize("name", ["add_", "sub_", "mul_", "div_", "__iadd__", "__isub__", "__imul__", "__itruediv__"])
def test_in_place_arithmetic_without_autograd(name):
    # the direct-to-buffer path: numbers, same-dtype tensors, broadcasting, alpha, views, and its fallbacks
    cases = [(randn(2, 3), 2.5), (randn(2, 3), randn(3)), (randn(2, 3), np.array(1.5, np.float32)),
             (randn(2, 3), randn(3).astype(np.float64)), (np.array([4, 6]), 2), (randn(3), randn(2, 3))]
    for x, other in cases:
        same_outcome(lambda lib, t: getattr(t, name)(lib.tensor(other) if isinstance(other, np.ndarray) else other), x)
        if name in ("add_", "sub_"):
            same_outcome(lambda lib, t: getattr(t, name)(lib.tensor(other) if isinstance(other, np.ndarray)
                                                         else other, alpha=-2), x)
    with minitorch.no_grad():
        w = minitorch.ones(2, 3, requires_grad=True)
        v = w[:, 1]
        version = w._version
        getattr(v, name)(minitorch.tensor([2.0, 2.0]))
    assert w._version == version + 1 and w[:, 1].tolist() == getattr(torch.ones(2), name)(2.0).tolist()


def test_in_place_operators_rebind_the_same_tensor():
    x = minitorch.tensor([1, 2, 6])
    y = x
    y += 1
    y *= 2
    y //= 3
    y %= 3
    y **= 2
    y |= 8
    y &= 12
    y ^= 1
    t = torch.tensor([1, 2, 6])
    t += 1
    t *= 2
    t //= 3
    t %= 3
    t **= 2
    t |= 8
    t &= 12
    t ^= 1
    assert y is x and x.tolist() == t.tolist()


def test_in_place_bumps_version_and_breaks_saved_tensors():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    z = y.sin()  # saves y
    v = y._version
    y.add_(1)
    assert y._version == v + 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_in_place_errors_match_torch():
    same_error(lambda lib, a: a.add_(1.5), np.array([1, 2]))
    same_error(lambda lib, a: a.exp_(), np.array([1, 2]))
    same_error(lambda lib, a: a.div_(2), np.array([1, 2]))
    same_error(lambda lib, a: a.add_(1), np.array([True]))
    same_error(lambda lib, a: a.mul_(lib.ones(2, 3)), np.ones(3, dtype=np.float32))
    same_error(lambda lib, a: a.lerp_(lib.ones(1, 3), 0.5), np.ones(3, dtype=np.float32))
    same_error(lambda lib, a: a.copy_(lib.ones(2, 3)), np.ones(3, dtype=np.float32))
    same_error(lambda lib, a: a.copy_(lib.ones(4)), np.ones((2, 3), dtype=np.float32))
    same_error(lambda lib, a: a.requires_grad_().add_(1), np.ones(3, dtype=np.float32))
    same_outcome(lambda lib, a: a.mul_(lib.tensor([True, False])), np.array([1, 2]))
    same_outcome(lambda lib, a: a.add_(True), np.array([True, False]))
    same_outcome(lambda lib, a: a.copy_(lib.tensor([1.7, -2.7])), np.array([1, 2]))
    same_outcome(lambda lib, a: a.eq_(3), np.array([3, 4]))
    same_outcome(lambda lib, a: a.logical_not_(), np.array([3.0, 0.0]))


def test_copy_gradients_flow_to_source_not_to_overwritten_history():
    assert_matches_torch(lambda lib, a, s: (a * 2).copy_(s), randn(2, 3), randn(3))
    assert_matches_torch(lambda lib, a, s: (a * 2).copy_(s.double()), randn(2, 3), randn(3))
    assert_matches_torch(lambda lib, a, s: (a * 2)[0].copy_(s) * a[0], randn(2, 3), randn(3))
    gradcheck(lambda lib, a, s: (a * 2).copy_(s), randn(2, 3), randn(3))
    with minitorch.no_grad():  # parameter initialisation writes into leaves that require grad
        w = minitorch.ones(3, requires_grad=True)
        w.copy_(minitorch.tensor([1.0, 2.0, 3.0])).mul_(2).zero_().fill_(4.0)
    assert w.tolist() == [4.0, 4.0, 4.0] and w.requires_grad and w.is_leaf


# ----- errors --------------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [
    lambda lib, a, b: a + b, lambda lib, a, b: a * b, lambda lib, a, b: a / b, lambda lib, a, b: a ** b,
    lambda lib, a, b: a // b, lambda lib, a, b: lib.maximum(a, b), lambda lib, a, b: lib.atan2(a, b),
    lambda lib, a, b: a == b, lambda lib, a, b: a < b, lambda lib, a, b: lib.logical_and(a, b),
    lambda lib, a, b: lib.where(a > 0, a, b), lambda lib, a, b: lib.lerp(a, b, 0.5),
    lambda lib, a, b: lib.isclose(a, b), lambda lib, a, b: a.add_(b),
    lambda lib, a, b: lib.clamp(a, b), lambda lib, a, b: lib.lerp(a, a, b),
])
@pytest.mark.parametrize("shapes", [((2, 3), (4,)), ((2, 3, 1), (4, 5)), ((5, 2), (3, 1, 3))], ids=str)
def test_broadcast_mismatch_raises_torch_message(fn, shapes):
    same_error(fn, randn(*shapes[0]), randn(*shapes[1]))


@pytest.mark.parametrize("fn", [
    lambda lib, b: -b, lambda lib, b: b - b, lambda lib, b: b - 1, lambda lib, b: 1 - b, lambda lib, b: +b,
    lambda lib, b: lib.abs(b), lambda lib, b: lib.relu(b), lambda lib, b: b // b, lambda lib, b: b % b,
    lambda lib, b: b ** b, lambda lib, b: lib.sub(b, b, alpha=2),
])
def test_bool_misuse_raises_like_torch(fn):
    same_error(fn, np.array([True, False]))


@pytest.mark.parametrize("fn", [
    lambda lib, a: lib.frac(a), lambda lib, a: lib.round(a, decimals=1), lambda lib, a: lib.hypot(a, a),
    lambda lib, a: a & 1.5, lambda lib, a: lib.div(a, a, rounding_mode="bad"),
    lambda lib, a: lib.maximum(a, 2), lambda lib, a: lib.atan2(a, 2), lambda lib, a: lib.logical_xor(a, 1),
])
def test_misuse_errors_match_torch(fn):
    same_error(fn, np.array([1, 2]))


def test_bitwise_on_floats_raises():
    same_error(lambda lib, a: a & a, randn(2))
    same_error(lambda lib, a: lib.bitwise_not(a), randn(2))


def test_non_number_operands_raise_type_error():
    with pytest.raises(TypeError):
        minitorch.ones(2) + "a"
    with pytest.raises(TypeError):
        minitorch.ones(2) * [1, 2]


def test_method_and_function_names_exist_like_torch():
    names = ["absolute", "negative", "subtract", "multiply", "divide", "true_divide", "arctan2", "arccos",
             "arcsinh", "arccosh", "arctanh", "clip", "fix", "greater_equal", "less", "fmax", "fmin",
             "isposinf", "isneginf", "bitwise_xor", "logical_xor", "clamp_min", "clamp_max"]
    for name in names:
        assert hasattr(minitorch, name) and hasattr(minitorch.Tensor, name), name
    for name in ["abs_", "relu_", "sigmoid_", "clamp_", "exp_", "nan_to_num_"]:
        assert hasattr(torch, name) and hasattr(minitorch, name), name
    for name in ["add_", "div_", "copy_", "lerp_", "hypot_", "bitwise_and_", "logical_or_", "ne_", "__ior__"]:
        assert hasattr(minitorch.Tensor, name), name
