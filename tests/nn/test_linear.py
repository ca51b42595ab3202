"""Linear, Bilinear, Embedding, Identity, Flatten/Unflatten, Dropout: oracle tests and init statistics."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import minitorch
import minitorch.nn as nn
from conftest import assert_matches_torch, gradcheck, randn, same_error, same_outcome


def _pair(name, *args, **kwargs):
    """The same layer in both libraries, with torch's weights copied into ours via tensors."""
    theirs = getattr(torch.nn, name)(*args, **kwargs)
    ours = getattr(nn, name)(*args, **kwargs)
    ours.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    return ours, theirs


def _run_pair(ours, theirs):
    return lambda lib, *xs: (ours if lib is minitorch else theirs)(*xs)


@pytest.mark.parametrize("shape", [(5, 3), (3,), (2, 4, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_matches_torch(shape, bias):
    ours, theirs = _pair("Linear", 3, 4, bias=bias)
    assert repr(ours) == repr(theirs)
    assert_matches_torch(_run_pair(ours, theirs), randn(*shape))
    out = ours(minitorch.tensor(randn(*shape)))
    out.sum().backward()
    ref = theirs(torch.tensor(randn(*shape)))
    ref.sum().backward()
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-5, atol=1e-6)
    assert ours.weight.grad.stride() == theirs.weight.grad.stride()   # laid out like the weight
    if bias:
        np.testing.assert_allclose(ours.bias.grad.numpy(), theirs.bias.grad.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
@pytest.mark.parametrize("bias_shape", [(4,), (1, 4), (6, 4)])
def test_linear_bias_gradient_is_the_output_gradient_summed_over_rows(dtype, bias_shape):
    # a row bias's gradient is summed in the affine node's backward, a broadcast one by the
    # engine: both the rows' sum of the output gradient (float16 summed in float32), as torch's
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((6, 3)).astype(dtype), rng.standard_normal((4, 3)).astype(dtype)
    b, g = rng.standard_normal(bias_shape).astype(dtype), (rng.standard_normal((6, 4)) * 100).astype(dtype)
    mb = minitorch.tensor(b, requires_grad=True)
    minitorch.nn.functional.linear(minitorch.tensor(x, requires_grad=True), minitorch.tensor(w), mb).backward(
        minitorch.tensor(g))
    rows = tuple(range(len(g.shape) - len(bias_shape) + (bias_shape[0] == 1)))
    expected = g.astype(np.float32 if dtype == np.float16 else dtype).sum(rows, keepdims=len(bias_shape) > 1)
    np.testing.assert_array_equal(mb.grad.numpy(), expected.astype(dtype).reshape(bias_shape))
    tb = torch.tensor(b, requires_grad=True)
    torch.nn.functional.linear(torch.tensor(x, requires_grad=True), torch.tensor(w), tb).backward(torch.tensor(g))
    np.testing.assert_allclose(mb.grad.numpy(), tb.grad.numpy(), rtol=1e-2 if dtype == np.float16 else 1e-5)


def test_functional_linear_gradcheck_and_double_backward():
    f = lambda lib, x, w, b: lib.nn.functional.linear(x, w, b)
    gradcheck(f, randn(2, 3, 4), randn(5, 4), randn(5))
    assert_matches_torch(f, randn(2, 3, 4, dtype=np.float64), randn(5, 4, dtype=np.float64), randn(5, dtype=np.float64))

    def second(lib, x, w, b):
        y = lib.nn.functional.linear(x, w, b)
        gx, = lib.autograd.grad((y * y).sum(), x, create_graph=True)
        return gx
    assert_matches_torch(second, randn(3, 4), randn(2, 4), randn(2))


def test_linear_shape_and_dtype_errors_like_torch():
    cases = [lambda lib, l: l(lib.ones(4, 3)), lambda lib, l: l(lib.ones(2, 4, 3)), lambda lib, l: l(lib.ones(3)),
             lambda lib, l: l(lib.ones(4, 5, dtype=lib.float64))]
    for case in cases:
        msgs = []
        for lib in (minitorch, torch):
            with pytest.raises(RuntimeError) as info:
                case(lib, lib.nn.Linear(5, 2))
            msgs.append(str(info.value))
        assert msgs[0] == msgs[1]
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(4x3 and 5x2\)"):
        nn.Linear(5, 2)(minitorch.ones(4, 3))


def test_linear_init_distribution_like_torch():
    lin = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)  # kaiming_uniform(a=sqrt(5)) gives exactly U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    w, b = lin.weight.detach().numpy(), lin.bias.detach().numpy()
    assert w.dtype == np.float32 and np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.99 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.01 * bound and abs(w.mean()) < 0.01 * bound
    ref = torch.nn.Linear(400, 300).weight.detach().numpy()
    assert abs(w.std() - ref.std()) < 0.01 * bound
    assert nn.Linear(3, 2, dtype=minitorch.float64).weight.dtype is minitorch.float64


def test_bilinear_matches_torch():
    ours, theirs = _pair("Bilinear", 3, 4, 5)
    assert repr(ours) == repr(theirs)
    assert_matches_torch(_run_pair(ours, theirs), randn(6, 3), randn(6, 4))
    assert_matches_torch(_run_pair(ours, theirs), randn(2, 6, 3), randn(2, 6, 4))
    gradcheck(lambda lib, a, b, w, c: lib.nn.functional.bilinear(a, b, w, c), randn(2, 3), randn(2, 4),
              randn(5, 3, 4), randn(5))
    bound = 1 / math.sqrt(3)
    assert np.abs(nn.Bilinear(3, 4, 50).weight.detach().numpy()).max() <= bound


def test_embedding_matches_torch():
    idx = np.array([[1, 2, 4, 5], [4, 3, 2, 9]])
    for kwargs in ({}, {"padding_idx": 2}, {"scale_grad_by_freq": True}, {"padding_idx": -1}):
        ours, theirs = _pair("Embedding", 10, 3, **kwargs)
        assert repr(ours) == repr(theirs)
        for lib, m in ((minitorch, ours), (torch, theirs)):
            (m(lib.tensor(idx)) * lib.tensor(randn(2, 4, 3))).sum().backward()
        np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(ours(minitorch.tensor(idx)).detach().numpy(),
                                   theirs(torch.tensor(idx)).detach().numpy())
    padded = nn.Embedding(5, 2, padding_idx=0)
    assert padded.weight.detach().numpy()[0].tolist() == [0.0, 0.0]
    gradcheck(lambda lib, w: lib.nn.functional.embedding(lib.tensor(idx), w), randn(10, 3))


def test_embedding_max_norm_and_errors():
    for lib in (minitorch, torch):
        emb = lib.nn.Embedding(4, 3, max_norm=1.0)
        with lib.no_grad():
            emb.weight.mul_(0).add_(lib.tensor([[3.0, 0, 0], [0.1, 0, 0], [0, 5.0, 0], [1, 1, 1]]))
        emb(lib.tensor([0, 1, 0]))
        w = emb.weight.detach().numpy()
        np.testing.assert_allclose(np.linalg.norm(w[:2], axis=1), [1.0, 0.1], rtol=1e-5)
        assert w[2, 1] == 5.0
    with pytest.raises(IndexError, match="index out of range in self"):
        nn.Embedding(3, 2)(minitorch.tensor([3]))
    with pytest.raises(RuntimeError, match="Expected tensor for argument #1 'indices'"):
        nn.Embedding(3, 2)(minitorch.tensor([1.0]))
    pre = nn.Embedding.from_pretrained(minitorch.ones(2, 3))
    assert not pre.weight.requires_grad and repr(pre) == "Embedding(2, 3)"


def test_identity_flatten_unflatten():
    for name, args in (("Identity", (1, 2)), ("Flatten", ()), ("Flatten", (0, 2)), ("Unflatten", (1, (2, 6)))):
        ours, theirs = _pair(name, *args)
        assert repr(ours) == repr(theirs)
        assert_matches_torch(_run_pair(ours, theirs), randn(2, 12, 2) if name != "Flatten" else randn(2, 3, 4, 5))


def test_dropout_train_eval_and_scaling():
    x = minitorch.ones(200, 100, requires_grad=True)
    drop = nn.Dropout(0.3)
    assert repr(drop) == repr(torch.nn.Dropout(0.3))
    y = drop(x)
    kept = y.detach().numpy() != 0
    assert abs(kept.mean() - 0.7) < 0.02
    np.testing.assert_allclose(y.detach().numpy()[kept], 1 / 0.7, rtol=1e-6)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), kept / 0.7, rtol=1e-6)
    drop.eval()
    assert drop(x) is x
    assert nn.functional.dropout(x, 1.0).detach().numpy().max() == 0
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        nn.Dropout(1.5)
    with pytest.raises(ValueError, match="but got -0.1"):
        nn.functional.dropout(x, -0.1)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_dropout_mask_rate_dtype_seed_and_node_like_torch(p, dtype):
    # an odd element count: the mask takes two 32-bit numbers from each 64-bit draw
    x = minitorch.ones(301, 99, dtype=getattr(minitorch, dtype), requires_grad=True)
    minitorch.manual_seed(7)
    y = nn.functional.dropout(x, p)
    minitorch.manual_seed(7)
    again = nn.functional.dropout(x, p)
    theirs = torch.nn.functional.dropout(torch.ones(301, 99, dtype=getattr(torch, dtype), requires_grad=True), p)
    np.testing.assert_array_equal(y.detach().numpy(), again.detach().numpy())  # reproducible under a seed
    assert y.dtype is getattr(minitorch, dtype) and y.grad_fn.name() == theirs.grad_fn.name()
    kept = y.detach().numpy() != 0
    assert abs(kept.mean() - (1 - p)) < 4 * np.sqrt(p * (1 - p) / kept.size)  # within 4 standard deviations
    np.testing.assert_allclose(y.detach().numpy()[kept], float(theirs.detach().max()), rtol=1e-3)


