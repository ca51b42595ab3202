"""3x3 convolutions with stride 1 by Winograd's minimal filtering F(2x2, 3x3).

A 3x3 convolution computes each output value from 9 products per input channel. Winograd's
algorithm (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2015)
computes a 2x2 tile of outputs from the 4x4 tile of inputs under it with 16 products
instead of 36, after linear transforms that cost only additions:

    y_tile = A^T [ (G g G^T) * (B^T d B) ] A        (* elementwise, 4x4)

with g the 3x3 filter, d the 4x4 input tile and

    B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]
    G   = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]]
    A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]

Summed over input channels, the 16 elementwise products of every tile become 16 matrix
products: for each of the 16 positions xi of a 4x4 tile,

    M[xi] (O, tiles) = U[xi] (O, C) @ V[xi] (C, tiles)       U = G g G^T,  V = B^T d B

which are 2.25x fewer multiply-adds than im2col's product (O, 9C) @ (9C, positions). On
the examples CNN's second convolution (32 -> 64 channels, 26x26 planes, batch 64) the
forward pass took 5.1 ms and the backward 12.0 on two threads here, against 9.3 and 19.8
through im2col's columns (one thread: 10.6 and 23.7 against 18.2 and 38.5; 2026-12-05).

The backward pass is the same computation run backwards, each linear map replaced by its
transpose: the output gradient's tiles dM = A dY A^T (`_output_grad_tiles`), then

    input gradient:   dV[xi] = U[xi]^T @ dM[xi],  scattered back as B dV B^T  (tiles overlap)
    weight gradient:  dU[xi] = sum over images of dM[xi] @ V[xi]^T,  then dg = G^T dU G

The transforms add and subtract a few values and multiply by 1/2 or 1/4, so the results
differ from the exact convolution by rounding only: in float32 about as much as torch's
own (on the layer above, 0.3e-6 of the largest value against float64; im2col's 0.8e-6).

Tiles are laid out (16, C, images * tiles_h * tiles_w): for each xi a C x tiles matrix,
the tiles of an image in rows of tiles_w. Images go a slice at a time, shared among
minitorch's threads like `conv_gemm`'s, so that a slice's tiles stay in a core's cache
between the transform that writes them and the product that reads them.
"""
from __future__ import annotations

from typing import Iterator

import numpy as np
from numba import njit

from . import blas, buffers, shared_work
from .blas import gemm

__all__ = ["backward", "fits", "forward", "input_grad", "weight_grad"]

_SLICE_BYTES = 1 << 20      # a slice's tiles (inputs' and outputs'): within a core's 1 MB L2 cache
_SLICE_TILES = 128          # tiles a slice holds at least (its products' length; fewer: more sums to add up)
_RUNS = 64                  # the most runs of slices a backward pass shares among threads (4 each on 16)
_MIN_TILES = 256            # tiles in the batch from which the products save more than the filters' transforms cost
# When the transforms pay: a tile's transforms cost in proportion to C + O, its products
# save in proportion to C * O, and small planes have more of their tiles at the edge.
# Per smallest output side, the least C * O / (C + O), measured against the columns'
# forward + backward (batch 16-64, 2 threads, 2026-12-05): 28x28 planes 4 -> 16 channels
# 0.39x the time, 14x14 16 -> 16 0.67x, 12x12 32 -> 32 0.65x but 4 -> 16 1.14x, 10x10
# 64 -> 64 0.79x but 16 -> 16 1.30x, 8x8 64 -> 64 0.74x but 48 -> 48 1.03x, 7x7 256 -> 256 1.44x.
_PAYS_FROM = ((14, 3), (10, 12), (8, 32))

_G = np.array([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]])
_G_KRON = np.kron(_G, _G)   # (16, 9): row 4a + b, column 3k + l holds G[a, k] G[b, l]


