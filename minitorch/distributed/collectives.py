"""Collectives on tensors: each works in place on the tensor's storage, as in torch.

MPI reads and writes contiguous buffers; a non-contiguous tensor is copied into a
contiguous buffer and the result copied back into its own (strided) storage.
"""
from __future__ import annotations

import enum
import pickle
from typing import Any, Callable

import numpy as np

from .._tensor import Tensor
from .process_group import ProcessGroup, _import_mpi, _resolve


class ReduceOp(enum.Enum):
    """How all_reduce/reduce combine the ranks' values."""
    SUM = "sum"
    PRODUCT = "product"
    MIN = "min"
    MAX = "max"
    BAND = "band"
    BOR = "bor"
    BXOR = "bxor"
    AVG = "avg"


_MPI_OPS = {ReduceOp.SUM: "SUM", ReduceOp.AVG: "SUM", ReduceOp.PRODUCT: "PROD", ReduceOp.MIN: "MIN",
            ReduceOp.MAX: "MAX", ReduceOp.BAND: "BAND", ReduceOp.BOR: "BOR", ReduceOp.BXOR: "BXOR"}


class Work:
    """A collective started with async_op=True; wait() blocks until its result is in place."""

    def __init__(self, requests: list, finish: Callable[[], None] | None = None):
        self._requests, self._finish = requests, finish

    def wait(self, timeout: Any = None) -> bool:
        """Block until the collective is done and the tensor holds its result."""
        if self._requests:
            _import_mpi().Request.Waitall(self._requests)
            self._requests = []
        if self._finish is not None:
            self._finish()
            self._finish = None
        return True

    def is_completed(self) -> bool:
        return not self._requests and self._finish is None


def _check_tensor(tensor: Any, name: str = "tensor") -> np.ndarray:
    if not isinstance(tensor, Tensor):
        raise TypeError(f"Invalid function argument. Expected parameter `{name}` of type torch.Tensor "
                        f"but got {type(tensor)} instead.")
    return tensor._array


def _mpi_op(op: ReduceOp, array: np.ndarray) -> Any:
    if not isinstance(op, ReduceOp):
        raise TypeError(f"op must be a ReduceOp, got {op!r}")
    if op in (ReduceOp.BAND, ReduceOp.BOR, ReduceOp.BXOR) and array.dtype.kind == "f":
        raise RuntimeError(f"Cannot use ReduceOp.{op.name} with {array.dtype} tensors")
    return getattr(_import_mpi(), _MPI_OPS[op])


def _contiguous(array: np.ndarray) -> np.ndarray:
    """A C-contiguous array with the same values (the array itself when it already is)."""
    return array if array.flags.c_contiguous else np.ascontiguousarray(array)


def _check_same_shape(pg: ProcessGroup, array: np.ndarray, what: str) -> None:
    """Raise on every rank if the ranks' tensors differ in shape or dtype (MPI would corrupt them)."""
    mine = (tuple(array.shape), str(array.dtype))
    everyone = pg.comm.allgather(mine)
    if any(other != mine for other in everyone):
        raise RuntimeError(f"{what}: ranks passed tensors of different shapes/dtypes: "
                           + ", ".join(f"rank {r}: {s} {d}" for r, (s, d) in enumerate(everyone)))


def _finish_in_place(array: np.ndarray, buffer: np.ndarray, op: ReduceOp, size: int) -> Callable[[], None]:
    """What to do after the MPI call: average if asked, copy back if we worked on a copy."""
    def finish() -> None:
        if op is ReduceOp.AVG:
            np.divide(buffer, size, out=buffer, casting="unsafe")
        if buffer is not array:
            array[...] = buffer
    return finish


def _run(requests: list, finish: Callable[[], None] | None, async_op: bool) -> Work | None:
    work = Work(requests, finish)
    if async_op:
        return work
    work.wait()
    return None


