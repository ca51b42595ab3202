"""`default_collate`: turn a list of samples into one batch, recursively by type."""
from __future__ import annotations

import collections.abc
from typing import Any, Sequence

import numpy as np

from ... import _dtype
from ..._creation import tensor
from ..._tensor import Tensor, _wrap


def default_collate(batch: Sequence) -> Any:
    """Stack tensors/arrays/numbers into tensors with a new first dimension; recurse into
    dicts, tuples, namedtuples and lists; leave strings and bytes as lists."""
    elem = batch[0]
    if isinstance(elem, Tensor):
        shapes = {tuple(t.shape) for t in batch}
        if len(shapes) > 1:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {sorted(shapes)} "
                               "in the batch")
        return _wrap(np.stack([t._array for t in batch]))
    if isinstance(elem, np.ndarray):
        if elem.dtype.kind in "USO":
            raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, numbers, dicts "
                            f"or lists; found {elem.dtype}")
        return _wrap(np.stack(batch))
    if isinstance(elem, np.generic):
        return _wrap(np.array(batch))
    if isinstance(elem, bool):
        return tensor(batch)
    if isinstance(elem, int):
        return tensor(batch, dtype=_dtype.int64)
    if isinstance(elem, float):
        return tensor(batch, dtype=_dtype.float64)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        return {key: default_collate([d[key] for d in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return type(elem)(*(default_collate(samples) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        if any(len(sample) != len(elem) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(samples) for samples in zip(*batch)]
    raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
                    f"found {type(elem)}")


def default_convert(data: Any) -> Any:
    """Convert numpy arrays inside `data` to tensors without batching (collate for batch_size=None)."""
    if isinstance(data, np.ndarray) and data.dtype.kind not in "USO":
        return _wrap(data)
    if isinstance(data, collections.abc.Mapping):
        return {k: default_convert(v) for k, v in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, (list, tuple)):
        return type(data)(default_convert(d) for d in data)
    return data
