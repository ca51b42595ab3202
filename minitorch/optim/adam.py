"""Adam and AdamW: moment estimates of the gradient and its square, bias-corrected."""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np

from ..kernels import optimizer_steps
from ._checks import check_betas, check_non_negative
from .optimizer import Optimizer


class Adam(Optimizer):
    """p -= lr * m_hat / (sqrt(v_hat) + eps), with m, v running averages of g and g**2."""

    _decoupled_weight_decay = False

    def __init__(self, params: Iterable, lr: float = 1e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False) -> None:
        check_non_negative(("learning rate", lr), ("epsilon value", eps))
        check_betas(betas)
        check_non_negative(("weight_decay value", weight_decay))
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad, maximize=maximize, foreach=foreach,
                                      capturable=capturable, differentiable=differentiable, fused=fused,
                                      decoupled_weight_decay=decoupled_weight_decay or
                                      self._decoupled_weight_decay))

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        if wd:
            if group["decoupled_weight_decay"]:
                param *= 1 - lr * wd
            else:
                grad = grad + wd * param
        step = self._next_step(state)
        m = self._buffer(state, "exp_avg", param)
        v = self._buffer(state, "exp_avg_sq", param)
        v_max = self._buffer(state, "max_exp_avg_sq", param) if group["amsgrad"] else None
        step_size = lr / (1 - beta1 ** step)
        bias_correction2_sqrt = math.sqrt(1 - beta2 ** step)
        arrays = (param, grad, m, v) + (() if v_max is None else (v_max,))
        if optimizer_steps.takes(*arrays):  # the same arithmetic in one compiled pass
            optimizer_steps.adam_step(param, grad, m, v, v_max, beta1, beta2, eps, step_size, bias_correction2_sqrt)
            return
        m += (1 - beta1) * (grad - m)
        v *= beta2
        v += (1 - beta2) * grad * grad
        if v_max is not None:
            np.maximum(v_max, v, out=v_max)
            v = v_max
        denom = np.sqrt(v) / bias_correction2_sqrt + eps
        param -= step_size * m / denom


class AdamW(Adam):
    """Adam with decoupled weight decay: p *= 1 - lr * weight_decay before the Adam step."""

    _decoupled_weight_decay = True

    def __init__(self, params: Iterable, lr: float = 1e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         foreach=foreach, capturable=capturable, differentiable=differentiable, fused=fused)
