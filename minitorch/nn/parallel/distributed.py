"""DistributedDataParallel: every rank trains a replica; gradients are averaged during backward.

Each rank runs forward and backward on its own part of the batch. As soon as backward has
produced the gradients of a bucket of parameters (about `bucket_cap_mb`, filled in reverse
parameter order, roughly the order backward reaches them), a nonblocking MPI Iallreduce of
that bucket starts, so communication overlaps with the rest of backward. When the last
parameter's gradient arrives, all buckets are waited for and every `.grad` holds the
average over ranks: all replicas take the same optimizer step and stay identical.
"""
from __future__ import annotations

import contextlib
from typing import Any, Iterator

import numpy as np

from ..._creation import from_numpy
from ..._tensor import Tensor
from ...distributed.process_group import ProcessGroup, _import_mpi, _resolve
from ..modules.module import Module


class _Bucket:
    """Parameters whose gradients are reduced together in one flat buffer."""

    def __init__(self, params: list[Tensor]) -> None:
        self.params = params
        self.offsets = np.cumsum([0] + [p.numel() for p in params]).tolist()
        self.buffer = np.empty(self.offsets[-1], dtype=params[0]._array.dtype)
        self.ready = 0
        self.request: Any = None

    def view(self, index: int) -> np.ndarray:
        """The part of the flat buffer that holds params[index]'s gradient, in its shape."""
        start, end = self.offsets[index], self.offsets[index + 1]
        return self.buffer[start:end].reshape(self.params[index]._array.shape)


class DistributedDataParallel(Module):
    """Wrap `module` so that backward averages its gradients over the ranks of `process_group`.

    Rank 0's parameters and buffers are copied to every rank at construction (and buffers
    again at each forward when `broadcast_buffers`). Inside `no_sync()` gradients only
    accumulate locally; the next backward outside it averages the accumulated gradients.
    """

    def __init__(self, module: Module, device_ids: Any = None, output_device: Any = None, dim: int = 0,
                 broadcast_buffers: bool = True, process_group: ProcessGroup | None = None,
                 bucket_cap_mb: float | None = None, find_unused_parameters: bool = False,
                 check_reduction: bool = False, gradient_as_bucket_view: bool = False,
                 static_graph: bool = False, **kwargs: Any) -> None:
        super().__init__()
        if find_unused_parameters:
            raise NotImplementedError("find_unused_parameters=True is not supported: every parameter "
                                      "that requires grad must receive a gradient in each backward")
        self.module = module
        self.process_group = _resolve(process_group)
        self.broadcast_buffers = broadcast_buffers
        self.bucket_bytes_cap = int((25 if bucket_cap_mb is None else bucket_cap_mb) * 1024 * 1024)
        self.require_backward_grad_sync = True
        self._sync_states(list(module.parameters()) + list(module.buffers()))
        self._params = [p for p in module.parameters() if p.requires_grad]
        self._buckets = self._build_buckets()
        self._ready_params = 0
        self._hook_handles = []
        for bucket in self._buckets:
            for index, param in enumerate(bucket.params):
                self._hook_handles.append(param.register_hook(self._make_hook(bucket, index)))

    # ----- construction -----------------------------------------------------------------
    def _sync_states(self, tensors: list[Tensor]) -> None:
        """Overwrite every rank's tensors with rank 0's."""
        for tensor in tensors:
            buffer = np.ascontiguousarray(tensor._array)
            self.process_group.comm.Bcast(buffer, root=0)
            if buffer is not tensor._array:
                tensor._array[...] = buffer

    def _build_buckets(self) -> list[_Bucket]:
        """Group parameters (in reverse order, one dtype per bucket) into buckets of at most the cap."""
        buckets, current, size = [], [], 0
        for param in reversed(self._params):
            nbytes = param._array.nbytes
            if current and (size + nbytes > self.bucket_bytes_cap or param.dtype != current[0].dtype):
                buckets.append(_Bucket(current))
                current, size = [], 0
            current.append(param)
            size += nbytes
        if current:
            buckets.append(_Bucket(current))
        return buckets

    # ----- backward ---------------------------------------------------------------------
    def _make_hook(self, bucket: _Bucket, index: int) -> Any:
        param = bucket.params[index]

        def hook(grad: Tensor) -> Tensor | None:
            if not self.require_backward_grad_sync:
                return None                     # no_sync: the engine accumulates as usual
            # The hook runs before the engine adds `grad` into .grad, so the bucket gets the
            # total this backward will leave in .grad; the engine then adds zero.
            if param._grad is None:
                bucket.view(index)[...] = grad._array
            else:
                np.add(param._grad._array, grad._array, out=bucket.view(index))
            bucket.ready += 1
            if bucket.ready == len(bucket.params):
                bucket.request = self.process_group.comm.Iallreduce(_import_mpi().IN_PLACE, bucket.buffer)
            self._ready_params += 1
            if self._ready_params == len(self._params):
                self._finish_reduction()
            return from_numpy(np.zeros_like(grad._array))
        return hook

    def _finish_reduction(self) -> None:
        """Wait for every bucket's allreduce and write the averaged gradients into .grad."""
        world_size = self.process_group.size()
        for bucket in self._buckets:
            bucket.request.Wait()
            bucket.buffer /= world_size
            for index, param in enumerate(bucket.params):
                if param._grad is None:
                    param.grad = from_numpy(bucket.view(index).copy())
                else:
                    param._grad._array[...] = bucket.view(index)
            bucket.ready, bucket.request = 0, None
        self._ready_params = 0

    # ----- forward and API --------------------------------------------------------------
    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        """Run the wrapped module (after syncing buffers from rank 0 if broadcast_buffers)."""
        if self._ready_params:
            raise RuntimeError(
                "Expected to have finished reduction in the prior iteration before starting a new one. "
                "This error indicates that your module has parameters that were not used in producing "
                "loss; minitorch's DistributedDataParallel needs every parameter to receive a gradient.")
        if self.broadcast_buffers:
            self._sync_states(list(self.module.buffers()))
        return self.module(*inputs, **kwargs)

    @contextlib.contextmanager
    def no_sync(self) -> Iterator[None]:
        """Inside this context backward only accumulates gradients locally (no communication)."""
        previous = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = previous
