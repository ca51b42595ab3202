"""SummaryWriter writes real event files: read them back with TensorBoard's own reader."""
import glob
import os
import re

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2

import minitorch
from minitorch import nn
from minitorch.utils.tensorboard import SummaryWriter


def _read(folder):
    acc = EventAccumulator(str(folder), size_guidance={"scalars": 0, "images": 0, "histograms": 0,
                                                       "tensors": 0})
    acc.Reload()
    return acc


def test_scalars_round_trip(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        for step in range(5):
            writer.add_scalar("loss/train", 1.0 / (step + 1), step)
        writer.add_scalar("acc", minitorch.tensor(0.5), 10)
    acc = _read(tmp_path)
    assert [e.step for e in acc.Scalars("loss/train")] == [0, 1, 2, 3, 4]
    np.testing.assert_allclose([e.value for e in acc.Scalars("loss/train")], [1, 1 / 2, 1 / 3, 1 / 4, 1 / 5],
                               rtol=1e-6)
    assert acc.Scalars("acc")[0].value == 0.5


def test_add_scalars_writes_one_run_per_series(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        writer.add_scalars("run", {"a": 1.0, "b": 2.0}, 3)
    assert sorted(os.listdir(tmp_path))[-2:] == ["run_a", "run_b"]
    assert _read(tmp_path / "run_b").Scalars("run")[0].value == 2.0


def test_histogram_image_text(tmp_path):
    values = minitorch.randn(1000)
    with SummaryWriter(tmp_path) as writer:
        writer.add_histogram("weights", values, 1)
        writer.add_image("digit", minitorch.rand(1, 8, 6), 2)
        writer.add_images("batch", minitorch.rand(4, 3, 5, 5), 2)
        writer.add_text("note", "hello **world**", 3)
    acc = _read(tmp_path)
    hist = acc.Histograms("weights")[0].histogram_value
    assert hist.num == 1000 and abs(hist.sum - float(values.sum())) < 1e-3
    image = acc.Images("digit")[0]
    assert (image.height, image.width) == (8, 6)
    assert acc.Images("batch")[0].width > 5  # four images tiled into one grid
    text = acc.Tensors("note/text_summary")[0].tensor_proto.string_val[0]
    assert text == b"hello **world**"


def test_graph_names_modules_and_parameters(tmp_path):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = nn.Parameter(minitorch.randn(3, 2))

        def forward(self, x):
            return (x @ self.weight).relu().sum(dim=1)

    with SummaryWriter(tmp_path) as writer:
        writer.add_graph(Net(), minitorch.randn(4, 3))
    graph = _read(tmp_path).Graph()
    names = [n.name for n in graph.node]
    ops = {n.op for n in graph.node}
    assert "Net/weight" in names and "input/input.0" in names and "output/output.0" in names
    assert {"MmBackward0", "ReluBackward0", "SumBackward1"} <= ops  # sum over a dim: torch's SumBackward1
    matmul = next(n for n in graph.node if n.op == "MmBackward0")
    assert set(matmul.input) == {"Net/weight", "input/input.0"}


def test_hparams_written_as_their_own_run(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        writer.add_hparams({"lr": 0.1, "optimizer": "adam"}, {"hparam/accuracy": 0.99}, run_name="trial")
    acc = _read(tmp_path / "trial")
    assert acc.Scalars("hparam/accuracy")[0].value == pytest.approx(0.99)
    content = acc.PluginTagToContent("hparams")
    assert set(content) == {"_hparams_/experiment", "_hparams_/session_start_info", "_hparams_/session_end_info"}
    start = plugin_data_pb2.HParamsPluginData.FromString(content["_hparams_/session_start_info"])
    assert start.session_start_info.hparams["lr"].number_value == 0.1
    assert start.session_start_info.hparams["optimizer"].string_value == "adam"


def test_default_log_dir_and_comment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    writer = SummaryWriter(comment="_lenet")
    writer.close()
    folder = writer.get_logdir()
    assert re.fullmatch(r"runs/[A-Z][a-z]{2}\d\d_\d\d-\d\d-\d\d_.+_lenet", folder), folder
    assert glob.glob(os.path.join(folder, "events.out.tfevents.*"))


def test_purge_step_event(tmp_path):
    with SummaryWriter(tmp_path, purge_step=5) as writer:
        writer.add_scalar("x", 1.0, 5)
    assert [e.step for e in _read(tmp_path).Scalars("x")] == [5]


def test_non_scalar_value_is_refused(tmp_path):
    with SummaryWriter(tmp_path) as writer, pytest.raises(ValueError, match="scalar should be 0D"):
        writer.add_scalar("x", minitorch.ones(3), 0)
