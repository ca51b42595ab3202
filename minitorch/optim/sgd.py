"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from ..kernels import optimizer_steps
from .optimizer import Optimizer, required


class SGD(Optimizer):
    """p -= lr * d, where d is the gradient (+ weight decay), smoothed by momentum if set."""

    def __init__(self, params: Iterable, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False, fused: bool | None = None) -> None:
        if lr is not required and lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov, maximize=maximize,
                                      foreach=foreach, differentiable=differentiable, fused=fused))

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        d = grad + group["weight_decay"] * param if group["weight_decay"] else grad
        momentum = group["momentum"]
        if momentum:
            first = "momentum_buffer" not in state
            buf = self._buffer(state, "momentum_buffer", param)
            if optimizer_steps.takes(param, d, buf):  # the same arithmetic in one compiled pass
                optimizer_steps.sgd_momentum_step(param, d, buf, first, momentum, group["dampening"],
                                                  group["nesterov"], group["lr"])
                return
            if first:
                buf[...] = d
            else:
                buf *= momentum
                buf += (1 - group["dampening"]) * d
            d = d + momentum * buf if group["nesterov"] else buf
        param -= group["lr"] * d
