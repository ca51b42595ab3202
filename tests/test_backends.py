"""torch.backends' cudnn and mps flags as a CPU-only torch reports them, importable as modules."""
import importlib

import pytest
import torch

import minitorch


@pytest.mark.parametrize("name", ["cudnn", "mps"])
def test_backend_is_a_submodule(name):
    assert importlib.import_module(f"minitorch.backends.{name}") is getattr(minitorch.backends, name)


def test_flags_and_availability_as_torch():
    ours, theirs = minitorch.backends.cudnn, torch.backends.cudnn
    for flag in ["enabled", "benchmark", "deterministic", "allow_tf32"]:
        assert getattr(ours, flag) == getattr(theirs, flag), flag
    assert ours.is_available() == theirs.is_available() is False
    assert ours.version() is theirs.version() is None
    assert minitorch.backends.mps.is_available() == torch.backends.mps.is_available() is False
    assert minitorch.backends.mps.is_built() == torch.backends.mps.is_built()
