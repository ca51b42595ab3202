"""explain_backward and step_backward: a trace of the real engine, checked against torch's own
execution order and node gradients (recorded with node pre-hooks)."""
import numpy as np
import pytest
import torch

import minitorch
from minitorch.autograd import engine


def log_plus_exp(lib):
    x = lib.tensor(2.0, requires_grad=True)
    y = lib.tensor(3.0, requires_grad=True)
    xy = x * y
    return xy.log() + xy.exp(), x, y


def torch_execution(output):
    """(node name, incoming gradient) per node as torch's engine runs them."""
    seen, stack, runs = set(), [output.grad_fn], []
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        node.register_prehook(lambda grads, node=node: runs.append((node.name().split("::")[-1], [g.tolist() for g in grads])))
        stack.extend(child for child, _ in node.next_functions)
    output.backward()
    return runs


def test_trace_follows_torchs_order_and_gradients():
    expected = torch_execution(log_plus_exp(torch)[0])
    z, x, y = log_plus_exp(minitorch)
    trace = minitorch.autograd.explain_backward(z, params={"x": x, "y": y})
    got = [(step.node.name(), [g.tolist() for g in step.grad]) for step in trace]
    # Two leaves become ready together; torch leaves their order to its heap, so compare them as a set.
    leaves_last = lambda runs: runs[:-2] + sorted(runs[-2:])
    got, expected = leaves_last(got), leaves_last(expected)
    assert [name for name, _ in got] == [name for name, _ in expected]
    for (_, g), (_, e) in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-5)
    tx, ty = log_plus_exp(torch)[1:]
    (tx * ty).log().add((tx * ty).exp()).backward()
    assert np.isclose(x.grad.item(), tx.grad.item()) and np.isclose(y.grad.item(), ty.grad.item())


def test_trace_shows_each_contribution_and_where_gradients_go():
    z, x, y = log_plus_exp(minitorch)
    trace = minitorch.autograd.explain_backward(z, params={"x": x, "y": y})
    mul = next(step for step in trace if step.label == "MulBackward0")
    assert [src for _, _, src in mul.incoming] == ["ExpBackward0", "LogBackward0"]
    text = str(trace)
    assert "403.5954 = 403.4288 (ExpBackward0) + 0.1667 (LogBackward0)" in text
    assert "-> AccumulateGrad(x)" in text and ".grad of y" in text
    assert "return grad * out" in mul_rule(trace, "ExpBackward0")
    assert all(step.time_us > 0 for step in trace)


def mul_rule(trace, label):
    return next(step.source for step in trace if step.label == label)


def test_html_and_value_modes():
    w = minitorch.randn(5, 4, requires_grad=True)
    loss = (minitorch.randn(3, 5) @ w).relu().sum()
    trace = minitorch.autograd.explain_backward(loss, params={'w"<name>': w}, source=False, time=False)
    assert "<5x4 |g|=" in str(trace)            # large gradients shown as shape and norm
    assert "backward rule" not in str(trace) and "time" not in str(trace).splitlines()[0]
    html = trace._repr_html_()
    assert html.startswith("<table>") and "&lt;name&gt;" in html and '<name>' not in html


def test_step_backward_exposes_pending_buffers_and_dependency_counts():
    z, x, y = log_plus_exp(minitorch)
    steps = list(minitorch.autograd.step_backward(z, params={"x": x, "y": y}))
    third = steps[2]                               # LogBackward0 starts: Exp has already sent to Mul
    assert third.label == "LogBackward0"
    assert list(third.pending) == ["MulBackward0"]
    assert np.isclose(third.pending["MulBackward0"][0].item(), np.exp(6.0))
    assert third.dependencies == {"MulBackward0": 1}   # still waiting for Log itself
    assert steps[3].label == "MulBackward0" and steps[3].pending == {}


def test_tracing_is_off_after_the_trace_even_on_error():
    x = minitorch.tensor([1.0], requires_grad=True)
    y = x * 2
    y.sum().backward()
    with pytest.raises(RuntimeError, match="second time"):
        minitorch.autograd.explain_backward(y.sum() * 1 + y.sum())
    assert engine.observer is None
