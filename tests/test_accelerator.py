"""torch.accelerator and the default device, as a CPU-only torch build reports them."""
import pytest
import torch

import minitorch


def test_no_accelerator_is_reported_like_torch_on_the_cpu():
    for lib in (minitorch, torch):
        assert lib.accelerator.is_available() is False
        assert lib.accelerator.current_accelerator() is None
        assert lib.accelerator.current_accelerator(check_available=True) is None
        assert lib.accelerator.device_count() == 0


@pytest.mark.parametrize("name", ["current_device_index", "synchronize", "current_stream", "empty_cache",
                                  "memory_allocated"])
def test_calls_that_need_an_accelerator_raise_like_torch(name):
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError, match="Cannot access accelerator device when none is available."):
            getattr(lib.accelerator, name)()


def test_device_agnostic_idiom_falls_back_to_the_cpu():
    # the device selection of pytorch/examples' mnist/main.py
    for lib in (minitorch, torch):
        use_accel = lib.accelerator.is_available()
        dev = lib.accelerator.current_accelerator() if use_accel else lib.device("cpu")
        assert str(lib.zeros(2, device=dev).device) == "cpu"


def test_default_device_is_the_cpu():
    for lib in (minitorch, torch):
        lib.set_default_device("cpu")
        assert str(lib.get_default_device()) == "cpu"
        lib.set_default_device(None)
        assert repr(lib.get_default_device()) == "device(type='cpu')"


def test_default_device_other_than_cpu_is_refused_clearly():
    with pytest.raises(RuntimeError, match="supported devices: 'cpu'"):
        minitorch.set_default_device("cuda")
    assert str(minitorch.get_default_device()) == "cpu"
