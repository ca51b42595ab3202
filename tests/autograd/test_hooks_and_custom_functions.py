"""torch's newer hook and Function APIs, against torch: multi-grad hooks, post-accumulate-grad
hooks, gradient edges, Function.setup_context, once_differentiable."""
import pytest
import torch

import minitorch
from conftest import assert_close


def multi_hook_calls(lib, mode, use_b):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, 4.0], requires_grad=True)
    c = lib.tensor([5.0], requires_grad=True)
    calls = []

    def record(grads):
        if mode == "all":
            calls.append([None if g is None else g.tolist() for g in grads])
        else:
            calls.append(grads.tolist())

    handle = lib.autograd.graph.register_multi_grad_hook((a, b, c), record, mode=mode)
    loss = (a * 2).sum() + (c * 3).sum() + ((b * b).sum() if use_b else 0)
    loss.backward()
    (a * 5).sum().backward()     # a second backward fires the hook again, with only a's gradient
    handle.remove()
    (a * 7).sum().backward()     # removed: no more calls
    return calls


@pytest.mark.parametrize("use_b", [True, False])
def test_register_multi_grad_hook_all(use_b):
    assert multi_hook_calls(minitorch, "all", use_b) == multi_hook_calls(torch, "all", use_b)


def test_register_multi_grad_hook_any():
    calls = multi_hook_calls(minitorch, "any", True)
    expected = multi_hook_calls(torch, "any", True)
    assert len(calls) == len(expected) == 2 and calls[1] == expected[1]


def post_accumulate_log(lib):
    w = lib.tensor([1.0, -1.0], requires_grad=True)
    seen = []
    w.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.tolist()))
    (w * w).sum().backward()
    (w * 3).sum().backward()
    with pytest.raises(RuntimeError, match="non-leaf"):
        (w * 2).register_post_accumulate_grad_hook(lambda p: None)
    return seen


def test_post_accumulate_grad_hook_sees_the_accumulated_grad():
    assert post_accumulate_log(minitorch) == post_accumulate_log(torch) == [[2.0, -2.0], [5.0, 1.0]]


def test_post_accumulate_grad_hook_can_step_the_optimizer_in_backward():
    """torch's 'optimizer step in backward' recipe: update each parameter as its grad lands."""
    results = []
    for lib in (torch, minitorch):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        optimizer = lib.optim.SGD([w], lr=0.1)

        def step(p, optimizer=optimizer):
            optimizer.step()
            optimizer.zero_grad()
        w.register_post_accumulate_grad_hook(step)
        (w * w).sum().backward()
        results.append(w.detach())
    assert_close(results[1], results[0])


def test_gradient_edge_as_grad_input():
    results = []
    for lib in (torch, minitorch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        hidden = x.exp()
        edge = lib.autograd.graph.get_gradient_edge(hidden)
        assert edge.node is hidden.grad_fn and edge.output_nr == 0
        loss = (hidden * hidden).sum()
        results.append(lib.autograd.grad(loss, [edge])[0])
        with pytest.raises(RuntimeError, match="does not require gradients"):
            lib.autograd.graph.get_gradient_edge(lib.ones(1))
    assert_close(results[1], results[0])


def new_style_function(lib):
    class Cube(lib.autograd.Function):
        @staticmethod
        def forward(x, scale):
            return x ** 3 * scale

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, scale = inputs
            ctx.save_for_backward(x)
            ctx.scale = scale

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return grad * 3 * x ** 2 * ctx.scale, None

    x = lib.tensor([1.0, -2.0, 0.5], requires_grad=True)
    y = Cube.apply(x, 2.0)
    (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
    (gg,) = lib.autograd.grad(g.sum(), x)
    return y, g, gg, y.grad_fn.name()


def test_function_with_setup_context():
    expected, got = new_style_function(torch), new_style_function(minitorch)
    for e, g in zip(expected[:3], got[:3]):
        assert_close(g, e)
    assert got[3] == expected[3] == "CubeBackward"


def once_differentiable_function(lib):
    from_module = __import__(lib.__name__ + ".autograd.function", fromlist=["once_differentiable"])

    class NumpySquare(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @from_module.once_differentiable
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            assert not lib.is_grad_enabled()
            return lib.tensor(2 * x.detach().numpy() * grad.detach().numpy())

    x = lib.tensor([1.0, 3.0], requires_grad=True)
    (g,) = lib.autograd.grad(NumpySquare.apply(x).sum(), x)
    weights = lib.ones(2, requires_grad=True)  # incoming gradient that requires grad: a graph is asked for
    (g_graph,) = lib.autograd.grad(NumpySquare.apply(x), x, weights, create_graph=True)
    with pytest.raises(RuntimeError, match="once_differentiable"):
        g_graph.sum().backward()
    return g, g_graph.requires_grad


def test_once_differentiable():
    expected, got = once_differentiable_function(torch), once_differentiable_function(minitorch)
    assert_close(got[0], expected[0])
    assert got[1] == expected[1] is True


def materialize_grads_function(lib):
    seen = []

    class SplitHalves(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)  # also where no graph is recorded (no_grad below)
            return x[:2] * 1, x[2:] * 1

        @staticmethod
        def backward(ctx, grad_first, grad_second):
            seen.append((grad_first is None, grad_second is None))
            first = lib.zeros(2) if grad_first is None else grad_first
            second = lib.zeros(2) if grad_second is None else grad_second * 10
            return lib.cat([first, second])

    x = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    first, _ = SplitHalves.apply(x)
    first.sum().backward()
    with lib.no_grad():
        untracked = SplitHalves.apply(x)[1]
    return x.grad, untracked, seen


def test_set_materialize_grads_false_passes_none_for_outputs_without_a_gradient():
    expected, got = materialize_grads_function(torch), materialize_grads_function(minitorch)
    assert_close(got[0], expected[0])
    assert_close(got[1], expected[1])
    assert got[2] == expected[2] == [(False, True)]
