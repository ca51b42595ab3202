"""nn.utils.rnn (pad_sequence, pack_padded_sequence, pad_packed_sequence, ...) and nn.RNN/LSTM/GRU
on a PackedSequence, against torch: values, index tensors, dtypes, gradients, errors."""
import numpy as np
import pytest
import torch
from torch.nn.utils import rnn as T

import minitorch
from conftest import randn
from minitorch.nn.utils import rnn as M

F64 = np.float64


def _assert_same(m, t):
    if t is None:
        assert m is None
        return
    assert tuple(m.shape) == tuple(t.shape) and str(m.dtype) == str(t.dtype)
    np.testing.assert_allclose(m.detach().numpy(), t.detach().numpy(), atol=1e-12)


@pytest.mark.parametrize("lengths, enforce_sorted, batch_first", [
    ([4, 3, 1], True, False),
    ([2, 4, 2], False, False),  # ties keep their order, as torch's sort does here
    ([2, 4, 3], False, True),
])
@pytest.mark.parametrize("total_length", [None, 6])
def test_pack_then_pad_matches_torch(lengths, enforce_sorted, batch_first, total_length):
    a = randn(3, 4, 2, dtype=F64) if batch_first else randn(4, 3, 2, dtype=F64)
    th_in, mt_in = torch.tensor(a, requires_grad=True), minitorch.tensor(a, requires_grad=True)
    th_packed = T.pack_padded_sequence(th_in, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
    mt_packed = M.pack_padded_sequence(mt_in, minitorch.tensor(lengths), batch_first=batch_first,
                                       enforce_sorted=enforce_sorted)
    assert type(mt_packed).__name__ == "PackedSequence" and mt_packed._fields == th_packed._fields
    for m, t in zip(mt_packed, th_packed):
        _assert_same(m, t)
    th_out, th_len = T.pad_packed_sequence(th_packed, batch_first, -1.5, total_length)
    mt_out, mt_len = M.pad_packed_sequence(mt_packed, batch_first, -1.5, total_length)
    _assert_same(mt_out, th_out)
    _assert_same(mt_len, th_len)
    upstream = randn(*th_out.shape, dtype=F64, seed=3)
    (th_out * torch.tensor(upstream)).sum().backward()
    (mt_out * minitorch.tensor(upstream)).sum().backward()
    np.testing.assert_allclose(mt_in.grad.numpy(), th_in.grad.numpy())


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_sequence_matches_torch(batch_first, padding_side):
    seqs = [randn(n, 2, dtype=F64, seed=n) for n in (2, 5, 3)]
    th_in = [torch.tensor(s, requires_grad=True) for s in seqs]
    mt_in = [minitorch.tensor(s, requires_grad=True) for s in seqs]
    th_out = T.pad_sequence(th_in, batch_first, 2.0, padding_side)
    mt_out = M.pad_sequence(mt_in, batch_first, 2.0, padding_side)
    _assert_same(mt_out, th_out)
    upstream = randn(*th_out.shape, dtype=F64, seed=4)
    (th_out * torch.tensor(upstream)).sum().backward()
    (mt_out * minitorch.tensor(upstream)).sum().backward()
    for m, t in zip(mt_in, th_in):
        np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy())


def test_pack_sequence_unpack_and_unpad_round_trip():
    seqs = [randn(n, 2, dtype=F64, seed=n) for n in (2, 5, 3)]
    th_packed = T.pack_sequence([torch.tensor(s) for s in seqs], enforce_sorted=False)
    mt_packed = M.pack_sequence([minitorch.tensor(s) for s in seqs], enforce_sorted=False)
    for m, t in zip(mt_packed, th_packed):
        _assert_same(m, t)
    for m, t in zip(M.unpack_sequence(mt_packed), T.unpack_sequence(th_packed)):
        _assert_same(m, t)
    padded = M.pad_sequence([minitorch.tensor(s) for s in seqs])
    for m, s in zip(M.unpad_sequence(padded, [2, 5, 3]), seqs):
        np.testing.assert_array_equal(m.numpy(), s)


