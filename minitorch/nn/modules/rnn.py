"""Recurrent layers: RNN, LSTM, GRU and their single-step cells.

Each time step is a few matrix products and the elementwise gates. An Elman RNN's steps are
ordinary ops, so backpropagation through time is the autograd engine walking the unrolled
loop. An LSTM's or GRU's layer runs each direction's whole sequence as one node, and a cell
its step as one (`_ops/recurrent.py`, which backpropagates through time by hand), since ten
small nodes a step made long sequences cost their bookkeeping; packed sequences and LSTM
projections loop here, step by step, with each step's gates one node. Parameter names,
shapes, gate order (LSTM: i, f, g, o; GRU: r, z, n) and initialisation follow torch, so a
state_dict moves between the two.
"""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ... import _creation
from ..._ops.compare import where
from ..._ops.join import cat, stack
from ..._ops.recurrent import gru_gates, gru_sequence, lstm_gates, lstm_sequence
from ..._tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from ..utils.rnn import PackedSequence, _pack_sorted, _pad_sorted
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}
_SEQUENCES = {"LSTM": lstm_sequence, "GRU": gru_sequence}  # one node per layer and direction


# ----- one time step of each kind; x_proj = x @ W_ih.T + b_ih already computed ------------
def _rnn_step(x_proj: Tensor, h: Tensor, w_hh: Tensor, b_hh: Tensor | None, relu: bool) -> Tensor:
    pre = x_proj + F.linear(h, w_hh, b_hh)
    return F.relu(pre) if relu else pre.tanh()


def _lstm_step(x_proj: Tensor, state: tuple, w_hh: Tensor, b_hh: Tensor | None, w_hr: Tensor | None = None) -> tuple:
    """(h', c'): the gates' elementwise work is one fused op, like torch's fused LSTM kernels."""
    h, c = lstm_gates(x_proj + F.linear(state[0], w_hh, b_hh), state[1])
    # with proj_size, the hidden state carried on (and output) is h projected down: h @ W_hr^T
    return (h if w_hr is None else F.linear(h, w_hr)), c


def _gru_step(x_proj: Tensor, h: Tensor, w_hh: Tensor, b_hh: Tensor | None) -> Tensor:
    """h' = (1-z)*n + z*h, the gates one fused op (r multiplies h W_hn^T + b_hn, as in torch)."""
    return gru_gates(x_proj, F.linear(h, w_hh, b_hh), h)


def _no_projections(proj_size: int | None) -> None:
    """RNN and GRU refuse proj_size outright (even 0), as torch's do."""
    if proj_size is not None:
        raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")


def _hold(running: Tensor, new: Any, old: Any) -> Any:
    """The new state where `running` (N, 1) is True, the old one elsewhere (h, or LSTM's (h, c))."""
    if isinstance(new, tuple):
        return tuple(where(running, n, o) for n, o in zip(new, old))
    return where(running, new, old)


