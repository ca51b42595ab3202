"""Integration: an MLP 784-256-10 trained for one epoch on real MNIST with Adam reaches >= 97%."""
from __future__ import annotations

import gzip
import os
import time

import numpy as np

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data", "mnist")  # the vendored copy: tests never look outside the repository


def _read_idx(name: str) -> np.ndarray:
    """Read a gzip IDX file: magic (2 zero bytes, type code, ndim), big-endian dims, then data."""
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = np.frombuffer(raw, dtype=">u4", count=ndim, offset=4)
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def _load(split: str) -> tuple[np.ndarray, np.ndarray]:
    images = _read_idx(f"{split}-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255
    labels = _read_idx(f"{split}-labels-idx1-ubyte.gz").astype(np.int64)
    return (images - 0.1307) / 0.3081, labels


def test_mlp_one_epoch_mnist():
    x_train, y_train = _load("train")
    x_test, y_test = _load("t10k")
    assert x_train.shape == (60000, 784) and list(y_train[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]

    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    batch = 64
    steps = (len(x_train) + batch - 1) // batch
    # One epoch of constant-lr Adam lands at 96-97% (in torch too); a one-cycle schedule
    # reliably clears 97% (torch: 97.2-97.5% over four seeds).
    opt = minitorch.optim.Adam(model.parameters(), lr=3e-3)
    schedule = minitorch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    order = np.random.default_rng(0).permutation(len(x_train))
    start = time.perf_counter()
    model.train()
    for i in range(0, len(order), batch):
        idx = order[i:i + batch]
        loss = F.cross_entropy(model(minitorch.from_numpy(x_train[idx])), minitorch.from_numpy(y_train[idx]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
    elapsed = time.perf_counter() - start

    model.eval()
    with minitorch.no_grad():
        predictions = model(minitorch.from_numpy(x_test)).numpy().argmax(1)
    accuracy = float((predictions == y_test).mean())
    print(f"one epoch: {elapsed:.1f} s, test accuracy {accuracy:.4f}")
    assert accuracy >= 0.97
