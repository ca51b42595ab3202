"""Containers: Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict against torch."""
from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest
import torch

import minitorch
import minitorch.nn as nn


def _both(build):
    return build(minitorch), build(torch)


def _same(ours, theirs):
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_sequential_forms_and_indexing():
    seq = lambda lib: lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.ReLU(), lib.nn.Linear(3, 1))
    _same(*_both(seq))
    named = lambda lib: lib.nn.Sequential(OrderedDict([("fc", lib.nn.Linear(2, 3)), ("act", lib.nn.Tanh())]))
    _same(*_both(named))
    ours, theirs = _both(seq)
    for idx in (0, -1, slice(1, 3), slice(None, None, 2)):
        _same(ours[idx], theirs[idx]) if isinstance(idx, slice) else \
            (repr(ours[idx]) == repr(theirs[idx]) or pytest.fail(str(idx)))
    assert len(ours) == 3 and [type(m).__name__ for m in ours] == ["Linear", "ReLU", "Linear"]
    with pytest.raises(IndexError, match="index 3 is out of range"):
        ours[3]
    x = minitorch.randn(4, 2)
    assert ours(x).shape == (4, 1)
    assert named(minitorch).fc.in_features == 2


def test_sequential_mutation_like_torch():
    def mutate(lib):
        s = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.ReLU(), lib.nn.Linear(2, 2))
        s.append(lib.nn.Tanh())
        s.insert(1, lib.nn.Sigmoid())
        s.extend([lib.nn.ReLU6()])
        del s[2]
        s[0] = lib.nn.Linear(2, 5)
        del s[-2:]
        return s
    _same(*_both(mutate))
    _same(*_both(lambda lib: lib.nn.Sequential(lib.nn.ReLU()) + lib.nn.Sequential(lib.nn.Tanh())))
    ours, theirs = _both(lambda lib: lib.nn.Sequential(lib.nn.ReLU(), lib.nn.Tanh()))
    assert repr(ours.pop(0)) == repr(theirs.pop(0))
    _same(ours, theirs)


def test_module_list_like_torch():
    def build(lib):
        ml = lib.nn.ModuleList([lib.nn.Linear(2, 2) for _ in range(3)])
        ml.append(lib.nn.ReLU())
        ml += [lib.nn.Linear(2, 2), lib.nn.Linear(2, 2)]
        ml.insert(0, lib.nn.Tanh())
        del ml[1]
        return ml
    ours, theirs = _both(build)
    _same(ours, theirs)
    _same(ours[1:4], theirs[1:4])
    assert len(ours) == len(theirs) == 6
    with pytest.raises(NotImplementedError):
        ours(1)
    assert repr(nn.ModuleList()) == repr(torch.nn.ModuleList())


def test_module_dict_like_torch():
    def build(lib):
        md = lib.nn.ModuleDict({"b": lib.nn.Linear(2, 2), "a": lib.nn.ReLU()})
        md["c"] = lib.nn.Tanh()
        md.update([("d", lib.nn.Linear(1, 1))])
        del md["a"]
        return md
    ours, theirs = _both(build)
    _same(ours, theirs)
    assert list(ours) == list(theirs) == ["b", "c", "d"] and "c" in ours and len(ours) == 3
    assert [k for k, _ in ours.items()] == list(ours.keys())
    assert type(ours.pop("c")).__name__ == "Tanh" and list(ours) == ["b", "d"]


def test_parameter_list_and_dict_like_torch():
    pl = lambda lib: lib.nn.ParameterList([lib.nn.Parameter(lib.ones(3, 4)), lib.zeros(5)])
    ours, theirs = _both(pl)
    _same(ours, theirs)
    assert isinstance(ours[1], nn.Parameter) and len(ours) == 2
    ours.append(minitorch.ones(1))
    assert [n for n, _ in ours.named_parameters()] == ["0", "1", "2"]
    pd = lambda lib: lib.nn.ParameterDict({"w": lib.nn.Parameter(lib.ones(3, 4)), "b": lib.zeros(2)})
    ours, theirs = _both(pd)
    _same(ours, theirs)
    assert list(ours.keys()) == list(theirs.keys()) == ["b", "w"] and isinstance(ours["b"], nn.Parameter)
    del ours["w"]
    assert list(ours.state_dict()) == ["b"]
    with pytest.raises(RuntimeError, match="ParameterDict should not be called"):
        ours(1)


def test_nested_containers_state_dict_and_grads():
    def build(lib):
        torch.manual_seed(0)
        return lib.nn.Sequential(OrderedDict([
            ("enc", lib.nn.ModuleList([lib.nn.Linear(3, 3), lib.nn.Linear(3, 3)])),
            ("heads", lib.nn.ModuleDict({"x": lib.nn.Linear(3, 1)}))]))
    ours, theirs = _both(build)
    _same(ours, theirs)
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