def test_feature_and_alpha_dropout():
    y = nn.functional.dropout2d(minitorch.ones(50, 40, 3, 3), 0.5).numpy()
    per_channel = y.reshape(50, 40, 9)
    assert np.all((per_channel == 0).all(-1) | (per_channel == 2).all(-1))
    assert abs((per_channel[..., 0] == 0).mean() - 0.5) < 0.05
    x = minitorch.randn(200000)
    a = nn.AlphaDropout(0.2)(x).numpy()  # keeps zero mean and unit variance on normal input
    assert abs(a.mean()) < 0.02 and abs(a.std() - 1) < 0.02
    assert repr(nn.Dropout2d()) == repr(torch.nn.Dropout2d()) and repr(nn.AlphaDropout(0.1)) == "AlphaDropout(p=0.1, inplace=False)"


@pytest.mark.parametrize("index_shape", [(0,), (2, 0), (0, 3), (3,), (2, 2), ()], ids=str)
@pytest.mark.parametrize("options", [{}, {"padding_idx": 1}, {"scale_grad_by_freq": True}], ids=str)
def test_embedding_gradients_with_empty_and_scalar_indices_match_torch(index_shape, options):
    """An empty index gives an empty lookup and a zero gradient (it used to fail reshaping nothing)."""
    index = np.arange(int(np.prod(index_shape)), dtype=np.int64).reshape(index_shape) % 4
    assert_matches_torch(lambda L, w: L.nn.functional.embedding(L.tensor(index), w, **options), randn(4, 3))


