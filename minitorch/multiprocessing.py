"""torch.multiprocessing: the standard library's multiprocessing, and tensors that several
processes share.

`Tensor.share_memory_()` moves a tensor's values into a file in /dev/shm (POSIX shared
memory) mapped into this process. A forked child inherits the mapping; under the 'spawn' and
'forkserver' start methods a shared tensor travels to the child as the file's name and the
child maps the same file. Either way an in-place update in one process is seen by all:
Hogwild training, where every worker steps the optimizer on one shared model, relies on it.
The files are removed when the process that made them exits.
"""
from __future__ import annotations

import atexit
import mmap
import multiprocessing as _mp
import os
import tempfile
from multiprocessing import *  # noqa: F401,F403  Process, Queue, Pool, set_start_method, ...
from multiprocessing.reduction import ForkingPickler

import numpy as np

from ._tensor import Tensor, _rebuild
from .nn.parameter import Parameter

__all__ = list(_mp.__all__)

_SHM_DIR = "/dev/shm" if os.path.isdir("/dev/shm") else None
_maps: dict[int, tuple[mmap.mmap, str]] = {}  # id(map) -> (map, file); maps are kept alive here
_made_here: list[str] = []


def _map_file(path: str, nbytes: int) -> mmap.mmap:
    with open(path, "r+b") as f:
        m = mmap.mmap(f.fileno(), nbytes)
    _maps[id(m)] = (m, path)
    return m


def shared_array(array: np.ndarray) -> np.ndarray:
    """A copy of `array` in a new shared-memory file (C-contiguous, same shape and dtype)."""
    fd, path = tempfile.mkstemp(prefix="minitorch_shm_", dir=_SHM_DIR)
    nbytes = max(array.nbytes, 1)  # mmap refuses a length of 0
    os.ftruncate(fd, nbytes)
    os.close(fd)
    _made_here.append(path)
    out = np.frombuffer(_map_file(path, nbytes), dtype=array.dtype, count=array.size).reshape(array.shape)
    out[...] = array
    return out


def _shared_map(array: np.ndarray) -> tuple[mmap.mmap, str] | None:
    """The (map, file) that `array`'s memory lives in, or None if it is not shared."""
    base = array
    while isinstance(base, np.ndarray):
        base = base.base
    if isinstance(base, memoryview):  # numpy keeps a view of the map's buffer
        base = base.obj
    return _maps.get(id(base)) if isinstance(base, mmap.mmap) else None


def is_shared(array: np.ndarray) -> bool:
    """True if `array` lives in shared memory made by `shared_array`."""
    return _shared_map(array) is not None


def _rebuild_shared(cls: type, path: str, nbytes: int, offset: int, shape: tuple, strides: tuple,
                    dtype: str, requires_grad: bool) -> Tensor:
    array = np.ndarray(shape, dtype=np.dtype(dtype), buffer=_map_file(path, nbytes), offset=offset,
                       strides=strides)
    return _rebuild(cls, array, requires_grad)


def _reduce_tensor(t: Tensor):
    """Send a shared tensor to another process by its file's name; others by value."""
    found = _shared_map(t._array)
    if found is None:
        return t.__reduce_ex__(2)
    m, path = found
    offset = t._array.__array_interface__["data"][0] - np.frombuffer(m, np.uint8).__array_interface__["data"][0]
    return _rebuild_shared, (type(t), path, len(m), offset, t._array.shape, t._array.strides,
                             t._array.dtype.str, t._requires_grad)


# the pickler multiprocessing uses for a Process's arguments and for queues (exact types)
ForkingPickler.register(Tensor, _reduce_tensor)
ForkingPickler.register(Parameter, _reduce_tensor)


@atexit.register
def _remove_files(pid: int = os.getpid()) -> None:
    if os.getpid() != pid:  # a forked child inherits this hook: only the maker removes
        return
    for path in _made_here:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
