"""The two MNIST models, written once for any torch-like library (minitorch or torch).

    build_model("lenet", minitorch)   # or build_model("lenet", torch) for the companion benchmark
"""
from __future__ import annotations

from typing import Any

MODELS = ("lenet", "cnn")


def build_model(name: str, lib: Any) -> Any:
    """LeNet-5, or the CNN of PyTorch's examples/mnist, as an nn.Sequential of `lib`."""
    nn = lib.nn
    if name == "lenet":
        # input (N, 1, 28, 28) -> conv 6@28x28 -> pool 6@14x14 -> conv 16@10x10 -> pool 16@5x5
        return nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10),
        )
    if name == "cnn":
        # input (N, 1, 28, 28) -> conv 32@26x26 -> conv 64@24x24 -> pool 64@12x12 = 9216 features
        return nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(),
            nn.Conv2d(32, 64, 3), nn.ReLU(),
            nn.MaxPool2d(2), nn.Dropout(0.25),
            nn.Flatten(),
            nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(128, 10),
        )
    raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}")