LAYER_EDGE_CALLS = [
    lambda L: L.nn.functional.linear(L.ones(2, 3), L.ones(3)),
    lambda L: L.nn.functional.linear(L.ones(3), L.ones(2, 3), L.ones(2)),
    lambda L: L.nn.functional.linear(L.ones(3), L.ones(3), L.ones(())),
    lambda L: L.nn.functional.linear(L.ones(3), L.ones(3), L.ones(2)),
    lambda L: L.nn.functional.linear(L.ones(2, 3), L.ones(4, 3), L.ones(3)),
    lambda L: L.nn.functional.linear(L.ones(()), L.ones(2, 3)),
    lambda L: L.nn.functional.linear(L.ones(2, 3), L.ones(())),
    lambda L: L.nn.functional.linear(L.ones(2, 3), L.ones(2, 2, 3)),
    lambda L: L.nn.functional.linear(L.ones(2, 3), L.ones(4)),
    lambda L: L.nn.functional.linear(L.ones(3), L.ones(4)),
    lambda L: L.nn.functional.linear(L.ones(2, 3), L.ones(4), L.ones(2)),
    lambda L: L.nn.functional.linear(L.ones(2, 5, 3), L.ones(4, 2)),
    lambda L: L.nn.functional.linear(L.ones(2, 3), L.ones(4, 3), L.ones(2, 4)),
    lambda L: L.nn.functional.linear(L.ones(2, 3), L.ones(4, 3), L.ones(3, 1)),
    lambda L: L.nn.functional.dropout(L.ones(3, dtype=L.bool)),
    lambda L: L.nn.functional.dropout(L.ones(3, dtype=L.int64), p=0.0),
    lambda L: L.nn.functional.dropout(L.ones(3, dtype=L.int64), training=False),
    lambda L: L.nn.functional.normalize(L.ones(3, dtype=L.int64), dim=0),
]


