"""Adagrad: per-coordinate step sizes shrinking with the sum of squared gradients."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from ._checks import check_non_negative
from .optimizer import Optimizer


class Adagrad(Optimizer):
    """p -= lr_t * g / (sqrt(sum of g^2) + eps), with lr_t = lr / (1 + (t - 1) * lr_decay)."""

    def __init__(self, params: Iterable, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None,
                 *, maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        check_non_negative(("learning rate", lr), ("lr_decay value", lr_decay),
                            ("weight_decay value", weight_decay),
                            ("initial_accumulator_value value", initial_accumulator_value),
                            ("epsilon value", eps))
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, eps=eps,
                                      foreach=foreach, maximize=maximize, differentiable=differentiable,
                                      fused=fused))
        for group in self.param_groups:  # torch creates Adagrad's state eagerly
            for p in group["params"]:
                self._buffer(self.state[p], "sum", p._array, group["initial_accumulator_value"])

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        step = self._next_step(state)
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        total = self._buffer(state, "sum", param, group["initial_accumulator_value"])
        total += grad * grad
        param -= clr * grad / (np.sqrt(total) + group["eps"])
