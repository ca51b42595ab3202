"""Reused result buffers: an array is handed out again only once nothing references it."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from minitorch.kernels import buffers

SHAPE = (64, 32, 8, 8)  # 512 KiB of float32: above the size the pool keeps


def test_a_dropped_array_is_handed_out_again():
    a = buffers.empty(SHAPE, np.float32)
    address = a.ctypes.data
    del a
    b = buffers.empty(SHAPE, np.float32)
    assert b.ctypes.data == address and b.shape == SHAPE and b.dtype == np.float32 and b.flags.c_contiguous


@pytest.mark.parametrize("holder", ["array", "view", "tensor", "memoryview"])
def test_a_referenced_array_is_never_handed_out(holder):
    a = buffers.empty(SHAPE, np.float32)
    a.fill(1.0)
    kept = {"array": lambda: a, "view": lambda: a[1:, ::2], "tensor": lambda: minitorch.from_numpy(a),
            "memoryview": lambda: memoryview(a)}[holder]()
    address = a.ctypes.data
    del a
    others = [buffers.empty(SHAPE, np.float32) for _ in range(buffers._PER_SHAPE + 1)]
    assert all(o.ctypes.data != address for o in others)
    for o in others:
        o.fill(2.0)
    assert np.all(np.asarray(kept) == 1.0)


def test_small_arrays_and_other_dtypes_are_separate():
    small = buffers.empty((4, 4), np.float32)
    assert small.shape == (4, 4)
    a = buffers.empty(SHAPE, np.float32)
    address = a.ctypes.data
    del a
    assert buffers.empty(SHAPE, np.float64).ctypes.data != address


def test_the_kept_arrays_stay_within_the_budget(monkeypatch):
    monkeypatch.setattr(buffers, "_kept", {})
    monkeypatch.setattr(buffers, "_kept_bytes", 0)
    monkeypatch.setattr(buffers, "_BUDGET", 4 * 2**20)
    for rows in range(1, 40):
        buffers.empty((rows, 2**16), np.float32)  # rows * 256 KiB each
        assert buffers._kept_bytes <= buffers._BUDGET
        assert buffers._kept_bytes == sum(a.nbytes for arrays in buffers._kept.values() for a in arrays)


def _lenet_step(lib, net, x, y):
    net.zero_grad()
    out = net(x)
    loss = lib.nn.functional.cross_entropy(out, y)
    loss.backward()
    return out, loss


def test_tensors_kept_from_one_training_step_are_unchanged_by_the_next():
    """Activations, gradients and the loss of step 1, still referenced by the user, must not
    be the buffers step 2 writes into; every value still matches torch's step 1."""
    rng = np.random.default_rng(0)
    xs = [rng.standard_normal((16, 1, 28, 28)).astype(np.float32) for _ in range(2)]
    ys = [rng.integers(0, 10, 16) for _ in range(2)]

    def build(lib):
        nn = lib.nn
        lib.manual_seed(0)
        return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(400, 10))

    net = build(minitorch)
    ref = build(torch)
    ref.load_state_dict({k: torch.from_numpy(v.numpy().copy()) for k, v in net.state_dict().items()})
    acts = {}
    for i, layer in enumerate(net):
        layer.register_forward_hook(lambda m, inp, out, i=i: acts.__setitem__(i, out))
    out1, loss1 = _lenet_step(minitorch, net, minitorch.tensor(xs[0]), minitorch.tensor(ys[0]))
    kept = {i: a for i, a in acts.items()}
    grads1 = {k: p.grad for k, p in net.named_parameters()}
    snapshot = {i: a.detach().numpy().copy() for i, a in kept.items()}
    grad_snapshot = {k: g.numpy().copy() for k, g in grads1.items()}
    net.zero_grad(set_to_none=True)  # step 2 makes new .grad arrays; step 1's are still held here
    _lenet_step(minitorch, net, minitorch.tensor(xs[1]), minitorch.tensor(ys[1]))
    for i, a in kept.items():
        np.testing.assert_array_equal(a.detach().numpy(), snapshot[i])
    for k, g in grads1.items():
        np.testing.assert_array_equal(g.numpy(), grad_snapshot[k])
    # and step 1 itself was right
    t_out, t_loss = _lenet_step(torch, ref, torch.from_numpy(xs[0]), torch.from_numpy(ys[0]))
    np.testing.assert_allclose(snapshot[len(net) - 1], t_out.detach().numpy(), rtol=1e-4, atol=1e-5)
    for k, p in ref.named_parameters():
        np.testing.assert_allclose(grad_snapshot[k], p.grad.numpy(), rtol=1e-4, atol=1e-5)