class RNNBase(Module):
    """The shared machinery: parameters per layer and direction, input checks, the time loop."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        if not 0 <= dropout <= 1 or isinstance(dropout, bool):
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and "
                          f"num_layers={num_layers}")
        if hidden_size <= 0 or num_layers <= 0:
            raise ValueError("hidden_size and num_layers must be greater than 0")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, proj_size
        gate_size = _GATES[mode] * hidden_size
        directions = 2 if bidirectional else 1
        out_size = proj_size or hidden_size  # the size of h: carried from step to step, and output
        self._flat_weights_names: list = []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else out_size * directions
            for suffix in ("", "_reverse")[:directions]:
                shapes = {"weight_ih": (gate_size, layer_input), "weight_hh": (gate_size, out_size)}
                if bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                if proj_size:
                    shapes.update(weight_hr=(proj_size, hidden_size))
                for kind, shape in shapes.items():
                    name = f"{kind}_l{layer}{suffix}"
                    setattr(self, name, Parameter(_creation.empty(shape, device=device, dtype=dtype)))
                    self._flat_weights_names.append(name)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as torch."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            init.uniform_(weight, -bound, bound)

    def flatten_parameters(self) -> None:
        """Accepted for torch compatibility (cuDNN's weight layout); nothing to do on the CPU."""

    @property
    def all_weights(self) -> list:
        """The parameters grouped per layer and direction: [[w_ih, w_hh, b_ih, b_hh(, w_hr)], ...]."""
        per = (4 if self.bias else 2) + (1 if self.proj_size else 0)
        weights = [getattr(self, n) for n in self._flat_weights_names]
        return [weights[i:i + per] for i in range(0, len(weights), per)]

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if not self.bias:
            s += ", bias=False"
        if self.batch_first:
            s += ", batch_first=True"
        if self.dropout:
            s += f", dropout={self.dropout}"
        if self.bidirectional:
            s += ", bidirectional=True"
        return s

    def _check_input(self, input: Tensor) -> bool:
        """torch's checks; returns whether the input is batched (3-D)."""
        if input.ndim not in (2, 3):
            raise ValueError(f"{type(self).__name__}: Expected input to be 2D or 3D, got {input.ndim}D tensor "
                             "instead")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got "
                               f"{input.shape[-1]}")
        return input.ndim == 3

    def _initial_state(self, hx: Tensor | None, input: Tensor, batch: int, index: str = "",
                       size: int | None = None) -> Tensor:
        """hx checked against (D*num_layers, N, size) (size: hidden_size unless given), or zeros."""
        shape = (self.num_layers * (2 if self.bidirectional else 1), batch, size or self.hidden_size)
        if hx is None:
            return _creation.zeros(shape, dtype=input.dtype)
        if tuple(hx.shape) != shape:
            raise RuntimeError(f"Expected hidden{index} size {shape}, got {list(hx.shape)}")
        return hx

    def _run(self, input: Tensor, states: list, batch_sizes: Any = None) -> tuple:
        """input (L, N, H_in), states [one per layer and direction] -> (output (L, N, D*H), final states).

        batch_sizes (packed input, batch sorted by decreasing length): at step t only the first
        batch_sizes[t] entries advance; the others hold their state, so each sequence's final state
        is its last real step's and the reverse direction starts at its own last step.
        """
        if input.shape[0] == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        directions = 2 if self.bidirectional else 1
        running = None if batch_sizes is None else [
            _creation.tensor((np.arange(input.shape[1]) < b)[:, None]) for b in batch_sizes]
        finals = []
        for layer in range(self.num_layers):
            outputs = []
            for d in range(directions):
                suffix = f"_l{layer}" + ("_reverse" if d else "")
                w_ih, w_hh = getattr(self, "weight_ih" + suffix), getattr(self, "weight_hh" + suffix)
                b_ih = getattr(self, "bias_ih" + suffix) if self.bias else None
                b_hh = getattr(self, "bias_hh" + suffix) if self.bias else None
                w_hr = getattr(self, "weight_hr" + suffix) if self.proj_size else None
                state = states[layer * directions + d]
                if running is None and w_hr is None and self.mode in _SEQUENCES:  # the whole sequence as one node
                    hs, state = _SEQUENCES[self.mode](input, state, w_ih, w_hh, b_ih, b_hh, bool(d))
                    outputs.append(hs)
                    finals.append(state)
                    continue
                x_proj = F.linear(input, w_ih, b_ih)  # every time step's input product at once
                steps = range(input.shape[0] - 1, -1, -1) if d else range(input.shape[0])
                hs = [None] * input.shape[0]
                for t in steps:
                    new = self._step(x_proj[t], state, w_hh, b_hh, w_hr)
                    state = new if running is None else _hold(running[t], new, state)
                    hs[t] = state[0] if isinstance(state, tuple) else state
                outputs.append(stack(hs))
                finals.append(state)
            input = outputs[0] if directions == 1 else cat(outputs, dim=-1)  # directions side by side
            if self.dropout and self.training and layer < self.num_layers - 1:
                input = F.dropout(input, self.dropout, training=True)
        return input, finals

    def _step(self, x_proj: Tensor, state: Any, w_hh: Tensor, b_hh: Tensor | None, w_hr: Tensor | None) -> Any:
        """One time step's new state (w_hr: LSTM's projection, None without proj_size)."""
        raise NotImplementedError

    def _layout(self, input: Tensor | PackedSequence) -> tuple[Tensor, bool]:
        """input as (L, N, H_in) (a PackedSequence padded, in its sorted order) and whether it was batched."""
        if isinstance(input, PackedSequence):
            self._check_input(input.data.unsqueeze(1))
            batch_sizes = input.batch_sizes.numpy()
            return _pad_sorted(input.data, batch_sizes, 0.0, len(batch_sizes)), True
        batched = self._check_input(input)
        if not batched:
            return input.unsqueeze(1), False
        return (input.transpose(0, 1) if self.batch_first else input), True

    def _restore(self, output: Tensor, batched: bool, input: Tensor | PackedSequence) -> Tensor | PackedSequence:
        if isinstance(input, PackedSequence):
            return input._replace(data=_pack_sorted(output, input.batch_sizes.numpy()))
        if not batched:
            return output.squeeze(1)
        return output.transpose(0, 1) if self.batch_first else output

    @staticmethod
    def _permuted(state: Tensor | None, input: Any, indices: str) -> Tensor | None:
        """A state (D*num_layers, N, H) reordered for a PackedSequence input: into its sorted batch order
        (indices="sorted_indices") or back out of it ("unsorted_indices")."""
        order = getattr(input, indices, None)
        return state if state is None or order is None else state.index_select(1, order)

    @staticmethod
    def _batch_sizes(input: Any) -> Any:
        return input.batch_sizes.numpy() if isinstance(input, PackedSequence) else None


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (or relu), per layer.

    input (L, N, H_in) ((N, L, H_in) with batch_first, or unbatched (L, H_in)); returns the last
    layer's h_t for every t and the final h of every layer and direction (D*num_layers, N, H)."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device: Any = None, dtype: Any = None, proj_size: int | None = None) -> None:
        _no_projections(proj_size)
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_" + nonlinearity.upper(), input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, device=device, dtype=dtype)

    def _step(self, x_proj, state, w_hh, b_hh, w_hr):
        return _rnn_step(x_proj, state, w_hh, b_hh, self.nonlinearity == "relu")

    def forward(self, input: Tensor | PackedSequence, hx: Tensor | None = None) -> tuple[Any, Tensor]:
        x, batched = self._layout(input)
        hx = self._permuted(hx, input, "sorted_indices")
        h0 = self._initial_state(hx if hx is None or batched else hx.unsqueeze(1), x, x.shape[1])
        output, finals = self._run(x, list(h0.unbind(0)), self._batch_sizes(input))
        h_n = self._permuted(stack(finals), input, "unsorted_indices")
        return self._restore(output, batched, input), (h_n if batched else h_n.squeeze(1))


