"""Reductions against torch (_ops/reduction.py, and the table-driven checks that also cover
_ops/extremes.py): values, dtypes, gradients, errors; sorting's own cases are in test_sorting.py."""
import math

import numpy as np
import pytest
import torch

import minitorch
from conftest import (ALL_DTYPES, REDUCTION_DIMS, assert_matches_torch, check_results, gradcheck, grid_values, randn,
                      same_error, same_outcome, same_reduction_over_grid)


# ----- every input dtype, dtype=, dim form, 0-d and empty input ----------------------------------------
WITH_DTYPE = ["sum", "prod", "nansum", "mean", "nanmean", "cumsum", "cumprod", "norm", "softmax", "log_softmax"]
WITHOUT_DTYPE = ["var", "std", "var_mean", "std_mean", "logsumexp", "amax", "amin", "argmax", "argmin", "max",
                 "min", "median", "any", "all", "count_nonzero"]


@pytest.mark.parametrize("dims", REDUCTION_DIMS, ids=str)
@pytest.mark.parametrize("input_dtype", ALL_DTYPES)
@pytest.mark.parametrize("name", WITH_DTYPE)
def test_reduction_honours_dtype_like_torch(name, input_dtype, dims):
    same_reduction_over_grid(name, input_dtype, dims, out_dtypes=[None] + ALL_DTYPES)


@pytest.mark.parametrize("dims", REDUCTION_DIMS, ids=str)
@pytest.mark.parametrize("input_dtype", ALL_DTYPES)
@pytest.mark.parametrize("name", WITHOUT_DTYPE)
def test_reduction_matches_torch_for_every_dtype_and_dim_form(name, input_dtype, dims):
    same_reduction_over_grid(name, input_dtype, dims)


def test_sum_in_a_narrow_dtype_wraps_and_bool_sum_is_any_like_torch():
    same_outcome(lambda lib, t: lib.sum(t, dtype=lib.int8), np.array([100, 100, 100]))
    same_outcome(lambda lib, t: lib.sum(t, dtype=lib.bool), np.array([0, 2, 0]))
    same_outcome(lambda lib, t: lib.cumsum(t, 0, dtype=lib.uint8), np.array([200, 100, 7]))
    same_outcome(lambda lib, t: lib.prod(t, dtype=lib.int16), np.array([300, 300]))
    same_error(lambda lib, t: lib.cumprod(t, 0, dtype=lib.bool), np.array([1, 2]))


@pytest.mark.parametrize("values", [[math.inf, 1.0], [-math.inf, -math.inf], [-math.inf, 1.0], [math.inf, math.inf],
                                    [math.nan, 0.0]])
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
def test_softmax_family_with_infinite_inputs_matches_torch(name, values):
    same_outcome(lambda lib, t: getattr(lib, name)(t, 0), np.array(values, np.float32))


SHAPES = [(5,), (3, 4), (2, 3, 4)]


def dim_variants(ndim, tuples=True):
    """keyword sets covering no dim, positive/negative dims, keepdim and (for ndim 3) dim tuples."""
    out = [{}, {"dim": 0}, {"dim": -1, "keepdim": True}]
    if ndim >= 2:
        out.append({"dim": 1})
    if tuples and ndim >= 3:
        out += [{"dim": (0, 2)}, {"dim": (-1, 0), "keepdim": True}]
    return out


def cases(names, tuples=True, need_dim=False, keepdim=True):
    for name in names:
        for shape in SHAPES:
            for kw in dim_variants(len(shape), tuples):
                if need_dim and "dim" not in kw or not keepdim and "keepdim" in kw:
                    continue
                yield pytest.param(name, shape, kw, id=f"{name}-{'x'.join(map(str, shape))}-{kw}")


# ----- values, dtypes and gradients over shapes and dims -----------------------------
@pytest.mark.parametrize("name,shape,kw", [
    *cases(["sum", "mean", "nansum", "nanmean", "var", "std", "amax", "amin", "norm", "var_mean",
            "std_mean"]),
    *cases(["logsumexp"], need_dim=True),
    *cases(["prod", "max", "min", "median", "argmax", "argmin"], tuples=False),
    *cases(["softmax", "log_softmax", "cumsum", "cumprod", "sort", "argsort"], tuples=False,
           need_dim=True, keepdim=False),
])
def test_reduction_matches_torch(name, shape, kw):
    check_results(lambda L, x: getattr(L, name)(x, **kw), randn(*shape))
    if hasattr(torch.Tensor, name):
        check_results(lambda L, x: getattr(x, name)(**kw), randn(*shape, seed=3))


