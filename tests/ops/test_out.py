"""torch's out= keyword (`writes_out` in _ops/inplace.py) against torch, over a grid of ops:
values, dtype and shape written, the very `out` object returned, resizing (with torch's
deprecation warning when out had elements), the dtype each op accepts, the autograd refusal."""
import warnings

import numpy as np
import pytest
import torch

import minitorch
from conftest import randn

X, Y = randn(3, 4), randn(3, 4, seed=1)
V, W = randn(4, seed=2), randn(4, seed=3)
M, B3 = randn(4, 2, seed=4), randn(2, 3, 4, seed=5)
INTS = np.arange(12, dtype=np.int64).reshape(3, 4) - 5
MASK = X > 0

# name: (fn(lib, *inputs, out=...), inputs)
SINGLE = {
    "add": (lambda lib, a, b, out: lib.add(a, b, out=out), (X, Y)),
    "add_alpha": (lambda lib, a, b, out: lib.add(a, b, alpha=2, out=out), (X, Y)),
    "add_ints": (lambda lib, a, b, out: lib.add(a, b, out=out), (INTS, INTS)),
    "sub": (lambda lib, a, b, out: lib.sub(a, b, out=out), (X, Y)),
    "mul_scalar": (lambda lib, a, out: lib.mul(a, 3, out=out), (INTS,)),
    "div": (lambda lib, a, b, out: lib.div(a, b, out=out), (X, Y)),
    "div_ints": (lambda lib, a, out: lib.div(a, 3, out=out), (INTS,)),
    "div_floor": (lambda lib, a, out: lib.div(a, 3, rounding_mode="floor", out=out), (INTS,)),
    "pow": (lambda lib, a, out: lib.pow(a, 2, out=out), (X,)),
    "neg": (lambda lib, a, out: lib.neg(a, out=out), (X,)),
    "abs": (lambda lib, a, out: lib.abs(a, out=out), (X,)),
    "floor": (lambda lib, a, out: lib.floor(a, out=out), (X,)),
    "round": (lambda lib, a, out: lib.round(a, decimals=1, out=out), (X,)),
    "exp": (lambda lib, a, out: lib.exp(a, out=out), (X,)),
    "exp_ints": (lambda lib, a, out: lib.exp(a, out=out), (INTS,)),
    "sin": (lambda lib, a, out: lib.sin(a, out=out), (X,)),
    "sigmoid": (lambda lib, a, out: lib.sigmoid(a, out=out), (X,)),
    "atan2": (lambda lib, a, b, out: lib.atan2(a, b, out=out), (X, Y)),
    "nan_to_num": (lambda lib, a, out: lib.nan_to_num(a, out=out), (X,)),
    "eq": (lambda lib, a, b, out: lib.eq(a, b, out=out), (X, Y)),
    "lt": (lambda lib, a, b, out: lib.lt(a, b, out=out), (X, Y)),
    "logical_and": (lambda lib, a, b, out: lib.logical_and(a, b, out=out), (X, Y)),
    "maximum": (lambda lib, a, b, out: lib.maximum(a, b, out=out), (X, Y)),
    "clamp": (lambda lib, a, out: lib.clamp(a, -0.5, 0.5, out=out), (X,)),
    "where": (lambda lib, c, a, b, out: lib.where(c, a, b, out=out), (MASK, X, Y)),
    "lerp": (lambda lib, a, b, out: lib.lerp(a, b, 0.3, out=out), (X, Y)),
    "sum": (lambda lib, a, out: lib.sum(a, 1, out=out), (X,)),
    "sum_ints": (lambda lib, a, out: lib.sum(a, 0, keepdim=True, out=out), (INTS,)),
    "mean": (lambda lib, a, out: lib.mean(a, 0, out=out), (X,)),
    "prod": (lambda lib, a, out: lib.prod(a, 1, out=out), (X,)),
    "std": (lambda lib, a, out: lib.std(a, 1, out=out), (X,)),
    "var": (lambda lib, a, out: lib.var(a, 0, correction=0, out=out), (X,)),
    "amax": (lambda lib, a, out: lib.amax(a, 1, out=out), (X,)),
    "amin": (lambda lib, a, out: lib.amin(a, 0, out=out), (X,)),
    "logsumexp": (lambda lib, a, out: lib.logsumexp(a, 1, out=out), (X,)),
    "softmax": (lambda lib, a, out: lib.softmax(a, 1, out=out), (X,)),
    "any": (lambda lib, a, out: lib.any(a, 1, out=out), (X,)),
    "argmax": (lambda lib, a, out: lib.argmax(a, 1, out=out), (X,)),
    "cumsum": (lambda lib, a, out: lib.cumsum(a, 1, out=out), (X,)),
    "cumprod_ints": (lambda lib, a, out: lib.cumprod(a, 0, out=out), (INTS,)),
    "matmul": (lambda lib, a, b, out: lib.matmul(a, b, out=out), (X, M)),
    "mm": (lambda lib, a, b, out: lib.mm(a, b, out=out), (X, M)),
    "bmm": (lambda lib, a, b, out: lib.bmm(a, b.transpose(1, 2), out=out), (B3, B3)),
    "mv": (lambda lib, a, v, out: lib.mv(a, v, out=out), (X, V)),
    "dot": (lambda lib, v, w, out: lib.dot(v, w, out=out), (V, W)),
    "addmm": (lambda lib, a, m, out: lib.addmm(a[:, :2], a, m, beta=0.5, out=out), (X, M)),
    "outer": (lambda lib, v, w, out: lib.outer(v, w, out=out), (V, W)),
    "tensordot": (lambda lib, a, m, out: lib.tensordot(a, m, 1, out=out), (X, M)),
    "norm": (lambda lib, a, out: lib.norm(a, dim=1, out=out), (X,)),
    "tril": (lambda lib, a, out: lib.tril(a, out=out), (X,)),
    "cat": (lambda lib, a, b, out: lib.cat([a, b], 1, out=out), (X, Y)),
    "stack": (lambda lib, a, b, out: lib.stack([a, b], out=out), (X, Y)),
    "hstack": (lambda lib, a, b, out: lib.hstack([a, b], out=out), (X, Y)),
    "vstack": (lambda lib, v, w, out: lib.vstack([v, w], out=out), (V, W)),
    "index_select": (lambda lib, a, out: lib.index_select(a, 1, lib.tensor([2, 0]), out=out), (X,)),
    "gather": (lambda lib, a, out: lib.gather(a, 1, lib.tensor([[1], [0], [3]]), out=out), (X,)),
    "masked_select": (lambda lib, a, m, out: lib.masked_select(a, m, out=out), (X, MASK)),
    "addmv": (lambda lib, a, v, out: lib.addmv(a[:, 0], a, v, alpha=2, out=out), (X, V)),
    "baddbmm": (lambda lib, b, out: lib.baddbmm(b[:, :, :3], b, b.transpose(1, 2), beta=0.5, out=out), (B3,)),
    "addbmm": (lambda lib, b, out: lib.addbmm(b[0, :, :3], b, b.transpose(1, 2), out=out), (B3,)),
    "logcumsumexp": (lambda lib, a, out: lib.logcumsumexp(a, 1, out=out), (X,)),
    "isposinf": (lambda lib, a, out: lib.isposinf(a / 0, out=out), (X,)),
    "isneginf": (lambda lib, a, out: lib.isneginf(a / 0, out=out), (X,)),
    "signbit": (lambda lib, a, out: lib.signbit(a, out=out), (X,)),
    "logit": (lambda lib, a, out: lib.logit(a.sigmoid(), out=out), (X,)),
    "scatter": (lambda lib, a, b, out: lib.scatter(a, 1, lib.tensor([[1], [0], [3]]), b, out=out), (X, Y)),
    "scatter_value": (lambda lib, a, out: lib.scatter(a, 0, lib.tensor([[2, 0, 1, 1]]), 7.0, out=out), (X,)),
    "scatter_add": (lambda lib, a, b, out: lib.scatter_add(a, 0, lib.tensor([[2, 0, 2, 1]]), b, out=out), (X, Y)),
    "scatter_reduce": (lambda lib, a, b, out: lib.scatter_reduce(a, 1, lib.tensor([[1, 1], [0, 2], [3, 3]]), b,
                                                                 "amax", out=out), (X, Y)),
    "index_add": (lambda lib, a, b, out: lib.index_add(a, 0, lib.tensor([2, 0, 2]), b, alpha=3, out=out), (X, Y)),
    "index_copy": (lambda lib, a, b, out: lib.index_copy(a, 1, lib.tensor([3, 1, 0, 2]), b, out=out), (X, Y)),
    "take_along_dim": (lambda lib, a, out: lib.take_along_dim(a, lib.tensor([[1], [0], [3]]), 1, out=out), (X,)),
}
# ops whose result is (values, indices): out is a pair
PAIRS = {
    "max_dim": (lambda lib, a, out: lib.max(a, 1, out=out), (X,)),
    "min_dim": (lambda lib, a, out: lib.min(a, 0, keepdim=True, out=out), (X,)),
    "sort": (lambda lib, a, out: lib.sort(a, 1, descending=True, out=out), (X,)),
    "topk": (lambda lib, a, out: lib.topk(a, 2, out=out), (X,)),
    "kthvalue": (lambda lib, a, out: lib.kthvalue(a, 2, 1, out=out), (X,)),
    "median": (lambda lib, a, out: lib.median(a, 1, out=out), (X,)),
    "mode": (lambda lib, a, out: lib.mode(a.round(), 1, out=out), (X,)),
    "cummax": (lambda lib, a, out: lib.cummax(a, 1, out=out), (X,)),
    "cummin": (lambda lib, a, out: lib.cummin(a, 0, out=out), (X,)),
}
# torch words these refusals its own way per op (or per output); the error type still matches
MESSAGE_DIFFERS = {"logsumexp", "mv", "kthvalue", "median", "mode", "cumsum", "cumprod_ints"}
DTYPES = ["float32", "float64", "int64", "bool"]
START_SHAPES = {"empty": (0,), "other_shape": (5,)}  # plus "right": the result's own shape


