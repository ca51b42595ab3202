"""Train the same MNIST model in PyTorch and in minitorch, in one process, and compare epoch times.

    python benchmarks/train_mnist_torch.py --model lenet --epochs 1

Both libraries get the identical input pipeline (the whole normalised training set held
in memory, shuffled into batches of 64 each epoch), so the times compare the model's
forward, backward and optimizer step. The per-image pipeline of examples/train_mnist.py
(PIL image -> ToTensor -> Normalize per item) adds its own cost on top; its images/s is
printed by the example itself.
"""
from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "examples"))
from mnist_models import MODELS, build_model  # noqa: E402


def load_mnist(folder: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    def read(name: str, offset: int) -> np.ndarray:
        with gzip.open(os.path.join(folder, name)) as f:
            return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)
    norm = lambda x: ((x.reshape(-1, 1, 28, 28).astype(np.float32) / 255) - 0.1307) / 0.3081  # noqa: E731
    return (norm(read("train-images-idx3-ubyte.gz", 16)), read("train-labels-idx1-ubyte.gz", 8).astype(np.int64),
            norm(read("t10k-images-idx3-ubyte.gz", 16)), read("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64))


def run_epoch(lib, model, optimizer, images, labels, batch_size: int, limit: int | None) -> float:
    """Train one epoch; return seconds."""
    F = lib.nn.functional
    x_all, y_all = lib.from_numpy(images), lib.from_numpy(labels)
    order = lib.randperm(len(labels))
    n_batches = len(labels) // batch_size if limit is None else limit
    model.train()
    start = time.perf_counter()
    for b in range(n_batches):
        idx = order[b * batch_size:(b + 1) * batch_size]
        x, y = x_all[idx], y_all[idx]
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start


def accuracy(lib, model, images, labels) -> float:
    model.eval()
    with lib.no_grad():
        predicted = model(lib.from_numpy(images)).argmax(dim=1).numpy()
    return float((predicted == labels).mean())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", choices=MODELS, default="lenet")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--limit", type=int, default=None, help="batches per epoch (default: all)")
    p.add_argument("--data", default=os.path.join(HERE, "..", "data", "mnist"))
    args = p.parse_args()

    import torch
    import minitorch
    data = load_mnist(args.data)
    libs = {"torch": torch, "minitorch": minitorch}
    models, optimizers, times = {}, {}, {name: [] for name in libs}
    for name, lib in libs.items():
        lib.manual_seed(0)
        models[name] = build_model(args.model, lib)
        optimizers[name] = lib.optim.Adam(models[name].parameters(), lr=1e-3)
    for epoch in range(args.epochs):
        for name, lib in libs.items():  # alternate, so drift on a shared machine hits both
            times[name].append(run_epoch(lib, models[name], optimizers[name], data[0], data[1],
                                         args.batch_size, args.limit))
    print(f"model {args.model}, batch {args.batch_size}, {args.epochs} epoch(s), "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}, torch threads 2")
    for name, lib in libs.items():
        print(f"{name:10s} epoch {statistics.median(times[name]):7.2f} s   "
              f"test accuracy {accuracy(lib, models[name], data[2], data[3]):.4f}")
    print(f"ratio minitorch/torch: {statistics.median(times['minitorch']) / statistics.median(times['torch']):.2f}x")


if __name__ == "__main__":
    main()