@pytest.mark.parametrize("kw", [{"correction": 0}, {"correction": 2, "dim": 1}, {"unbiased": False},
                                {"dim": 0, "unbiased": True, "keepdim": True}])
@pytest.mark.parametrize("name", ["var", "std", "var_mean", "std_mean"])
def test_var_std_correction(name, kw):
    check_results(lambda L, x: getattr(L, name)(x, **kw), randn(3, 4))


def test_std_of_constant_slice_has_zero_gradient_and_no_dof_gives_nan():
    check_results(lambda L, x: (x.std(1), L.std_mean(x, 1)), np.array([[2., 2., 2.], [1., 2., 3.]], np.float32))
    check_results(lambda L, x: (x.var(1), x.std(1), x.var(0, correction=3)), np.array([[2.], [1.]], np.float32))


def test_var_legacy_positional_unbiased():
    check_results(lambda L, x: (L.var(x, False), L.std(x, 1, False, True)), randn(3, 4))


@pytest.mark.parametrize("p", [2, 1, 3, 0.5, -1.5, 0, math.inf, -math.inf, "fro"])
@pytest.mark.parametrize("kw", [{}, {"dim": 1}, {"dim": (0, 2), "keepdim": True}])
def test_norm_p(p, kw):
    check_results(lambda L, x: L.norm(x, p, **kw), randn(2, 3, 4))


def test_norm_nuc_and_dtype():
    check_results(lambda L, x: (L.norm(x, "nuc"), x.norm(p="fro", dtype=L.float64)), randn(3, 4))
    check_results(lambda L, x: L.norm(x, "nuc", dim=(2, 0), keepdim=True), randn(3, 2, 4))


def test_norm_gradient_at_zero_is_zero():
    for p in [2, 1, 3, 0.5, "fro"]:
        check_results(lambda L, x: L.norm(x, p), np.zeros((2, 3), np.float32))
    check_results(lambda L, x: L.norm(x, 0.5, dim=1), np.array([[1., 0., 3.], [0, 0, 0]], np.float32))


def test_prod_gradient_with_zeros():
    x = np.array([[0., 2., 3.], [0., 0., 4.], [1., 2., 3.]], np.float32)
    for fn in [lambda L, t: t.prod(), lambda L, t: t.prod(1), lambda L, t: t.prod(0, keepdim=True)]:
        check_results(fn, x)
        gradcheck(fn, x)
    gradcheck(lambda L, t: t.prod(), np.array([2., 0., 3.]))


def test_logsumexp_and_softmax_are_stable():
    x = np.array([[1000., 1001., -1000.], [-np.inf, 0., 1.], [-1e4, -1e4, -1e4]], np.float32)
    check_results(lambda L, t: (L.logsumexp(t, 1), L.softmax(t, 1), L.log_softmax(t, -1)), x)
    ninf = np.full((2, 3), -np.inf, np.float32)
    check_results(lambda L, t: L.logsumexp(t, 1), ninf, grad=False)


def test_softmax_dtype_and_method():
    check_results(lambda L, t: (L.softmax(t, 0, dtype=L.float64), t.log_softmax(1, L.float64),
                                       t.softmax(-1)), randn(3, 4))


# ----- dtypes -------------------------------------------------------------------------
INTS = [np.int64, np.int32, np.uint8, np.bool_]


