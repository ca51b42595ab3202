"""NAdam: Adam with Nesterov momentum, whose momentum coefficient warms up over the steps."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from ._checks import check_betas, check_non_negative
from .optimizer import Optimizer


class NAdam(Optimizer):
    """Adam whose step mixes the current gradient and the momentum by mu_t and mu_{t+1}.

    mu_t = beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay)); the running product of the mu's
    replaces Adam's first-moment bias correction.
    """

    def __init__(self, params: Iterable, lr: float = 2e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, momentum_decay: float = 4e-3, decoupled_weight_decay: bool = False,
                 *, foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        check_non_negative(("learning rate", lr), ("epsilon value", eps))
        check_betas(betas)
        check_non_negative(("weight_decay value", weight_decay), ("momentum_decay value", momentum_decay))
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay,
                                      decoupled_weight_decay=decoupled_weight_decay, maximize=maximize,
                                      foreach=foreach, capturable=capturable, differentiable=differentiable))

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        lr, (beta1, beta2), wd, decay = group["lr"], group["betas"], group["weight_decay"], group["momentum_decay"]
        step = self._next_step(state)
        if wd:
            if group["decoupled_weight_decay"]:
                param *= 1 - lr * wd
            else:
                grad = grad + wd * param
        mu = beta1 * (1 - 0.5 * 0.96 ** (step * decay))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * decay))
        mu_product = self._buffer(state, "mu_product", np.ones((), np.float32), 1.0)
        mu_product *= mu
        exp_avg = self._buffer(state, "exp_avg", param)
        exp_avg_sq = self._buffer(state, "exp_avg_sq", param)
        exp_avg += (1 - beta1) * (grad - exp_avg)
        exp_avg_sq *= beta2
        exp_avg_sq += (1 - beta2) * grad * grad
        denom = np.sqrt(exp_avg_sq / (1 - beta2 ** step)) + group["eps"]
        product = float(mu_product)
        param -= lr * (1 - mu) / (1 - product) * grad / denom
        param -= lr * mu_next / (1 - product * mu_next) * exp_avg / denom
