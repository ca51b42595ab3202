"""Losses (functional and modules) against torch: values, gradients, reductions, stability, errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_matches_torch, gradcheck, randn, same_outcome

REDUCTIONS = ["mean", "sum", "none"]


def _targets(shape, classes, seed=0, ignore=None):
    t = np.random.default_rng(seed).integers(0, classes, shape).astype(np.int64)
    if ignore is not None:
        t.reshape(-1)[::3] = ignore
    return t


def _ce(lib, x, t, **kw):
    return lib.nn.functional.cross_entropy(x, lib.tensor(t), **kw)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(6, 5), (3, 4, 2, 3), (5,)])
@pytest.mark.parametrize("options", [{}, {"weight": True}, {"ignore_index": 1}, {"label_smoothing": 0.2},
                                     {"weight": True, "ignore_index": 2, "label_smoothing": 0.1}])
def test_cross_entropy_class_indices(reduction, shape, options):
    c = shape[1] if len(shape) > 1 else shape[0]
    tshape = (shape[0],) + shape[2:] if len(shape) > 1 else ()
    t = _targets(tshape, c)
    kw = dict(options, reduction=reduction)
    w = randn(c, seed=3) ** 2 + 0.5 if kw.pop("weight", False) else None

    def fn(lib, x):  # torch refuses a class weight that requires grad: pass it as a constant
        return _ce(lib, x, t, weight=None if w is None else lib.tensor(w, dtype=x.dtype), **kw)
    assert_matches_torch(fn, randn(*shape) * 3)
    gradcheck(fn, randn(*shape, dtype=np.float64))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 4), (6,)])
def test_cross_entropy_probabilities(reduction, smoothing, shape):
    p = np.abs(randn(*shape, seed=5))
    p = p / p.sum(axis=1 if len(shape) > 1 else 0, keepdims=True)
    c = shape[1] if len(shape) > 1 else shape[0]
    w = randn(c, seed=2) ** 2 + 0.5
    fn = lambda lib, x, t, w: lib.nn.functional.cross_entropy(x, t, weight=w, reduction=reduction,
                                                             label_smoothing=smoothing)
    assert_matches_torch(fn, randn(*shape), p, w)
    gradcheck(fn, randn(*shape), p, w)


def test_cross_entropy_double_backward():
    t = _targets((4,), 3)

    def second(lib, x):
        g, = lib.autograd.grad(_ce(lib, x, t, label_smoothing=0.1), x, create_graph=True)
        return g
    assert_matches_torch(second, randn(4, 3, dtype=np.float64))


def test_cross_entropy_all_ignored_is_nan_like_torch():
    assert_matches_torch(lambda lib, x: _ce(lib, x, np.full(3, -100)), randn(3, 4))


def test_cross_entropy_huge_logits_are_finite():
    x = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 5.0]], dtype=np.float32)
    for t in ([0, 0], [1, 2]):
        assert_matches_torch(lambda lib, x: _ce(lib, x, np.array(t)), x)
        assert_matches_torch(lambda lib, x: _ce(lib, x, np.array(t), label_smoothing=0.1), x)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_rows_with_nan_and_inf_like_torch(reduction):
    """The row maximum (found through argmax on (N, C) inputs) keeps nan and infinities as torch's does."""
    x = np.array([[1.0, np.nan, 2.0], [-np.inf, 0.5, 1.0], [np.inf, 0.0, 1.0], [3.0, 3.0, -1.0]], np.float32)
    assert_matches_torch(lambda lib, x: _ce(lib, x, np.array([0, 0, 0, 1]), reduction=reduction), x)
    assert_matches_torch(lambda lib, x: _ce(lib, x[1:], np.array([1, 2, 0]), reduction=reduction), x)


