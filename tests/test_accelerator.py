"""`torch.accelerator` on a machine without one: minitorch answers as torch's CPU-only build does."""
import pytest
import torch

import minitorch


def test_no_accelerator_is_reported_like_a_cpu_only_torch():
    assert minitorch.accelerator.is_available() is torch.accelerator.is_available() is False
    assert minitorch.accelerator.current_accelerator() is torch.accelerator.current_accelerator() is None
    assert minitorch.accelerator.device_count() == torch.accelerator.device_count() == 0


def test_the_usual_device_selection_falls_back_to_the_cpu():
    # the idiom of PyTorch's tutorials and examples
    lib = minitorch
    device = lib.accelerator.current_accelerator().type if lib.accelerator.is_available() else "cpu"
    assert lib.ones(2, device=device).device == lib.device("cpu")


@pytest.mark.parametrize("call", ["current_device_index()", "synchronize()", "set_device_index(0)"])
def test_calls_needing_a_device_raise_the_same_error_as_torch(call):
    messages = []
    for lib in (minitorch, torch):
        with pytest.raises(RuntimeError) as info:
            eval(f"lib.accelerator.{call}")
        messages.append(str(info.value))
    assert messages[0] == messages[1]
