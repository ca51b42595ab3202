"""ASGD: SGD with a decaying step size that also keeps a running average of the iterates."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from ._checks import check_non_negative
from .optimizer import Optimizer


class ASGD(Optimizer):
    """p = p * (1 - lambd * eta) - eta * g; `ax` averages p from step t0 on.

    eta_t = lr / (1 + lambd * lr * t) ** alpha, mu_t = 1 / max(1, t - t0). torch keeps eta and mu
    as float32 0-d tensors, so they are rounded to float32 here too.
    """

    def __init__(self, params: Iterable, lr: float = 1e-2, lambd: float = 1e-4, alpha: float = 0.75,
                 t0: float = 1e6, weight_decay: float = 0, foreach: bool | None = None,
                 maximize: bool = False, differentiable: bool = False, capturable: bool = False) -> None:
        check_non_negative(("learning rate", lr), ("weight_decay value", weight_decay))
        super().__init__(params, dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                                      foreach=foreach, maximize=maximize, capturable=capturable,
                                      differentiable=differentiable))

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        lr, lambd = group["lr"], group["lambd"]
        eta = self._buffer(state, "eta", np.ones((), np.float32), lr)
        mu = self._buffer(state, "mu", np.ones((), np.float32), 1.0)
        ax = self._buffer(state, "ax", param)
        step = self._next_step(state)
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        eta_value = float(eta)
        param *= 1 - lambd * eta_value
        param -= eta_value * grad
        if float(mu) != 1:
            ax += (param - ax) * mu.astype(ax.dtype)
        else:
            ax[...] = param
        eta[...] = lr / ((1 + lambd * lr * step) ** group["alpha"])
        mu[...] = 1 / max(1, step - group["t0"])