@pytest.mark.parametrize("dt", INTS)
@pytest.mark.parametrize("fn", [
    lambda L, t: t.sum(), lambda L, t: t.sum(1, keepdim=True), lambda L, t: t.prod(),
    lambda L, t: L.prod(t, 0), lambda L, t: t.cumsum(1), lambda L, t: t.cumprod(0),
    lambda L, t: L.sum(t, dtype=L.float64), lambda L, t: L.cumsum(t, 0, dtype=L.float32),
    lambda L, t: t.mean(dtype=L.float32), lambda L, t: t.any(), lambda L, t: t.all(1),
    lambda L, t: L.any(t, (0, 1), keepdim=True), lambda L, t: L.count_nonzero(t),
    lambda L, t: L.count_nonzero(t, 1), lambda L, t: L.count_nonzero(t, (0, 1)),
    lambda L, t: t.amax(0), lambda L, t: t.max(), lambda L, t: t.max(1), lambda L, t: L.unique(t),
    lambda L, t: L.logsumexp(t, 1), lambda L, t: L.nansum(t),
], ids=lambda f: "")
def test_integer_and_bool_dtypes(dt, fn):
    x = np.array([[0, 1, 2], [3, 0, 3]]).astype(dt)
    check_results(fn, x)


def test_float_inputs_of_logical_reductions():
    x = np.array([[0.0, 1.5], [0.0, 0.0]], np.float32)
    check_results(lambda L, t: (t.any(), t.all(), t.any(1), L.all(t, 0, True), t.count_nonzero()),
                         x, grad=False)


def test_float16_reductions():
    check_results(lambda L, t: (t.sum(1), t.mean(), t.amax(0), t.softmax(1), t.cumsum(1)),
                         randn(3, 4, dtype=np.float16), atol=1e-2, rtol=1e-2, grad=False)


def test_scalar_inputs():
    x = np.array(2.5, np.float32)
    check_results(lambda L, t: (t.sum(), t.sum(0), t.mean(-1), t.max(0), t.softmax(0), t.cumsum(0),
                                       t.prod(0), t.argmax(0), t.sort(), t.topk(1), t.norm(), t.amax()), x)


# ----- unique and nan-reductions ------------------------------------------------------
@pytest.mark.filterwarnings("error")  # torch warns nothing; numpy's mean warned "Mean of empty slice"
def test_mean_over_nothing_is_nan_without_a_warning():
    check_results(lambda L, t: (t.mean(), t.mean(1), t.mean(0, keepdim=True), t.half().mean(1)),
                  np.zeros((3, 0), np.float32))


def test_nansum_nanmean():
    x = np.array([[1., np.nan, 3.], [np.nan, np.nan, 2.]], np.float32)
    check_results(lambda L, t: (L.nansum(t), t.nansum(1), L.nanmean(t), t.nanmean(0, keepdim=True)), x)


# ----- gradcheck in float64 -----------------------------------------------------------
GRADCHECKS = {
    "sum": lambda L, x: x.sum((0, 2)), "mean": lambda L, x: x.mean(1, keepdim=True),
    "nansum": lambda L, x: L.nansum(x, 0), "nanmean": lambda L, x: L.nanmean(x, -1),
    "var": lambda L, x: x.var((0, 1)), "std": lambda L, x: x.std(2, correction=0),
    "var_mean": lambda L, x: L.var_mean(x, 1), "std_mean": lambda L, x: L.std_mean(x, 0, keepdim=True),
    "prod": lambda L, x: x.prod(1), "prod_all": lambda L, x: x.prod(),
    "max_dim": lambda L, x: x.max(1).values, "min_dim": lambda L, x: x.min(-1, keepdim=True)[0],
    "max_all": lambda L, x: x.max(), "amax": lambda L, x: x.amax((0, 2)), "amin": lambda L, x: x.amin(1),
    "aminmax": lambda L, x: L.aminmax(x, dim=0), "norm2": lambda L, x: x.norm(dim=1),
    "norm1": lambda L, x: x.norm(1), "norm3": lambda L, x: x.norm(3, dim=(0, 2)),
    "norm_half": lambda L, x: x.norm(0.5, dim=2), "norm_inf": lambda L, x: x.norm(math.inf, dim=1),
    "norm_ninf": lambda L, x: x.norm(-math.inf), "norm_nuc": lambda L, x: L.norm(x, "nuc", dim=(1, 2)),
    "logsumexp": lambda L, x: L.logsumexp(x, (0, 1)), "softmax": lambda L, x: L.softmax(x, 1),
    "log_softmax": lambda L, x: x.log_softmax(-1), "cumsum": lambda L, x: x.cumsum(1),
    "cumprod": lambda L, x: x.cumprod(2), "topk": lambda L, x: x.topk(2, 1).values,
    "kthvalue": lambda L, x: x.kthvalue(2, 0).values, "sort": lambda L, x: x.sort(1, descending=True)[0],
    "median": lambda L, x: x.median(1).values, "median_all": lambda L, x: x.median(),
    "mode": lambda L, x: x.mode(0).values,
}


