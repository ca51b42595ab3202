"""Shared test helpers: run the same code under minitorch and torch and compare.

    def test_mul():
        assert_matches_torch(lambda lib, a, b: a * b, randn(2, 3), randn(3))

`fn(lib, *tensors)` is called once with `lib=minitorch` and tensors built from the given
numpy arrays, once with `lib=torch` and the same values. Outputs (values, shapes, dtypes)
and the gradients of every floating input (under a fixed random upstream gradient) must
agree.
"""
from __future__ import annotations

import os
import sys

import numpy as np
import pytest
import torch

import minitorch

sys.path.insert(0, os.path.dirname(__file__))


def passes_in_a_forked_child(check) -> bool:
    """Whether check() returns True in a child process forked from this one (within 120 s)."""
    import multiprocessing

    def child():
        os._exit(0 if check() else 1)

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(120)
    if process.is_alive():
        process.kill()
    return process.exitcode == 0


def randn(*shape, dtype=np.float32, seed=None):
    """A numpy array of normal samples (a test input)."""
    rng = np.random.default_rng(seed if seed is not None else sum(shape) * 7919 + len(shape))
    return rng.standard_normal(shape).astype(dtype)


def to_torch_dtype(dt):
    return getattr(torch, dt.name)


def _outputs(out):
    if isinstance(out, (tuple, list)):
        return [o for o in out if isinstance(o, (minitorch.Tensor, torch.Tensor))]
    return [out]


def assert_close(mt, ref, atol=1e-5, rtol=1e-4, check_dtype=True):
    """Compare a minitorch tensor with a torch tensor: shape, dtype and values."""
    assert isinstance(mt, minitorch.Tensor), f"expected a minitorch Tensor, got {type(mt)}"
    assert tuple(mt.shape) == tuple(ref.shape), f"shape {tuple(mt.shape)} != torch's {tuple(ref.shape)}"
    if check_dtype:
        assert mt.dtype.name == str(ref.dtype).replace("torch.", ""), f"dtype {mt.dtype} != torch's {ref.dtype}"
    np.testing.assert_allclose(mt.detach().numpy().astype(np.float64),
                               ref.detach().numpy().astype(np.float64), atol=atol, rtol=rtol)


def assert_matches_torch(fn, *arrays, atol=1e-5, rtol=1e-4, grad=True, check_dtype=True, kwargs=None):
    """Run fn under both libraries on the same inputs; compare outputs and input gradients."""
    kwargs = kwargs or {}
    mt_in = [minitorch.tensor(a, requires_grad=grad and a.dtype.kind == "f") if isinstance(a, np.ndarray) else a
             for a in arrays]
    th_in = [torch.tensor(a, requires_grad=grad and a.dtype.kind == "f") if isinstance(a, np.ndarray) else a
             for a in arrays]
    mt_out = _outputs(fn(minitorch, *mt_in, **kwargs))
    th_out = _outputs(fn(torch, *th_in, **kwargs))
    assert len(mt_out) == len(th_out)
    for m, t in zip(mt_out, th_out):
        assert_close(m, t, atol, rtol, check_dtype)
    if not grad:
        return
    differentiable = [(m, t) for m, t in zip(mt_out, th_out) if t.requires_grad]
    if not differentiable:
        return
    weights = [randn(*t.shape, dtype=np.float64, seed=7) for _, t in differentiable]
    mt_loss = sum((m * minitorch.tensor(w, dtype=m.dtype)).sum() for (m, _), w in zip(differentiable, weights))
    th_loss = sum((t * torch.tensor(w, dtype=t.dtype)).sum() for (_, t), w in zip(differentiable, weights))
    inputs = [(m, t) for m, t in zip(mt_in, th_in) if isinstance(t, torch.Tensor) and t.requires_grad]
    th_grads = torch.autograd.grad(th_loss, [t for _, t in inputs], allow_unused=True)
    mt_grads = minitorch.autograd.grad(mt_loss, [m for m, _ in inputs], allow_unused=True)
    for i, (mg, tg) in enumerate(zip(mt_grads, th_grads)):
        if tg is None:
            assert mg is None or np.all(mg.numpy() == 0), f"input {i}: torch gives no gradient"
        else:
            assert mg is not None, f"input {i}: minitorch gave no gradient"
            assert_close(mg, tg, atol, rtol, check_dtype)


