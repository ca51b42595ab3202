"""minitorch.multiprocessing (torch.multiprocessing): shared tensors seen by child processes,
under fork and spawn, as Hogwild training uses them."""
import numpy as np
import pytest
import torch

import minitorch
import minitorch.multiprocessing as mp


def _add_one_in_place(t, done):
    t.add_(1)
    done.put(True)


def _step_model(model):
    with minitorch.no_grad():
        for p in model.parameters():
            p.sub_(1.0)


def test_share_memory_keeps_values_and_reports_shared_like_torch():
    values = np.arange(6, dtype=np.float32).reshape(2, 3)
    for lib in (torch, minitorch):
        t = lib.tensor(values)
        assert not t.is_shared()
        assert t.share_memory_() is t
        assert t.is_shared()
        np.testing.assert_array_equal(t.numpy(), values)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_child_process_updates_a_shared_tensor_in_place(method):
    ctx = mp.get_context(method)
    t = minitorch.zeros(4).share_memory_()
    done = ctx.Queue()
    p = ctx.Process(target=_add_one_in_place, args=(t, done))
    p.start()
    assert done.get(timeout=120)
    p.join(timeout=120)
    assert p.exitcode == 0
    np.testing.assert_array_equal(t.numpy(), np.ones(4, dtype=np.float32))


def test_module_share_memory_lets_a_spawned_worker_train_it():
    model = minitorch.nn.Linear(3, 2)
    assert model.share_memory() is model
    assert all(p.is_shared() for p in model.parameters())
    before = [p.detach().numpy().copy() for p in model.parameters()]
    p = mp.get_context("spawn").Process(target=_step_model, args=(model,))
    p.start()
    p.join(timeout=120)
    assert p.exitcode == 0
    for param, old in zip(model.parameters(), before):
        np.testing.assert_allclose(param.detach().numpy(), old - 1.0)


def test_unshared_tensor_is_sent_by_value():
    t = minitorch.zeros(3)
    ctx = mp.get_context("spawn")
    done = ctx.Queue()
    p = ctx.Process(target=_add_one_in_place, args=(t, done))
    p.start()
    assert done.get(timeout=120)
    p.join(timeout=120)
    np.testing.assert_array_equal(t.numpy(), np.zeros(3, dtype=np.float32))
