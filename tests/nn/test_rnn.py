"""RNN, LSTM, GRU and their cells (nn/modules/rnn.py) against torch with the same weights:
outputs, final states, gradients of inputs, states and weights; names, repr, errors."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import randn


def _pair(name, *args, **kwargs):
    th = getattr(torch.nn, name)(*args, **kwargs).double()
    mt = getattr(minitorch.nn, name)(*args, **kwargs).double()
    mt.load_state_dict({k: minitorch.tensor(v.detach().numpy()) for k, v in th.state_dict().items()})
    return mt, th


def _flat(out):
    """Every tensor in a (nested) tuple result, in order."""
    if isinstance(out, tuple):
        return [t for o in out for t in _flat(o)]
    return [out]


def _compare(mt, th, *arrays):
    """Same outputs, and same gradients of inputs and weights under the same random upstream weights."""
    mt_in = [minitorch.tensor(a, requires_grad=True) for a in arrays]
    th_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    mt_args = mt_in if len(mt_in) < 3 else [mt_in[0], tuple(mt_in[1:])]
    th_args = th_in if len(th_in) < 3 else [th_in[0], tuple(th_in[1:])]
    mt_out, th_out = _flat(mt(*mt_args)), _flat(th(*th_args))
    assert len(mt_out) == len(th_out)
    for m, t in zip(mt_out, th_out):
        assert tuple(m.shape) == tuple(t.shape)
        np.testing.assert_allclose(m.detach().numpy(), t.detach().numpy(), atol=1e-10)
    weights = [randn(*t.shape, dtype=np.float64, seed=i) for i, t in enumerate(th_out)]
    sum((o * minitorch.tensor(w)).sum() for o, w in zip(mt_out, weights)).backward()
    sum((o * torch.tensor(w)).sum() for o, w in zip(th_out, weights)).backward()
    for m, t in zip(mt_in, th_in):
        np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), atol=1e-10)
    for (name, p), (_, q) in zip(mt.named_parameters(), th.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), atol=1e-10, err_msg=name)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("kwargs, shape", [
    ({}, (4, 2, 3)),
    ({"num_layers": 2, "bidirectional": True}, (4, 2, 3)),
    ({"batch_first": True, "bias": False}, (2, 5, 3)),
    ({"num_layers": 2}, (4, 3)),  # unbatched
])
def test_layers_match_torch(name, kwargs, shape):
    mt, th = _pair(name, 3, 5, **kwargs)
    _compare(mt, th, randn(*shape, dtype=np.float64))


@pytest.mark.parametrize("name", ["RNN", "GRU", "LSTM"])
def test_given_initial_states_match_torch(name):
    mt, th = _pair(name, 3, 4, num_layers=2, bidirectional=True)
    states = [randn(4, 2, 4, dtype=np.float64, seed=s) for s in ((1, 2) if name == "LSTM" else (1,))]
    _compare(mt, th, randn(5, 2, 3, dtype=np.float64), *states)


@pytest.mark.parametrize("kwargs, shape", [
    ({}, (4, 2, 3)),
    ({"num_layers": 2, "bidirectional": True}, (4, 2, 3)),
    ({"batch_first": True, "bias": False}, (2, 5, 3)),
    ({"num_layers": 2}, (4, 3)),  # unbatched
])
def test_lstm_with_projections_matches_torch(kwargs, shape):
    # proj_size 2 < hidden 5: h (and the output) has size 2, c keeps 5; weight_hr_l{k} (2, 5)
    mt, th = _pair("LSTM", 3, 5, proj_size=2, **kwargs)
    _compare(mt, th, randn(*shape, dtype=np.float64))


def test_lstm_with_projections_given_states_and_packed_input():
    mt, th = _pair("LSTM", 3, 4, num_layers=2, bidirectional=True, proj_size=3)
    _compare(mt, th, randn(5, 2, 3, dtype=np.float64), randn(4, 2, 3, dtype=np.float64, seed=1),
             randn(4, 2, 4, dtype=np.float64, seed=2))
    x = randn(4, 3, 3, dtype=np.float64)
    lengths = [2, 4, 3]
    outs = []
    for lib, model in ((minitorch, mt), (torch, th)):
        packed = lib.nn.utils.rnn.pack_padded_sequence(lib.tensor(x), lengths, enforce_sorted=False)
        out, (h, c) = model(packed)
        padded, _ = lib.nn.utils.rnn.pad_packed_sequence(out)
        outs.append([padded.detach().numpy(), h.detach().numpy(), c.detach().numpy()])
    for m, t in zip(*outs):
        np.testing.assert_allclose(m, t, atol=1e-10)


def test_relu_rnn_matches_torch():
    mt, th = _pair("RNN", 3, 4, nonlinearity="relu")
    _compare(mt, th, randn(6, 2, 3, dtype=np.float64))


@pytest.mark.parametrize("name, kwargs", [("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu"}), ("LSTMCell", {}),
                                          ("GRUCell", {"bias": False})])
@pytest.mark.parametrize("shape", [(3, 4), (4,)])
def test_cells_match_torch(name, kwargs, shape):
    mt, th = _pair(name, 4, 5, **kwargs)
    _compare(mt, th, randn(*shape, dtype=np.float64))
    batch = shape[:-1]
    states = [randn(*batch, 5, dtype=np.float64, seed=s) for s in ((1, 2) if name == "LSTMCell" else (1,))]
    _compare(mt, th, randn(*shape, dtype=np.float64), *states)


def test_names_repr_and_init_range_match_torch():
    for name, args, kwargs in [("LSTM", (10, 20), {"num_layers": 2, "batch_first": True, "dropout": 0.1,
                                                  "bidirectional": True}),
                               ("LSTM", (3, 4), {"num_layers": 2, "proj_size": 2, "bidirectional": True}),
                               ("GRU", (3, 4), {"bias": False}), ("RNN", (3, 4), {"nonlinearity": "relu"}),
                               ("LSTMCell", (3, 4), {}), ("RNNCell", (3, 4), {"nonlinearity": "relu"})]:
        mt, th = getattr(minitorch.nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
        assert repr(mt) == repr(th)
        assert [(n, tuple(p.shape)) for n, p in mt.named_parameters()] == \
               [(n, tuple(p.shape)) for n, p in th.named_parameters()]
        bound = 1 / np.sqrt(args[1])
        assert all(np.abs(p.detach().numpy()).max() <= bound for p in mt.parameters())


@pytest.mark.parametrize("call", [
    lambda L: L.nn.LSTM(10, 20)(L.randn(5, 2, 7)),
    lambda L: L.nn.RNN(10, 20)(L.randn(5, 2, 3, 10)),
    lambda L: L.nn.LSTM(10, 20)(L.randn(5, 2, 10), (L.randn(1, 3, 20), L.randn(1, 3, 20))),
    lambda L: L.nn.GRU(10, 20)(L.randn(5, 2, 10), L.randn(2, 2, 20)),
    lambda L: L.nn.RNN(10, 20, nonlinearity="sigmoid"),
    lambda L: L.nn.LSTMCell(10, 20)(L.randn(3, 7)),
    lambda L: L.nn.LSTM(3, 4, proj_size=-1),
    lambda L: L.nn.LSTM(3, 4, proj_size=4),
    lambda L: L.nn.GRU(3, 4, proj_size=2),
    lambda L: L.nn.RNN(3, 4, proj_size=0),
    lambda L: L.nn.LSTM(3, 4)(L.randn(0, 2, 3)),
    lambda L: L.nn.LSTMCell(3, 4)(L.randn(3, 3), (L.zeros(2, 4), L.zeros(3, 4))),
    lambda L: L.nn.LSTMCell(3, 4)(L.randn(3, 3), (L.zeros(3, 4), L.zeros(3, 5))),
    lambda L: L.nn.GRUCell(3, 4)(L.randn(3, 3), L.zeros(3, 5)),
    lambda L: L.nn.RNNCell(3, 4)(L.randn(3, 3), L.zeros(4)),
    lambda L: L.nn.LSTM(3, 4, proj_size=2)(L.randn(5, 1, 3), (L.zeros(1, 1, 4), L.zeros(1, 1, 4))),
    lambda L: L.nn.LSTM(3, 4, proj_size=2)(L.randn(5, 1, 3), (L.zeros(1, 1, 2), L.zeros(1, 1, 2))),
])
def test_errors_match_torch(call):
    with pytest.raises(Exception) as expected:
        call(torch)
    with pytest.raises(type(expected.value)) as got:
        call(minitorch)
    assert str(got.value) == str(expected.value)


def test_dropout_with_one_layer_warns_like_torch():
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        minitorch.nn.LSTM(3, 4, dropout=0.5)


def test_dropout_between_layers_only_while_training():
    mt, th = _pair("LSTM", 3, 4, num_layers=2, dropout=0.5)
    x = randn(5, 2, 3, dtype=np.float64)
    mt.eval(), th.eval()
    np.testing.assert_allclose(mt(minitorch.tensor(x))[0].detach().numpy(), th(torch.tensor(x))[0].detach().numpy(),
                               atol=1e-10)
    mt.train()
    a, b = mt(minitorch.tensor(x))[0], mt(minitorch.tensor(x))[0]
    assert not np.allclose(a.detach().numpy(), b.detach().numpy())


def _twice(mt, th, inputs, loss):
    """Gradient penalty: d/d(inputs, weights) of |d loss/d inputs[0]|^2, on both libraries."""
    grads = []
    for lib, net in ((minitorch, mt), (torch, th)):
        xs = [lib.tensor(a, requires_grad=True) for a in inputs]
        out = net(xs[0]) if len(xs) == 1 else net(xs[0], xs[1] if len(xs) == 2 else tuple(xs[1:]))
        g, = lib.autograd.grad(loss(out), xs[0], create_graph=True)
        (g ** 2).sum().backward()
        grads.append([x.grad.numpy() for x in xs] + [p.grad.detach().numpy() for p in net.parameters()])
    for m, t in zip(*grads):
        np.testing.assert_allclose(m, t, atol=1e-10)


@pytest.mark.parametrize("kwargs", [{}, {"num_layers": 2, "bidirectional": True}, {"proj_size": 2}])
def test_lstm_differentiates_twice_like_torch(kwargs):
    # nn.LSTM's gates run as one fused node (_ops/recurrent.py); with create_graph=True its backward
    # is recorded, so a gradient penalty through the layer works as with torch's
    mt, th = _pair("LSTM", 3, 4, **kwargs)
    _twice(mt, th, [randn(5, 2, 3, dtype=np.float64, seed=7)],
           lambda out: (out[0] ** 2).sum() + (out[1][1] * 1.5).sum())


@pytest.mark.parametrize("kwargs, h0_shape", [({}, (1, 2, 4)),
                                               ({"num_layers": 2, "bidirectional": True, "batch_first": True},
                                                (4, 5, 4))])
def test_gru_differentiates_twice_like_torch(kwargs, h0_shape):
    mt, th = _pair("GRU", 3, 4, **kwargs)
    _twice(mt, th, [randn(5, 2, 3, dtype=np.float64, seed=7), randn(*h0_shape, dtype=np.float64, seed=8)],
           lambda out: (out[0] ** 3).sum() + (out[1] * 1.5).sum())


@pytest.mark.parametrize("name", ["LSTMCell", "GRUCell"])
@pytest.mark.parametrize("with_state", [False, True])
def test_cells_differentiate_twice_like_torch(name, with_state):
    mt, th = _pair(name, 3, 4)
    states = [randn(2, 4, dtype=np.float64, seed=s) for s in ((1, 2) if name == "LSTMCell" else (1,))]
    inputs = [randn(2, 3, dtype=np.float64, seed=7)] + (states if with_state else [])
    if name == "LSTMCell":
        _twice(mt, th, inputs, lambda out: (out[0] ** 3).sum() + (out[0] * out[1]).sum())
    else:
        _twice(mt, th, inputs, lambda out: (out ** 3).sum())


def test_lstm_cell_with_only_h_used_matches_torch():
    # time_sequence_prediction's pattern: the cell run over a sequence, the loss on the h's only, so
    # the last step's c receives no gradient
    mt, th = _pair("LSTMCell", 1, 5)
    x = randn(6, 3, 1, dtype=np.float64, seed=3)
    grads = []
    for lib, cell in ((minitorch, mt), (torch, th)):
        xt = lib.tensor(x, requires_grad=True)
        state, hs = None, []
        for t in range(6):
            state = cell(xt[t], state)
            hs.append(state[0])
        (lib.stack(hs) ** 2).sum().backward()
        grads.append([xt.grad.numpy()] + [p.grad.numpy() for p in cell.parameters()])
    for m, t in zip(*grads):
        np.testing.assert_allclose(m, t, atol=1e-10)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_fused_cells_keep_the_dtype_like_torch(dtype):
    for name in ("LSTMCell", "GRUCell", "LSTM", "GRU"):
        mt = getattr(minitorch.nn, name)(3, 4).to(getattr(minitorch, dtype))
        th = getattr(torch.nn, name)(3, 4).to(getattr(torch, dtype))
        x = randn(2, 3, dtype=np.float64)
        mt_out, th_out = _flat(mt(minitorch.tensor(x).to(getattr(minitorch, dtype)))), _flat(
            th(torch.tensor(x).to(getattr(torch, dtype))))
        assert [str(o.dtype) for o in mt_out] == [str(o.dtype) for o in th_out]


def test_layers_record_one_node_per_layer_and_direction():
    # a whole sequence is one node, backpropagated through time by hand, like torch's
    # MkldnnRnnLayerBackward0: the per-step bookkeeping is what long sequences of small steps cost
    lstm = minitorch.nn.LSTM(3, 4, num_layers=2)
    x = minitorch.randn(6, 2, 3, requires_grad=True)
    out, (h, c) = lstm(x)
    assert out.grad_fn.name() == "LSTMSequenceBackward0"
    first_layer = [f for f, _ in c.grad_fn.next_functions]  # c_n stacks each layer's final c
    assert [f.name() for f in first_layer] == ["LSTMSequenceBackward0"] * 2
    inputs = [f.name() if f else None for f, _ in first_layer[0].next_functions]
    assert inputs == ["AccumulateGrad", None, None] + ["AccumulateGrad"] * 4  # x, h0, c0, the weights
    _, h_n = minitorch.nn.GRU(3, 4, bidirectional=True)(minitorch.randn(6, 2, 3))
    assert [f.name() for f, _ in h_n.grad_fn.next_functions] == ["GRUSequenceBackward0"] * 2


def test_cells_record_one_node_per_step():
    h, c = minitorch.nn.LSTMCell(3, 4)(minitorch.randn(2, 3))
    assert h.grad_fn is c.grad_fn and h.grad_fn.name() == "LSTMSequenceBackward0"
    assert minitorch.nn.GRUCell(3, 4)(minitorch.randn(2, 3)).grad_fn.name() == "GRUSequenceBackward0"


def test_packed_and_projected_layers_record_one_gates_node_per_step():
    # packed sequences hold finished sequences' states, and projections change h between steps:
    # those run step by step, each step's gates one node
    lstm = minitorch.nn.LSTM(3, 4, proj_size=2)
    _, (h, c) = lstm(minitorch.randn(6, 2, 3))
    last_step, output_nr = c.grad_fn.next_functions[0]
    assert (last_step.name(), output_nr) == ("LSTMGatesBackward0", 1)
    gates, previous_c = last_step.next_functions
    assert gates[0].name() == "AddBackward0" and previous_c[0].name() == "LSTMGatesBackward0"
    packed = minitorch.nn.utils.rnn.pack_padded_sequence(minitorch.randn(6, 2, 3), [6, 4])
    _, h_n = minitorch.nn.GRU(3, 4)(packed)
    assert "GRUGatesBackward0" in {f.name() for f in _nodes_behind(h_n)}


def _nodes_behind(tensor):
    seen, todo = set(), [tensor.grad_fn]
    while todo:
        node = todo.pop()
        if node is not None and node not in seen:
            seen.add(node)
            todo.extend(f for f, _ in node.next_functions)
    return seen


@pytest.mark.parametrize("seed", range(24))
def test_random_layers_and_cells_match_torch(seed):
    # random configurations of the fused sequence ops (one node per layer and direction, or per
    # cell step): sizes from 1, all layer options, given or zero states, float32 and float64
    rng = np.random.default_rng(seed)
    name = ["LSTM", "GRU", "LSTMCell", "GRUCell"][seed % 4]
    dtype = ["float32", "float64"][seed // 4 % 2]
    size, hidden, batch, steps = (int(v) for v in rng.integers(1, 7, 4))
    cell = name.endswith("Cell")
    options = {} if cell else {"num_layers": int(rng.integers(1, 4)), "bidirectional": bool(rng.integers(2)),
                               "batch_first": bool(rng.integers(2))}
    options["bias"] = bool(rng.integers(2))
    th = getattr(torch.nn, name)(size, hidden, **options).to(getattr(torch, dtype))
    mt = getattr(minitorch.nn, name)(size, hidden, **options).to(getattr(minitorch, dtype))
    mt.load_state_dict({k: minitorch.tensor(v.detach().numpy()) for k, v in th.state_dict().items()})
    x = rng.standard_normal((batch, size) if cell else
                            ((batch, steps) if options["batch_first"] else (steps, batch)) + (size,))
    state_shape = (batch, hidden) if cell else (options["num_layers"] * (1 + options["bidirectional"]), batch, hidden)
    states = [rng.standard_normal(state_shape) for _ in range(2 if "LSTM" in name else 1)]
    given = bool(rng.integers(2))
    # some inputs and one weight need no gradient: the op computes only the gradients asked for
    wanted = [bool(rng.integers(2)) for _ in [x] + states]
    frozen = "weight_hh" + ("" if cell else "_l0") if seed % 3 == 0 else None
    outputs, inputs = [], []
    for lib, net in ((minitorch, mt), (torch, th)):
        if frozen:
            getattr(net, frozen).requires_grad_(False)
        ins = [lib.tensor(a, dtype=getattr(lib, dtype), requires_grad=w) for a, w in zip([x] + states, wanted)]
        hx = None if not given else (ins[1] if len(ins) == 2 else tuple(ins[1:]))
        out = _flat(net(ins[0], hx))
        weights = [lib.tensor(rng_w, dtype=getattr(lib, dtype)) for rng_w in
                   (np.random.default_rng(seed + 100 + i).standard_normal(tuple(o.shape)) for i, o in enumerate(out))]
        sum((o * w).sum() for o, w in zip(out, weights)).backward()
        outputs.append([o.detach().numpy() for o in out])
        inputs.append([None if t.grad is None else t.grad.numpy() for t in (ins if given else ins[:1])] +
                      [None if p.grad is None else p.grad.numpy() for p in net.parameters()])
    tolerance = 1e-5 if dtype == "float32" else 1e-10
    for got, want in zip(*outputs):
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance)
    for got, want in zip(*inputs):
        assert (got is None) == (want is None)
        if want is not None:
            np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance)


def test_cells_trained_by_lbfgs_follow_torch():
    # time_sequence_prediction's model (two LSTMCells and a Linear, float64, unrolled over the
    # steps of a sine wave) under LBFGS: from the same weights, every closure's loss as torch's
    def build(lib):
        cells = [lib.nn.LSTMCell(1, 6).double(), lib.nn.LSTMCell(6, 6).double()]
        return cells + [lib.nn.Linear(6, 1).double()]

    th = build(torch)
    mt = build(minitorch)
    for m, t in zip(mt, th):
        m.load_state_dict({k: minitorch.tensor(v.detach().numpy()) for k, v in t.state_dict().items()})
    wave = np.sin(np.arange(4)[:, None] * 0.7 + np.arange(21)[None, :] * 0.3)
    losses = []
    for lib, (cell1, cell2, linear) in ((minitorch, mt), (torch, th)):
        x, target = lib.tensor(wave[:, :-1]), lib.tensor(wave[:, 1:])
        params = [p for module in (cell1, cell2, linear) for p in module.parameters()]
        optimizer = lib.optim.LBFGS(params, lr=0.8, max_iter=20)
        seen = []

        def closure():
            optimizer.zero_grad()
            h1 = c1 = h2 = c2 = lib.zeros(4, 6, dtype=lib.double)
            outputs = []
            for x_t in x.split(1, dim=1):
                h1, c1 = cell1(x_t, (h1, c1))
                h2, c2 = cell2(h1, (h2, c2))
                outputs.append(linear(h2))
            loss = lib.nn.functional.mse_loss(lib.cat(outputs, dim=1), target)
            seen.append(loss.item())
            loss.backward()
            return loss

        optimizer.step(closure)
        losses.append(seen)
    assert len(losses[0]) == len(losses[1]) > 10 and losses[1][-1] < 0.9 * losses[1][0]
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-9)