def gradcheck(fn, *arrays, **kwargs):
    """minitorch.autograd.gradcheck of fn(minitorch, *float64 tensors)."""
    inputs = [minitorch.tensor(a.astype(np.float64), requires_grad=True) if isinstance(a, np.ndarray)
              and a.dtype.kind == "f" else a for a in arrays]
    assert minitorch.autograd.gradcheck(lambda *xs: fn(minitorch, *xs), inputs, **kwargs)


@pytest.fixture(autouse=True)
def _seed():
    minitorch.manual_seed(0)
    torch.manual_seed(0)
    yield


def printed(snippet, lib, **names):
    """What `snippet` (dedented) prints when run with `torch` naming `lib` (`nn`, `F`, `init`
    name its nn parts, `np` numpy), both random generators seeded with 0; `names` are extra
    globals shared by both runs."""
    import contextlib
    import io
    import textwrap
    lib.manual_seed(0)
    np.random.seed(0)
    namespace = {"torch": lib, "nn": lib.nn, "F": lib.nn.functional, "init": lib.nn.init, "np": np, **names}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(textwrap.dedent(snippet), namespace)
    return out.getvalue()


def assert_prints_like_torch(snippet, **names):
    """`snippet` prints something, and the same thing under minitorch as under torch."""
    expected = printed(snippet, torch, **names)
    assert expected.strip(), "the snippet printed nothing under torch"
    got = printed(snippet, minitorch, **names)
    assert got == expected, f"\nminitorch printed:\n{got}\ntorch printed:\n{expected}"


# ----- elementwise op helpers (tests/ops/test_arithmetic.py, test_math.py, test_compare.py) ---------
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
    if isinstance(expected, tuple):  # (values, indices), (var, mean), ...: element by element
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            assert_close(g, e, atol, rtol)
    elif isinstance(expected, torch.Tensor):
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


# input domains: arrays mapped into where a function is defined and differentiable
def positive(x):
    """log, sqrt, ... domains."""
    return np.asarray(np.abs(x) + 0.5, x.dtype)


def unit(x):
    """asin, acos, atanh domains: inside (-1, 1)."""
    return np.asarray(np.tanh(x) * 0.9, x.dtype)


def above_one(x):
    """acosh's domain."""
    return np.asarray(np.abs(x) + 1.5, x.dtype)


def anything(x):
    return x


def away_from_zero(y):
    """Divisors: at least 0.5 from zero."""
    return np.asarray(np.sign(y) * (np.abs(y) + 0.5), y.dtype)


BROADCASTS = [((3, 4), (3, 4)), ((3, 1), (1, 4)), ((2, 3), (3,)), ((), (2, 3)), ((4,), ()), ((2, 1, 3), (4, 1))]


def _flatten(out):
    if isinstance(out, (tuple, list)):
        return tuple(t for o in out for t in _flatten(o))
    return (out,)


def check_results(fn, *arrays, **kwargs):
    """assert_matches_torch on every tensor of fn's (possibly nested, e.g. named-tuple) results."""
    assert_matches_torch(lambda L, *xs: _flatten(fn(L, *xs)), *arrays, **kwargs)


# ----- case tables: rows of (id, fn(lib, *tensors), input shapes), one test run per row -----------
CASE_DTYPES = [np.float32, np.float64, np.int64]


def over_cases(cases):
    """Parametrize a test over a case table: each run gets a row's `fn` and `shapes`, named by its id.

        @over_cases([("flip", lambda L, x: x.flip(0), [(2, 3)])])
        def test_gradcheck(fn, shapes):
            gradcheck(fn, *case_inputs(shapes, np.float64))
    """
    return pytest.mark.parametrize("fn,shapes", [pytest.param(fn, shapes, id=name) for name, fn, shapes in cases])


def case_inputs(shapes, dtype):
    """One input array per shape: normal samples times 5 (so an integer dtype still gets distinct
    values), seeded by position, cast to `dtype`."""
    return [(randn(*s, seed=i) * 5).astype(dtype) for i, s in enumerate(shapes)]