def fits(x_shape: tuple, w_shape: tuple, g, out_hw: tuple, dtype) -> bool:
    """Whether a convolution of x (N, C, H, W) with w (O, C, 3, 3), geometry g (`conv_gemm.Geometry`)
    and output planes out_hw runs here: a 2-d 3x3 kernel with stride 1, no dilation, one
    group, padding of at most 2 (so that every tile meets the input), float32 or float64,
    and planes, channels and a batch large enough for the savings to pay for the transforms."""
    if not (len(x_shape) == 4 and g.kernel == (3, 3) and g.stride == (1, 1) and g.dilation == (1, 1)
            and g.groups == 1 and max(g.padding) <= 2 and np.dtype(dtype) in (np.float32, np.float64)):
        return False
    th, tw = _tiles(*out_hw)
    if x_shape[0] * th * tw < _MIN_TILES:
        return False
    c, o = x_shape[1], w_shape[0]
    side = min(out_hw)
    return any(side >= least_side and c * o >= least * (c + o) for least_side, least in _PAYS_FROM)


def _tiles(out_h: int, out_w: int) -> tuple[int, int]:
    """Tiles of 2x2 outputs covering an (out_h, out_w) plane: rows, columns."""
    return (out_h + 1) // 2, (out_w + 1) // 2


def _filter_tiles(w: np.ndarray) -> np.ndarray:
    """U = G g G^T for every filter g of w (O, C, 3, 3), as (16, O, C): a filter's 16 values
    are its 9 times G (x) G, the Kronecker product (U[4a + b] = sum over k, l of
    G[a, k] G[b, l] g[k, l]). (Products here go through `blas.matmul`, as all of minitorch's
    do: a product on the BLAS's own threads leaves them spinning against the slices' threads.)"""
    o, c = w.shape[:2]
    return blas.matmul(_G_KRON.astype(w.dtype), w.reshape(o * c, 9).T).reshape(16, o, c)


def _filter_grad(du: np.ndarray, w_shape: tuple) -> np.ndarray:
    """The weight gradient G^T dU G (O, C, 3, 3) from the tiles' gradient dU (16, O, C): the
    adjoint of `_filter_tiles`."""
    return blas.matmul(du.reshape(16, -1).T, _G_KRON.astype(du.dtype)).reshape(w_shape)


# --------------------------------------------------------------------------- the transforms
# Each kernel takes a plane at a time in two steps, each a loop over contiguous (or every
# other) values that the compiler vectorises: the transform down the columns of every
# tile row, a vector over the plane's width; then the one along the rows, one loop over
# all the plane's tiles, which finds tile k's values at 2k and 2k + 1 of arrays laid out
# for it. A tile at a time with its 16 values in registers ran 3-5x slower, a loop over
# one tile row's 12 tiles 1.5-3x. Padding and odd plane sizes go through a zero-bordered
# copy of the plane, so that the loops need no tests.

@njit(nogil=True, cache=True)
def _input_tiles(x, pad_h, pad_w, tiles_h, tiles_w, out):
    """out[xi, c, (n * tiles_h + i) * tiles_w + j] = (B^T d B)[xi] for the 4x4 tile d of
    x[n, c] (S, C, H, W) whose corner is (2i - pad_h, 2j - pad_w), zeros outside x.

    Bounds: the callers shape out (16, C, S * tiles_h * tiles_w) and choose the tiles to
    cover the output plane (H + 2 pad - 2 values a side), so the bordered plane of
    2 tiles + 2 values a side holds x's plane at (pad_h, pad_w), and tile row i reads its
    rows 2i to 2i + 3 < 2 tiles_h + 2."""
    height, width = x.shape[2], x.shape[3]
    tiles = tiles_h * tiles_w
    bordered = np.zeros((2 * tiles_h + 2, 2 * tiles_w + 2), x.dtype)
    # B^T d for every tile row, split so that tile k finds its four values at 2k, 2k + 1
    # of `left` (the tile's first two columns) and of `right` (its last two)
    left = np.empty((4, tiles_h, 2 * tiles_w), x.dtype)
    right = np.empty((4, tiles_h, 2 * tiles_w), x.dtype)
    for n in range(x.shape[0]):
        for c in range(x.shape[1]):
            bordered[pad_h:pad_h + height, pad_w:pad_w + width] = x[n, c]
            for i in range(tiles_h):
                d0, d1, d2, d3 = bordered[2 * i], bordered[2 * i + 1], bordered[2 * i + 2], bordered[2 * i + 3]
                for s in range(2 * tiles_w):  # B^T d: the four rows combined
                    left[0, i, s], right[0, i, s] = d0[s] - d2[s], d0[s + 2] - d2[s + 2]
                    left[1, i, s], right[1, i, s] = d1[s] + d2[s], d1[s + 2] + d2[s + 2]
                    left[2, i, s], right[2, i, s] = d2[s] - d1[s], d2[s + 2] - d1[s + 2]
                    left[3, i, s], right[3, i, s] = d1[s] - d3[s], d1[s + 2] - d3[s + 2]
            at = n * tiles
            for a in range(4):  # (B^T d) B: each row's four values per tile combined
                lo, hi = left[a].reshape(-1), right[a].reshape(-1)
                v0, v1, v2, v3 = out[4 * a, c, at:at + tiles], out[4 * a + 1, c, at:at + tiles], \
                    out[4 * a + 2, c, at:at + tiles], out[4 * a + 3, c, at:at + tiles]
                for k in range(tiles):
                    e0, e1, e2, e3 = lo[2 * k], lo[2 * k + 1], hi[2 * k], hi[2 * k + 1]
                    v0[k] = e0 - e2
                    v1[k] = e1 + e2
                    v2[k] = e2 - e1
                    v3[k] = e1 - e3
    return out