@pytest.mark.parametrize("name", GRADCHECKS)
def test_gradcheck(name):
    gradcheck(GRADCHECKS[name], randn(2, 3, 4, dtype=np.float64, seed=11))


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "var", "norm2", "prod", "cumprod", "logsumexp",
                                  "amax", "cumsum", "sort"])
def test_gradgradcheck(name):
    x = minitorch.tensor(randn(2, 3, 4, dtype=np.float64, seed=5), requires_grad=True)
    assert minitorch.autograd.gradgradcheck(lambda t: GRADCHECKS[name](minitorch, t), [x])


def test_double_backward_cumprod_and_prod_with_zeros():
    x = np.array([[2., 0., 3.], [0., 0., 4.]])
    for fn in [lambda t: t.prod(1), lambda t: t.cumprod(1)]:
        t = minitorch.tensor(x, requires_grad=True)
        assert minitorch.autograd.gradgradcheck(fn, [t])


# ----- named tuples and printed output ------------------------------------------------
# ----- errors match torch's type and message -----------------------------------------
def raised(fn, lib, *arrays):
    args = [lib.tensor(a) for a in arrays]
    with pytest.raises(Exception) as info:
        fn(lib, *args)
    return info.type, str(info.value)


ERRORS = [
    (lambda L, t: t.sum(2), [randn(2, 3)]),
    (lambda L, t: L.mean(t, -3), [randn(2, 3)]),
    (lambda L, t: t.mean(), [np.arange(3)]),
    (lambda L, t: t.var(), [np.arange(3)]),
    (lambda L, t: t.std(0), [np.arange(3)]),
    (lambda L, t: t.max(), [np.zeros((0,), np.float32)]),
    (lambda L, t: t.max(0), [np.zeros((0, 3), np.float32)]),
    (lambda L, t: t.argmax(), [np.zeros((0,), np.float32)]),
    (lambda L, t: t.argmax(), [np.array([True, False])]),
    (lambda L, t: t.amax(3), [randn(2, 3)]),
    (lambda L, t: t.topk(6), [randn(5)]),
    (lambda L, t: t.kthvalue(0), [randn(5)]),
    (lambda L, t: t.kthvalue(6), [randn(5)]),
    (lambda L, t: t.sort(3), [randn(2, 3)]),
    (lambda L, t: L.unique(t, dim=3), [randn(2, 3)]),
    (lambda L, t: t.norm(), [np.arange(3)]),
    (lambda L, t: L.norm(t, "nuc", dim=0), [randn(2, 3)]),
    (lambda L, t: t.softmax(2), [randn(2, 3)]),
    (lambda L, t: t.softmax(0), [np.arange(3)]),
    (lambda L, t: t.log_softmax(0), [np.arange(3)]),
    (lambda L, t: t.cumsum(1), [randn(3)]),
    (lambda L, t: t.sum((0, 0)), [randn(2, 3)]),
    (lambda L, t: L.logsumexp(t, 5), [randn(2, 3)]),
]


@pytest.mark.parametrize("fn,arrays", ERRORS)
def test_errors_match_torch(fn, arrays):
    assert raised(fn, minitorch, *arrays) == raised(fn, torch, *arrays)


def test_prod_rejects_dim_tuple():
    with pytest.raises(TypeError):
        minitorch.prod(minitorch.ones(2, 3), (0, 1))
    with pytest.raises(TypeError):
        torch.prod(torch.ones(2, 3), (0, 1))


