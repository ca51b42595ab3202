"""minitorch.func against torch.func: grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian, vmap."""
import pytest
import torch

import minitorch
from conftest import assert_close, randn

X = randn(3, seed=11)
W = randn(3, 2, seed=12)
B = randn(4, 3, seed=13)


def compare(expected, got, atol=1e-5):
    if isinstance(expected, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(expected)
        for e, g in zip(expected, got):
            compare(e, g, atol)
    elif isinstance(expected, torch.Tensor):
        assert_close(got, expected, atol=atol)
    else:
        assert got == expected


def both(make, *arrays, atol=1e-5):
    """make(lib, *tensors) under both libraries; results must agree."""
    expected, got = (make(lib, *(lib.tensor(a) for a in arrays)) for lib in (torch, minitorch))
    compare(expected, got, atol)
    return got


def loss(lib, x, w):
    return (x @ w).tanh().pow(2).sum()


def test_grad_and_grad_and_value():
    both(lambda lib, x, w: lib.func.grad(lambda a, b: loss(lib, a, b))(x, w), X, W)
    both(lambda lib, x, w: lib.func.grad(lambda a, b: loss(lib, a, b), argnums=(0, 1))(x, w), X, W)
    both(lambda lib, x, w: lib.func.grad_and_value(lambda a, b: loss(lib, a, b), argnums=1)(x, w), X, W)
    both(lambda lib, x, w: lib.func.grad(lambda a: (loss(lib, a, w), a.sum()), has_aux=True)(x), X, W)


def test_grad_of_grad_gives_second_derivatives():
    got = both(lambda lib, x: lib.func.grad(lambda a: lib.func.grad(lambda b: b.sin().sum())(a).sum())(x), X)
    assert not got.requires_grad


def test_grad_connects_to_ordinary_autograd_when_inputs_require_grad():
    results = []
    for lib in (torch, minitorch):
        x = lib.tensor(X, requires_grad=True)
        g = lib.func.grad(lambda a: (a ** 3).sum())(x)
        results.append(lib.autograd.grad(g.sum(), x)[0])
    assert_close(results[1], results[0])


def test_vjp_and_jvp():
    v = randn(2, seed=3)
    both(lambda lib, x, w, c: (lambda out, fn: (out, fn(c)))(*lib.func.vjp(lambda a: a @ w, x)), X, W, v)
    both(lambda lib, x, w, t: lib.func.jvp(lambda a: (a @ w).exp(), (x,), (t,)), X, W, X)


@pytest.mark.parametrize("transform", ["jacrev", "jacfwd"])
def test_jacobians(transform):
    both(lambda lib, x, w: getattr(lib.func, transform)(lambda a: (a @ w).sin())(x), X, W)
    both(lambda lib, x, w: getattr(lib.func, transform)(lambda a, b: (a @ b).sin(), argnums=(0, 1))(x, w), X, W)
    both(lambda lib, x, w: getattr(lib.func, transform)(lambda a: ((a * a).sum(), a.exp()))(x), X, W)


def test_hessian_and_composed_jacobians():
    both(lambda lib, x: lib.func.hessian(lambda a: (a.exp() * a).sum())(x), X, atol=1e-4)
    both(lambda lib, x: lib.func.jacrev(lib.func.jacrev(lambda a: a.sin().prod()))(x), X, atol=1e-4)


def test_vmap_maps_over_the_chosen_dims():
    both(lambda lib, b, w: lib.func.vmap(lambda row: row @ w)(b), B, W)
    both(lambda lib, b, w: lib.func.vmap(lambda r, m: r @ m, in_dims=(0, None))(b, w), B, W)
    both(lambda lib, b: lib.func.vmap(lambda c: (c.sum(), c * 2), in_dims=1, out_dims=(0, 1))(b), B)
    per_example = both(lambda lib, b, w: lib.func.vmap(lib.func.grad(lambda r, m: (r @ m).sum(), argnums=1),
                                                       in_dims=(0, None))(b, w), B, W)
    assert per_example.shape == (4, 3, 2)


def test_vmap_rejects_mismatched_batch_sizes():
    for lib in (torch, minitorch):
        with pytest.raises(ValueError, match="same size in the mapped dimension"):
            lib.func.vmap(lambda a, b: a + b)(lib.ones(2), lib.ones(3))
