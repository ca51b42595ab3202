"""The default device: minitorch's is always the CPU, reported and set the way torch does it."""
import pytest
import torch

import minitorch


def test_default_device_is_the_cpu_like_torch():
    assert repr(minitorch.get_default_device()) == repr(torch.get_default_device()) == "device(type='cpu')"


@pytest.mark.parametrize("choice", ["cpu", None, "cpu:0"])
def test_setting_the_cpu_as_default_keeps_creation_on_the_cpu(choice):
    minitorch.set_default_device(choice)
    try:
        assert minitorch.get_default_device() == minitorch.device("cpu")
        assert minitorch.linspace(0, 1, 5).device == minitorch.device("cpu")
    finally:
        minitorch.set_default_device(None)


def test_setting_an_accelerator_as_default_is_refused_naming_the_cpu():
    with pytest.raises(RuntimeError, match="'cpu'"):
        minitorch.set_default_device("cuda")
    assert minitorch.get_default_device() == minitorch.device("cpu")
