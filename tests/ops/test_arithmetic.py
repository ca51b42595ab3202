"""Arithmetic (_ops/arithmetic.py) against torch: broadcasting, dtype promotion with tensors and
weak scalars, reverse operators, integer division and powers, and the errors torch raises."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import (ALL_DTYPES, BROADCASTS, DTYPES, anything, assert_matches_torch, away_from_zero, gradcheck,
                      grid_values, positive, randn, same_error, same_outcome, same_outcome_over_grid,
                      same_unary_over_grid, sample)


# ----- binary arithmetic --------------------------------------------------------------------

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


GRID_OPS = {
    "add": lambda lib, a, b: lib.add(a, b), "add_alpha2": lambda lib, a, b: lib.add(a, b, alpha=2),
    "add_alpha_true": lambda lib, a, b: lib.add(a, b, alpha=True),
    "sub_alpha2": lambda lib, a, b: lib.sub(a, b, alpha=2), "mul": lambda lib, a, b: lib.mul(a, b),
    "div": lambda lib, a, b: lib.div(a, b), "div_trunc": lambda lib, a, b: lib.div(a, b, rounding_mode="trunc"),
    "div_floor": lambda lib, a, b: lib.div(a, b, rounding_mode="floor"),
    "floor_divide": lambda lib, a, b: lib.floor_divide(a, b), "remainder": lambda lib, a, b: lib.remainder(a, b),
    "fmod": lambda lib, a, b: lib.fmod(a, b), "pow": lambda lib, a, b: lib.pow(a, b),
    "atan2": lambda lib, a, b: lib.atan2(a, b), "hypot": lambda lib, a, b: lib.hypot(a, b),
    "+": lambda lib, a, b: a + b, "-": lambda lib, a, b: a - b, "*": lambda lib, a, b: a * b,
    "/": lambda lib, a, b: a / b, "//": lambda lib, a, b: a // b, "%": lambda lib, a, b: a % b,
    "**": lambda lib, a, b: a ** b,
}


@pytest.mark.parametrize("db", ALL_DTYPES)
@pytest.mark.parametrize("da", ALL_DTYPES)
@pytest.mark.parametrize("name", sorted(GRID_OPS))
def test_binary_op_matches_torch_over_dtypes_shapes_and_scalars(name, da, db):
    # values, result dtype, or the error class torch raises (integer division by zero, bool
    # subtraction, fmod(Number, Tensor), negative integer powers, ...)
    same_outcome_over_grid(GRID_OPS[name], da, db)


def test_signed_operand_beside_unsigned_is_not_wrapped_before_true_division():
    # the promoted dtype is uint8, but true division computes in float: -3 stays -3
    assert minitorch.div(minitorch.tensor(-3), minitorch.tensor([1, 4], dtype=minitorch.uint8)).tolist() == \
        torch.div(torch.tensor(-3), torch.tensor([1, 4], dtype=torch.uint8)).tolist() == [-3.0, -0.75]
    same_outcome(lambda lib, a, b: lib.atan2(a, b), np.array(-3), np.array([1, 4], np.uint8))


def test_add_with_alpha_keeps_bool_and_checks_alpha_like_torch():
    same_outcome(lambda lib, a, b: lib.add(a, b, alpha=2), np.array([True, False]), np.array([True, False]))
    same_outcome(lambda lib, a: lib.add(a, True, alpha=0), np.array([True, False]))
    same_error(lambda lib, a, b: lib.add(a, b, alpha=2.5), np.array([1, 2]), np.array([True, False]))
    same_error(lambda lib, a, b: lib.add(a, b, alpha=True), np.array([1, 2]), np.array([True, False]))


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


# ----- pow gradients at 0 and at negative bases; round(decimals=) ------------------------------------
BASES = [np.array([0.0, 0, 0, 2, -2, -2, 0.5]), np.array([-1.5, -2, 0, 0, 3, 1, -0.0])]


@pytest.mark.parametrize("exponent", [0, 1, 2, 3, -1, -2, 0.5, 2.5, 0.0, -0.5])
@pytest.mark.parametrize("base", BASES, ids=lambda x: str(x.tolist()))
def test_pow_with_a_number_exponent_matches_torch_at_zero_and_negative_bases(base, exponent):
    assert_matches_torch(lambda lib, t: lib.pow(t, exponent), base)


@pytest.mark.parametrize("exponent", [3, 4, 5, 7, -2, -3, -5, 3.0, 6.0, 64, -64])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_small_integer_powers_match_torch_to_rounding_with_special_values(exponent, dtype):
    # These take the repeated-squaring path; x**3 and x**-2 are computed as torch computes them.
    x = np.concatenate([randn(200, seed=3) * 3, [0.0, -0.0, np.inf, -np.inf, np.nan, 1e30, -1e-30]]).astype(dtype)
    mine, theirs = (minitorch.tensor(x) ** exponent).numpy(), (torch.tensor(x) ** exponent).numpy()
    assert mine.dtype == theirs.dtype
    tiny = np.finfo(dtype).tiny  # torch's own pow loses digits in the subnormal range
    np.testing.assert_allclose(mine, theirs, rtol=4 * np.finfo(dtype).eps, atol=tiny)
    if exponent in (3, -2):
        assert np.array_equal(mine, theirs, equal_nan=True)
    assert_matches_torch(lambda lib, t: t ** exponent, x[:200])


@pytest.mark.parametrize("scalar_base", [0.0, 2, -2.0, 0.5, 1])
@pytest.mark.parametrize("exponent", BASES, ids=lambda x: str(x.tolist()))
def test_pow_with_a_number_base_matches_torch(scalar_base, exponent):
    assert_matches_torch(lambda lib, t: lib.pow(scalar_base, t), exponent)


@pytest.mark.parametrize("base", BASES + [np.array([0.0, 0, 0, -2, -2, 2, 0])], ids=lambda x: str(x.tolist()))
def test_pow_gradients_of_both_tensor_operands_match_torch(base):
    assert_matches_torch(lambda lib, a, b: lib.pow(a, b), base, np.array([0.0, 1, -1, 2, 0.5, -0.5, 2.5]))


@pytest.mark.parametrize("decimals", [0, 1, 2, 3, -1, -2])
@pytest.mark.parametrize("x", [np.array([0.125, 0.135, 2.5, -2.5, 1.005, 123.456, -0.0049, 1e300, np.nan, np.inf]),
                               np.array([0.125, 2.675, 1.005, 15.5, 25.0], np.float32),
                               np.array([0.125, 2.675, 15.5, 25.0, 1234], np.float16)], ids=lambda x: str(x.dtype))
def test_round_with_decimals_matches_torch(x, decimals):
    # float16 is scaled in float32, like torch: 1234 * 100 must not overflow to inf
    assert_matches_torch(lambda lib, t: lib.round(t, decimals=decimals), x)


def test_functions_without_a_number_first_form_refuse_it_with_torchs_message():
    same_error(lambda lib, t: lib.fmod(3, t), np.ones(2))
    same_error(lambda lib, t: lib.atan2(3, t), np.ones(2))
    same_error(lambda lib, t: lib.hypot(2.5, t), np.ones(2))


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_sgn_matches_torch_for_every_dtype(dtype):
    same_unary_over_grid(lambda lib, t: lib.sgn(t), dtype)
    same_unary_over_grid(lambda lib, t: t.sgn_(), dtype)
    if dtype.startswith("float"):  # zero gradient (torch's is a ZeroTensor, so compared by hand)
        x = np.array([-2.0, 0.0, -0.0, 3.0, np.nan], dtype)
        grads = []
        for lib in (minitorch, torch):
            t = lib.tensor(x, requires_grad=True)
            t.sgn().sum().backward()
            grads.append(t.grad.numpy(force=True) if lib is torch else t.grad.numpy())
        np.testing.assert_array_equal(*grads)


GRADIENT_OPS = {
    "add_alpha": lambda lib, a, b: lib.add(a, b, alpha=2), "sub": lambda lib, a, b: a - b,
    "mul": lambda lib, a, b: a * b, "div": lambda lib, a, b: a / b, "pow": lambda lib, a, b: lib.pow(a, b),
    "atan2": lambda lib, a, b: lib.atan2(a, b), "hypot": lambda lib, a, b: lib.hypot(a, b),
    "remainder": lambda lib, a, b: lib.remainder(a, b), "fmod": lambda lib, a, b: lib.fmod(a, b),
    "maximum": lambda lib, a, b: lib.maximum(a, b), "fmin": lambda lib, a, b: lib.fmin(a, b),
    "clamp": lambda lib, a, b: lib.clamp(a, b),
}


@pytest.mark.parametrize("db", ["float16", "float32", "float64"])
@pytest.mark.parametrize("da", ["int64", "float16", "float32", "float64"])
@pytest.mark.parametrize("name", sorted(GRADIENT_OPS))
def test_binary_op_gradients_match_torch_across_dtypes_and_broadcasting(name, da, db):
    # each gradient comes back in its own input's dtype and shape (summed over broadcast dims)
    tolerance = 2e-2 if "float16" in (da, db) else 1e-5
    for shape_a, shape_b in [((4,), (4,)), ((), (4,)), ((2, 1, 4), (3, 1)), ((0,), (1,))]:
        a = grid_values(shape_a, da, seed=5, special=False)
        b = grid_values(shape_b, db, seed=6, special=False)
        b[b == 0] = 1.5  # away from the kinks of remainder/fmod at b = 0
        assert_matches_torch(GRADIENT_OPS[name], a, b, atol=tolerance, rtol=tolerance)


IN_PLACE = ["add_", "sub_", "mul_", "div_", "floor_divide_", "remainder_", "fmod_", "pow_", "atan2_", "hypot_",
            "bitwise_and_", "bitwise_left_shift_", "clamp_", "maximum_", "eq_", "logical_and_"]


@pytest.mark.parametrize("other", ALL_DTYPES + [2, 1.5, True])
@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("name", IN_PLACE)
def test_in_place_binary_methods_match_torch_for_every_dtype_pair(name, dtype, other):
    # self keeps its dtype; a promoted dtype it cannot hold is a cast error, raised before any kernel error
    def call(lib, t, *o):
        return getattr(t, name)(*(o or (other,))) is t and t
    x = grid_values((2, 3), dtype, seed=7)
    if isinstance(other, str):
        y = grid_values((3,), other, seed=8)
        y[y == 0] = 1  # integer division by zero is tested elsewhere
        same_outcome(call, x, y, atol=1e-2, rtol=1e-2)
    else:
        same_outcome(call, x, atol=1e-2, rtol=1e-2)


@pytest.mark.parametrize("exponent", [False, True, 0, 0.0])
def test_pow_gradient_at_exponent_0_matches_torch_also_for_bool(exponent):
    # torch zeroes the gradient for a number 0 but not for False (0 * nan**-1 stays NaN)
    assert_matches_torch(lambda L, a: a ** exponent, np.array([np.nan, 1.0, 0.0]))


def test_div_and_pow_gradients_overflow_in_float16_where_torchs_do():
    # torch's groupings: -grad * ((a / b) / b), number / b as b.reciprocal() * number, grad * (a**b * log a)
    a = np.array([1.4814453125, -0.369873046875, 2.73828125, 0.0019512176513671875], np.float16)
    b = np.array([0.056182861328125, 0.75, 1.5, 0.001], np.float16)
    for call in (lambda L, x, y: x / y, lambda L, x, y: 0.5 / x, lambda L, x, y: y ** (x * 0 - 3.560546875),
                 lambda L, x, y: 2.0 ** (x * 9)):
        same_outcome(call, a, b)
        ours, theirs = [], []
        for lib, grads in ((minitorch, ours), (torch, theirs)):
            x, y = lib.tensor(a, requires_grad=True), lib.tensor(b, requires_grad=True)
            call(lib, x, y).backward(lib.tensor(np.full(4, 0.7, np.float16)))
            grads += [None if t.grad is None else t.grad.float().numpy() for t in (x, y)]
        for m, t in zip(ours, theirs):
            assert (m is None) == (t is None)
            if m is not None:
                assert np.array_equal(np.isinf(m), np.isinf(t)) and np.allclose(m, t, rtol=2e-3, equal_nan=True)


def test_pow_gradient_takes_exponent_minus_one_in_the_exponents_dtype_like_torch():
    # a float16 exponent beside a float32 base: torch rounds b - 1 to float16 inside the base's gradient
    a = np.array([[1.1809825897216797], [2.2684693336486816]], np.float32)
    b = np.array([[2.45703125], [-1.2275390625]], np.float16)
    assert_matches_torch(lambda L, x, y: x ** y, a, b, atol=1e-7, rtol=1e-6)



SCALAR_SECOND = {"mul": lambda L, x, s: x * s, "div": lambda L, x, s: x / s,
                 "floor_divide": lambda L, x, s: x.detach() // (s.detach() if isinstance(s, L.Tensor) else s) + x,
                 "div_trunc": lambda L, x, s: L.div(x, s, rounding_mode="trunc"), "add": lambda L, x, s: x + s}


@pytest.mark.parametrize("kind,value", [(kind, value) for kind in ("number", "float32", "float64", "int64")
                                        for value in (0.1, 1 / 3, 7.77, 2049)
                                        if kind != "int64" or isinstance(value, int)])  # int64 holds integers only
@pytest.mark.parametrize("name", sorted(SCALAR_SECOND))
def test_float16_with_a_single_value_operand_is_exact_like_torch(name, value, kind):
    # torch's mul and div kernels read a number or 0-d tensor after a float16 tensor in float32 and
    # round once (0.1 and 2049 are not float16 values); add rounds it to float16 first. Exact match.
    x = np.random.default_rng(0).standard_normal(300).astype(np.float16) * 3
    results = []
    for L in (minitorch, torch):
        a = L.tensor(x, requires_grad=True)
        s = value if kind == "number" else L.tensor(value, dtype=getattr(L, kind), requires_grad=kind != "int64")
        out = SCALAR_SECOND[name](L, a, s)
        out.backward(L.tensor(np.linspace(-1, 1, 300), dtype=L.float16))
        results.append([out.detach().float().numpy(), a.grad.float().numpy()]
                       + ([s.grad.item()] if isinstance(s, L.Tensor) and s.grad is not None else []))
    (out_m, grad_m, *sgrad_m), (out_t, grad_t, *sgrad_t) = results
    assert np.array_equal(out_m, out_t, equal_nan=True)
    assert np.array_equal(grad_m, grad_t, equal_nan=True)
    assert np.allclose(sgrad_m, sgrad_t, rtol=1e-2)  # a float16 sum: torch accumulates in float32


@pytest.mark.parametrize("weight", [0.1, 7.77, 1 / 3])
def test_lerp_computes_float16_in_float32_with_a_number_weight_like_torch(weight):
    x, y = np.random.default_rng(1).standard_normal((2, 300)).astype(np.float16) * 3
    outs = [L.lerp(L.tensor(x), L.tensor(y), weight).float().numpy() for L in (minitorch, torch)]
    assert np.array_equal(*outs)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("weight", ["tensor", 0.3, 0.7, 1.0])
def test_lerp_rounds_once_like_torchs_fused_multiply_add(weight, dtype):
    # torch's kernel is one FMA per element (weight * diff + start, or (weight - 1) * diff + end):
    # two roundings would leave about a fifth of these float32/float64 results 1 ulp off
    rng = np.random.default_rng(2)
    x, y = (rng.standard_normal((2, 4000)) * 3).astype(dtype)
    w = (rng.random(4000) * 2 - 0.5).astype(dtype)
    specials = np.array([np.inf, -np.inf, np.nan, 0.0, 1e4], dtype)
    x, y, w = np.concatenate([x, np.repeat(specials, 5)]), np.concatenate([y, np.tile(specials, 5)]), np.resize(w, 4025)
    outs = [L.lerp(L.tensor(x), L.tensor(y), L.tensor(w) if weight == "tensor" else weight).numpy()
            for L in (minitorch, torch)]
    assert np.array_equal(*outs, equal_nan=True)


@pytest.mark.parametrize("dtype", ["float64", "int64", "float16"])
def test_lerp_takes_a_0d_weight_of_any_dtype_like_torch(dtype):
    assert_matches_torch(lambda L, a, b, w: L.lerp(a, b, w), np.array([1.0, -2.0], np.float32),
                         np.array([3.0, 0.5], np.float32), np.array(0.25 if dtype != "int64" else 1, dtype))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("number", [3.7, 2049.0, 0.1])
@pytest.mark.parametrize("form", ["div", "operator", "reciprocal"])
def test_a_number_divided_by_a_tensor_is_bit_exact_with_torch(form, number, dtype):
    """torch.div(n, t) divides (the number in t's dtype); n / t is t.reciprocal() * n; gradients group as torch's."""
    x = np.random.RandomState(0).uniform(0.5, 1.5, 2000).astype(dtype)
    calls = {"div": lambda L, t: L.div(number, t), "operator": lambda L, t: number / t,
             "reciprocal": lambda L, t: t.reciprocal()}
    results = []
    for L in (torch, minitorch):
        t = L.tensor(x, requires_grad=True)
        y = calls[form](L, t)
        y.backward(L.ones_like(y) * 1.3)
        results.append((y.detach().numpy(), t.grad.numpy(), y.grad_fn.name()))
    (ty, tg, tname), (my, mg, mname) = results
    assert mname == tname
    np.testing.assert_array_equal(my, ty)
    np.testing.assert_array_equal(mg, tg)


def test_an_int_base_wraps_into_the_integer_exponents_dtype_like_torch():
    # torch converts a number base to the exponent's dtype without an overflow check (2049 -> 1 in uint8);
    # a number exponent beside an integer tensor is checked
    for base, dtype in [(2049, np.uint8), (-300, np.int8), (2**40, np.int32), (3, np.int64)]:
        same_outcome(lambda L, e: L.pow(base, e), np.array([7, 2, 0], dtype))
    same_error(lambda L, a: a ** 2049, np.array([7], np.uint8))


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int8", "int64", "uint8", "bool"])
@pytest.mark.parametrize("op", ["sign", "sgn"])
def test_sign_of_nan_zeros_and_infinities_like_torch(op, dtype):
    # torch: sign(NaN) = 0 and sign(-0.0) = +0.0 for floats (numpy gives NaN and -0.0)
    values = [np.nan, -0.0, 0.0, -np.inf, np.inf, -2.5, 3] if dtype.startswith("float") else [0, 1, 3, 5]
    a = np.array(values).astype(dtype)
    same_outcome(lambda L, t: getattr(L, op)(t), a)
    same_outcome(lambda L, t: str(getattr(L, op)(t).tolist()), a)  # -0.0 prints as -0.0


@pytest.mark.parametrize("p", [1, float("inf"), 3])
def test_norm_gradient_at_nan_takes_sign_zero_like_torch(p):
    assert_matches_torch(lambda L, t: L.linalg.vector_norm(t, p), np.array([np.nan, -1.0, 0.0, 2.0]))