class LSTM(RNNBase):
    """Long short-term memory: gates i, f, g, o from x_t and h_{t-1}; c_t = f*c_{t-1} + i*g,
    h_t = o*tanh(c_t). Returns (output, (h_n, c_n)); shapes as RNN's. With proj_size P > 0,
    h_t = (o*tanh(c_t)) @ W_hr^T has size P (output (L, N, D*P), h_n (D*num_layers, N, P))
    while c keeps hidden_size."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0, device: Any = None, dtype: Any = None) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device=device, dtype=dtype)

    def _step(self, x_proj, state, w_hh, b_hh, w_hr):
        return _lstm_step(x_proj, state, w_hh, b_hh, w_hr)

    def forward(self, input: Tensor | PackedSequence, hx: tuple | None = None) -> tuple[Any, tuple[Tensor, Tensor]]:
        x, batched = self._layout(input)
        if hx is not None and not batched:
            hx = (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
        if hx is not None:
            hx = tuple(self._permuted(s, input, "sorted_indices") for s in hx)
        h0 = self._initial_state(None if hx is None else hx[0], x, x.shape[1], "[0]", self.proj_size)
        c0 = self._initial_state(None if hx is None else hx[1], x, x.shape[1], "[1]")
        output, finals = self._run(x, list(zip(h0.unbind(0), c0.unbind(0))), self._batch_sizes(input))
        h_n, c_n = (self._permuted(stack(s), input, "unsorted_indices") for s in zip(*finals))
        if not batched:
            h_n, c_n = h_n.squeeze(1), c_n.squeeze(1)
        return self._restore(output, batched, input), (h_n, c_n)


class GRU(RNNBase):
    """Gated recurrent unit: reset r and update z gates, candidate n = tanh(x W_in + r*(h W_hn)),
    h_t = (1-z)*n + z*h_{t-1}. Returns (output, h_n); shapes as RNN's."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device: Any = None, dtype: Any = None, proj_size: int | None = None) -> None:
        _no_projections(proj_size)
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype)

    def _step(self, x_proj, state, w_hh, b_hh, w_hr):
        return _gru_step(x_proj, state, w_hh, b_hh)

    forward = RNN.forward