@pytest.mark.parametrize("call, error", [
    (lambda lib, rnn: rnn.pack_padded_sequence(lib.zeros(4, 3, 2), [4, 2, 3]), RuntimeError),
    (lambda lib, rnn: rnn.pack_padded_sequence(lib.zeros(4, 3, 2), [4, 2, 0]), RuntimeError),
    (lambda lib, rnn: rnn.pack_padded_sequence(lib.zeros(4, 3, 2), [4, 2]), RuntimeError),
    (lambda lib, rnn: rnn.pad_packed_sequence(rnn.pack_padded_sequence(lib.zeros(4, 1, 2), [4]), total_length=2),
     ValueError),
    (lambda lib, rnn: rnn.pad_sequence([lib.zeros(2)], padding_side="up"), RuntimeError),
])
def test_errors_match_torch(call, error):
    messages = []
    for lib, rnn in ((torch, T), (minitorch, M)):
        with pytest.raises(error) as err:
            call(lib, rnn)
        messages.append(str(err.value))
    assert messages[0] == messages[1]


def _flat(out):
    if isinstance(out, tuple) and not hasattr(out, "batch_sizes"):
        return [t for o in out for t in _flat(o)]
    return [out.data if hasattr(out, "batch_sizes") else out]


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("kwargs, enforce_sorted, with_state", [
    ({}, True, False),
    ({"num_layers": 2, "bidirectional": True}, False, True),
    ({"batch_first": True}, False, False),
])
def test_recurrent_layers_on_packed_input_match_torch(name, kwargs, enforce_sorted, with_state):
    th = getattr(torch.nn, name)(3, 4, **kwargs).double()
    mt = getattr(minitorch.nn, name)(3, 4, **kwargs).double()
    mt.load_state_dict({k: minitorch.tensor(v.detach().numpy()) for k, v in th.state_dict().items()})
    lengths = [5, 3, 2] if enforce_sorted else [3, 5, 2]
    batch_first = kwargs.get("batch_first", False)
    a = randn(3, 5, 3, dtype=F64) if batch_first else randn(5, 3, 3, dtype=F64)
    th_in, mt_in = torch.tensor(a, requires_grad=True), minitorch.tensor(a, requires_grad=True)
    th_args = [T.pack_padded_sequence(th_in, lengths, batch_first, enforce_sorted)]
    mt_args = [M.pack_padded_sequence(mt_in, lengths, batch_first, enforce_sorted)]
    th_states, mt_states = [], []
    if with_state:
        layers = kwargs.get("num_layers", 1) * (2 if kwargs.get("bidirectional") else 1)
        states = [randn(layers, 3, 4, dtype=F64, seed=s) for s in range(2 if name == "LSTM" else 1)]
        th_states = [torch.tensor(s, requires_grad=True) for s in states]
        mt_states = [minitorch.tensor(s, requires_grad=True) for s in states]
        th_args.append(tuple(th_states) if name == "LSTM" else th_states[0])
        mt_args.append(tuple(mt_states) if name == "LSTM" else mt_states[0])
    th_out, mt_out = th(*th_args), mt(*mt_args)
    assert type(mt_out[0]).__name__ == "PackedSequence"
    for m, t in zip(mt_out[0][1:], th_out[0][1:]):
        _assert_same(m, t)
    th_flat, mt_flat = _flat(th_out), _flat(mt_out)
    for m, t in zip(mt_flat, th_flat):
        _assert_same(m, t)
    upstream = [randn(*t.shape, dtype=F64, seed=i) for i, t in enumerate(th_flat)]
    sum((t * torch.tensor(w)).sum() for t, w in zip(th_flat, upstream)).backward()
    sum((m * minitorch.tensor(w)).sum() for m, w in zip(mt_flat, upstream)).backward()
    for m, t in zip([mt_in, *mt_states], [th_in, *th_states]):
        np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), atol=1e-12)
    for (n, p), (_, q) in zip(mt.named_parameters(), th.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), atol=1e-12, err_msg=n)
