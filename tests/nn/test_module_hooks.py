"""Module hooks (minitorch/nn/modules/module_hooks.py): forward pre/post hooks, full backward hooks."""
from __future__ import annotations

import numpy as np
import torch

import minitorch
import minitorch.nn as nn


def test_forward_hooks_order_and_removal():
    for lib in (minitorch, torch):
        lin = lib.nn.Linear(2, 2)
        calls = []
        h1 = lin.register_forward_pre_hook(lambda m, args: calls.append("pre") or (args[0] * 0,))
        h2 = lin.register_forward_hook(lambda m, args, out: calls.append("post") or out + 1)
        out = lin(lib.ones(1, 2))
        assert calls == ["pre", "post"]
        np.testing.assert_allclose(out.detach().numpy(), lin.bias.detach().numpy()[None] + 1)
        h1.remove()
        h2.remove()
        lin(lib.ones(1, 2))
        assert calls == ["pre", "post"]
        kw = []
        lin.register_forward_hook(lambda m, args, kwargs, out: kw.append(sorted(kwargs)), with_kwargs=True)
        lin(input=lib.ones(1, 2))
        assert kw == [["input"]]


def _hook_record(lib):
    lin = lib.nn.Linear(3, 2)
    lin.load_state_dict({"weight": lib.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]]), "bias": lib.zeros(2)})
    record = {}

    def hook(module, grad_input, grad_output):
        record["in"] = [g.numpy().copy() if g is not None else None for g in grad_input]
        record["out"] = [g.numpy().copy() for g in grad_output]
        return (grad_input[0] * 10,)

    lin.register_full_backward_hook(hook)
    x = lib.tensor([[1.0, -1.0, 2.0]], requires_grad=True)
    (lin(x) * lib.tensor([[2.0, 3.0]])).sum().backward()
    return record, x.grad.numpy()


def test_full_backward_hook_matches_torch():
    (ours, gx_m), (theirs, gx_t) = _hook_record(minitorch), _hook_record(torch)
    np.testing.assert_allclose(ours["out"][0], theirs["out"][0])
    np.testing.assert_allclose(ours["in"][0], theirs["in"][0])
    np.testing.assert_allclose(gx_m, gx_t)  # the hook's replacement gradient reached x


def test_full_backward_hook_without_input_grad():
    for lib in (minitorch, torch):
        lin = lib.nn.Linear(2, 1)
        seen = []
        lin.register_full_backward_hook(lambda m, gi, go: seen.append((gi, len(go))))
        lin(lib.ones(1, 2)).sum().backward()
        assert seen == [((None,), 1)]


def test_backward_pre_hook_can_replace_grad_output():
    lin = nn.Linear(2, 1)
    lin.register_full_backward_pre_hook(lambda m, go: (go[0] * 0,))
    lin(minitorch.ones(1, 2)).sum().backward()
    assert lin.weight.grad.tolist() == [[0.0, 0.0]]