@njit(nogil=True, cache=True)
def _output_from_tiles(m, bias, tiles_h, tiles_w, y):
    """y[n, o] (S, O, H, W) = A^T M A over each tile, M = m[:, o, tile] (16, O, S * tiles),
    plus bias[o] (or none when bias is empty).

    Bounds: m is (16, O, S * tiles_h * tiles_w) for y's S images and O channels, with
    2 tiles_h >= H and 2 tiles_w >= W: the bordered plane holds every tile's outputs, and
    only its first H x W values are copied to y."""
    height, width = y.shape[2], y.shape[3]
    tiles = tiles_h * tiles_w
    with_bias = bias.shape[0] > 0
    t = np.empty((2, 4, tiles), y.dtype)             # A^T M: per output row of a tile, per column of M
    rows = np.empty((2, tiles_h, 2 * tiles_w), y.dtype)  # a tile row's top and bottom output rows
    for n in range(y.shape[0]):
        for o in range(y.shape[1]):
            add = bias[o] if with_bias else y.dtype.type(0)
            at = n * tiles
            for b in range(4):  # A^T M: each column's four values to two
                m0, m1, m2, m3 = m[b, o, at:at + tiles], m[4 + b, o, at:at + tiles], m[8 + b, o, at:at + tiles], \
                    m[12 + b, o, at:at + tiles]
                top, bottom = t[0, b], t[1, b]
                for k in range(tiles):
                    top[k] = m0[k] + m1[k] + m2[k]
                    bottom[k] = m1[k] - m2[k] - m3[k]
            for a in range(2):  # (A^T M) A, plus the bias: tile k's two outputs at 2k, 2k + 1
                out = rows[a].reshape(-1)
                t0, t1, t2, t3 = t[a, 0], t[a, 1], t[a, 2], t[a, 3]
                for k in range(tiles):
                    out[2 * k] = t0[k] + t1[k] + t2[k] + add
                    out[2 * k + 1] = t1[k] - t2[k] - t3[k] + add
            plane = y[n, o]
            for r in range(height):
                plane[r] = rows[r % 2, r // 2, :width]
    return y


@njit(nogil=True, cache=True)
def _output_grad_tiles(gy, tiles_h, tiles_w, out):
    """out[xi, o, tile] = (A dY A^T)[xi] for the 2x2 tile dY of gy[n, o] (S, O, H, W), zeros
    past the plane's edge: the adjoint of `_output_from_tiles`.

    Bounds: out is (16, O, S * tiles_h * tiles_w) with 2 tiles_h >= H and 2 tiles_w >= W:
    gy's rows fit those of `rows`, tile k reading values 2k, 2k + 1 of its tile row's two."""
    height, width = gy.shape[2], gy.shape[3]
    tiles = tiles_h * tiles_w
    rows = np.zeros((2, tiles_h, 2 * tiles_w), gy.dtype)  # a tile row's top and bottom rows of dY
    t = np.empty((4, 2 * tiles), gy.dtype)
    for n in range(gy.shape[0]):
        for o in range(gy.shape[1]):
            plane = gy[n, o]
            for r in range(height):
                rows[r % 2, r // 2, :width] = plane[r]
            top, bottom = rows[0].reshape(-1), rows[1].reshape(-1)
            for s in range(2 * tiles):  # A dY: the two rows to four
                t[0, s] = top[s]
                t[1, s] = top[s] + bottom[s]
                t[2, s] = top[s] - bottom[s]
                t[3, s] = -bottom[s]
            at = n * tiles
            for a in range(4):  # (A dY) A^T: each row's two values per tile to four
                row = t[a]
                v0, v1, v2, v3 = out[4 * a, o, at:at + tiles], out[4 * a + 1, o, at:at + tiles], \
                    out[4 * a + 2, o, at:at + tiles], out[4 * a + 3, o, at:at + tiles]
                for k in range(tiles):
                    e0, e1 = row[2 * k], row[2 * k + 1]
                    v0[k] = e0
                    v1[k] = e0 + e1
                    v2[k] = e0 - e1
                    v3[k] = -e1
    return out


@njit(nogil=True, cache=True)
def _add_input_tiles(dv, pad_h, pad_w, tiles_h, tiles_w, gx):
    """gx[n, c] (S, C, H, W) = the sum over tiles of B dV B^T, each added where its tile
    was read from (`_input_tiles`), dropping what falls in the padding: the adjoint of
    `_input_tiles`.

    Bounds: dv is (16, C, S * tiles_h * tiles_w) for gx's images and channels; the
    bordered plane (2 tiles + 2 values a side) holds every tile's 4x4 values (tile row i:
    rows 2i to 2i + 3) and gx's plane at (pad_h, pad_w), as in `_input_tiles`."""
    height, width = gx.shape[2], gx.shape[3]
    tiles = tiles_h * tiles_w
    bordered = np.empty((2 * tiles_h + 2, 2 * tiles_w + 2), gx.dtype)
    e = np.empty((4, 4, tiles), gx.dtype)   # B dV: per row of the tile, per column of dV
    # one row of B dV B^T per tile: its first two values at 2k, 2k + 1 of `left`, its last two of `right`
    left = np.empty((tiles_h, 2 * tiles_w), gx.dtype)
    right = np.empty((tiles_h, 2 * tiles_w), gx.dtype)
    lo, hi = left.reshape(-1), right.reshape(-1)
    for n in range(gx.shape[0]):
        for c in range(gx.shape[1]):
            at = n * tiles
            for b in range(4):  # B dV: each column's four values
                v0, v1, v2, v3 = dv[b, c, at:at + tiles], dv[4 + b, c, at:at + tiles], dv[8 + b, c, at:at + tiles], \
                    dv[12 + b, c, at:at + tiles]
                for k in range(tiles):
                    e[0, b, k] = v0[k]
                    e[1, b, k] = v1[k] - v2[k] + v3[k]
                    e[2, b, k] = v1[k] + v2[k] - v0[k]
                    e[3, b, k] = -v3[k]
            bordered[:, :] = 0
            for r in range(4):  # (B dV) B^T, row r of every tile, added where it was read
                e0, e1, e2, e3 = e[r, 0], e[r, 1], e[r, 2], e[r, 3]
                for k in range(tiles):
                    lo[2 * k] = e0[k]
                    lo[2 * k + 1] = e1[k] - e2[k] + e3[k]
                    hi[2 * k] = e1[k] + e2[k] - e0[k]
                    hi[2 * k + 1] = -e3[k]
                # neighbouring tiles overlap by two rows and two columns: add one tile row at a time
                for i in range(tiles_h):
                    row = bordered[2 * i + r]
                    for s in range(2 * tiles_w):
                        row[s] += left[i, s]
                    for s in range(2 * tiles_w):
                        row[s + 2] += right[i, s]
            gx[n, c] = bordered[pad_h:pad_h + height, pad_w:pad_w + width]
    return gx


# --------------------------------------------------------------------------- slices on threads
# A slice's transforms and products in one compiled call, the BLAS called from it (where
# `blas.compiled_products`): from Python each step lets go of the GIL and takes it back, and
# a thread finding it held by the other sleeps until it is let go (see blas.gemm). The
# examples CNN's second conv, batch 64, 2 threads, Intel, 2026-12-05: forward 5.8 -> 5.4 ms,
# forward and backward 21.5 -> 20.1 ms.
@njit(nogil=True, cache=True)
def _forward_slice(x, pad_h, pad_w, tiles_h, tiles_w, u, v, m, bias, y):
    """`_input_tiles` of x into v, m[xi] = u[xi] @ v[xi] for the 16 xi, `_output_from_tiles` into y."""
    _input_tiles(x, pad_h, pad_w, tiles_h, tiles_w, v)
    for xi in range(16):
        gemm(u[xi], v[xi], m[xi], False, False)
    _output_from_tiles(m, bias, tiles_h, tiles_w, y)


@njit(nogil=True, cache=True)
def _backward_slice(gy, x, pad_h, pad_w, tiles_h, tiles_w, u_t, dm, dv, gx, sums, first):
    """`_output_grad_tiles` of gy into dm; with u_t, dv[xi] = u_t[xi] @ dm[xi] added back into
    gx (`_add_input_tiles`); with x, its tiles into dv and sums[xi] (+)= dm[xi] @ dv[xi]^T
    (set when `first`, else added). Empty u_t or x: that gradient is not asked for."""
    _output_grad_tiles(gy, tiles_h, tiles_w, dm)
    if u_t.shape[0] > 0:
        for xi in range(16):
            gemm(u_t[xi], dm[xi], dv[xi], False, False)
        _add_input_tiles(dv, pad_h, pad_w, tiles_h, tiles_w, gx)
    if x.shape[0] > 0:
        _input_tiles(x, pad_h, pad_w, tiles_h, tiles_w, dv)
        for xi in range(16):
            gemm(dm[xi], dv[xi], sums[xi], False, True, not first)


def _slicing(n: int, tiles: int, channels: int, itemsize: int) -> tuple[int, int]:
    """(images per slice, threads) for n images of `tiles` tiles each, whose tiles in and out
    have `channels` channels in all."""
    step = max(_SLICE_BYTES // (16 * channels * tiles * itemsize), -(-_SLICE_TILES // tiles), 1)
    step = min(step, max(n, 1))
    threads = shared_work.threads_for(-(-n // step)) if n > step else 1
    return step, threads


def _run(work, n: int, step: int, threads: int) -> None:
    """work(share, starts) over slices of `step` of n images on `threads` threads, each running
    its products on the BLAS's calling thread (as `conv_gemm._run`)."""
    with blas.one_thread():
        shared_work.run(work, n, step, threads)


def forward(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, padding: tuple, out_hw: tuple) -> np.ndarray:
    """y (N, O, *out_hw) = conv(x (N, C, H, W), w (O, C, 3, 3)) + b, stride 1."""
    n, c = x.shape[:2]
    o = w.shape[0]
    th, tw = _tiles(*out_hw)
    tiles = th * tw
    dtype = np.result_type(x, w)
    x = np.ascontiguousarray(x, dtype)
    u = _filter_tiles(w.astype(dtype, copy=False))
    y = buffers.empty((n, o) + tuple(out_hw), dtype)
    step, threads = _slicing(n, tiles, c + o, y.itemsize)
    input_tiles = buffers.empty((threads, 16, c, step * tiles), dtype)
    products = buffers.empty((threads, 16, o, step * tiles), dtype)
    bias = np.empty(0, dtype) if b is None else np.ascontiguousarray(b, dtype)

    in_one_call = dtype in (np.float32, np.float64) and blas.compiled_products()

    def work(share: int, starts: Iterator[int]) -> None:
        for start in starts:
            stop = min(n, start + step)
            width = (stop - start) * tiles
            v, m = input_tiles[share][:, :, :width], products[share][:, :, :width]
            if in_one_call:
                _forward_slice(x[start:stop], padding[0], padding[1], th, tw, u, v, m, bias, y[start:stop])
                continue
            _input_tiles(x[start:stop], padding[0], padding[1], th, tw, v)
            np.matmul(u, v, out=m)
            _output_from_tiles(m, bias, th, tw, y[start:stop])

    _run(work, n, step, threads)
    return y


def backward(gy: np.ndarray, x: np.ndarray | None, w: np.ndarray | None, x_shape: tuple, w_shape: tuple,
             padding: tuple, need_input: bool, need_weight: bool) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The gradients of conv(x, w) (stride 1) in x (N, C, H, W) (needs w) and in w (O, C, 3, 3)
    (needs x), those asked for, from the output gradient gy: one pass over gy's tiles for
    both. (x's tiles are made again here rather than kept from the forward pass: writing
    them out for the whole batch and reading them back took longer, 2026-12-05.)"""
    n, c = x_shape[:2]
    o = w_shape[0]
    th, tw = _tiles(*gy.shape[2:])
    tiles = th * tw
    dtype = gy.dtype if x is None else np.result_type(x, gy)
    gy = np.ascontiguousarray(gy, dtype)
    step, threads = _slicing(n, tiles, c + o, gy.itemsize)
    # The weight gradient is a sum over the images: one partial sum per run of `unit` images
    # (at most _RUNS runs, fixed by the sizes alone), each run's slices added in order by the
    # thread that took it, and the runs' sums in run order at the end: which thread takes which
    # run, and how many threads there are, change from call to call; the result must not. (A
    # sum per slice would be a 16 x O x C array per image or two: 131 MB for the examples CNN
    # at batch 1000.)
    slices = -(-n // step)
    unit = step * max(1, -(-slices // _RUNS))
    threads = min(threads, max(1, -(-n // unit)))  # no thread without a run to take
    grad_tiles = buffers.empty((threads, 16, o, step * tiles), dtype)
    input_tiles = buffers.empty((threads, 16, c, step * tiles), dtype)
    gx = buffers.empty(tuple(x_shape), dtype) if need_input else None
    u_t = np.ascontiguousarray(_filter_tiles(w.astype(dtype, copy=False)).transpose(0, 2, 1)) if need_input else None
    x = None if x is None else np.ascontiguousarray(x, dtype)
    if need_weight:
        sums = buffers.empty((max(1, -(-n // unit)), 16, o, c), dtype)
        partial = buffers.empty((threads, 16, o, c), dtype)

    in_one_call = dtype in (np.float32, np.float64) and blas.compiled_products()
    no_tiles = np.empty((0, 1, 1), dtype)

    def work(share: int, starts: Iterator[int]) -> None:
        for first in starts:
            for start in range(first, min(n, first + unit), step):
                stop = min(n, start + step)
                width = (stop - start) * tiles
                dm = grad_tiles[share][:, :, :width]
                if in_one_call:
                    _backward_slice(gy[start:stop], x[start:stop] if need_weight else no_tiles.reshape(0, 1, 1, 1),
                                    padding[0], padding[1], th, tw, u_t if need_input else no_tiles, dm,
                                    input_tiles[share][:, :, :width], gx[start:stop] if need_input else gy[:0],
                                    sums[first // unit] if need_weight else no_tiles, start == first)
                    continue
                _output_grad_tiles(gy[start:stop], th, tw, dm)
                if need_input:
                    dv = input_tiles[share][:, :, :width]
                    np.matmul(u_t, dm, out=dv)
                    _add_input_tiles(dv, padding[0], padding[1], th, tw, gx[start:stop])
                if need_weight:
                    v = input_tiles[share][:, :, :width]  # after the input gradient is done with it
                    _input_tiles(x[start:stop], padding[0], padding[1], th, tw, v)
                    if start == first:
                        np.matmul(dm, v.transpose(0, 2, 1), out=sums[first // unit])
                    else:
                        sums[first // unit] += np.matmul(dm, v.transpose(0, 2, 1), out=partial[share])

    if n:
        _run(work, n, unit, threads)
    elif need_weight:
        sums[0] = 0
    gw = _filter_grad(sums.sum(0) if len(sums) > 1 else sums[0], tuple(w_shape)) if need_weight else None
    return gx, gw


def input_grad(gy: np.ndarray, w: np.ndarray, x_shape: tuple, padding: tuple) -> np.ndarray:
    """The gradient of conv(x, w) (stride 1) in x (N, C, H, W) from the output gradient gy."""
    return backward(gy, None, w, x_shape, tuple(w.shape), padding, True, False)[0]


def weight_grad(x: np.ndarray, gy: np.ndarray, w_shape: tuple, padding: tuple) -> np.ndarray:
    """The gradient of conv(x, w) (stride 1) in w (O, C, 3, 3) from x and the output gradient gy."""
    return backward(gy, x, None, tuple(x.shape), tuple(w_shape), padding, False, True)[1]
