"""Optimizers: ten steps from identical weights and gradients match torch to 1e-6 (float64)."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import randn

CONFIGS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, maximize=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.9), weight_decay=0.1, amsgrad=True)),
    ("Adam", dict(lr=0.01, maximize=True, eps=1e-6)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, weight_decay=0.5, amsgrad=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.5)),
    ("Adadelta", dict(lr=1.0)),
    ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.1, maximize=True)),
    ("Adamax", dict(lr=0.01)),
    ("Adamax", dict(lr=0.01, betas=(0.8, 0.9), weight_decay=0.1, maximize=True)),
    ("NAdam", dict(lr=0.01)),
    ("NAdam", dict(lr=0.01, momentum_decay=0.01, weight_decay=0.1)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("RAdam", dict(lr=0.01)),
    ("RAdam", dict(lr=0.01, betas=(0.5, 0.6), weight_decay=0.1)),
    ("RAdam", dict(lr=0.01, betas=(0.5, 0.6), weight_decay=0.1, decoupled_weight_decay=True)),
    ("ASGD", dict(lr=0.01)),
    ("ASGD", dict(lr=0.05, lambd=0.01, alpha=0.5, t0=3, weight_decay=0.1, maximize=True)),
    ("Rprop", dict(lr=0.01)),
    ("Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.06), maximize=True)),
]


def _quadratic_loss(lib, w, b, target):
    return ((w * w * target).sum() + (b - 1) ** 2 * 3).sum() + (w.sum() * b.sum())


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CONFIGS)])
def test_trajectory_matches_torch(name, kwargs):
    w0, b0, target = randn(3, 4, dtype=np.float64), randn(4, dtype=np.float64), randn(3, 4, dtype=np.float64)
    results = []
    for lib in (minitorch, torch):
        w = lib.tensor(w0, requires_grad=True)
        b = lib.tensor(b0, requires_grad=True)
        opt = getattr(lib.optim, name)([{"params": [w]}, {"params": [b], "lr": kwargs["lr"] / 2}], **kwargs)
        for _ in range(10):
            opt.zero_grad()
            loss = _quadratic_loss(lib, w, b, lib.tensor(target))
            loss.backward()
            opt.step()
        results.append((w.detach().numpy().copy(), b.detach().numpy().copy()))
    np.testing.assert_allclose(results[0][0], results[1][0], atol=1e-6, rtol=0)
    np.testing.assert_allclose(results[0][1], results[1][1], atol=1e-6, rtol=0)


def test_step_with_closure_returns_loss():
    w = minitorch.tensor([1.0, 2.0], requires_grad=True)
    opt = minitorch.optim.SGD([w], lr=0.5)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert loss.item() == 5.0
    assert w.tolist() == [0.0, 0.0]


def test_zero_grad_set_to_none_and_zeros():
    w = minitorch.tensor([1.0], requires_grad=True)
    opt = minitorch.optim.SGD([w], lr=0.1)
    (w * 2).sum().backward()
    opt.zero_grad(set_to_none=False)
    assert w.grad.tolist() == [0.0]
    opt.zero_grad()
    assert w.grad is None


def test_parameters_without_grad_are_skipped():
    a = minitorch.tensor([1.0], requires_grad=True)
    b = minitorch.tensor([1.0], requires_grad=True)
    opt = minitorch.optim.Adam([a, b], lr=0.1)
    (a * 2).sum().backward()
    opt.step()
    assert b.tolist() == [1.0] and a.item() < 1.0


def test_state_dict_round_trip_continues_identically():
    def run(opt_state=None, steps=5):
        w = minitorch.tensor([1.0, -2.0, 3.0], dtype=minitorch.float64, requires_grad=True)
        opt = minitorch.optim.Adam([w], lr=0.1, amsgrad=True)
        if opt_state:
            w.data = minitorch.tensor(opt_state[0])
            opt.load_state_dict(opt_state[1])
        for _ in range(steps):
            opt.zero_grad()
            (w ** 4).sum().backward()
            opt.step()
        return w, opt

    w_full, _ = run(steps=10)
    w_half, opt_half = run(steps=5)
    state = (w_half.detach().numpy().copy(), opt_half.state_dict())
    w_resumed, _ = run(state, steps=5)
    np.testing.assert_array_equal(w_full.detach().numpy(), w_resumed.detach().numpy())


def test_state_dict_layout_matches_torch():
    for lib in (minitorch, torch):
        w = lib.ones(2, requires_grad=True)
        b = lib.ones(1, requires_grad=True)
        opt = lib.optim.SGD([{"params": [w]}, {"params": [b], "lr": 0.5}], lr=0.1, momentum=0.9)
        (w.sum() + b.sum()).backward()
        opt.step()
        sd = opt.state_dict()
        if lib is torch:
            th = sd
        else:
            mt = sd
    assert [g["params"] for g in mt["param_groups"]] == [g["params"] for g in th["param_groups"]]
    assert set(mt["param_groups"][0]) == set(th["param_groups"][0])
    assert sorted(mt["state"]) == sorted(th["state"])
    assert set(mt["state"][0]) == set(th["state"][0])


def test_state_dict_has_no_entries_for_stateless_updates_like_torch():
    """SGD without momentum keeps no per-parameter state, so its state_dict's state is empty."""
    states = []
    for lib in (minitorch, torch):
        w = lib.ones(2, requires_grad=True)
        opt = lib.optim.SGD([w], lr=0.1)
        w.sum().backward()
        opt.step()
        states.append(opt.state_dict()["state"])
    assert states[0] == states[1] == {}


