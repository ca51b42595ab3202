"""Tensor and autograd examples from the seed notes (../shared/seeds/002_*.txt), run unchanged
under minitorch and under torch; their printed output must be identical (for random values,
the printed shapes and dtypes).

The index/shape/reduction examples of the same notes are tested by their op families.
"""
import contextlib
import io
import textwrap

import numpy as np
import pytest
import torch

import minitorch


def printed(snippet, lib):
    """What `snippet` prints when `torch` names `lib`."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(textwrap.dedent(snippet), {"torch": lib, "np": np})
    return out.getvalue()


def assert_prints_like_torch(snippet):
    mt, th = printed(snippet, minitorch), printed(snippet, torch)
    assert mt == th, f"\nminitorch printed:\n{mt}\ntorch printed:\n{th}"


SNIPPETS = {
    "attributes": """
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        a = torch.add(w, x)
        b = torch.add(w, 1)
        y = torch.mul(a, b)
        y.backward()
        print(w.grad)
        print("is_leaf:", w.is_leaf, x.is_leaf, a.is_leaf, b.is_leaf, y.is_leaf)
        print("grad_fn:", w.grad_fn, a.grad_fn.name(), y.grad_fn.name())
        print(w.data, w.dtype, w.device, w.requires_grad, a.requires_grad)
    """,
    "retain_grad": """
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        a = torch.add(w, x)
        a.retain_grad()
        y = torch.mul(a, torch.add(w, 1))
        y.backward()
        print(w.grad, x.grad, a.grad)
    """,
    "create_from_data": """
        arr = np.ones((3, 3))
        print(arr.dtype)
        t = torch.tensor(arr)
        print(t)
        t = torch.from_numpy(arr)
        arr[0, 0] = 0
        print(t)
        t[1, 1] = -1
        print(arr)
        print(torch.tensor([1, 2.5]), torch.tensor([True]), torch.tensor([[1, 2], [3, 4]]))
    """,
    "create_from_values": """
        out_t = torch.tensor([1])
        t = torch.zeros((3, 3), out=None)
        print(t, out_t)
        print(torch.zeros_like(t), torch.ones(2, 3, dtype=torch.int64))
        print(torch.full((3, 3), 1.))
        print(torch.full((2, 2), 7))
        print(torch.arange(2, 10, 2))
        print(torch.arange(1., 2.5, 0.5))
        print(torch.linspace(2, 10, 5))
        print(torch.linspace(2, 10, 6))
        print(torch.logspace(0, 2, 3))
        print(torch.logspace(0, 3, 4, base=2))
        print(torch.eye(3), torch.eye(2, 3))
    """,
    "create_from_distributions": """
        mean = torch.arange(1, 5, dtype=torch.float)
        std = torch.arange(1, 5, dtype=torch.float)
        t_normal = torch.normal(mean, std)
        print("tensor/tensor", t_normal.shape, t_normal.dtype)
        t_normal = torch.normal(0., 1., size=(4,))
        print("float/float", t_normal.shape, t_normal.dtype)
        t_normal = torch.normal(mean, 1.)
        print("tensor/float", t_normal.shape, t_normal.dtype)
        t_normal = torch.normal(1., std)
        print("float/tensor", t_normal.shape, t_normal.dtype)
        print(torch.randn(2, 3).shape, torch.randn_like(mean).shape, torch.rand(3, 2).dtype)
        print(torch.rand_like(std).shape, torch.randint(0, 9, size=(3, 3)).dtype)
        print(sorted(torch.randperm(5).tolist()))
        b = torch.bernoulli(torch.full((2, 3), 0.5))
        print(b.shape, b.dtype, set(b.flatten().tolist()) <= {0.0, 1.0})
    """,
    "broadcasting": """
        feature = torch.ones(4, 32, 14, 14)
        bias = torch.arange(32.).reshape(32, 1, 1)
        out = feature + bias
        print(out.shape, out[3, 31, 13, 13], out[0, 5, 0, 0])
        print(torch.ones(3, 1) * torch.arange(4.))
        print((torch.ones(2, 1, 3) - torch.ones(4, 1)).shape)
    """,
    "rounding_and_clamp": """
        a = torch.tensor([-2.5, -1.5, -0.6, 0.4, 0.5, 1.5, 2.7, 3.2])
        print(torch.floor(a))
        print(torch.ceil(a))
        print(torch.trunc(a))
        print(torch.frac(a))
        print(torch.round(a))
        print(torch.clamp(a, -1, 1))
        print(torch.clamp(a, min=0.5))
    """,
    "second_derivative": """
        x = torch.tensor([3.], requires_grad=True)
        y = torch.pow(x, 2)
        grad_1 = torch.autograd.grad(y, x, create_graph=True)
        print(grad_1)
        grad_2 = torch.autograd.grad(grad_1[0], x)
        print(grad_2)
    """,
    "backward_twice_needs_retain_graph": """
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        y = torch.mul(torch.add(w, x), torch.add(w, 1))
        y.backward(retain_graph=True)
        print(w.grad)
        y.backward()
        print(w.grad)
        try:
            y.backward()
        except RuntimeError as e:
            print("RuntimeError", "backward through the graph a second time" in str(e))
    """,
    "grad_tensors": """
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        a = torch.add(w, x)
        b = torch.add(w, 1)
        y0 = torch.mul(a, b)
        y1 = torch.add(a, b)
        loss = torch.cat([y0, y1], dim=0)
        loss.backward(gradient=torch.tensor([1., 2.]))
        print(w.grad)
    """,
    "gradients_accumulate_until_zeroed": """
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        for i in range(3):
            y = torch.mul(torch.add(w, x), torch.add(w, 1))
            y.backward()
            print(w.grad)
        w.grad.zero_()
        print(w.grad)
    """,
    "dependents_require_grad": """
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        a = torch.add(w, x)
        b = torch.add(w, 1)
        y = torch.mul(a, b)
        print(a.requires_grad, b.requires_grad, y.requires_grad)
    """,
    "inplace_vs_out_of_place": """
        a = torch.ones((1,))
        before = a.data_ptr()
        a = a + torch.ones((1,))
        print(a, a.data_ptr() == before)
        a = torch.ones((1,))
        before = a.data_ptr()
        a += torch.ones((1,))
        print(a, a.data_ptr() == before)
        a.add_(1)
        print(a)
    """,
    "leaf_inplace_is_refused": """
        w = torch.tensor([1.], requires_grad=True)
        try:
            w.add_(1)
        except RuntimeError as e:
            print("RuntimeError:", e)
    """,
    "modified_leaf_before_backward": """
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        a = torch.add(w, x)
        b = torch.add(w, 1)
        y = torch.mul(a, b)
        a.add_(1)
        try:
            y.backward()
        except RuntimeError as e:
            print("RuntimeError", "modified by an inplace operation" in str(e))
    """,
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_seed_snippet(name):
    assert_prints_like_torch(SNIPPETS[name])