@pytest.mark.parametrize("ignore_index", [-100, -1, 2, 7])
def test_cross_entropy_ignore_index_inside_and_outside_the_classes_like_torch(ignore_index):
    """Targets equal to ignore_index count for nothing wherever it lies; any other target outside
    [0, C) is refused with torch's message."""
    t = np.array([0, ignore_index, 4, ignore_index, 1])
    assert_matches_torch(lambda lib, x: _ce(lib, x, t, ignore_index=ignore_index), randn(5, 5))
    assert_matches_torch(lambda lib, x: _ce(lib, x, t.reshape(5, 1), ignore_index=ignore_index),
                         randn(5, 5, 1))
    for bad in (5, -2):
        _error(lambda lib: _ce(lib, lib.zeros(5, 5), np.where(t == 4, bad, t), ignore_index=ignore_index))


def _error(fn):
    out = []
    for lib in (minitorch, torch):
        with pytest.raises(Exception) as info:
            fn(lib)
        out.append((info.type, str(info.value)))
    assert out[0] == out[1], out
    return out[0]


def test_cross_entropy_and_nll_errors_like_torch():
    for name in ("cross_entropy", "nll_loss"):
        f = lambda lib, x, t, **kw: getattr(lib.nn.functional, name)(x, t, **kw)
        assert _error(lambda lib: f(lib, lib.zeros(2, 5), lib.tensor([0, 10])))[1] == "Target 10 is out of bounds."
        assert _error(lambda lib: f(lib, lib.zeros(2, 5), lib.tensor([-1, 1])))[0] is IndexError
        assert _error(lambda lib: f(lib, lib.zeros(2, 5), lib.tensor([0.0, 1.0])))[0] is RuntimeError
        _error(lambda lib: f(lib, lib.zeros(3, 5), lib.tensor([1, 2, 3], dtype=lib.int32)))
        _error(lambda lib: f(lib, lib.zeros(3, 5), lib.tensor([0, 1])))
        _error(lambda lib: f(lib, lib.zeros(3, 5), lib.zeros(3, 4, dtype=lib.int64)))
        _error(lambda lib: f(lib, lib.zeros(3, 5, 2), lib.zeros(3, 4, dtype=lib.int64)))
        _error(lambda lib: f(lib, lib.zeros(3, 5), lib.zeros(3, dtype=lib.int64), weight=lib.ones(4)))
        _error(lambda lib: f(lib, lib.zeros(3, 5), lib.zeros(3, dtype=lib.int64), reduction="avg"))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(6, 4), (2, 4, 3), (4,)])
def test_nll_loss(reduction, shape):
    c = shape[1] if len(shape) > 1 else shape[0]
    t = _targets((shape[0],) + shape[2:] if len(shape) > 1 else (), c, ignore=None)
    w = randn(c, seed=1) ** 2 + 0.1
    fn = lambda lib, x: lib.nn.functional.nll_loss(lib.nn.functional.log_softmax(x, -1 if len(shape) == 1 else 1),
                                                   lib.tensor(t), weight=lib.tensor(w, dtype=x.dtype),
                                                   reduction=reduction, ignore_index=1)
    assert_matches_torch(fn, randn(*shape))
    gradcheck(fn, randn(*shape))