# ----- the seed examples print what torch prints --------------------------------------
SEED_SNIPPETS = [
    "x = torch.arange(1., 6.)\nprint(x)\nprint(torch.topk(x, 3))",
    "x = torch.arange(1., 6.)\nprint(torch.kthvalue(x, 4))",
    "x = torch.arange(1., 7.).reshape(2, 3)\nprint(x)\nprint(torch.kthvalue(x, 2, 0, True))",
    "x = torch.arange(1., 7.).reshape(2, 3)\nprint(torch.norm(x), torch.norm(x, 1), torch.norm(x, 2, dim=1))\n"
    "print(torch.norm(x, float('inf'), dim=0), torch.norm(x, p='fro'))",
    "x = torch.arange(1., 7.).reshape(2, 3)\nprint(torch.prod(x), torch.prod(x, 1), torch.prod(x, dim=0))\n"
    "print(torch.prod(torch.tensor([[1, 2], [3, 4]])))",
    "x = torch.tensor([[1., 5., 3.], [7., 0., 2.]])\nprint(torch.argmax(x), torch.argmin(x))\n"
    "print(torch.argmax(x, dim=1), torch.argmin(x, dim=0), torch.argmax(x, 1, keepdim=True))",
]


@pytest.mark.parametrize("code", SEED_SNIPPETS)
def test_seed_examples_print_like_torch(code, capsys):
    outputs = []
    for lib in (minitorch, torch):
        exec(code, {"torch": lib})
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert outputs[0]


# ----- gradients at the awkward points: zeros, constant slices, a zero norm ------------------------------
ZERO_PATTERNS = [np.array([0.0, 2, 3]), np.array([0.0, 0, 3]), np.array([[0.0, 2], [3, 0], [0, 0], [4, 5]]),
                 np.array([[[0.0, 2, 0], [1, 2, 3]], [[0, 0, 0], [1, 0, 2]]]), np.array(0.0), np.zeros((0, 2))]


@pytest.mark.parametrize("x", ZERO_PATTERNS, ids=lambda x: str(x.tolist()))
@pytest.mark.parametrize("kwargs", [{}, {"dim": 0}, {"dim": -1, "keepdim": True}], ids=str)
def test_prod_gradient_with_one_or_several_zeros_matches_torch(x, kwargs):
    assert_matches_torch(lambda lib, t: lib.prod(t, **kwargs), x)


@pytest.mark.parametrize("x", ZERO_PATTERNS, ids=lambda x: str(x.tolist()))
@pytest.mark.parametrize("dim", [0, -1])
def test_cumprod_gradient_with_zeros_matches_torch(x, dim):
    assert_matches_torch(lambda lib, t: lib.cumprod(t, dim), x)


@pytest.mark.parametrize("x", [np.array([[1., 0., np.inf, 2.]]), np.array([[np.nan, 0., 3., 0., np.inf]]),
                               np.array([[2., 0., 1., -np.inf], [0., np.nan, 0., 1.]]), np.array([[np.inf, 2., 0.]])],
                         ids=lambda x: str(x.tolist()))
def test_cumprod_gradient_with_a_zero_and_inf_or_nan_matches_torch(x):
    # torch's O(n) formula: only the first zero of a slice and what precedes it get a gradient
    assert_matches_torch(lambda lib, t: lib.cumprod(t, 1), x)
    assert_matches_torch(lambda lib, t: lib.cumprod(t, 0), x.T.copy())


@pytest.mark.parametrize("x", [np.array(np.nan), np.array([np.inf]), np.array([[1.0, np.nan]])], ids=str)
@pytest.mark.parametrize("kwargs", [{}, {"dim": 0}, {"dim": -1, "correction": 2}, {"correction": 3}], ids=str)
@pytest.mark.parametrize("name", ["var", "var_mean", "std"])
def test_variance_without_degrees_of_freedom_of_nan_or_inf_matches_torch(name, kwargs, x):
    # a whole-tensor variance with dof <= 0 has gradient inf, or NaN where x equals its mean
    assert_matches_torch(lambda lib, t: getattr(lib, name)(t, **kwargs), x)


@pytest.mark.parametrize("x", [np.arange(6.0).reshape(2, 3) ** 2, np.array(3.0), np.ones((1, 3)), np.array([[1.0, 2]]),
                               np.zeros((0, 3))], ids=lambda x: str(x.tolist()))