def case_table_tests(cases, grad_inputs=lambda shapes: case_inputs(shapes, np.float64)):
    """The two tests a case table gets, to bind at module level:

        test_matches_torch, test_gradcheck = case_table_tests(CASES)

    values, dtypes and shapes against torch for each of CASE_DTYPES, and gradcheck on
    `grad_inputs(shapes)` (float64 samples unless given)."""
    @pytest.mark.parametrize("dtype", CASE_DTYPES)
    @over_cases(cases)
    def test_matches_torch(fn, shapes, dtype):
        assert_matches_torch(fn, *case_inputs(shapes, dtype))

    @over_cases(cases)
    def test_gradcheck(fn, shapes):
        gradcheck(fn, *grad_inputs(shapes))

    return test_matches_torch, test_gradcheck


def distinct_inputs(shapes):
    """float64 inputs whose values are all distinct and at least 0.25 from zero, so gradcheck's
    finite-difference steps neither create ties (amax, amin) nor flip masks such as `x > 0`."""
    return [np.arange(np.prod(s), dtype=np.float64).reshape(s) * (0.5 + i) - 2.25 for i, s in enumerate(shapes)]


# ----- the dtype x dtype x shape grid (differential tests of elementwise ops and reductions) ---------
ALL_DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
# pairs of operand shapes: equal, broadcasting, 0-d beside n-d (a 0-d tensor is "weak" in promotion), empty
GRID_SHAPES = [((4,), (4,)), ((2, 1, 3), (2, 3)), ((), (4,)), ((4,), ()), ((), ()), ((0,), (0,)), ((0, 3), (3,))]
GRID_SCALARS = [True, False, 0, 3, -2, 2.5, -0.5]


def grid_values(shape, dtype, seed=0, special=True):
    """Test values of a dtype that reach the awkward cases: negatives (-6..6) for signed types, zeros,
    0..12 for uint8, and floats with halves, zeros and (if `special` and there is room) inf and nan."""
    rng = np.random.default_rng(seed * 31 + len(shape))
    if dtype == "bool":
        return np.asarray(rng.random(shape) < 0.5)
    if dtype.startswith("float"):
        values = rng.integers(-12, 13, size=shape) / 2.0
        if special and values.size >= 4:
            values.flat[-1], values.flat[-2] = np.inf, np.nan
        return np.asarray(values, dtype)
    low = 0 if dtype == "uint8" else -6
    return np.asarray(rng.integers(low, low + 13, size=shape), dtype)


def same_outcome_over_grid(fn, da, db, seed=0):
    """same_outcome of fn(lib, a, b) for operands of dtypes da and db over GRID_SHAPES, and with each
    operand replaced by each of GRID_SCALARS (a Python number on either side)."""
    loose = {"atol": 1e-2, "rtol": 1e-2} if "float16" in (da, db) else {}
    for shape_a, shape_b in GRID_SHAPES:
        same_outcome(fn, grid_values(shape_a, da, seed), grid_values(shape_b, db, seed + 1), **loose)
    for scalar in GRID_SCALARS:
        same_outcome(fn, grid_values((2, 3), da, seed), scalar, **loose)
        same_outcome(fn, scalar, grid_values((2, 3), db, seed), **loose)


REDUCTION_SHAPES = [(), (0,), (3, 0), (2, 3), (3, 1, 2)]
REDUCTION_DIMS = [{}, {"dim": 0}, {"dim": -1, "keepdim": True}, {"dim": (0, 1)}, {"dim": 5}]


def same_reduction_over_grid(name, input_dtype, dims, out_dtypes=(None,)):
    """same_outcome of lib.<name>(x, **dims, dtype=out) for every out dtype, over REDUCTION_SHAPES:
    values, dtypes, shapes, or torch's error class (bad dims, empty inputs, dtype checks)."""
    for out in out_dtypes:
        kwargs = dict(dims, **({"dtype": out} if out else {}))
        for shape in REDUCTION_SHAPES:
            # a float inf or nan converted to an integer dtype is undefined in C: keep those away
            special = out is None or out.startswith("float")
            x = grid_values(shape, input_dtype, seed=1, special=special)
            same_outcome(lambda lib, t: getattr(lib, name)(t, **{k: getattr(lib, v) if k == "dtype" else v
                                                                  for k, v in kwargs.items()}),
                         x, atol=1e-2 if "float16" in (input_dtype, out) else 1e-5, rtol=1e-2)


def same_unary_over_grid(fn, dtype, **tolerances):
    """same_outcome of fn(lib, x) for x of `dtype` over REDUCTION_SHAPES (0-d, empty, 1-3 dims)."""
    for shape in REDUCTION_SHAPES:
        same_outcome(fn, grid_values(shape, dtype, seed=2), **tolerances)