PAIR_LOSSES = {
    "mse": lambda lib, x, y, r: lib.nn.functional.mse_loss(x, y, reduction=r),
    "l1": lambda lib, x, y, r: lib.nn.functional.l1_loss(x, y, reduction=r),
    "smooth_l1": lambda lib, x, y, r: lib.nn.functional.smooth_l1_loss(x, y, reduction=r, beta=0.7),
    "smooth_l1_beta0": lambda lib, x, y, r: lib.nn.functional.smooth_l1_loss(x, y, reduction=r, beta=0.0),
    "huber": lambda lib, x, y, r: lib.nn.functional.huber_loss(x, y, reduction=r, delta=0.6),
    "bce_logits": lambda lib, x, y, r: lib.nn.functional.binary_cross_entropy_with_logits(x, y.sigmoid(), reduction=r),
    "kl_log_target": lambda lib, x, y, r: lib.nn.functional.kl_div(x, y, reduction=r, log_target=True),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", sorted(PAIR_LOSSES))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pair_losses(name, reduction, dtype):
    fn = lambda lib, x, y: PAIR_LOSSES[name](lib, x, y, reduction)
    x, y = randn(4, 5, dtype=dtype), randn(4, 5, seed=9, dtype=dtype)
    assert_matches_torch(fn, x, y)
    gradcheck(fn, x, y)


@pytest.mark.parametrize("reduction", REDUCTIONS + ["batchmean"])
def test_kl_div(reduction):
    p = np.abs(randn(3, 4, seed=4)) + 0.1
    p[0, 0] = 0.0  # 0 * log 0 counts as 0
    p /= p.sum(1, keepdims=True)
    fn = lambda lib, x, t: lib.nn.functional.kl_div(lib.nn.functional.log_softmax(x, 1), t, reduction=reduction)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # at target 0 torch's gradient w.r.t. the target is nan: compare that case as a constant
        assert_matches_torch(lambda lib, x: fn(lib, x, lib.tensor(p)), randn(3, 4))
        q = p.astype(np.float64) + 0.01
        assert_matches_torch(fn, randn(3, 4), q)
        gradcheck(fn, randn(3, 4), q)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy(reduction):
    p = 1 / (1 + np.exp(-randn(3, 4)))
    y = (randn(3, 4, seed=2) > 0).astype(np.float32) * 0.8 + 0.1
    w = np.abs(randn(4, seed=1))
    fn = lambda lib, p, y: lib.nn.functional.binary_cross_entropy(p, y, weight=lib.tensor(w, dtype=p.dtype),
                                                                  reduction=reduction)
    assert_matches_torch(fn, p, y)
    gradcheck(fn, p, y)
    assert_matches_torch(lambda lib, p, y: lib.nn.functional.binary_cross_entropy(p, y),
                         np.array([0.0, 1.0, 0.5], np.float32), np.array([1.0, 0.0, 1.0], np.float32), grad=False)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_weights_and_stability(reduction):
    x = np.array([[1e4, -1e4, 0.5], [-3.0, 2.0, 1e4]], dtype=np.float32)
    y = np.array([[0.0, 1.0, 0.3], [1.0, 0.0, 1.0]], dtype=np.float32)
    pw, w = np.array([2.0, 0.5, 3.0], np.float32), np.array([1.0, 2.0, 0.5], np.float32)
    fn = lambda lib, x, y: lib.nn.functional.binary_cross_entropy_with_logits(
        x, y, weight=lib.tensor(w, dtype=x.dtype), pos_weight=lib.tensor(pw, dtype=x.dtype), reduction=reduction)
    assert_matches_torch(fn, x, y)
    gradcheck(fn, randn(2, 3), y)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_margin_and_cosine_embedding(reduction):
    y = np.array([1.0, -1.0, 1.0, -1.0], np.float32)
    mr = lambda lib, a, b: lib.nn.functional.margin_ranking_loss(a, b, lib.tensor(y), margin=0.2, reduction=reduction)
    assert_matches_torch(mr, randn(4), randn(4, seed=3))
    ce = lambda lib, a, b: lib.nn.functional.cosine_embedding_loss(a, b, lib.tensor(y), margin=0.1, reduction=reduction)
    assert_matches_torch(ce, randn(4, 3), randn(4, 3, seed=3))
    gradcheck(ce, randn(4, 3), randn(4, 3, seed=3))


def test_loss_errors_like_torch():
    _error(lambda lib: lib.nn.functional.binary_cross_entropy(lib.tensor([2.0]), lib.tensor([1.0])))
    _error(lambda lib: lib.nn.functional.binary_cross_entropy(lib.rand(3, 1), lib.rand(3)))
    _error(lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(lib.rand(3, 1), lib.rand(3)))
    _error(lambda lib: lib.nn.functional.mse_loss(lib.rand(3), lib.rand(3), reduction="avg"))
    for lib in (minitorch, torch):
        with pytest.warns(UserWarning, match="Using a target size"):
            lib.nn.functional.mse_loss(lib.rand(3, 1), lib.rand(3))


MODULES = [("CrossEntropyLoss", {}), ("CrossEntropyLoss", {"label_smoothing": 0.1, "reduction": "sum"}),
           ("NLLLoss", {"ignore_index": 0}), ("MSELoss", {}), ("L1Loss", {"reduction": "none"}),
           ("SmoothL1Loss", {"beta": 0.5}), ("HuberLoss", {"delta": 2.0}), ("BCEWithLogitsLoss", {}),
           ("KLDivLoss", {"reduction": "batchmean", "log_target": True})]


@pytest.mark.parametrize("name,kw", MODULES)
def test_loss_modules(name, kw):
    ours, theirs = getattr(minitorch.nn, name)(**kw), getattr(torch.nn, name)(**kw)
    assert repr(ours) == repr(theirs)
    classes = name in ("CrossEntropyLoss", "NLLLoss")
    t = _targets((4,), 3) if classes else None

    def fn(lib, x, y):
        m = ours if lib is minitorch else theirs
        return m(x, lib.tensor(t)) if classes else m(x, y)
    assert_matches_torch(fn, randn(4, 3), randn(4, 3, seed=1))


def test_weighted_loss_module_keeps_weight_as_buffer():
    w = minitorch.tensor([1.0, 2.0])
    loss = minitorch.nn.CrossEntropyLoss(weight=w)
    assert list(loss.state_dict()) == list(torch.nn.CrossEntropyLoss(weight=torch.ones(2)).state_dict())
    assert loss.weight is w


# ----- dtypes and shapes of targets: torch's result dtype or torch's exception --------------------------------
LOSS_DTYPES = ["float32", "float64", "float16", "int64", "int32", "bool"]
ELEMENTWISE_LOSSES = {
    "mse_loss": lambda L, x, t: L.nn.functional.mse_loss(x, t),
    "l1_loss": lambda L, x, t: L.nn.functional.l1_loss(x, t),
    "smooth_l1_loss": lambda L, x, t: L.nn.functional.smooth_l1_loss(x, t),
    "huber_loss": lambda L, x, t: L.nn.functional.huber_loss(x, t),
    "binary_cross_entropy": lambda L, x, t: L.nn.functional.binary_cross_entropy(x, t),
    "binary_cross_entropy_with_logits": lambda L, x, t: L.nn.functional.binary_cross_entropy_with_logits(x, t),
    "kl_div": lambda L, x, t: L.nn.functional.kl_div(x, t, reduction="sum"),
    "kl_div_log_target": lambda L, x, t: L.nn.functional.kl_div(x, t, reduction="batchmean", log_target=True),
}


@pytest.mark.parametrize("loss", ELEMENTWISE_LOSSES)
@pytest.mark.parametrize("input_dtype", LOSS_DTYPES)
@pytest.mark.parametrize("target_dtype", LOSS_DTYPES)
def test_elementwise_loss_dtypes_match_torch(loss, input_dtype, target_dtype):
    """bce wants equal dtypes, huber writes in input's dtype, bce_with_logits in target's, mse promotes..."""
    x = np.full((2, 3), 0.25, input_dtype)
    t = np.full((2, 3), 0.75, target_dtype)
    same_outcome(lambda L, x, t: ELEMENTWISE_LOSSES[loss](L, x, t), x, t, atol=1e-3, rtol=1e-3)


@pytest.mark.parametrize("loss", ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "kl_div"])
@pytest.mark.parametrize("shapes", [((), ()), ((), (3,)), ((3,), (2,)), ((2, 3), (3,)), ((2, 3), (3, 2)), ((0, 3), (3,)),
                                    ((2, 1), (1, 3))], ids=str)
