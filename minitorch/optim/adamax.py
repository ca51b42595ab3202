"""Adamax: Adam with the second moment replaced by a running infinity norm of the gradient."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from .optimizer import Optimizer


class Adamax(Optimizer):
    """u = max(beta2 * u, |g| + eps);  p -= lr / (1 - beta1^t) * m / u."""

    def __init__(self, params: Iterable, lr: float = 2e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        for i, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                                      foreach=foreach, maximize=maximize, differentiable=differentiable,
                                      capturable=capturable))

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        (beta1, beta2), eps = group["betas"], group["eps"]
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        step = self._next_step(state)
        exp_avg = self._buffer(state, "exp_avg", param)
        exp_inf = self._buffer(state, "exp_inf", param)
        exp_avg += (1 - beta1) * (grad - exp_avg)
        np.maximum(exp_inf * beta2, np.abs(grad) + eps, out=exp_inf)
        param -= group["lr"] / (1 - beta1 ** step) * exp_avg / exp_inf
