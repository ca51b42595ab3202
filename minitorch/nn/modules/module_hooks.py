"""Forward and full-backward hooks of a `Module`.

`_ModuleHooks` holds the `register_*_hook` methods and the slow call path that runs them;
`Module.__call__` takes that path only when some hook is registered. Full backward hooks
work by passing a call's tensor inputs and outputs through two identity Functions: the
output one sees grad_output, the input one sees grad_input and runs the hooks.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable

from ..._tensor import Tensor
from ...autograd import grad_mode
from ...autograd.function import Function
from ...utils.hooks import RemovableHandle


class _ModuleHooks:
    """The hook half of `Module` (a mixin: the registries are made by `Module.__init__`)."""

    def _call_with_hooks(self, args: tuple, kwargs: dict) -> Any:
        """forward(*args, **kwargs) with the pre hooks before it, the forward hooks after it, and the
        inputs and outputs wrapped for the backward hooks."""
        for hid, hook in list(self._forward_pre_hooks.items()):
            if hid in self._forward_pre_hooks_with_kwargs:
                new = hook(self, args, kwargs)
                if new is not None:
                    args, kwargs = new
            else:
                new = hook(self, args)
                if new is not None:
                    args = new if isinstance(new, tuple) else (new,)
        state = None
        if self._backward_hooks or self._backward_pre_hooks:
            state = _BackwardHookState(self)
            args = state.wrap_inputs(args)
        result = self.forward(*args, **kwargs)
        for hid, hook in list(self._forward_hooks.items()):
            new = hook(self, args, kwargs, result) if hid in self._forward_hooks_with_kwargs \
                else hook(self, args, result)
            if new is not None:
                result = new
        if state is not None:
            result = state.wrap_outputs(result)
        return result

    def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """Call `hook(module, args)` before forward; a returned value replaces the args."""
        return self._add_hook(self._forward_pre_hooks, hook, prepend,
                              self._forward_pre_hooks_with_kwargs if with_kwargs else None)

    def register_forward_hook(self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """Call `hook(module, args, output)` after forward; a returned value replaces the output."""
        return self._add_hook(self._forward_hooks, hook, prepend,
                              self._forward_hooks_with_kwargs if with_kwargs else None)

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Call `hook(module, grad_input, grad_output)` once the gradients w.r.t. the
        module's tensor inputs are computed; a returned tuple replaces grad_input."""
        return self._add_hook(self._backward_hooks, hook, prepend, None)

    def register_full_backward_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Call `hook(module, grad_output)` before the module's backward; may return new grad_output."""
        return self._add_hook(self._backward_pre_hooks, hook, prepend, None)

    @staticmethod
    def _add_hook(hooks: OrderedDict, hook: Callable, prepend: bool, kwargs_set: set | None) -> RemovableHandle:
        handle = RemovableHandle(hooks, hook)
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        if kwargs_set is not None:
            kwargs_set.add(handle.id)
        return handle


class _BackwardHookState:
    """Connects one forward call of a module to its backward hooks.

    Inputs and outputs pass through identity Functions: the output node sees the
    gradients w.r.t. the outputs (grad_output); the input node sees the gradients w.r.t.
    the inputs (grad_input) and is where the hooks run.
    """

    def __init__(self, module: Any):
        self.module = module
        self.grad_output: tuple | None = None
        self.n_inputs = 0
        self.input_positions: list = []
        self.inputs_hooked = False

    def wrap_inputs(self, args: tuple) -> tuple:
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        self.n_inputs = len(positions)
        self.input_positions = positions
        if not any(args[i]._requires_grad for i in positions) or not grad_mode._state.enabled:
            return args
        wrapped = _InputHook.apply(self, *[args[i] for i in positions])
        wrapped = wrapped if isinstance(wrapped, tuple) else (wrapped,)
        args = list(args)
        for i, w in zip(positions, wrapped):
            args[i] = w
        self.inputs_hooked = True
        return tuple(args)

    def wrap_outputs(self, result: Any) -> Any:
        single = isinstance(result, Tensor)
        outs = (result,) if single else result
        if not isinstance(outs, tuple) or not any(isinstance(o, Tensor) and o._requires_grad for o in outs) \
                or not grad_mode._state.enabled:
            return result
        wrapped = _OutputHook.apply(self, *outs)
        return wrapped if single else tuple(wrapped) if isinstance(wrapped, tuple) else (wrapped,)

    def run_pre_hooks(self, grads: tuple) -> tuple:
        for hook in list(self.module._backward_pre_hooks.values()):
            new = hook(self.module, grads)
            if new is not None:
                grads = tuple(new)
        return grads

    def run_hooks(self, grad_input: tuple) -> tuple:
        for hook in list(self.module._backward_hooks.values()):
            new = hook(self.module, grad_input, self.grad_output)
            if new is not None:
                if len(new) != len(grad_input):
                    raise RuntimeError(f"Backward hook returned an invalid number of grad_input, got "
                                       f"{len(new)}, but expected {len(grad_input)}")
                grad_input = tuple(new)
        return grad_input


class _HookPoint(Function):
    """Identity on the tensors of one module call, keeping the call's `_BackwardHookState` for backward."""

    @staticmethod
    def forward(ctx, state, *tensors):
        ctx.state = state
        return tensors if len(tensors) > 1 else tensors[0]


class _OutputHook(_HookPoint):
    """Placed on a call's outputs: its backward receives grad_output."""

    @staticmethod
    def backward(ctx, *grads):
        state = ctx.state
        grads = state.run_pre_hooks(tuple(grads))
        state.grad_output = grads
        if not state.inputs_hooked:
            # No input needs a gradient: the hooks run now, with grad_input all None.
            state.run_hooks((None,) * max(state.n_inputs, 1))
        return (None,) + tuple(grads)


class _InputHook(_HookPoint):
    """Placed on a call's tensor inputs: its backward receives grad_input and runs the hooks."""

    @staticmethod
    def backward(ctx, *grads):
        grads = tuple(g if need else None for g, need in zip(grads, ctx.needs_input_grad[1:]))
        return (None,) + tuple(ctx.state.run_hooks(grads))