@pytest.mark.parametrize("dtypes", [("float32", "float32"), ("float64", "float32"), ("int64", "int64")], ids=str)
def test_elementwise_loss_shapes_match_torch(loss, shapes, dtypes):
    """Broadcast errors come before dtype errors; a 0-d float64 input still promotes a float32 target."""
    x, t = randn(*shapes[0]).astype(dtypes[0]), randn(*shapes[1]).astype(dtypes[1])
    same_outcome(lambda L, x, t: ELEMENTWISE_LOSSES[loss](L, x, t), x, t, atol=1e-4, rtol=1e-4)


CLASS_CASES = [((), (), "int64"), ((), (), "float32"), ((3,), (), "int64"), ((3,), (1,), "int64"),
               ((3,), (2,), "int64"), ((3,), (3,), "float32"), ((3,), (3,), "int64"), ((2, 3), (2,), "int64"),
               ((2, 3), (3,), "int64"), ((2, 3), (), "int64"), ((2, 3), (1, 2), "int64"), ((2, 3), (2,), "int32"),
               ((2, 3), (2,), "float32"), ((2, 3), (2, 3), "float64"), ((2, 3), (2, 3), "int64"),
               ((2, 3, 4), (2, 4), "int64"), ((2, 3, 4), (2, 5), "int64"), ((2, 3, 4), (2, 3, 4), "float32"),
               ((0, 3), (0,), "int64")]