@pytest.mark.parametrize("call", range(len(LAYER_EDGE_CALLS)))
def test_linear_dropout_normalize_edges_match_torch(call):
    """A 1-D weight makes linear a dot product; bias must expand to the output; integer inputs refused;
    the shape errors say what torch says."""
    same_outcome(lambda L: LAYER_EDGE_CALLS[call](L))
    try:
        LAYER_EDGE_CALLS[call](torch)
    except RuntimeError:
        same_error(LAYER_EDGE_CALLS[call])


def _node_tree(fn, depth=4):
    """The graph under `fn` as nested (name, children) tuples; None for an input without history."""
    if fn is None or depth == 0:
        return None
    name = fn.name() if hasattr(fn, "name") else type(fn).__name__
    name = name.replace("torch::autograd::", "")
    return name, tuple(_node_tree(child, depth - 1) for child, _ in fn.next_functions)


@pytest.mark.parametrize("shape", [(3,), (5, 3), (2, 5, 3), (2, 2, 5, 3), "transposed"])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("input_grad", [True, False])
def test_linear_records_the_nodes_torch_records(shape, bias, input_grad):
    """AddmmBackward0(bias, input, TBackward0(weight)) for a matrix, views around it for other ranks."""
    def graph(lib):
        x = lib.tensor(randn(5, 2, 3) if shape == "transposed" else randn(*shape), requires_grad=input_grad)
        if shape == "transposed":
            x = x.transpose(0, 1)   # non-contiguous: torch multiplies, then adds the bias
        w = lib.tensor(randn(4, 3), requires_grad=True)
        b = lib.tensor(randn(4), requires_grad=True) if bias else None
        return _node_tree(lib.nn.functional.linear(x, w, b).grad_fn)
    assert graph(minitorch) == graph(torch)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("shapes", [((5, 4), (5, 4)), ((5, 4), (4,)), ((4,), (5, 4))])
def test_mse_loss_of_a_linear_layer_is_one_node_like_torch(reduction, shapes):
    """blitz/neural_networks_tutorial prints loss.grad_fn and its next_functions."""
    import warnings

    def graph(lib):
        x = lib.tensor(randn(*shapes[0]), requires_grad=True)
        layer = lib.nn.Linear(4, 4)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the broadcast-target warning
            loss = lib.nn.functional.mse_loss(layer(x) if x.ndim == 2 else x, lib.tensor(randn(*shapes[1])),
                                              reduction=reduction)
        return _node_tree(loss.grad_fn)
    assert graph(minitorch) == graph(torch)
