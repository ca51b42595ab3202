"""Engine details checked against torch: hooks on AccumulateGrad nodes, batched vector-Jacobian
products (`is_grads_batched`), saved-tensor version errors, and silent floating-point edge cases."""
import warnings

import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_close


def accumulate_grad_hook_log(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    accumulator = (x * 1).grad_fn.next_functions[0][0]
    log = []
    accumulator.register_prehook(lambda grads: log.append(("pre", [g.tolist() for g in grads], x.grad)))
    accumulator.register_hook(lambda grad_inputs, grad_outputs: log.append(
        ("post", list(grad_inputs), [g.tolist() for g in grad_outputs], x.grad.tolist())))
    (x * 3).sum().backward()
    return type(accumulator).__name__, log


def test_hooks_on_accumulate_grad_run_before_and_after_accumulation():
    assert accumulate_grad_hook_log(minitorch) == accumulate_grad_hook_log(torch)
    name, log = accumulate_grad_hook_log(minitorch)
    assert name == "AccumulateGrad" and [entry[0] for entry in log] == ["pre", "post"]


def test_accumulate_grad_prehook_can_replace_the_gradient():
    results = []
    for lib in (torch, minitorch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        accumulator = (x * 1).grad_fn.next_functions[0][0]  # torch holds it weakly: keep it alive
        accumulator.register_prehook(lambda grads: (grads[0] * 10,))
        (x * x).sum().backward()
        results.append(x.grad.tolist())
    assert results[0] == results[1] == [20.0, 40.0]


@pytest.mark.parametrize("create_graph", [False, True])
def test_is_grads_batched_gives_one_vector_jacobian_product_per_row(create_graph):
    w_np = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)
    v_np = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -2.0]], dtype=np.float32)
    results = []
    for lib in (torch, minitorch):
        w = lib.tensor(w_np, requires_grad=True)
        rows = (w @ w).sin().sum(1)
        (g,) = lib.autograd.grad(rows, w, lib.tensor(v_np), is_grads_batched=True, create_graph=create_graph)
        second = lib.autograd.grad(g.pow(2).sum(), w)[0] if create_graph else None
        results.append((g, second))
    (tg, tsecond), (mg, msecond) = results
    assert mg.shape == (3, 2, 2)
    assert_close(mg, tg)
    if create_graph:
        assert_close(msecond, tsecond, atol=1e-4)


def test_is_grads_batched_identity_rows_give_the_jacobian():
    x_np = np.array([0.5, -1.0, 2.0], dtype=np.float32)
    jacobians = []
    for lib in (torch, minitorch):
        x = lib.tensor(x_np, requires_grad=True)
        jacobians.append(lib.autograd.grad(x.exp() * x, x, lib.eye(3), is_grads_batched=True)[0])
    assert_close(jacobians[1], jacobians[0])


def modified_saved_tensor_message(lib, case):
    a = lib.tensor([0.1, 0.2, 0.3], requires_grad=True)
    if case == "saved output":         # exp saves its result; the result is then changed
        b = a.exp()
        b.add_(1)
        loss = b.sum()
    elif case == "saved input":        # sin saves its input; the input is then changed
        b = a.tanh()
        loss = b.cos().sum()
        b.add_(1)
    else:                              # input written in place twice: named after the latest write
        b = a * 1
        b.exp_()
        loss = b.sin().sum()
        b.mul_(2)
    with pytest.raises(RuntimeError) as error:
        loss.backward()
    return str(error.value).split(" Hint")[0]


@pytest.mark.parametrize("case", ["saved output", "saved input", "twice"])
def test_modified_saved_tensor_error_names_the_node_like_torch(case):
    assert modified_saved_tensor_message(minitorch, case) == modified_saved_tensor_message(torch, case)


def test_backward_rules_do_not_leak_numpy_warnings():
    """Mul's backward computes grad * inf where grad is 0: torch is silent, so is minitorch."""
    x = minitorch.tensor([0.0, 1.0], requires_grad=True)
    y = minitorch.tensor([float("inf"), 2.0], requires_grad=True)
    with np.errstate(all="ignore"):  # forward's own inf * 0 is not what this test is about
        z = (x * y * 0).sum()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z.backward()
    tx = torch.tensor([0.0, 1.0], requires_grad=True)
    ty = torch.tensor([float("inf"), 2.0], requires_grad=True)
    (tx * ty * 0).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())  # NaNs in the same places
    np.testing.assert_array_equal(y.grad.numpy(), ty.grad.numpy())
