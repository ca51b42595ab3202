"""`autograd.Function`: torch's API for user-defined ops, whose forward takes Tensors.

    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad):
            y, = ctx.saved_tensors
            return grad * y

Forward runs under no_grad on the Tensors themselves; the recorded node is the same
kind as a built-in op's, so the engine treats both alike.
"""
from __future__ import annotations

from typing import Any

from .._tensor import Tensor, _wrap
from . import grad_mode
from .function import Function as _Function, _connect, _record


class Function(_Function):
    """Base class for custom differentiable ops (forward and backward receive Tensors)."""

    _node_suffix = "Backward"

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> None:
        """Override (with a ctx-free forward) to save for backward apart from computing."""
        raise NotImplementedError

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        ctx = _connect(cls._node_class, args)
        record = grad_mode._state.enabled and any(ctx.needs_input_grad)
        with grad_mode._Fixed(False):
            if cls.setup_context is Function.setup_context:
                raw = cls.forward(ctx, *args, **kwargs)
            else:  # new style: forward(*args) computes, setup_context(ctx, inputs, output) saves
                raw = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, raw)
        single = not isinstance(raw, tuple)
        raw = (raw,) if single else raw
        # An input returned as-is gets a new Tensor object, so the input keeps its own grad_fn.
        outputs = tuple(_wrap(r._array) if any(r is a for a in args) else r for r in raw)
        if record:
            _record(ctx, args, args, outputs, outputs)
        return outputs[0] if single else outputs
