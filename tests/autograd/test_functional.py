"""autograd.functional against torch: vjp, jvp, jacobian, hessian, vhp, hvp."""
import pytest
import torch

import minitorch
from conftest import assert_close, randn

X = randn(3, seed=1)
Y = randn(2, 3, seed=2)


def both(fn, *arrays):
    """fn(lib, *tensors) under torch and minitorch (fresh tensors each time)."""
    return [fn(lib, *(lib.tensor(a) for a in arrays)) for lib in (torch, minitorch)]


def compare(expected, got, atol=1e-5):
    if isinstance(expected, (tuple, list)):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for e, g in zip(expected, got):
            compare(e, g, atol)
    else:
        assert_close(got, expected, atol=atol)
        assert got.requires_grad == expected.requires_grad


def one_input(lib, x):
    return x.exp() * x.sin()


def two_inputs(lib, x, y):
    return (y * x).tanh().sum(0), (x * x).sum()


def scalar(lib, x, y):
    return (x.exp() * y).sum() + (x * x * x).sum()


@pytest.mark.parametrize("create_graph", [False, True])
def test_vjp_and_jvp(create_graph):
    v_out = randn(3, seed=5)
    compare(*both(lambda lib, x, v: lib.autograd.functional.vjp(lambda t: one_input(lib, t), x, v,
                                                                  create_graph=create_graph), X, v_out))
    compare(*both(lambda lib, x, v: lib.autograd.functional.jvp(lambda t: one_input(lib, t), x, v,
                                                                  create_graph=create_graph), X, v_out))
    compare(*both(lambda lib, x, y, v, w: lib.autograd.functional.vjp(lambda a, b: two_inputs(lib, a, b),
                                                                      (x, y), (v, w.sum())), X, Y, v_out, X))
    compare(*both(lambda lib, x, y, v, w: lib.autograd.functional.jvp(lambda a, b: two_inputs(lib, a, b),
                                                                      (x, y), (v, w)), X, Y, v_out, Y))


def test_vjp_of_a_scalar_needs_no_v():
    compare(*both(lambda lib, x: lib.autograd.functional.vjp(lambda t: (t * t).sum(), x), X))


@pytest.mark.parametrize("create_graph", [False, True])
def test_jacobian(create_graph):
    compare(*both(lambda lib, x: lib.autograd.functional.jacobian(lambda t: one_input(lib, t), x,
                                                                  create_graph=create_graph), X))
    compare(*both(lambda lib, x, y: lib.autograd.functional.jacobian(lambda a, b: two_inputs(lib, a, b),
                                                                     (x, y), vectorize=True), X, Y))


def test_jacobian_create_graph_is_differentiable_with_respect_to_the_input():
    results = []
    for lib in (torch, minitorch):
        x = lib.tensor(X, requires_grad=True)
        jac = lib.autograd.functional.jacobian(lambda t: one_input(lib, t), x, create_graph=True)
        results.append(lib.autograd.grad(jac.sum(), x)[0])
    assert_close(results[1], results[0])


def test_hessian_and_hessian_vector_products():
    compare(*both(lambda lib, x: lib.autograd.functional.hessian(lambda t: (t.exp() * t).sum(), x), X))
    compare(*both(lambda lib, x, y: lib.autograd.functional.hessian(lambda a, b: scalar(lib, a, b), (x, y)),
                  X, Y[0]), atol=1e-4)
    for name in ("vhp", "hvp"):
        compare(*both(lambda lib, x, y, v, w: getattr(lib.autograd.functional, name)(
            lambda a, b: scalar(lib, a, b), (x, y), (v, w)), X, Y[0], randn(3, seed=8), randn(3, seed=9)),
            atol=1e-4)


def test_strict_mode_rejects_an_independent_output():
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError, match="independent of input 1"):
            lib.autograd.functional.jacobian(lambda a, b: a * 2, (lib.tensor(X), lib.tensor(X)), strict=True)
    compare(*both(lambda lib, x, y: lib.autograd.functional.jacobian(lambda a, b: a * 2, (x, y)), X, X))


def test_bad_inputs_raise_like_torch():
    for lib in (torch, minitorch):
        with pytest.raises(TypeError):
            lib.autograd.functional.vjp(lambda t: t, [1.0, 2.0])
        with pytest.raises(RuntimeError, match="v can only be None"):
            lib.autograd.functional.vjp(lambda t: t * 2, lib.tensor(X))
