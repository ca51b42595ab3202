"""Comparisons, logic, where, clamp and the isnan family (_ops/compare.py) against torch."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import (ALL_DTYPES, BROADCASTS, assert_matches_torch, gradcheck, randn, same_error, same_outcome,
                      same_outcome_over_grid, same_unary_over_grid, sample)


# ----- every dtype pair, shape pair and Python scalar ------------------------------------------
GRID_OPS = {name: (lambda name: lambda lib, a, b: getattr(lib, name)(a, b))(name) for name in [
    "eq", "ne", "lt", "le", "gt", "ge", "maximum", "minimum", "fmax", "fmin", "logical_and", "logical_or",
    "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor"]}
GRID_OPS.update({"==": lambda lib, a, b: a == b, "<": lambda lib, a, b: a < b, ">=": lambda lib, a, b: a >= b,
                 "&": lambda lib, a, b: a & b, "|": lambda lib, a, b: a | b, "^": lambda lib, a, b: a ^ b,
                 "<<": lambda lib, a, b: a << b, ">>": lambda lib, a, b: a >> b,
                 "bitwise_left_shift": lambda lib, a, b: lib.bitwise_left_shift(a, b),
                 "bitwise_right_shift": lambda lib, a, b: lib.bitwise_right_shift(a, b)})


@pytest.mark.parametrize("db", ALL_DTYPES)
@pytest.mark.parametrize("da", ALL_DTYPES)
@pytest.mark.parametrize("name", sorted(GRID_OPS))
def test_binary_op_matches_torch_over_dtypes_shapes_and_scalars(name, da, db):
    # values and result dtype, or torch's error class (e.g. TypeError for lt(Number, Tensor))
    same_outcome_over_grid(GRID_OPS[name], da, db)


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


# ----- clamp at its bounds: values and gradients of input and tensor bounds ---------------------------
CLAMPED = np.array([-2.0, -1, 0, 1, 2, 0.5, np.nan, np.inf, -np.inf])
LOWER = np.array([-1.0, -1, -1, 1, 2, 0.5, 0, 0, np.nan])
UPPER = np.array([-2.0, -1, 0, 0, 2, 0.5, 0, np.nan, 0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kwargs", [dict(min=-1), dict(max=1), dict(min=-1, max=1), dict(min=1, max=-1),
                                    dict(min=0.5, max=0.5), dict(min=np.nan), dict(max=np.nan),
                                    dict(min=-np.inf, max=np.inf)], ids=str)
def test_clamp_with_number_bounds_at_the_bounds_matches_torch(kwargs, dtype):
    assert_matches_torch(lambda lib, t: lib.clamp(t, **kwargs), CLAMPED.astype(dtype))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bounds", ["min", "max", "both", "broadcast"])
def test_clamp_with_tensor_bounds_passes_gradients_like_torch(bounds, dtype):
    x, lo, hi = CLAMPED.astype(dtype), LOWER.astype(dtype), UPPER.astype(dtype)
    if bounds == "min":
        assert_matches_torch(lambda lib, t, low: lib.clamp(t, min=low), x, lo)
    elif bounds == "max":
        assert_matches_torch(lambda lib, t, high: lib.clamp(t, max=high), x, hi)
    elif bounds == "both":
        assert_matches_torch(lambda lib, t, low, high: lib.clamp(t, low, high), x, lo, hi)
    else:
        assert_matches_torch(lambda lib, t, low, high: lib.clamp(t, low, high), x.reshape(9, 1)[:4], lo[:3], hi[:3])


CLAMP_CALLS = {
    "numbers": lambda lib, x: x.clamp(0, 1), "number_min": lambda lib, x: x.clamp(min=0),
    "tensors": lambda lib, x: x.clamp(lib.zeros(3), lib.ones(3)), "tensor_max": lambda lib, x: x.clamp(max=lib.ones(3)),
    "clip": lambda lib, x: x.clip(0, 1.0), "clamp_min_number": lambda lib, x: x.clamp_min(0),
    "clamp_min_tensor": lambda lib, x: lib.clamp_min(x, lib.zeros(3)),
    "clamp_max_number": lambda lib, x: x.clamp_max(1),
    "clamp_max_tensor": lambda lib, x: x.clamp_max(lib.ones(3)),
}


@pytest.mark.parametrize("call", CLAMP_CALLS)
def test_clamp_node_names_follow_torchs_overloads(call):
    """torch names the node by overload: number bounds end in 1 for clamp, tensor bounds in 1 for clamp_min/max."""
    ours, theirs = (CLAMP_CALLS[call](lib, lib.ones(3, requires_grad=True)).grad_fn.name()
                    for lib in (minitorch, torch))
    assert ours == theirs


def test_clamp_argument_errors_match_torch():
    same_error(lambda lib, t: lib.clamp(t, t, 1.0), np.ones(2))
    same_error(lambda lib, t: lib.clamp(t), np.ones(2))
    same_outcome(lambda lib, t: lib.clamp_min(t, None), np.ones(2))
    same_outcome(lambda lib, t: lib.clamp_max(t, None), np.ones(2))
    same_outcome(lambda lib, t, low: lib.clamp(t, low), np.array([0, 1, 2]), np.array([0.5, 0.5, 3.0]))


def test_comparison_functions_refuse_a_number_first_with_torchs_message():
    for name in ["eq", "lt", "ge"]:
        same_error(lambda lib, t: getattr(lib, name)(3, t), np.ones(2))
    for name in ["maximum", "fmin", "logical_and"]:
        same_error(lambda lib, t: getattr(lib, name)(3, t), np.ones(2))


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64"])
def test_shifts_by_negative_counts_and_by_the_width_or_more_match_torch(dtype):
    # C leaves these undefined; torch gives 0 (left) and the sign fill (right)
    values = np.array([1, 100, 7, 0, 5, 3, 1], dtype)
    values[1:3] = np.array([-100, -7]).astype(dtype)
    counts = np.array([-1, 3, 7, 8, 15, 31, 63], dtype) if dtype != "uint8" else np.array([0, 3, 7, 8, 9, 255, 1], dtype)
    for op in [lambda lib, a, b: a << b, lambda lib, a, b: a >> b]:
        same_outcome(op, values, counts)
        same_outcome(lambda lib, a: op(lib, a, 64), values)
    same_outcome(lambda lib, a: lib.bitwise_left_shift(3, a), counts)
    same_outcome(lambda lib, a: a.bitwise_left_shift_(2) is a and a, values)
    same_outcome(lambda lib, a, b: a.bitwise_right_shift_(b) is a and a, values, counts)


def test_shift_operators_in_place_and_reflected_match_torch():
    def shift_in_place(lib, a):
        a <<= 2
        a >>= 1
        return a
    same_outcome(shift_in_place, np.array([1, -3, 5]))
    same_outcome(lambda lib, a: 1 << a, np.array([1, 3, 5]))
    same_outcome(lambda lib, a: 256 >> a, np.array([1, 3, 5]))
    same_outcome(shift_in_place, np.array([1.0, 2.0]))  # NotImplementedError for floats, as in torch


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_signbit_matches_torch_for_every_dtype(dtype):
    same_unary_over_grid(lambda lib, t: lib.signbit(t), dtype)
    same_outcome(lambda lib, t: lib.signbit(t), np.array([-0.0, 0.0, np.nan, -np.nan, -np.inf], np.float32))


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16"])
def test_clamp_of_integers_with_bounds_outside_the_dtype_wraps_them_like_torch(dtype):
    same_outcome(lambda lib, t: lib.clamp(t, -1, 2), np.array([0, 1, 5, 7], dtype))
    same_outcome(lambda lib, t: lib.clamp(t, max=70000), np.array([0, 1, 5, 7], dtype))
    same_outcome(lambda lib, t: lib.clamp(t, -255 if dtype == "uint8" else -200, 3), np.array([0, 1, 5, 7], dtype))


SHAPE_BEFORE_DTYPE = {
    "bitwise_and": lambda lib, a, b: lib.bitwise_and(a, b), "<<": lambda lib, a, b: a << b,
    "div_floor": lambda lib, a, b: lib.div(a, b, rounding_mode="floor"), "fmod": lambda lib, a, b: lib.fmod(a, b),
    "%": lambda lib, a, b: a % b, "//": lambda lib, a, b: a // b, "hypot": lambda lib, a, b: lib.hypot(a, b),
    "pow": lambda lib, a, b: lib.pow(a, b), "lerp": lambda lib, a, b: lib.lerp(a, b, 0.5),
    "-": lambda lib, a, b: a - b, "atan2": lambda lib, a, b: lib.atan2(a, b),
}


@pytest.mark.parametrize("db", ["bool", "int64", "float32"])
@pytest.mark.parametrize("da", ["bool", "int64", "float32"])
@pytest.mark.parametrize("name", sorted(SHAPE_BEFORE_DTYPE))
def test_shape_mismatch_is_reported_before_an_unsupported_dtype_like_torch(name, da, db):
    same_outcome(SHAPE_BEFORE_DTYPE[name], np.zeros(2, da), np.zeros(3, db))


@pytest.mark.parametrize("call", [
    lambda lib, t: lib.clamp(t, True), lambda lib, t: lib.clamp(t, max=True), lambda lib, t: lib.clamp(t, True, True),
    lambda lib, t: lib.clamp(t, t), lambda lib, t: lib.clamp(t, t, t), lambda lib, t: lib.clamp(t, 1),
    lambda lib, t: lib.clamp(t, max=t), lambda lib, t: lib.clamp_min(t, True), lambda lib, t: t.clamp_(True),
])
def test_clamp_of_bool_tensors_matches_torch(call):
    same_outcome(call, np.array([True, False]))


def test_clamp_of_a_number_raises_type_error_like_torch():
    same_outcome(lambda lib, t: lib.clamp(1, min=t), np.array([0.5, 2.0]))  # TypeError in both


@pytest.mark.parametrize("call", [
    lambda L: L.where(L.tensor([True, False]), L.tensor([1, 1], dtype=L.uint8), -256),
    lambda L: L.where(L.tensor([True, False]), 128, L.tensor([1, 1], dtype=L.int8)),
    lambda L: L.tensor([1, 2], dtype=L.uint8).pow(256),
    lambda L: L.tensor([1, 2], dtype=L.int8).pow_(2049),
    lambda L: L.tensor([1, 2], dtype=L.int8).pow(-129),
])
def test_a_number_that_does_not_fit_an_integer_tensor_is_an_error_like_torch(call):
    # where and pow convert a Python int to the integer tensor's dtype first (found by make fuzz)
    same_error(call)
    assert_matches_torch(lambda L, c, a: L.where(c, a, -255), np.array([True, False]), np.array([1, 1], np.uint8))