@pytest.mark.parametrize("make,error", [
    (lambda: minitorch.optim.SGD([], lr=0.1), ValueError),
    (lambda: minitorch.optim.SGD([minitorch.ones(2, requires_grad=True) * 2], lr=0.1), ValueError),
    (lambda: minitorch.optim.SGD([1.0], lr=0.1), TypeError),
    (lambda: minitorch.optim.SGD(minitorch.ones(2, requires_grad=True), lr=0.1), TypeError),
    (lambda: minitorch.optim.SGD([minitorch.ones(1, requires_grad=True)], lr=-1), ValueError),
    (lambda: minitorch.optim.Adam([minitorch.ones(1, requires_grad=True)], betas=(1.0, 0.9)), ValueError),
    (lambda: minitorch.optim.SGD([minitorch.ones(1, requires_grad=True)], lr=0.1, nesterov=True), ValueError),
])
def test_bad_arguments_raise_like_torch(make, error):
    with pytest.raises(error):
        make()


def test_same_parameter_in_two_groups_raises():
    w = minitorch.ones(1, requires_grad=True)
    with pytest.raises(ValueError, match="more than one parameter group"):
        minitorch.optim.SGD([{"params": [w]}, {"params": [w]}], lr=0.1)


def test_duplicate_parameter_in_group_warns():
    w = minitorch.ones(1, requires_grad=True)
    with pytest.warns(UserWarning, match="duplicate parameters"):
        minitorch.optim.SGD([w, w], lr=0.1)


NEWER = ["Adadelta", "Adamax", "NAdam", "RAdam", "ASGD", "Rprop"]


@pytest.mark.parametrize("name", NEWER)
def test_state_dict_round_trip_continues_like_uninterrupted_run(name):
    def run(saved=None, steps=4):
        w = minitorch.tensor([1.0, -2.0, 3.0], dtype=minitorch.float64, requires_grad=True)
        opt = getattr(minitorch.optim, name)([w], lr=0.05)
        if saved:
            w.data = minitorch.tensor(saved[0])
            opt.load_state_dict(saved[1])
        for _ in range(steps):
            opt.zero_grad()
            (w ** 4).sum().backward()
            opt.step()
        return w, opt

    w_full, _ = run(steps=8)
    w_half, opt_half = run(steps=4)
    w_resumed, _ = run((w_half.detach().numpy().copy(), opt_half.state_dict()), steps=4)
    # loading casts float state to the parameter's dtype (as torch does), so NAdam's float32
    # mu_product continues in float64: equal up to that rounding
    np.testing.assert_allclose(w_full.detach().numpy(), w_resumed.detach().numpy(), rtol=1e-9, atol=0)


@pytest.mark.parametrize("name", NEWER)
def test_newer_optimizers_keep_torchs_state_and_hyperparameter_names(name):
    dicts = []
    for lib in (minitorch, torch):
        w = lib.ones(2, requires_grad=True)
        opt = getattr(lib.optim, name)([w])
        (w * w).sum().backward()
        opt.step()
        dicts.append(opt.state_dict())
    assert set(dicts[0]["state"][0]) == set(dicts[1]["state"][0])
    assert set(dicts[0]["param_groups"][0]) == set(dicts[1]["param_groups"][0])
