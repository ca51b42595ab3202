"""Elementwise binary and unary ops: broadcasting, type promotion across all dtypes and
Python scalars, NaN/inf, gradients and error classes compared with torch."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from differential_harness import DTYPES, FLOATS, compare, random_array, shapes
from known import is_known

BINARY = {
    "add": lambda L, a, b: L.add(a, b), "sub": lambda L, a, b: a - b, "mul": lambda L, a, b: a * b,
    "div": lambda L, a, b: a / b, "floor_divide": lambda L, a, b: a // b,
    "remainder": lambda L, a, b: a % b, "pow": lambda L, a, b: a ** b,
    "atan2": lambda L, a, b: L.atan2(a, b), "maximum": lambda L, a, b: L.maximum(a, b),
    "minimum": lambda L, a, b: L.minimum(a, b), "eq": lambda L, a, b: a == b,
    "lt": lambda L, a, b: a < b, "ge": lambda L, a, b: a >= b,
    "logical_and": lambda L, a, b: L.logical_and(a, b), "bitwise_and": lambda L, a, b: a & b,
    "bitwise_xor": lambda L, a, b: a ^ b, "add_alpha": lambda L, a, b: L.add(a, b, alpha=2),
    "where": lambda L, a, b: L.where(a > 0 if a.dtype != L.bool else a, a, b),
}

UNARY = {
    "neg": lambda L, a: -a, "abs": lambda L, a: L.abs(a), "exp": lambda L, a: L.exp(a),
    "log": lambda L, a: L.log(a), "sqrt": lambda L, a: L.sqrt(a), "sin": lambda L, a: L.sin(a),
    "tanh": lambda L, a: L.tanh(a), "sigmoid": lambda L, a: L.sigmoid(a),
    "floor": lambda L, a: L.floor(a), "round": lambda L, a: L.round(a),
    "round_decimals": lambda L, a: L.round(a, decimals=1), "sign": lambda L, a: L.sign(a),
    "reciprocal": lambda L, a: L.reciprocal(a), "rsqrt": lambda L, a: L.rsqrt(a),
    "log1p": lambda L, a: L.log1p(a), "expm1": lambda L, a: L.expm1(a), "erf": lambda L, a: L.erf(a),
    "relu": lambda L, a: L.relu(a), "clamp": lambda L, a: L.clamp(a, -1, 1),
    "clamp_bounds": lambda L, a: L.clamp(a.round() if a.dtype.is_floating_point else a, -1, 1),
    "square": lambda L, a: L.square(a), "bitwise_not": lambda L, a: ~a,
    "logical_not": lambda L, a: L.logical_not(a), "isnan": lambda L, a: L.isnan(a),
    "nan_to_num": lambda L, a: L.nan_to_num(a), "trunc": lambda L, a: L.trunc(a),
}

INTEGERS = {"uint8", "int8", "int16", "int32", "int64"}


def _broadcastable(case) -> bool:
    try:
        np.broadcast_shapes(case["shape_a"], case["shape_b"])
        return True
    except ValueError:
        return False


def _operand_dtypes(case) -> set:
    return {case["dtype_a"]} | ({type(case["b_scalar"]).__name__} if case["b_is_scalar"] else {case["dtype_b"]})


KNOWN_BINARY = [
    ("add(alpha=2) with a bool operand: torch keeps the promoted dtype (bool+bool -> bool, "
     "int8+bool -> int8); minitorch returns int64",
     lambda c: c["op"] == "add_alpha" and "bool" in _operand_dtypes(c)),
    ("atan2 of an integer tensor and a float tensor: the float operand's gradient is wrong; with "
     "float32 and float64 operands the float64 gradient is off by 1e-10",
     lambda c: c["op"] == "atan2" and not c["b_is_scalar"] and c["dtype_a"] != c["dtype_b"]),
    ("atan2/maximum/minimum/logical_and(python_scalar, tensor): torch raises TypeError "
     "(input must be Tensor); minitorch computes or raises AttributeError",
     lambda c: c["swap"] and c["b_is_scalar"] and c["op"] in ("atan2", "maximum", "minimum", "logical_and")),
    ("bitwise_*/pow/remainder/floor_divide on unsupported dtypes with non-broadcastable shapes: torch "
     "raises the shape RuntimeError first, minitorch NotImplementedError for the dtype",
     lambda c: c["op"] in ("bitwise_and", "bitwise_xor", "pow", "remainder", "floor_divide")
     and not c["b_is_scalar"] and not _broadcastable(c)),
    ("integer floor_divide/remainder by a zero bool/int into an empty result: torch returns the empty "
     "tensor, minitorch raises ZeroDivisionError",
     lambda c: c["op"] in ("floor_divide", "remainder") and (0 in c["shape_a"] or 0 in c["shape_b"])),
    ("signed with unsigned integers (uint8 / int16 scalar tensor ...): minitorch computes in uint8 "
     "and wraps around; torch promotes to the signed type",
     lambda c: c["op"] in ("div", "floor_divide", "remainder", "pow", "atan2", "sub")
     and "uint8" in _operand_dtypes(c) and _operand_dtypes(c) & (INTEGERS - {"uint8"})),
]
KNOWN_UNARY = [
    ("clamp(-1, 1) of a uint8 tensor: torch compares in the promoted type and gives 0/1; minitorch "
     "wraps -1 to 255", lambda c: c["op"] in ("clamp", "clamp_bounds") and c["dtype"] == "uint8"),
    ("reciprocal's float16 gradient: torch computes -g * y * y in float16 (inf for |x| < 0.004), "
     "minitorch stays finite", lambda c: c["op"] == "reciprocal" and c["dtype"] == "float16"),
    ("round(decimals=1) in float16: torch scales in float16 (2.0 -> 2.0 exactly, -3.55 -> -3.5); "
     "minitorch differs by up to 0.1", lambda c: c["op"] == "round_decimals" and c["dtype"] == "float16"),
]

scalar = st.one_of(st.booleans(), st.integers(-3, 3), st.sampled_from([0.5, -1.5, 2.0, 0.0]))


@given(op=st.sampled_from(sorted(BINARY)), shape_a=shapes(), shape_b=shapes(max_dims=2),
       dtype_a=st.sampled_from(DTYPES), dtype_b=st.sampled_from(DTYPES), seed=st.integers(0, 2**16),
       b_is_scalar=st.booleans(), b_scalar=scalar, swap=st.booleans())
def test_binary(op, shape_a, shape_b, dtype_a, dtype_b, seed, b_is_scalar, b_scalar, swap):
    if is_known(KNOWN_BINARY, op=op, dtype_a=dtype_a, dtype_b=dtype_b, b_is_scalar=b_is_scalar,
                b_scalar=b_scalar, swap=swap, shape_a=shape_a, shape_b=shape_b):
        return
    a = random_array(seed, shape_a, dtype_a)
    b = b_scalar if b_is_scalar else random_array(seed + 1, shape_b, dtype_b)
    fn = BINARY[op]
    call = (lambda L, x, y: fn(L, y, x)) if swap and b_is_scalar else fn
    compare(op, call, [a, b], code=f"{op}({'b, a' if swap and b_is_scalar else 'a, b'})", weight_seed=seed)


@given(op=st.sampled_from(sorted(UNARY)), shape=shapes(), dtype=st.sampled_from(DTYPES),
       seed=st.integers(0, 2**16))
def test_unary(op, shape, dtype, seed):
    if is_known(KNOWN_UNARY, op=op, dtype=dtype):
        return
    compare(op, UNARY[op], [random_array(seed, shape, dtype)], code=op, weight_seed=seed)


@given(op=st.sampled_from(["exp", "log", "sqrt", "tanh", "sigmoid", "abs", "round_decimals"]),
       shape=shapes(min_dims=1, min_side=1), dtype=st.sampled_from(FLOATS), seed=st.integers(0, 2**16))
def test_unary_on_floats(op, shape, dtype, seed):
    # the float-only ops get extra examples: the gradients are where the differences hide
    if is_known(KNOWN_UNARY, op=op, dtype=dtype):
        return
    compare(op, UNARY[op], [random_array(seed, shape, dtype)], code=op, weight_seed=seed)
