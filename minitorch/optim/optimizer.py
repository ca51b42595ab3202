"""`Optimizer`: parameter groups, per-parameter state, zero_grad and state_dict.

Subclasses implement `step()`. Updates are plain numpy arithmetic on the parameters'
arrays: an optimizer step is outside autograd (like torch's, which runs under no_grad),
and working on the arrays in place keeps it free of per-op wrapper cost.
"""
from __future__ import annotations

import copy
import warnings
from collections import defaultdict
from typing import Any, Callable, Iterable

import numpy as np

from .._tensor import Tensor, _wrap
from ..autograd import grad_mode


class _RequiredParameter:
    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


class Optimizer:
    """Base class: holds `param_groups` (dicts with 'params' and hyperparameters) and `state`."""

    def __init__(self, params: Iterable, defaults: dict) -> None:
        self.defaults = defaults
        self.state: dict = defaultdict(dict)
        self.param_groups: list[dict] = []
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors "
                            f"or dicts, but got {type(params).__name__}")
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict) -> None:
        """Add a group of parameters with its own hyperparameters (missing ones from defaults)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                f"{type(p).__module__}.{type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        if len({id(p) for p in params}) != len(params):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, "
                          "this will cause an error; see github.com/pytorch/pytorch/issues/40967 for "
                          "more information", stacklevel=3)
        group = {"params": params}
        for name, default in self.defaults.items():
            value = param_group.get(name, default)
            if value is required:
                raise ValueError(f"parameter group didn't specify a value of required optimization "
                                 f"parameter {name}")
            group[name] = value
        group.update({k: v for k, v in param_group.items() if k not in group})
        existing = {id(p) for g in self.param_groups for p in g["params"]}
        if existing & {id(p) for p in params}:
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's gradient: to None (default) or to zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    p._grad._array[...] = 0

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update the parameters once; `closure` re-evaluates the loss (with grad enabled) and returns it."""
        loss = None
        if closure is not None:
            with grad_mode._Fixed(True):
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is not None:
                    grad = p._grad._array
                    if group.get("maximize", False):
                        grad = -grad
                    self._update(p._array, grad, self.state[p], group)
                    p._version_box[0] += 1
        return loss

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        """Apply one step to `param` in place (subclasses)."""
        raise NotImplementedError

    @staticmethod
    def _next_step(state: dict) -> int:
        """Count one more step in `state['step']` (a float32 0-d tensor, as torch keeps it); return it."""
        step = (state["step"].item() if "step" in state else 0) + 1
        state["step"] = _wrap(np.array(float(step), dtype=np.float32))
        return int(step)

    @staticmethod
    def _buffer(state: dict, name: str, like: np.ndarray, fill: float = 0.0) -> np.ndarray:
        """The state array `name`, created as a tensor filled with `fill` on first use."""
        if name not in state:
            state[name] = _wrap(np.full_like(like, fill))
        return state[name]._array

    # ----- state_dict ---------------------------------------------------------------------
    def state_dict(self) -> dict:
        """{'state': {param index: state}, 'param_groups': [group with params as indices]}."""
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = [index.setdefault(id(p), len(index)) for p in group["params"]]
            groups.append(packed)
        # a parameter whose update keeps no state (SGD without momentum) has no entry, as in torch
        state = {index[id(p)]: s for p, s in self.state.items() if id(p) in index and s}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore state and hyperparameters saved by `state_dict()` (same group sizes required)."""
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for ours, saved in zip(self.param_groups, saved_groups):
            if len(ours["params"]) != len(saved["params"]):
                raise ValueError("loaded state dict contains a parameter group that doesn't match the "
                                 "size of optimizer's group")
        self.state = defaultdict(dict)
        for ours, saved in zip(self.param_groups, saved_groups):
            for p, i in zip(ours["params"], saved["params"]):
                if i in state_dict["state"]:
                    # like torch: floating state takes the parameter's dtype, except the step count
                    self.state[p] = {k: (_wrap(v._array.astype(p._array.dtype)
                                               if v.dtype.is_floating_point and k != "step"
                                               else v._array.copy()) if isinstance(v, Tensor) else v)
                                     for k, v in state_dict["state"][i].items()}
            ours.update({k: copy.deepcopy(v) for k, v in saved.items() if k != "params"})

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        return "\n".join(lines) + "\n)"