def _run(lib, fn, arrays, out_dtypes, start):
    """fn with out= tensors of these dtypes; what happened: the error, or what was written."""
    inputs = [lib.tensor(a) for a in arrays]
    expected = fn(lib, *inputs, out=None) if start == "right" else None
    shapes = [tuple(e.shape) for e in expected] if isinstance(expected, tuple) else \
        [tuple(expected.shape)] if expected is not None else [START_SHAPES[start]] * len(out_dtypes)
    outs = [lib.zeros(s, dtype=getattr(lib, d)) for s, d in zip(shapes, out_dtypes)]
    versions = [o._version for o in outs]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fn(lib, *inputs, out=outs[0] if len(outs) == 1 else tuple(outs))
        except (RuntimeError, TypeError) as e:
            return ("error", type(e), str(e).split("\n")[0])
    results = list(result) if isinstance(result, tuple) else [result]
    resized = any("was resized since it had shape" in str(w.message) for w in caught)
    return ("written", [r is o for r, o in zip(results, outs)], [o._version > v for o, v in zip(outs, versions)],
            [(o.numpy().astype(np.float64), o.dtype.__repr__().split(".")[-1], tuple(o.shape)) for o in outs],
            resized)


def _assert_same(fn, arrays, out_dtypes, start, same_message=True):
    got, want = _run(minitorch, fn, arrays, out_dtypes, start), _run(torch, fn, arrays, out_dtypes, start)
    assert got[0] == want[0], (got, want)
    if got[0] == "error":
        assert got[1:] == want[1:] if same_message else issubclass(got[1], want[1]), (got, want)
        return
    assert got[1] == want[1] == [True] * len(out_dtypes)  # the out tensors themselves are returned
    assert got[2] == want[2] == [True] * len(out_dtypes)  # and their versions moved
    assert got[4] == want[4]  # the resize warning
    for (values, dtype, shape), (t_values, t_dtype, t_shape) in zip(got[3], want[3]):
        assert (dtype, shape) == (t_dtype, t_shape)
        np.testing.assert_allclose(values, t_values, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("start", ["empty", "right", "other_shape"])
@pytest.mark.parametrize("out_dtype", DTYPES)
@pytest.mark.parametrize("name", list(SINGLE))
def test_single_output_matches_torch(name, out_dtype, start):
    fn, arrays = SINGLE[name]
    _assert_same(fn, arrays, [out_dtype], start, name not in MESSAGE_DIFFERS)


@pytest.mark.parametrize("start", ["empty", "right", "other_shape"])
@pytest.mark.parametrize("out_dtypes", [("float32", "int64"), ("float64", "int64"), ("float32", "int32"),
                                        ("int64", "int64")])
@pytest.mark.parametrize("name", list(PAIRS))
def test_values_and_indices_outputs_match_torch(name, out_dtypes, start):
    fn, arrays = PAIRS[name]
    _assert_same(fn, arrays, list(out_dtypes), start, name not in MESSAGE_DIFFERS)


def test_the_result_is_a_named_tuple_of_the_given_tensors():
    values, indices = minitorch.empty(0), minitorch.empty(0, dtype=minitorch.long)
    result = minitorch.max(minitorch.tensor(X), 1, out=(values, indices))
    assert result.values is values and result.indices is indices
    np.testing.assert_array_equal(indices.numpy(), X.argmax(1))


@pytest.mark.parametrize("lib", [minitorch, torch], ids=["minitorch", "torch"])
def test_out_is_not_differentiable(lib):
    a = lib.tensor(X, requires_grad=True)
    for call in (lambda: lib.add(a, 1, out=lib.empty(0)), lambda: lib.exp(lib.tensor(X), out=lib.empty(0,
                                                                                        requires_grad=True))):
        with pytest.raises(RuntimeError, match=r"(add|exp)\(\): functions with out=\.\.\. arguments don't "
                                               r"support automatic differentiation, but one of the arguments "
                                               r"requires grad\."):
            call()
    with lib.no_grad():  # without grad mode the values are simply written
        out = lib.mul(a, 2, out=lib.empty(0))
    assert not out.requires_grad and out.grad_fn is None
    np.testing.assert_allclose(out.numpy(), X * 2)


def test_methods_take_no_out_like_torch():
    for lib in (minitorch, torch):
        with pytest.raises(TypeError, match="unexpected keyword argument 'out'"):
            lib.tensor(X).add(1, out=lib.empty(0))


def test_out_may_be_an_input():
    for lib in (minitorch, torch):
        a = lib.tensor(X)
        assert lib.mul(a, 2, out=a) is a
        np.testing.assert_allclose(a.numpy(), X * 2)


def test_tutorial_style_matmul_into_a_preallocated_tensor():
    # the Tensors tutorial: y3 = torch.rand_like(y1); torch.matmul(tensor, tensor.T, out=y3)
    a = minitorch.tensor(X)
    y = minitorch.rand_like(a @ a.T)
    minitorch.matmul(a, a.T, out=y)
    np.testing.assert_allclose(y.numpy(), X @ X.T, rtol=1e-5)
