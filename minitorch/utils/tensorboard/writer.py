"""`SummaryWriter`: torch's TensorBoard writer API over the tensorboardX library.

tensorboardX encodes the protobuf records and writes the event files; this module turns
minitorch values into numpy, keeps torch's defaults (the `runs/<date>_<host><comment>`
folder, one sub-writer per add_scalars series, hparams in their own run) and builds the
model graph for `add_graph` from minitorch's own autograd graph.
"""
from __future__ import annotations

import os
import socket
import time
from datetime import datetime
from typing import Any

import numpy as np

try:
    from tensorboardX import summary as _summary
    from tensorboardX.proto import event_pb2
    from tensorboardX.writer import FileWriter
except ImportError as e:  # pragma: no cover - exercised only without the optional dependency
    raise ImportError("minitorch.utils.tensorboard needs the tensorboardX package: "
                      "pip install tensorboardX") from e

from ..._tensor import Tensor
from .graph import model_graph


def _numpy(value: Any) -> np.ndarray:
    if isinstance(value, Tensor):
        return np.asarray(value.detach()._array)
    return np.asarray(value)


def _scalar(value: Any) -> float:
    array = _numpy(value)
    if array.size != 1:
        raise ValueError(f"scalar should be 0D, got a value of shape {array.shape}")
    return float(array.reshape(()))


def _tensorflow_buckets() -> list[float]:
    """TensorFlow's default histogram edges: +-1e-12 growing by 10% per bucket up to 1e20, and 0."""
    positive = [1e-12]
    while positive[-1] * 1.1 < 1e20:
        positive.append(positive[-1] * 1.1)
    return [-v for v in reversed(positive)] + [0.0] + positive


class SummaryWriter:
    """Write scalars, histograms, images, text, graphs and hparams to a TensorBoard event file."""

    def __init__(self, log_dir: str | None = None, comment: str = "", purge_step: int | None = None,
                 max_queue: int = 10, flush_secs: int = 120, filename_suffix: str = ""):
        if not log_dir:
            stamp = datetime.now().strftime("%b%d_%H-%M-%S")
            log_dir = os.path.join("runs", f"{stamp}_{socket.gethostname()}{comment}")
        self.log_dir = str(log_dir)
        self.purge_step, self.max_queue = purge_step, max_queue
        self.flush_secs, self.filename_suffix = flush_secs, filename_suffix
        self.file_writer: FileWriter | None = None
        self.all_writers: dict[str, FileWriter] = {}
        self._get_file_writer()

    def _get_file_writer(self) -> FileWriter:
        if self.file_writer is None:
            self.file_writer = FileWriter(self.log_dir, self.max_queue, self.flush_secs, self.filename_suffix)
            self.all_writers[self.file_writer.get_logdir()] = self.file_writer
            if self.purge_step is not None:
                # Tell TensorBoard to drop events at or after purge_step from an earlier, crashed run.
                self.file_writer.add_event(event_pb2.Event(step=self.purge_step, file_version="brain.Event:2"))
                self.file_writer.add_event(event_pb2.Event(
                    step=self.purge_step, session_log=event_pb2.SessionLog(status=event_pb2.SessionLog.START)))
                self.purge_step = None
        return self.file_writer

    def get_logdir(self) -> str:
        """The folder the event files go to."""
        return self.log_dir

    def add_scalar(self, tag: str, scalar_value: Any, global_step: int | None = None,
                   walltime: float | None = None, new_style: bool = False,
                   double_precision: bool = False) -> None:
        """Log one number under `tag` at `global_step`."""
        self._get_file_writer().add_summary(_summary.scalar(tag, _scalar(scalar_value)), global_step, walltime)

    def add_scalars(self, main_tag: str, tag_scalar_dict: dict, global_step: int | None = None,
                    walltime: float | None = None) -> None:
        """Log several numbers as curves of one chart; each goes to its own run folder main_tag_tag."""
        walltime = time.time() if walltime is None else walltime
        base = self._get_file_writer().get_logdir()
        for tag, value in tag_scalar_dict.items():
            folder = os.path.join(base, f"{main_tag.replace('/', '_')}_{tag}")
            writer = self.all_writers.get(folder)
            if writer is None:
                writer = self.all_writers[folder] = FileWriter(folder, self.max_queue, self.flush_secs,
                                                               self.filename_suffix)
            writer.add_summary(_summary.scalar(main_tag, _scalar(value)), global_step, walltime)

    def add_histogram(self, tag: str, values: Any, global_step: int | None = None, bins: Any = "tensorflow",
                      walltime: float | None = None, max_bins: int | None = None) -> None:
        """Log the distribution of `values` (any shape)."""
        if isinstance(bins, str) and bins == "tensorflow":
            bins = _tensorflow_buckets()
        self._get_file_writer().add_summary(
            _summary.histogram(tag, _numpy(values).astype(np.float64), bins, max_bins=max_bins),
            global_step, walltime)

    def add_image(self, tag: str, img_tensor: Any, global_step: int | None = None,
                  walltime: float | None = None, dataformats: str = "CHW") -> None:
        """Log one image: float values in [0, 1] or uint8, laid out as `dataformats` (CHW, HWC, HW)."""
        self._get_file_writer().add_summary(
            _summary.image(tag, _numpy(img_tensor), dataformats=dataformats), global_step, walltime)

    def add_images(self, tag: str, img_tensor: Any, global_step: int | None = None,
                   walltime: float | None = None, dataformats: str = "NCHW") -> None:
        """Log a batch of images as one grid image."""
        self._get_file_writer().add_summary(
            _summary.image(tag, _numpy(img_tensor), dataformats=dataformats), global_step, walltime)

    def add_text(self, tag: str, text_string: str, global_step: int | None = None,
                 walltime: float | None = None) -> None:
        """Log a (markdown) string."""
        self._get_file_writer().add_summary(_summary.text(tag, text_string), global_step, walltime)

    def add_graph(self, model: Any, input_to_model: Any = None, verbose: bool = False,
                  use_strict_trace: bool = True) -> None:
        """Log the op graph of `model(input_to_model)`, traced through minitorch's autograd graph."""
        graph = model_graph(model, input_to_model, verbose)
        self._get_file_writer().add_event(event_pb2.Event(graph_def=graph.SerializeToString()))

    def add_hparams(self, hparam_dict: dict, metric_dict: dict, hparam_domain_discrete: dict | None = None,
                    run_name: str | None = None, global_step: int | None = None) -> None:
        """Log a set of hyperparameters with the metrics they achieved, as a run of its own."""
        if not isinstance(hparam_dict, dict) or not isinstance(metric_dict, dict):
            raise TypeError("hparam_dict and metric_dict should be dictionary.")
        experiment, start, end = _summary.hparams(hparam_dict, metric_dict)
        run = os.path.join(self._get_file_writer().get_logdir(), run_name or str(time.time()))
        with SummaryWriter(log_dir=run) as writer:
            for record in (experiment, start, end):
                writer.file_writer.add_summary(record, global_step)
            for key, value in metric_dict.items():
                writer.add_scalar(key, value, global_step)

    def flush(self) -> None:
        """Write pending events to disk."""
        for writer in self.all_writers.values():
            writer.flush()

    def close(self) -> None:
        """Flush and close every event file."""
        for writer in self.all_writers.values():
            writer.flush()
            writer.close()
        self.all_writers.clear()
        self.file_writer = None

    def __enter__(self) -> "SummaryWriter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
