"""Backward must not write into a tensor the user can still see: a kept activation, the
gradient passed to backward(), a gradient a hook stored, a retained .grad, or the saved
values a second backward (retain_graph) reads again. Each case runs a CNN block
(conv -> batch norm -> ReLU -> max pool, and avg pool) in both libraries and compares
everything the user holds after backward with torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_close, randn


def _block(lib, x, w, pool):
    """conv -> batch norm (training) -> ReLU -> pool; returns every intermediate the user keeps."""
    F = lib.nn.functional
    c = F.conv2d(x, w, padding=1)
    b = F.batch_norm(c, None, None, training=True)
    r = F.relu(b)
    p = F.max_pool2d(r, 2) if pool == "max" else F.avg_pool2d(r, 2, ceil_mode=True)
    return c, b, r, p


def _run(lib, pool):
    x = lib.tensor(randn(2, 3, 7, 7), requires_grad=True)
    w = lib.tensor(randn(4, 3, 3, 3, seed=1), requires_grad=True)
    c, b, r, p = _block(lib, x, w, pool)
    seen = {}
    r.register_hook(lambda g: seen.setdefault("relu", g))
    b.register_hook(lambda g: seen.setdefault("bn", g))
    p.retain_grad()
    r.retain_grad()
    upstream = lib.tensor(randn(*p.shape, seed=2))
    p.backward(upstream, retain_graph=True)
    first = (x.grad.clone(), w.grad.clone())
    p.backward(upstream)                       # the second backward reads the saved values again
    return {"x.grad after one": first[0], "w.grad after one": first[1], "x.grad after two": x.grad,
            "upstream": upstream, "kept relu output": r, "kept bn output": b, "kept conv output": c,
            "hook's relu grad": seen["relu"], "hook's bn grad": seen["bn"], "retained pool grad": p.grad,
            "retained relu grad": r.grad}


@pytest.mark.parametrize("pool", ["max", "avg"])
def test_backward_leaves_what_the_user_holds_as_torch_does(pool):
    ours, theirs = _run(minitorch, pool), _run(torch, pool)
    for name in ours:
        try:
            assert_close(ours[name], theirs[name], atol=1e-4)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from None
    np.testing.assert_array_equal(ours["upstream"].numpy(), randn(*ours["upstream"].shape, seed=2))
    # The hooks saw the gradient arriving at each tensor; a retained .grad is a copy of it,
    # accumulated over both backward calls, so it is twice the hook's.
    assert_close(ours["retained relu grad"], theirs["hook's relu grad"] * 2, atol=1e-4)


def test_relu_backward_keeps_the_gradient_the_user_passed_and_the_output_they_kept():
    x = minitorch.tensor([[-1.0, 2.0, 0.0, 3.0]], requires_grad=True)
    y = minitorch.relu(x)
    grad = minitorch.tensor([[5.0, 6.0, 7.0, 8.0]])
    y.backward(grad)
    np.testing.assert_array_equal(grad.numpy(), [[5.0, 6.0, 7.0, 8.0]])
    np.testing.assert_array_equal(y.detach().numpy(), [[0.0, 2.0, 0.0, 3.0]])
    np.testing.assert_array_equal(x.grad.numpy(), [[0.0, 6.0, 0.0, 8.0]])


# ----- .grad takes the first gradient's memory only when nothing else can reach it ---------------
def _arrival_pointers(params):
    """Record the data pointer of the gradient arriving at each leaf's AccumulateGrad (an int:
    recording it holds no reference to the gradient)."""
    pointers, handles = {}, []
    for i, p in enumerate(params):
        node = minitorch.autograd.graph.get_gradient_edge(p).node
        handles.append(node.register_prehook(lambda grads, i=i: pointers.__setitem__(i, grads[0].data_ptr())))
    return pointers, handles


def _linear_loss(lib, x, layer):
    return (layer(x) ** 2).sum()


def test_weight_and_bias_take_their_first_gradient_without_a_copy():
    # the weight's gradient arrives as a transposed view of a fresh matmul result: taken whole
    layer = minitorch.nn.Linear(6, 4)
    x = minitorch.tensor(randn(5, 6))
    pointers, handles = _arrival_pointers([layer.weight, layer.bias])
    _linear_loss(minitorch, x, layer).backward()
    assert layer.weight.grad.data_ptr() == pointers[0]
    assert layer.bias.grad.data_ptr() == pointers[1]
    ref = torch.nn.Linear(6, 4)
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(layer.weight.detach().numpy()))
        ref.bias.copy_(torch.tensor(layer.bias.detach().numpy()))
    _linear_loss(torch, torch.tensor(randn(5, 6)), ref).backward()
    assert_close(layer.weight.grad, ref.weight.grad)
    assert_close(layer.bias.grad, ref.bias.grad)
    for h in handles:
        h.remove()


def _ownership_cases(lib):
    """Each case: leaves, and a function running backward and returning what the user holds besides."""
    def shared_by_two_leaves(a, b):    # a + b sends one gradient tensor to both leaves
        ((a + b) * lib.tensor(randn(3, seed=5))).sum().backward()
        return []

    def passed_by_the_user(a, b):      # a leaf's own backward: the gradient is the user's tensor
        g = lib.tensor(randn(3, seed=6))
        a.backward(g)
        (a + b).backward(g)
        return [g]

    def kept_by_a_hook(a, b):
        kept = []
        a.register_hook(lambda g: kept.append(g))
        (a * b).sum().backward()
        return kept

    def retained_non_leaf(a, b):       # y's retained .grad is the gradient flowing on to a and b
        y = a * b
        y.retain_grad()
        (y * y).sum().backward()
        return [y.grad]

    def slices_of_one_gradient(a, b):  # cat's backward hands each input a slice
        (lib.cat([a, b]) ** 2).sum().backward()
        return []

    return {"shared by two leaves": shared_by_two_leaves, "passed by the user": passed_by_the_user,
            "kept by a hook": kept_by_a_hook, "retained non-leaf": retained_non_leaf,
            "slices of one gradient": slices_of_one_gradient}


@pytest.mark.parametrize("case", list(_ownership_cases(torch)))
def test_grad_never_aliases_what_the_user_or_another_grad_holds(case):
    def run(lib):
        a = lib.tensor(randn(3, seed=3), requires_grad=True)
        b = lib.tensor(randn(3, seed=4), requires_grad=True)
        held = _ownership_cases(lib)[case](a, b)
        # write into everything the user holds, one after the other; none may show in another
        for t in [a.grad, b.grad, *held]:
            with lib.no_grad():
                t.mul_(10).add_(1)
        return [a.grad, b.grad, *held]

    for ours, theirs in zip(run(minitorch), run(torch)):
        assert_close(ours, theirs)