@pytest.mark.parametrize("loss", ["cross_entropy", "nll_loss"])
@pytest.mark.parametrize("input_dtype", ["float32", "int64"])
@pytest.mark.parametrize("case", CLASS_CASES, ids=str)
def test_class_loss_target_checks_match_torch(loss, input_dtype, case):
    """(C,) input takes a () or (1,) target; log_softmax's errors come before nll_loss's (cross_entropy)."""
    in_shape, t_shape, t_dtype = case
    x = randn(*in_shape).astype(input_dtype)
    t = np.zeros(t_shape, t_dtype) if t_dtype != "float32" or in_shape != t_shape else np.full(t_shape, 0.5, t_dtype)

    def fn(L, x, t):
        return getattr(L.nn.functional, loss)(x, t, reduction="none"), getattr(L.nn.functional, loss)(x, t)
    same_outcome(lambda L, x, t: L.stack([o.reshape(-1)[:1].sum() for o in fn(L, x, t)]), x, t)


@pytest.mark.parametrize("log_target", [False, True])
@pytest.mark.parametrize("reduction", ["none", "sum", "mean", "batchmean"])
def test_kl_div_gradients_at_zero_and_negative_targets_match_torch(log_target, reduction):
    """target * log(target) is 0 at target == 0 (its gradient NaN) and NaN below 0, as torch's xlogy."""
    x = np.array([[-2.0, -1.0, -0.5], [0.0, 1.0, 2.0]], np.float32)
    t = np.array([[0.2, 0.0, -0.8], [-0.5, 0.5, 0.0]], np.float32)
    outputs = []
    for L in (torch, minitorch):
        xs, ts = L.tensor(x, requires_grad=True), L.tensor(t, requires_grad=True)
        y = L.nn.functional.kl_div(xs, ts, reduction=reduction, log_target=log_target)
        y.sum().backward()
        outputs.append([y.detach().numpy(), xs.grad.numpy(), ts.grad.numpy()])
    for got, expected in zip(outputs[1], outputs[0]):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((3, 4), (4,)), ((4,), (3, 4)), ((0, 2), (0, 2))])
def test_mse_loss_node_gradients_and_double_backward_match_torch(reduction, shapes):
    """mse_loss is one MseLossBackward0 node: first and second derivatives for input and target."""
    import warnings
    warnings.simplefilter("ignore")  # the broadcast-target warning

    def grads(lib, x, y):
        x, y = x.detach().requires_grad_(), y.detach().requires_grad_()
        loss = lib.nn.functional.mse_loss(x, y, reduction=reduction)
        assert loss.grad_fn.name() == "MseLossBackward0"
        gx, gy = lib.autograd.grad(loss.sum(), (x, y), create_graph=True)
        ggx, = lib.autograd.grad((gx * gx).sum() + (gy * gy).sum(), x, allow_unused=True)
        return loss, gx, gy, ggx

    x, y = randn(*shapes[0], dtype=np.float64), randn(*shapes[1], seed=3, dtype=np.float64)
    assert_matches_torch(grads, x, y, grad=False)
    gradcheck(lambda lib, x, y: lib.nn.functional.mse_loss(x, y, reduction=reduction), x, y)
