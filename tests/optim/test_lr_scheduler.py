"""lr schedules: the sequence of get_last_lr() over many steps matches torch's."""
import math

import numpy as np
import pytest
import torch

import minitorch

SCHEDULES = [
    ("StepLR", dict(step_size=3, gamma=0.5)),
    ("MultiStepLR", dict(milestones=[2, 5, 5, 9], gamma=0.3)),
    ("ExponentialLR", dict(gamma=0.9)),
    ("CosineAnnealingLR", dict(T_max=7, eta_min=0.01)),
    ("LambdaLR", dict(lr_lambda=lambda epoch: 1 / (epoch + 1))),
    ("LinearLR", dict(start_factor=0.2, end_factor=0.9, total_iters=6)),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=25)),
    ("OneCycleLR", dict(max_lr=[1.0, 0.5], epochs=5, steps_per_epoch=5, three_phase=True,
                        anneal_strategy="linear")),
]


def _lrs(lib, name, kwargs, optimizer="SGD", steps=24):
    w = lib.ones(1, requires_grad=True)
    b = lib.ones(1, requires_grad=True)
    opt_kwargs = dict(lr=0.1, momentum=0.9) if optimizer == "SGD" else dict(lr=0.1)
    opt = getattr(lib.optim, optimizer)([{"params": [w]}, {"params": [b], "lr": 0.05}], **opt_kwargs)
    sched = getattr(lib.optim.lr_scheduler, name)(opt, **kwargs)
    lrs, momenta = [sched.get_last_lr()], []
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr())
        group = opt.param_groups[0]
        momenta.append(group.get("momentum", group.get("betas", (None,))[0]))
    return np.array(lrs), momenta


@pytest.mark.parametrize("name,kwargs", SCHEDULES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(SCHEDULES)])
@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_lr_sequence_matches_torch(name, kwargs, optimizer):
    ours, our_momenta = _lrs(minitorch, name, kwargs, optimizer)
    theirs, their_momenta = _lrs(torch, name, kwargs, optimizer)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(our_momenta, their_momenta, rtol=1e-10)


def test_chained_schedulers_compose_like_torch():
    results = []
    for lib in (minitorch, torch):
        w = lib.ones(1, requires_grad=True)
        opt = lib.optim.SGD([w], lr=1.0)
        s1 = lib.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
        s2 = lib.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.1)
        lrs = []
        for _ in range(10):
            opt.step()
            s1.step()
            s2.step()
            lrs.append(opt.param_groups[0]["lr"])
        results.append(lrs)
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)


def test_reduce_lr_on_plateau_matches_torch():
    metrics = [1.0, 0.9, 0.9, 0.9, 0.9, 0.95, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.79999, 0.7]
    seqs = []
    for lib in (minitorch, torch):
        opt = lib.optim.SGD([lib.ones(1, requires_grad=True)], lr=1.0)
        sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=2, factor=0.5, cooldown=1, min_lr=0.1)
        seq = []
        for m in metrics:
            sched.step(m)
            seq.append(opt.param_groups[0]["lr"])
        seqs.append(seq)
    assert seqs[0] == seqs[1]


def test_scheduler_state_dict_resumes():
    w = minitorch.ones(1, requires_grad=True)
    opt = minitorch.optim.SGD([w], lr=1.0)
    sched = minitorch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    for _ in range(4):
        sched.step()
    state = sched.state_dict()
    opt2 = minitorch.optim.SGD([w], lr=1.0)
    sched2 = minitorch.optim.lr_scheduler.CosineAnnealingLR(opt2, T_max=10)
    sched2.load_state_dict(state)
    opt2.param_groups[0]["lr"] = opt.param_groups[0]["lr"]
    sched.step()
    sched2.step()
    assert math.isclose(sched.get_last_lr()[0], sched2.get_last_lr()[0], rel_tol=1e-12)


def test_one_cycle_past_total_steps_raises():
    opt = minitorch.optim.SGD([minitorch.ones(1, requires_grad=True)], lr=0.1, momentum=0.9)
    sched = minitorch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=2)
    sched.step()
    sched.step()
    with pytest.raises(ValueError, match="Tried to step 3 times"):
        sched.step()


def test_scheduler_state_saves_and_loads_with_weights_only(tmp_path):
    opt = minitorch.optim.SGD([minitorch.ones(1, requires_grad=True)], lr=0.1, momentum=0.9)
    sched = minitorch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10)
    sched.step()
    minitorch.save({"scheduler": sched.state_dict()}, tmp_path / "s.pt")
    restored = minitorch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10)
    restored.load_state_dict(minitorch.load(tmp_path / "s.pt")["scheduler"])
    sched.step()
    restored.step()
    assert restored.get_last_lr() == sched.get_last_lr()
