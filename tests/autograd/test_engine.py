"""The backward engine: accumulation, retain_graph, create_graph, hooks, errors, deep graphs."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_close, assert_matches_torch, randn


def test_gradients_accumulate_into_leaves_across_backward_calls():
    x = minitorch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x).sum().backward()
    (x * 3).sum().backward()
    assert x.grad.tolist() == [5.0, 7.0, 9.0]


def test_non_leaf_grad_is_none_unless_retained():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = x * 3
    z.retain_grad()
    (y.sum() + (z * z).sum()).backward()
    with pytest.warns(UserWarning, match="not a leaf"):
        assert y.grad is None
    assert z.grad.tolist() == [6.0, 12.0]
    assert z.retains_grad and not z.is_leaf and x.is_leaf


def test_second_backward_through_freed_graph_raises():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp()).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


def test_retain_graph_allows_second_backward():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp()).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.exp([1.0, 2.0]), rtol=1e-6)


def test_third_derivative_of_cube():
    x = minitorch.tensor(2.0, requires_grad=True)
    y = x ** 3
    g1, = minitorch.autograd.grad(y, x, create_graph=True)
    g2, = minitorch.autograd.grad(g1, x, create_graph=True)
    g3, = minitorch.autograd.grad(g2, x)
    assert (g1.item(), g2.item(), g3.item()) == (12.0, 12.0, 6.0)


def test_gradient_penalty_through_matmul_and_softmax_matches_torch():
    def penalty(lib, x, w):
        y = (x @ w).exp()
        y = y / y.sum(dim=1, keepdim=True)
        g, = lib.autograd.grad((y * y).sum(), x, create_graph=True)
        return (g * g).sum()
    assert_matches_torch(penalty, randn(4, 3), randn(3, 5), atol=1e-5)


def test_non_scalar_backward_needs_gradient():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="implicitly created only for scalar outputs"):
        (x * 2).backward()
    (x * 2).backward(minitorch.tensor([1.0, 10.0]))
    assert x.grad.tolist() == [2.0, 20.0]


def test_gradient_shape_mismatch_names_shapes():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Mismatch in shape.*\[3\].*\[2\]"):
        (x * 2).backward(minitorch.ones(3))


def test_backward_on_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        minitorch.ones(2).sum().backward()


def test_inplace_on_leaf_requiring_grad_raises():
    x = minitorch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x.add_(1)
    with minitorch.no_grad():
        x.add_(1)
    assert x.tolist() == [2.0, 2.0]


def test_modified_saved_tensor_is_detected():
    x = minitorch.ones(3, requires_grad=True)
    y = x * 2
    z = y.exp()      # saves its output
    z.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation.*version 1; expected version 0"):
        z.sum().backward()


def test_inplace_rebases_history():
    def fn(lib, x):
        y = x * 2
        y.mul_(3)
        y += x
        return y
    assert_matches_torch(fn, randn(4))


def test_tensor_hook_can_replace_gradient_and_be_removed():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    handle = y.register_hook(lambda g: g * 10)
    y.sum().backward(retain_graph=True)
    assert x.grad.tolist() == [10.0, 10.0]
    handle.remove()
    x.grad = None
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_leaf_hook_sees_gradient():
    seen = []
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: seen.append(g.tolist()))
    (x * 3).sum().backward()
    assert seen == [[3.0, 3.0]]


def test_grad_fn_graph_is_inspectable():
    x = minitorch.tensor([1.0], requires_grad=True)
    y = (x * 2).exp()
    assert y.grad_fn.name() == "ExpBackward0"
    mul = y.grad_fn.next_functions[0][0]
    assert mul.name() == "MulBackward0"
    acc = mul.next_functions[0][0]
    assert acc.name() == "AccumulateGrad" and acc.variable is x
    assert mul.next_functions[1] == (None, 0)  # torch wraps the number 2 as a 0-d tensor needing no gradient
    z = x * minitorch.ones(1)
    assert z.grad_fn.next_functions[1] == (None, 0)  # a tensor input that needs no gradient


def test_very_deep_graph_does_not_recurse():
    x = minitorch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert x.grad.item() == 1.0


def test_grad_with_unused_input():
    x = minitorch.tensor(1.0, requires_grad=True)
    z = minitorch.tensor(1.0, requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="appears to not have been used"):
        minitorch.autograd.grad(y, [x, z])
    gx, gz = minitorch.autograd.grad(x * 2, [x, z], allow_unused=True)
    assert gx.item() == 2.0 and gz is None
    gx, gz = minitorch.autograd.grad(x * 2, [x, z], materialize_grads=True)
    assert gz.item() == 0.0


def test_grad_does_not_touch_dot_grad():
    x = minitorch.tensor(3.0, requires_grad=True)
    g, = minitorch.autograd.grad(x * x, x)
    assert g.item() == 6.0 and x.grad is None


def test_backward_inputs_limits_accumulation():
    a = minitorch.tensor(1.0, requires_grad=True)
    b = minitorch.tensor(2.0, requires_grad=True)
    (a * b).backward(inputs=[a])
    assert a.grad.item() == 2.0 and b.grad is None


def test_no_grad_and_decorators():
    x = minitorch.ones(2, requires_grad=True)
    with minitorch.no_grad():
        assert not (x * 2).requires_grad
        with minitorch.enable_grad():
            assert (x * 2).requires_grad

    @minitorch.no_grad()
    def f():
        return x * 2

    @minitorch.no_grad
    def g():
        return x * 2

    assert not f().requires_grad and not g().requires_grad
    with minitorch.set_grad_enabled(False):
        assert not minitorch.is_grad_enabled()
    assert minitorch.is_grad_enabled()
    with minitorch.inference_mode():
        assert not (x * 2).requires_grad


@pytest.mark.parametrize("lib", [minitorch, torch], ids=["minitorch", "torch"])
def test_grad_mode_belongs_to_each_thread(lib):
    """A no_grad block in one thread leaves another thread recording, as in torch: each
    thread starts with grad mode on, and a thread training while another evaluates keeps its graph."""
    import threading
    entered, evaluated = threading.Event(), threading.Event()
    seen = {}

    def evaluate():
        with lib.no_grad():
            entered.set()
            evaluated.wait(10)
            seen["evaluator"] = lib.is_grad_enabled()

    def train():
        entered.wait(10)
        seen["trainer_mode"] = lib.is_grad_enabled()
        w = lib.ones(3, requires_grad=True)
        (w * 2).sum().backward()
        seen["trainer_grad"] = w.grad.tolist()
        evaluated.set()

    threads = [threading.Thread(target=evaluate), threading.Thread(target=train)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert seen == {"evaluator": False, "trainer_mode": True, "trainer_grad": [2.0, 2.0, 2.0]}
    with lib.no_grad():
        child = {}
        t = threading.Thread(target=lambda: child.setdefault("mode", lib.is_grad_enabled()))
        t.start()
        t.join(10)
        assert child["mode"] is True and not lib.is_grad_enabled()


def test_custom_function_behaves_like_builtin():
    class Cube(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return grad * 3 * x ** 2

    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = Cube.apply(x)
    assert y.grad_fn.name() == "CubeBackward"
    g, = minitorch.autograd.grad(y.sum(), x, create_graph=True)
    assert g.tolist() == [3.0, 12.0]
    g2, = minitorch.autograd.grad(g.sum(), x)
    assert g2.tolist() == [6.0, 12.0]


def test_custom_function_non_differentiable_output():
    class SortLike(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            idx = minitorch.arange(x.shape[0])
            ctx.mark_non_differentiable(idx)
            return x * 1, idx

        @staticmethod
        def backward(ctx, g, gi):
            return g

    out, idx = SortLike.apply(minitorch.ones(3, requires_grad=True))
    assert out.requires_grad and not idx.requires_grad


def test_gradcheck_detects_wrong_backward():
    class Wrong(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, grad):
            return grad  # should be 2x * grad

    x = minitorch.tensor([1.0, 2.0], dtype=minitorch.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        minitorch.autograd.gradcheck(Wrong.apply, (x,))
    assert minitorch.autograd.gradcheck(lambda t: t * t, (x,))
    assert minitorch.autograd.gradgradcheck(lambda t: (t * t * t).sum(), (x,))


def test_detect_anomaly_names_the_op():
    x = minitorch.tensor([0.0], requires_grad=True)
    with minitorch.autograd.detect_anomaly():
        y = (x.log() * 0).sum()  # 0 * -inf gives nan in the backward of log
        with pytest.raises(RuntimeError, match="LogBackward0.*nan"), pytest.warns(UserWarning):
            y.backward()


def test_inplace_through_a_view_updates_the_base_history():
    def scale_a_slice(lib, a):
        b = a * 1
        b[0:2].mul_(2)
        return b

    def assign_into_a_row(lib, x, w):
        y = x * 1
        row = y[0]
        row[1] = w.sum()
        return y * y

    def write_through_view_of_view(lib, a, v):
        b = a.exp()
        b.t()[1:, :1].add_(v)
        return b.sum(dim=0)

    assert_matches_torch(scale_a_slice, randn(3))
    assert_matches_torch(assign_into_a_row, randn(2, 3), randn(2))
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        x = minitorch.randn(2, 3, requires_grad=True)
        b = x.exp()          # exp saves its output, which the write below changes
        b.t()[1:, :1].add_(1.0)
        b.sum().backward()
    assert_matches_torch(write_through_view_of_view, randn(2, 3), randn(2, 1), grad=False)


def test_inplace_through_view_of_tensor_without_grad_picks_up_history():
    def fill_from_param(lib, w):
        buf = lib.zeros(2, 3)
        buf[:, 1].copy_(w * 3)
        return buf
    assert_matches_torch(fill_from_param, randn(2))


def test_overwriting_inplace_ops_cut_the_old_history():
    def overwrite(lib, a):
        y = a * 2
        y.fill_(3.0)
        z = a * 1
        z.zero_()
        return y * a + z
    assert_matches_torch(overwrite, randn(4))


@pytest.mark.parametrize("expression", ["x + 1", "1 + x", "x - 1", "1 - x", "x * 2", "2 * x", "x / 2", "2 / x", "x ** 2",
                                        "x.add(1, alpha=2)", "x.exp() * 3", "(x * 2 + 1).sum()"])
def test_next_functions_list_number_operands_like_torch(expression):
    """torch wraps a number `other` of add/sub/mul/div as a tensor needing no gradient: (None, 0)."""
    def name(node):
        return node.name().replace("torch::autograd::", "")

    def edges(lib):
        node = eval(expression, {"x": lib.ones(2, requires_grad=True)}).grad_fn
        chain = []
        while node is not None:  # down the first edge to the leaf
            chain.append([name(node)] + [None if n is None else name(n) for n, _ in node.next_functions])
            node = node.next_functions[0][0] if node.next_functions else None
        return chain
    assert edges(minitorch) == edges(torch)


@pytest.mark.parametrize("shape", [(), (300,), (64, 1)], ids=str)
def test_float16_gradient_of_a_broadcast_input_is_summed_in_float32_like_torch(shape):
    """The gradient of a broadcast float16 input sums 64 or more terms: in float16 it drifts by whole ulps."""
    rng = np.random.default_rng(0)
    x, w = (rng.standard_normal((64, 300)).astype(np.float16) for _ in range(2))
    grads = []
    for L in (torch, minitorch):
        X, B = L.tensor(x, requires_grad=True), L.tensor(np.full(shape, 0.5, np.float16), requires_grad=True)
        (X * B + B).backward(L.tensor(w))
        grads.append(B.grad.numpy())
    np.testing.assert_array_equal(grads[1], grads[0])


def _interleaved(lib):
    """Branches that rejoin, and a leaf whose AccumulateGrad is first made halfway through."""
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([0.5, -1.0], requires_grad=True)
    u = a.exp()
    v = (u * b).sin()
    w = a.cos() + v
    return (w * u).sum() + (v * b).tanh().sum(), a, b


def _execution_order(lib, output):
    """The names of the op nodes in the order the engine runs them (node pre-hooks), leaves left out."""
    runs, seen, stack = [], set(), [output.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        if "AccumulateGrad" not in node.name():
            node.register_prehook(lambda grads, node=node: runs.append(node.name()))
        stack.extend(child for child, _ in node.next_functions)
    output.backward()
    return runs


def test_nodes_run_newest_first_in_torchs_order():
    ours, theirs = _interleaved(minitorch), _interleaved(torch)
    assert _execution_order(minitorch, ours[0]) == _execution_order(torch, theirs[0])
    assert [n.name() for n in minitorch.autograd.graph.tape(_interleaved(minitorch)[0])
            if n.name() != "AccumulateGrad"] == _execution_order(torch, _interleaved(torch)[0])
    for mine, torchs in zip(ours[1:], theirs[1:]):
        np.testing.assert_allclose(mine.grad.numpy(), torchs.grad.numpy(), rtol=1e-6)