def all_reduce(tensor: Tensor, op: ReduceOp = ReduceOp.SUM, group: ProcessGroup | None = None,
               async_op: bool = False) -> Work | None:
    """Replace `tensor` on every rank by the reduction (sum by default) of all ranks' tensors."""
    array = _check_tensor(tensor)
    pg = _resolve(group)
    mpi_op = _mpi_op(op, array)
    _check_same_shape(pg, array, "all_reduce")
    buffer = _contiguous(array)
    request = pg.comm.Iallreduce(_import_mpi().IN_PLACE, buffer, op=mpi_op)
    return _run([request], _finish_in_place(array, buffer, op, pg.size()), async_op)


def reduce(tensor: Tensor, dst: int, op: ReduceOp = ReduceOp.SUM, group: ProcessGroup | None = None,
           async_op: bool = False) -> Work | None:
    """Reduce all ranks' tensors into `tensor` on rank `dst`; the others' tensors are unchanged."""
    array = _check_tensor(tensor)
    pg = _resolve(group)
    mpi_op = _mpi_op(op, array)
    _check_same_shape(pg, array, "reduce")
    MPI = _import_mpi()
    buffer = _contiguous(array)
    if pg.rank() == dst:
        request = pg.comm.Ireduce(MPI.IN_PLACE, buffer, op=mpi_op, root=dst)
        return _run([request], _finish_in_place(array, buffer, op, pg.size()), async_op)
    return _run([pg.comm.Ireduce(buffer, None, op=mpi_op, root=dst)], None, async_op)


def broadcast(tensor: Tensor, src: int, group: ProcessGroup | None = None, async_op: bool = False) -> Work | None:
    """Copy rank `src`'s tensor into `tensor` on every rank."""
    array = _check_tensor(tensor)
    pg = _resolve(group)
    _check_same_shape(pg, array, "broadcast")
    buffer = _contiguous(array)
    request = pg.comm.Ibcast(buffer, root=src)
    return _run([request], _finish_in_place(array, buffer, ReduceOp.SUM, pg.size()), async_op)


def all_gather(tensor_list: list[Tensor], tensor: Tensor, group: ProcessGroup | None = None,
               async_op: bool = False) -> Work | None:
    """Fill tensor_list[r] with rank r's `tensor`, on every rank."""
    array = _check_tensor(tensor)
    pg = _resolve(group)
    if len(tensor_list) != pg.size():
        raise ValueError(f"tensor list size {len(tensor_list)} must equal the group size {pg.size()}")
    for out in tensor_list:
        if _check_tensor(out, "tensor_list").shape != array.shape or out._array.dtype != array.dtype:
            raise ValueError(f"all_gather: every output must have the input's shape {tuple(array.shape)} "
                             f"and dtype, got {tuple(out.shape)} {out.dtype}")
    _check_same_shape(pg, array, "all_gather")
    gathered = np.empty((pg.size(),) + array.shape, dtype=array.dtype)
    request = pg.comm.Iallgather(_contiguous(array), gathered)

    def finish() -> None:
        for out, part in zip(tensor_list, gathered):
            out._array[...] = part
    return _run([request], finish, async_op)


def all_gather_into_tensor(output_tensor: Tensor, input_tensor: Tensor, group: ProcessGroup | None = None,
                           async_op: bool = False) -> Work | None:
    """Concatenate (along dim 0) or stack every rank's `input_tensor` into `output_tensor`."""
    out, array = _check_tensor(output_tensor, "output_tensor"), _check_tensor(input_tensor, "input_tensor")
    pg = _resolve(group)
    if out.dtype != array.dtype:
        raise RuntimeError(f"output tensor must have the same type as input tensor, got "
                           f"{output_tensor.dtype} and {input_tensor.dtype}")
    if out.size != array.size * pg.size():
        raise ValueError(f"output tensor size must be equal to world_size times input tensor size: "
                         f"{out.size} != {pg.size()} * {array.size}")
    _check_same_shape(pg, array, "all_gather_into_tensor")
    buffer = _contiguous(out)
    request = pg.comm.Iallgather(_contiguous(array), buffer.reshape(pg.size(), -1))
    return _run([request], _finish_in_place(out, buffer, ReduceOp.SUM, pg.size()), async_op)


