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