@pytest.mark.parametrize("kwargs", [{}, {"dim": 0}, {"dim": 1, "keepdim": True}, {"correction": 0},
                                    {"correction": 2, "dim": -1}, {"unbiased": False, "dim": 0},
                                    {"dim": (0, 1), "correction": 0, "keepdim": True}], ids=str)
@pytest.mark.parametrize("name", ["var", "std", "var_mean", "std_mean"])
def test_variance_family_values_and_gradients_match_torch(name, kwargs, x):
    # constant slices (std 0), one element (no degrees of freedom: inf/nan), 0-d and empty inputs
    same_outcome(lambda lib, t: getattr(lib, name)(t, **kwargs), x)
    if x.ndim == 2 and x.size:
        assert_matches_torch(lambda lib, t: getattr(lib, name)(t, **kwargs), x)


@pytest.mark.parametrize("x", [np.array([0.0, 0]), np.array([0.0, 3]), np.array([3.0, -4]), np.zeros((2, 2)),
                               np.array(0.0), np.array(-2.0)], ids=lambda x: str(x.tolist()))
@pytest.mark.parametrize("p", [2, 1, 3, 0.5, math.inf, -math.inf, 0, "fro", -1, -0.5])
@pytest.mark.parametrize("dim", [None, 0])
def test_norm_gradient_at_zero_matches_torch(x, p, dim):
    # p = 2 at the zero vector has gradient 0; with p <= 0 a zero entry makes the norm 0
    assert_matches_torch(lambda lib, t: lib.norm(t, p=p, dim=dim), x)


@pytest.mark.parametrize("p", [math.inf, -math.inf, -1, -0.5, 2])
@pytest.mark.parametrize("shape,dim", [((0,), None), ((0,), 0), ((0, 3), 1), ((0, 3), 0)])
def test_norm_of_an_empty_tensor_matches_torch(p, shape, dim):
    # norms without an identity (max, min, negative powers) refuse an empty reduction, like torch
    same_outcome(lambda lib, t: lib.norm(t, p=p, dim=dim), np.zeros(shape, np.float32))


DTYPE_CALLS = {
    "sum": lambda lib, t, d: lib.sum(t, 0, dtype=d), "prod": lambda lib, t, d: lib.prod(t, 1, dtype=d),
    "cumsum": lambda lib, t, d: lib.cumsum(t, 1, dtype=d), "cumprod": lambda lib, t, d: lib.cumprod(t, 0, dtype=d),
    "mean": lambda lib, t, d: lib.mean(t, (0, 1), dtype=d), "nansum": lambda lib, t, d: lib.nansum(t, dtype=d),
    "nanmean": lambda lib, t, d: lib.nanmean(t, 1, dtype=d), "softmax": lambda lib, t, d: lib.softmax(t, 1, dtype=d),
    "log_softmax": lambda lib, t, d: lib.log_softmax(t, 0, dtype=d), "norm": lambda lib, t, d: lib.norm(t, 2, 1, dtype=d),
}


@pytest.mark.parametrize("out", ["float16", "float32", "float64"])
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("name", sorted(DTYPE_CALLS))
def test_reduction_gradient_with_dtype_comes_back_in_the_input_dtype_like_torch(name, dtype, out):
    tolerance = 2e-2 if "float16" in (dtype, out) else 1e-5
    for shape in [(2, 3), (3, 0), (1, 1)]:
        x = grid_values(shape, dtype, seed=4, special=False)
        call = (lambda lib, t: DTYPE_CALLS[name](lib, t, getattr(lib, out)))
        if name == "norm" and np.dtype(out).itemsize < np.dtype(dtype).itemsize:
            same_error(call, x)  # norm refuses a narrowing dtype
        else:
            assert_matches_torch(call, x, atol=tolerance, rtol=tolerance)


