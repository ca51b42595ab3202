"""Rprop: per-coordinate step sizes that grow while the gradient keeps its sign and shrink when it flips."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from ._checks import check_non_negative
from .optimizer import Optimizer


class Rprop(Optimizer):
    """p -= sign(g) * step_size; step_size *= etaplus (same sign) or etaminus (sign flip, skip that step)."""

    def __init__(self, params: Iterable, lr: float = 1e-2, etas: tuple = (0.5, 1.2),
                 step_sizes: tuple = (1e-6, 50), *, capturable: bool = False, foreach: bool | None = None,
                 maximize: bool = False, differentiable: bool = False) -> None:
        check_non_negative(("learning rate", lr))
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        super().__init__(params, dict(lr=lr, etas=tuple(etas), step_sizes=tuple(step_sizes),
                                      foreach=foreach, maximize=maximize, differentiable=differentiable,
                                      capturable=capturable))

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        (etaminus, etaplus), (step_min, step_max) = group["etas"], group["step_sizes"]
        self._next_step(state)
        prev = self._buffer(state, "prev", param)
        step_size = self._buffer(state, "step_size", param, group["lr"])
        agreement = np.sign(grad * prev)
        factor = np.where(agreement > 0, etaplus, np.where(agreement < 0, etaminus, 1.0)).astype(param.dtype)
        step_size *= factor
        np.clip(step_size, step_min, step_max, out=step_size)
        grad = np.where(factor == etaminus, 0, grad).astype(param.dtype)  # after a sign flip: no step
        param -= np.sign(grad) * step_size
        prev[...] = grad
