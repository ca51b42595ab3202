"""Module API: registration, naming and order, state_dict, modes, conversion, repr (hooks: test_module_hooks.py)."""
from __future__ import annotations

import copy
import pickle
from collections import OrderedDict

import numpy as np
import pytest
import torch

import minitorch
import minitorch.nn as nn


def _build(lib):
    """The same small model in either library: own params, a buffer, nested children."""
    class Block(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = lib.nn.Parameter(lib.ones(3))
            self.register_buffer("running", lib.zeros(3))
            self.register_buffer("scratch", lib.zeros(2), persistent=False)
            self.fc = lib.nn.Linear(3, 3)
            self.act = lib.nn.ReLU()

        def forward(self, x):
            return self.act(self.fc(x) * self.scale)

    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.inp = lib.nn.Linear(4, 3, bias=False)
            self.blocks = lib.nn.Sequential(Block(), Block())
            self.head = lib.nn.Linear(3, 2)
            self.empty = None

        def forward(self, x):
            return self.head(self.blocks(self.inp(x)))

    return Net()


def _copy_weights(ours, theirs):
    """Copy torch's weights into ours through tensors (so both compute the same function)."""
    ours.load_state_dict({k: minitorch.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})


def test_names_and_order_match_torch():
    ours, theirs = _build(minitorch), _build(torch)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters(prefix="m", recurse=True)] == \
        [n for n, _ in theirs.named_parameters(prefix="m")]
    assert [n for n, _ in ours.blocks[0].named_parameters(recurse=False)] == ["scale"]
    assert "blocks.0.scratch" not in ours.state_dict()
    assert len(list(ours.parameters())) == len(list(theirs.parameters()))


def test_repr_matches_torch():
    assert repr(_build(minitorch)) == repr(_build(torch))
    assert repr(nn.Parameter(minitorch.ones(2))) == repr(torch.nn.Parameter(torch.ones(2)))


def test_forward_matches_torch_after_loading_weights():
    ours, theirs = _build(minitorch), _build(torch)
    _copy_weights(ours, theirs)
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    out_t = theirs(torch.tensor(x))
    out_m = ours(minitorch.tensor(x))
    np.testing.assert_allclose(out_m.detach().numpy(), out_t.detach().numpy(), rtol=1e-5, atol=1e-6)
    out_t.sum().backward()
    out_m.sum().backward()
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-5, atol=1e-6, err_msg=name)


def test_shared_parameters_counted_once():
    lin = nn.Linear(2, 2)
    seq = nn.Sequential(lin, lin)
    assert len(list(seq.parameters())) == 2
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]
    assert [n for n, _ in seq.named_modules()] == ["", "0"]


def test_attribute_assignment_registers_and_unregisters():
    m = nn.Module()
    m.w = nn.Parameter(minitorch.ones(2))
    m.child = nn.Linear(2, 2)
    m.register_buffer("b", minitorch.zeros(1))
    assert list(m._parameters) == ["w"] and list(m._modules) == ["child"] and list(m._buffers) == ["b"]
    m.b = minitorch.ones(1)  # assigning a tensor to a buffer name keeps it a buffer
    assert m.get_buffer("b").tolist() == [1.0]
    m.w = None
    assert m.w is None and "w" not in m.state_dict()
    del m.child
    assert "child" not in m._modules
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        m.nothing


def test_reassigning_a_child_or_parameter_keeps_its_place_like_torch():
    """siamese_network replaces resnet.conv1, then keeps children()[:-1]: conv1 must still come first."""
    def orders(lib):
        m = lib.nn.Module()
        m.a, m.b, m.c = lib.nn.ReLU(), lib.nn.Tanh(), lib.nn.Sigmoid()
        m.p, m.q = lib.nn.Parameter(lib.ones(1)), lib.nn.Parameter(lib.ones(1))
        m.register_buffer("x", lib.ones(1))
        m.register_buffer("y", lib.ones(1))
        m.a = lib.nn.Identity()
        m.p = lib.nn.Parameter(lib.zeros(1))
        m.x = lib.zeros(1)
        m.y = lib.nn.ELU()   # a buffer name taken by a module moves to the modules, at the end
        return [list(m._modules), list(m._parameters), list(m._buffers), [type(c).__name__ for c in m.children()]]
    assert orders(minitorch) == orders(torch)


def _errors(lib):
    m = lib.nn.Module()
    m.w = lib.nn.Parameter(lib.ones(2))
    m.c = lib.nn.ReLU()
    attempts = [lambda: setattr(m, "w", lib.ones(2)), lambda: setattr(m, "c", 3),
                lambda: m.register_buffer("w", lib.ones(1)), lambda: m.register_parameter("a.b", None),
                lambda: m.register_parameter("", None), lambda: m.register_parameter("p", lib.ones(2)),
                lambda: m.register_buffer("b", 3)]
    out = []
    for attempt in attempts:
        with pytest.raises(Exception) as info:
            attempt()
        out.append((info.type, str(info.value)))
    return out


def test_registration_errors_match_torch():
    assert _errors(minitorch) == _errors(torch)
    with pytest.raises(NotImplementedError, match=r'Module \[Module\] is missing the required "forward"'):
        nn.Module()(1)


def test_get_submodule_parameter_buffer():
    ours = _build(minitorch)
    assert ours.get_submodule("blocks.1.fc") is ours.blocks[1].fc
    assert ours.get_parameter("blocks.0.scale") is ours.blocks[0].scale
    assert ours.get_buffer("blocks.1.running") is ours.blocks[1].running
    with pytest.raises(AttributeError):
        ours.get_submodule("blocks.7")
    with pytest.raises(AttributeError):
        ours.get_parameter("blocks.0.running")