@pytest.mark.parametrize("call", [
    lambda lib, t: lib.sum(t, "a"), lambda lib, t: lib.sum(t, (0, 0)), lambda lib, t: lib.mean(t, (1, -1)),
    lambda lib, t: lib.logsumexp(t, None), lambda lib, t: lib.var(t, 0, True, correction=1),
    lambda lib, t: lib.round(t, decimals=1.5), lambda lib, t: lib.cumsum(t, None), lambda lib, t: lib.prod(t, (0,)),
    lambda lib, t: lib.max(t, (0,)), lambda lib, t: lib.argmax(t, 2), lambda lib, t: lib.softmax(t, 2),
    lambda lib, t: lib.norm(t, dim=(0, 0)), lambda lib, t: lib.topk(t, 4), lambda lib, t: lib.kthvalue(t, 0),
    lambda lib, t: lib.median(t, (0,)), lambda lib, t: lib.cummax(t, 2), lambda lib, t: lib.std_mean(t, 5),
])
def test_bad_reduction_arguments_raise_torchs_exception_class(call):
    same_outcome(call, np.arange(6.0).reshape(2, 3))


# ----- dtype= checks, prod gradient with zeros and inf, var_mean with inf ------------------

@pytest.mark.parametrize("name", ["sum", "prod", "nansum", "cumsum", "cumprod"])
@pytest.mark.parametrize("dtype", ["int64", "bool", "float", None])
def test_result_dtype_checked_like_torch(name, dtype):
    def call(L, a):
        x = a.clone().requires_grad_(True)
        dt = getattr(L, dtype) if dtype in ("int64", "bool") else dtype
        args = (0,) if name.startswith("cum") else ()
        return getattr(L, name)(x, *args, dtype=dt)
    same_outcome(call, randn(3))  # "Autograd not support dtype: Long", TypeError for a str


def test_a_bad_dim_is_reported_before_a_bad_result_dtype():
    for name in ["sum", "prod", "nansum", "cumsum", "cumprod"]:
        with pytest.raises(IndexError):
            getattr(minitorch, name)(minitorch.randn(3, requires_grad=True), 5, dtype=minitorch.int64)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("dim", [None, 0, 1])
def test_prod_gradient_with_zeros_and_inf_matches_torch(dtype, dim):
    x = np.array([[-2.0, 0.0, np.inf], [0.0, 1.0, 2.0]], dtype=dtype)
    fn = (lambda L, a: L.prod(a)) if dim is None else (lambda L, a: L.prod(a, dim))
    assert_matches_torch(fn, x, atol=1e-3)


@pytest.mark.parametrize("values", [[1.0, math.inf, 2.0], [1.0, 2.0, math.inf], [math.inf, -math.inf],
                                    [[1.0, math.inf], [2.0, 3.0]]])
@pytest.mark.parametrize("kwargs", [{}, {"dim": 0}, {"dim": -1, "keepdim": True}])
def test_var_mean_with_inf_follows_torchs_one_pass_mean(values, kwargs):
    same_outcome(lambda L, a: L.var_mean(a, **kwargs), np.array(values))


@pytest.mark.parametrize("kwargs", [{}, {"dim": 0}, {"dim": -1, "dtype": "float64"}], ids=str)
def test_prod_of_a_0d_infinite_value_passes_the_gradient_like_torch(kwargs):
    x = np.array(-np.inf, np.float16)
    call = lambda L, t: L.prod(t, **{k: getattr(L, v) if k == "dtype" else v for k, v in kwargs.items()})  # noqa: E731
    assert_matches_torch(call, x)


def test_prod_to_float32_of_float64_input_rounds_like_torch():
    # torch's gradient is grad * (prod / x), computed in float32 and cast back
    x = np.random.default_rng(3).standard_normal((3, 4)) * 2
    assert_matches_torch(lambda L, t: L.prod(t, 0, keepdim=True, dtype=L.float32), x, atol=1e-12, rtol=1e-9)


def test_half_sums_accumulate_in_float32_like_torch():
    a = (np.random.default_rng(0).standard_normal((200, 37)) * 3).astype(np.float16)
    for dim in (None, 0, 1):
        ours = (minitorch.tensor(a).sum() if dim is None else minitorch.tensor(a).sum(dim)).numpy()
        theirs = (torch.tensor(a).sum() if dim is None else torch.tensor(a).sum(dim)).numpy()
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("call", [lambda L, t: L.norm(t, dim=1), lambda L, t: L.norm(t, 3),
                                  lambda L, t: L.linalg.vector_norm(t, dim=1),
                                  lambda L, t: L.nn.functional.normalize(t)])