def reduce_scatter_tensor(output: Tensor, input: Tensor, op: ReduceOp = ReduceOp.SUM,
                          group: ProcessGroup | None = None, async_op: bool = False) -> Work | None:
    """Reduce every rank's `input`, then give rank r the r-th equal chunk (dim 0) in `output`."""
    out, array = _check_tensor(output, "output"), _check_tensor(input, "input")
    pg = _resolve(group)
    mpi_op = _mpi_op(op, array)
    if out.dtype != array.dtype:
        raise RuntimeError(f"input tensor must be the same type as the output tensor, got "
                           f"{input.dtype} and {output.dtype}")
    if array.size != out.size * pg.size():
        raise ValueError(f"input tensor must be the same size as output size times world size: "
                         f"{array.size} != {out.size} * {pg.size()}")
    _check_same_shape(pg, array, "reduce_scatter_tensor")
    buffer = _contiguous(out)
    request = pg.comm.Ireduce_scatter_block(_contiguous(array), buffer, op=mpi_op)
    return _run([request], _finish_in_place(out, buffer, op, pg.size()), async_op)


def barrier(group: ProcessGroup | None = None, async_op: bool = False, device_ids: Any = None) -> Work | None:
    """Wait until every rank of the group has reached this call."""
    return _run([_resolve(group).comm.Ibarrier()], None, async_op)


def _send_buffer(tensor: Tensor, peer: int, group: ProcessGroup | None) -> tuple[ProcessGroup, np.ndarray]:
    array = _check_tensor(tensor)
    pg = _resolve(group)
    if not 0 <= peer < pg.size():
        raise ValueError(f"Invalid rank {peer} for a group of size {pg.size()}")
    if peer == pg.rank():
        raise ValueError("Invalid destination rank: should not be the same as the rank of the current process.")
    return pg, array


def isend(tensor: Tensor, dst: int, group: ProcessGroup | None = None, tag: int = 0) -> Work:
    """Start sending `tensor` to rank `dst`; the returned Work's wait() ends it."""
    pg, array = _send_buffer(tensor, dst, group)
    return Work([pg.comm.Isend(_contiguous(array).copy(), dest=dst, tag=tag)])


def irecv(tensor: Tensor, src: int, group: ProcessGroup | None = None, tag: int = 0) -> Work:
    """Start receiving into `tensor` from rank `src`."""
    pg, array = _send_buffer(tensor, src, group)
    buffer = _contiguous(array)
    return Work([pg.comm.Irecv(buffer, source=src, tag=tag)],
                _finish_in_place(array, buffer, ReduceOp.SUM, pg.size()))


def send(tensor: Tensor, dst: int, group: ProcessGroup | None = None, tag: int = 0) -> None:
    """Send `tensor` to rank `dst` (blocks until it can be reused)."""
    isend(tensor, dst, group, tag).wait()


def recv(tensor: Tensor, src: int, group: ProcessGroup | None = None, tag: int = 0) -> int:
    """Receive into `tensor` from rank `src`; returns the sender's rank."""
    irecv(tensor, src, group, tag).wait()
    return src


def broadcast_object_list(object_list: list, src: int = 0, group: ProcessGroup | None = None,
                          device: Any = None) -> None:
    """Replace object_list's items on every rank by rank `src`'s (any picklable objects)."""
    pg = _resolve(group)
    payload = pickle.dumps(object_list) if pg.rank() == src else None
    object_list[:] = pickle.loads(pg.comm.bcast(payload, root=src))


def all_gather_object(object_list: list, obj: Any, group: ProcessGroup | None = None) -> None:
    """Fill object_list[r] with rank r's `obj` (any picklable object), on every rank."""
    pg = _resolve(group)
    if len(object_list) != pg.size():
        raise ValueError(f"object_list must have world size {pg.size()} entries, got {len(object_list)}")
    object_list[:] = pg.comm.allgather(obj)
