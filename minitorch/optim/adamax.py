"""Adamax: Adam with the infinity norm of past gradients in place of their root mean square."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from ._checks import check_betas, check_non_negative
from .optimizer import Optimizer


class Adamax(Optimizer):
    """p -= lr / (1 - beta1^t) * m / u, with u = max(beta2 * u, |g| + eps)."""

    def __init__(self, params: Iterable, lr: float = 2e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        check_non_negative(("learning rate", lr), ("epsilon value", eps))
        check_betas(betas)
        check_non_negative(("weight_decay value", weight_decay))
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                                      foreach=foreach, maximize=maximize, differentiable=differentiable,
                                      capturable=capturable))

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        (beta1, beta2), eps = group["betas"], group["eps"]
        step = self._next_step(state)
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        exp_avg = self._buffer(state, "exp_avg", param)
        exp_inf = self._buffer(state, "exp_inf", param)
        exp_avg += (1 - beta1) * (grad - exp_avg)
        exp_inf *= beta2
        np.maximum(exp_inf, np.abs(grad) + eps, out=exp_inf)
        param -= group["lr"] / (1 - beta1 ** step) * exp_avg / exp_inf
