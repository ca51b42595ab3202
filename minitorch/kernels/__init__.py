"""Numba-compiled hot loops on plain numpy arrays: no Tensor, no autograd.

The op layer (``minitorch._ops``) validates arguments, calls these on the ndarrays
inside tensors and wires the results into the autograd graph.

* ``im2col`` / ``col2im``: windows of a (N, C, *spatial) array as GEMM-ready columns,
  and the adjoint scatter-add; ``conv_output_size``.
* ``relu_forward`` / ``relu_backward``: ReLU and its gradient (from the output) in one pass each.
* ``max_pool_forward`` / ``max_pool_backward``, ``avg_pool_forward`` /
  ``avg_pool_backward``: torch-exact pooling; ``pool_output_size``.
* ``batch_norm``: per-channel moments, normalisation and backward; ``window_pool``: max
  over per-plane windows (adaptive/fractional pooling); ``optimizer_steps``: Adam's and
  SGD-momentum's updates in one pass (used by optim/adam.py and optim/sgd.py);
  ``recurrent``: an LSTM or GRU step's gradients in one pass; ``softmax``: softmax and
  log-softmax over rows, in slices that minitorch's threads share.

``conv_gemm`` composes im2col (or, on small planes, ``images_last``'s columns with the
images innermost) with BLAS products for the conv ops, ``winograd`` runs 3x3 kernels
with stride 1 as Winograd's F(2x2, 3x3) (fewer products), ``direct_conv`` computes
convolutions whose filters read few values without columns; ``buffers.empty``
hands out reused result arrays (no page faults on a training loop's hot path);
``parallel.twins`` compiles each parallel loop serially too and runs the faster twin;
``shared_work.run`` splits work into slices that minitorch's own threads take in turn
(``run_compiled``: slices of a compiled function, which the threads run without the GIL,
through ``intrinsics``' atomics and calls by address; ``conv_jobs`` runs conv_gemm's slices
that way);
``blas.matmul`` is numpy's product with the BLAS on one thread for small products.

im2col/col2im take 1, 2 or 3 spatial dims, pooling 1 or 2; all take float32 or
float64 and stay correct (if slow) under ``NUMBA_DISABLE_JIT=1``.
"""

from .activation import relu_backward, relu_forward
from .im2col import col2im, conv_output_size, im2col
from .pooling import (
    avg_pool_backward,
    avg_pool_forward,
    max_pool_backward,
    max_pool_forward,
    pool_output_size,
)

__all__ = [
    "avg_pool_backward",
    "avg_pool_forward",
    "col2im",
    "conv_output_size",
    "im2col",
    "max_pool_backward",
    "max_pool_forward",
    "pool_output_size",
    "relu_backward",
    "relu_forward",
]