def test_state_dict_shares_storage_and_is_detached():
    lin = nn.Linear(2, 3)
    sd = lin.state_dict()
    assert not sd["weight"].requires_grad and sd["weight"].data_ptr() == lin.weight.data_ptr()
    assert lin.state_dict(keep_vars=True)["weight"] is lin.weight
    assert isinstance(sd, OrderedDict)


def test_load_state_dict_strict_and_errors_like_torch():
    results = []
    for lib in (minitorch, torch):
        lin = lib.nn.Linear(3, 2)
        res = lin.load_state_dict({"weight": lib.ones(2, 3), "extra": lib.ones(1)}, strict=False)
        assert res.missing_keys == ["bias"] and res.unexpected_keys == ["extra"]
        assert lin.weight.tolist() == [[1.0] * 3] * 2
        with pytest.raises(RuntimeError) as info:
            lin.load_state_dict({"weight": lib.ones(4, 3), "foo": lib.ones(1)})
        results.append(str(info.value))
        assert repr(lin.load_state_dict(lin.state_dict())) == "<All keys matched successfully>"
        with pytest.raises(RuntimeError) as info:  # shape mismatch raises even when not strict
            lin.load_state_dict({"weight": lib.ones(4, 3)}, strict=False)
        results.append(str(info.value))
    assert results[0] == results[2] and results[1] == results[3]
    assert "size mismatch for weight: copying a param with shape torch.Size([4, 3]) from checkpoint, " \
           "the shape in current model is torch.Size([2, 3])." in results[0]
    assert 'Missing key(s) in state_dict: "bias".' in results[0]


def test_load_state_dict_nested_and_buffers():
    ours, theirs = _build(minitorch), _build(torch)
    sd = {k: minitorch.tensor(v.numpy()) + 1 for k, v in theirs.state_dict().items()}
    ours.load_state_dict(sd)
    np.testing.assert_allclose(ours.blocks[1].running.numpy(), np.ones(3))
    keys = ours.load_state_dict({**sd, "blocks.0.fc.nope": minitorch.ones(1)}, strict=False)
    assert keys.unexpected_keys == ["blocks.0.fc.nope"]
    del sd["blocks.1.running"]
    assert ours.load_state_dict(sd, strict=False).missing_keys == ["blocks.1.running"]


def test_train_eval_and_requires_grad():
    ours = _build(minitorch)
    assert all(m.training for m in ours.modules())
    ours.eval()
    assert not any(m.training for m in ours.modules())
    ours.train()
    assert ours.blocks[0].act.training
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        ours.train("yes")
    ours.requires_grad_(False)
    assert not any(p.requires_grad for p in ours.parameters())


def test_zero_grad_and_apply():
    lin = nn.Linear(2, 2)
    lin(minitorch.ones(1, 2)).sum().backward()
    lin.zero_grad(set_to_none=False)
    assert lin.weight.grad.tolist() == [[0.0, 0.0], [0.0, 0.0]]
    lin.zero_grad()
    assert lin.weight.grad is None
    seen = []
    _build(minitorch).apply(lambda m: seen.append(type(m).__name__))
    assert seen[-1] == "Net" and seen[0] == "Linear"


def test_to_double_float_keeps_parameter_identity():
    ours = _build(minitorch)
    w = ours.head.weight
    ours.double()
    assert ours.head.weight is w and w.dtype is minitorch.float64 and ours.blocks[0].running.dtype is minitorch.float64
    ours.to(minitorch.float32)
    assert w.dtype is minitorch.float32
    assert ours.to("cpu") is ours and ours.cpu() is ours
    with pytest.raises(TypeError, match="floating point"):
        ours.to(minitorch.int64)
    with pytest.raises(Exception, match="cuda"):
        ours.to("cuda")


def test_deepcopy_and_pickle():
    ours = _build(minitorch)
    clone = copy.deepcopy(ours)
    assert clone.head.weight is not ours.head.weight
    assert isinstance(clone.head.weight, nn.Parameter) and clone.head.weight.requires_grad
    np.testing.assert_array_equal(clone.head.weight.detach().numpy(), ours.head.weight.detach().numpy())
    ours = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    again = pickle.loads(pickle.dumps(ours))
    assert list(again.state_dict()) == list(ours.state_dict())
    x = minitorch.randn(2, 4)
    np.testing.assert_allclose(again(x).detach().numpy(), ours(x).detach().numpy())


def test_parameter_behaviour():
    p = nn.Parameter(minitorch.ones(2))
    assert p.requires_grad and p.is_leaf and isinstance(p, minitorch.Tensor)
    assert not nn.Parameter(minitorch.ones(2), requires_grad=False).requires_grad
    x = minitorch.ones(2, requires_grad=True)
    q = nn.Parameter(x * 2)  # an op's output becomes a leaf parameter
    assert q.is_leaf and q.grad_fn is None and q.tolist() == [2.0, 2.0]
    assert nn.Parameter().shape == (0,)
    with minitorch.no_grad():
        nn.init.constant_(p, 3.0)
    assert p.tolist() == [3.0, 3.0]
    assert type(p * 2) is minitorch.Tensor
    assert isinstance(pickle.loads(pickle.dumps(p)), nn.Parameter)
