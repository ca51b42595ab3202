"""ASGD: SGD with a decaying step size that also keeps a running (Polyak) average of the iterates."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from .._tensor import _wrap
from .optimizer import Optimizer


class ASGD(Optimizer):
    """p = p * (1 - lambd * eta) - eta * g;  ax averages p once step > t0;  eta = lr / (1 + lambd lr t)^alpha."""

    def __init__(self, params: Iterable, lr: float = 1e-2, lambd: float = 1e-4, alpha: float = 0.75,
                 t0: float = 1e6, weight_decay: float = 0, foreach: bool | None = None,
                 maximize: bool = False, differentiable: bool = False, capturable: bool = False):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        super().__init__(params, dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                                      foreach=foreach, maximize=maximize, differentiable=differentiable,
                                      capturable=capturable))

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        lr, lambd = group["lr"], group["lambd"]
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        step = self._next_step(state)
        # eta and mu are float32 scalar tensors in torch's state; their rounding is part of the trajectory
        eta = float(state["eta"].item()) if "eta" in state else float(np.float32(lr))
        mu = float(state["mu"].item()) if "mu" in state else 1.0
        ax = self._buffer(state, "ax", param)
        param *= 1 - lambd * eta
        param -= eta * grad
        if mu != 1:
            ax += (param - ax) * mu
        else:
            ax[...] = param
        state["eta"] = _wrap(np.array(lr / (1 + lambd * lr * step) ** group["alpha"], np.float32))
        state["mu"] = _wrap(np.array(1 / max(1, step - group["t0"]), np.float32))
