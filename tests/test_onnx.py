"""torch.onnx is importable; export is refused (minitorch has no tracer), is_in_onnx_export is False."""
import pytest
import torch

import minitorch


def test_onnx_importable_and_export_refused(tmp_path):
    import minitorch.onnx
    assert minitorch.onnx.is_in_onnx_export() is torch.onnx.is_in_onnx_export() is False
    with pytest.raises(NotImplementedError, match="cannot export models to ONNX"):
        minitorch.onnx.export(minitorch.nn.Linear(2, 2), (minitorch.ones(1, 2),), tmp_path / "m.onnx")