def test_half_norms_accumulate_in_float32_like_torch(call):
    # 1.2e-4 squared underflows half, 300 squared overflows it: torch sums the squares in float32
    # (values only: torch's half backward of the 3-norm overflows to NaN at 300, minitorch's does not)
    x = np.array([[0.0789794921875, 0.00012, 300.0, -0.004, 0.5]], np.float16).T.copy()
    assert_matches_torch(call, x, atol=1e-3, rtol=1e-3, grad=False)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("via,p", [(via, p) for via in ("norm", "linalg.vector_norm", "normalize")
                                   for p in (3, 0.5, -1, 1.5, 2, 1, float("inf"), -float("inf"), 0, 4)
                                   if via != "normalize" or p > 0])  # normalize divides by the norm: p > 0 only
def test_the_three_norm_entry_points_share_torchs_values_and_gradients(via, p, dtype):
    # torch.norm, torch.linalg.vector_norm and F.normalize use one VectorNorm (_ops/norms.py)
    x = (np.random.default_rng(0).standard_normal((4, 5)) * 2).astype(dtype)
    x[0, 0] = 0
    x[1] = 0  # a zero row: the gradient there is 0, as in torch
    calls = {"norm": lambda L, t: L.norm(t, p, 1), "linalg.vector_norm": lambda L, t: L.linalg.vector_norm(t, p, 1),
             "normalize": lambda L, t: L.nn.functional.normalize(t, p, 1)}
    tol = {"float16": 1e-2, "float32": 1e-5, "float64": 1e-10}[dtype]
    assert_matches_torch(calls[via], x, rtol=tol, atol=tol)


@pytest.mark.parametrize("p", [1, float("inf")])
def test_norm_gradient_with_nan_entries_is_torchs(p):
    # torch's sign(NaN) is 0, and no entry equals a NaN max-norm: the NaN entry (1-norm) and every entry
    # (inf-norm) get a zero gradient where numpy's sign and 0 / 0 gave NaN
    x = np.array([[np.nan, 1.0, np.inf, -2.0], [0.5, -1.0, 0.0, 3.0]])
    assert_matches_torch(lambda L, a: L.linalg.vector_norm(a, p, dim=1), x)
    assert_matches_torch(lambda L, a: L.norm(a, p), x)


@pytest.mark.parametrize("call", [
    "x.sum()", "x.sum(1)", "x.sum((0, 1))", "x.sum(dim=())", "x.sum(1, keepdim=True)", "x.sum(dtype=lib.float64)",
    "lib.sum(x, 0)", "x.mean()", "x.mean(1)", "x.mean(dim=())", "x.prod()", "x.prod(1)", "x.nansum(1)",
])
def test_reduction_nodes_are_named_like_torchs(call):
    # torch names a reduction over given dims ...Backward1 (even dim=()), over everything ...Backward0
    names = []
    for lib in (minitorch, torch):
        x = lib.ones(2, 3, requires_grad=True)
        names.append(type(eval(call, {"x": x, "lib": lib}).grad_fn).__name__)
    assert names[0] == names[1]


@pytest.mark.parametrize("call", [
    "x(2, 0).amin(-1)", "x(2, 0).amin(1)", "x(0, 2).amax((0, 1))", "x(0, 2).amax((-2, 1))", "x(0, 2).amax((1, -2))",
    "x(0, 2).amax([])", "x(0, 2).amax()", "x(0).amax(0)", "lib.linalg.matrix_norm(x(0, 3), -2)",
    "lib.aminmax(x(0, 2))", "lib.aminmax(x(2, 0), dim=-1)", "x(0, 2).max()",
])
def test_extremes_of_nothing_raise_torchs_error_naming_the_dim_as_given(call):
    # amax/amin name the empty dim as the caller wrote it (-1 stays -1); aminmax has its own words
    errors = []
    for lib in (minitorch, torch):
        with pytest.raises(Exception) as error:
            eval(call, {"lib": lib, "x": lib.zeros})
        errors.append((type(error.value), str(error.value)))
    assert errors[0] == errors[1]