# ----- cells: one time step, the state handled by the caller --------------------------
class RNNCellBase(Module):
    """weight_ih (G*H, H_in), weight_hh (G*H, H), bias_ih, bias_hh (G*H) for G gates."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, gates: int, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        self.weight_ih = Parameter(_creation.empty((gates * hidden_size, input_size), device=device, dtype=dtype))
        self.weight_hh = Parameter(_creation.empty((gates * hidden_size, hidden_size), device=device, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(_creation.empty(gates * hidden_size, device=device, dtype=dtype))
            self.bias_hh = Parameter(_creation.empty(gates * hidden_size, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    reset_parameters = RNNBase.reset_parameters

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            s += ", bias=False"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def _prepare(self, input: Tensor, hx: Any) -> tuple[Tensor, bool]:
        if input.ndim not in (1, 2):
            raise ValueError(f"{type(self).__name__}: Expected input to be 1D or 2D, got {input.ndim}D instead")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.shape[-1]} expected "
                               f"{self.input_size}")
        batched = input.ndim == 2
        return (input if batched else input.unsqueeze(0)), batched

    def _state(self, x: Tensor, hx: Tensor | None, batched: bool, index: int = 0) -> Tensor:
        """hx (N, H) (or (H) for an unbatched input), checked as torch does, or zeros."""
        if hx is None:
            return _creation.zeros((x.shape[0], self.hidden_size), dtype=x.dtype)
        h = hx if batched else hx.unsqueeze(0)
        if h.shape[0] != x.shape[0]:
            raise RuntimeError(f"Input batch size {x.shape[0]} doesn't match hidden{index} batch size "
                               f"{h.shape[0]}")
        if h.shape[-1] != self.hidden_size:
            raise RuntimeError(f"hidden{index} has inconsistent hidden_size: got {h.shape[-1]}, expected "
                               f"{self.hidden_size}")
        return h


class RNNCell(RNNCellBase):
    """One Elman step: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu); input (N, H_in) or (H_in)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device: Any = None, dtype: Any = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}")
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, batched = self._prepare(input, hx)
        h = _rnn_step(F.linear(x, self.weight_ih, self.bias_ih), self._state(x, hx, batched), self.weight_hh,
                      self.bias_hh, self.nonlinearity == "relu")
        return h if batched else h.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step: (h', c') from x and (h, c) (zeros if not given)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input: Tensor, hx: tuple | None = None) -> tuple[Tensor, Tensor]:
        x, batched = self._prepare(input, hx)
        state = (self._state(x, None if hx is None else hx[0], batched, 0),
                 self._state(x, None if hx is None else hx[1], batched, 1))
        # a step is a sequence of length 1: one node, as a layer's whole sequence is
        _, (h, c) = lstm_sequence(x.unsqueeze(0), state, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """One GRU step: h' from x and h (zeros if not given)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, batched = self._prepare(input, hx)
        _, h = gru_sequence(x.unsqueeze(0), self._state(x, hx, batched), self.weight_ih, self.weight_hh,
                            self.bias_ih, self.bias_hh)
        return h if batched else h.squeeze(0)
