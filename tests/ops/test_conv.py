"""conv1d/2d/3d, conv_transpose1d/2d/3d, unfold/fold: values and all gradients against torch,
float64 gradcheck, double backward, and torch's errors for bad arguments."""
import os
import subprocess
import sys

import numba
import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_matches_torch, gradcheck, randn

F_NAMES = {1: "conv1d", 2: "conv2d", 3: "conv3d"}
T_NAMES = {1: "conv_transpose1d", 2: "conv_transpose2d", 3: "conv_transpose3d"}


def F(lib):
    return lib.nn.functional


CONV_GRID = [
    # nd, N, C, O, spatial, kernel, kwargs
    (1, 2, 3, 4, (9,), (3,), dict(stride=2, padding=1)),
    (1, 1, 4, 4, (7,), (2,), dict(dilation=3, groups=4)),
    (2, 2, 3, 4, (7, 6), (3, 2), dict()),
    (2, 2, 4, 6, (7, 8), (3, 3), dict(stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2)),
    (2, 1, 3, 6, (6, 6), (3, 3), dict(groups=3)),                   # depthwise, multiplier 2
    (2, 2, 2, 3, (5, 6), (2, 3), dict(padding="same", dilation=(2, 1))),
    (2, 2, 2, 3, (5, 6), (3, 3), dict(padding="valid", stride=2)),
    (3, 1, 2, 3, (4, 5, 4), (2, 3, 2), dict(stride=(1, 2, 1), padding=1)),
    # ResNet's last stages: planes of 2x2 and 1x1, where all taps but a few read padding
    (2, 3, 8, 6, (1, 1), (3, 3), dict(padding=1)),
    (2, 3, 6, 8, (2, 2), (3, 3), dict(stride=2, padding=1)),
    (2, 2, 4, 4, (3, 3), (3, 3), dict(padding=2, dilation=2, groups=2)),
    (3, 2, 3, 4, (2, 1, 2), (3, 3, 3), dict(padding=1)),
    (2, 2, 2, 3, (12, 13), (3, 3), dict(padding=1)),                # rows long enough for the row kernels
    # 1x1 kernels: with stride 1 and no padding the columns are x itself (no im2col)
    (2, 2, 5, 3, (4, 5), (1, 1), dict()),
    (1, 2, 4, 6, (9,), (1,), dict(groups=2)),
    (3, 2, 3, 2, (2, 3, 2), (1, 1, 1), dict()),
    (2, 2, 4, 6, (5, 5), (1, 1), dict(stride=2)),
    # taps that read nothing but padding: dropped, or kept where dropping them cannot be expressed
    (1, 2, 3, 4, (2,), (3,), dict(padding=2, dilation=2)),
    (1, 2, 3, 4, (3,), (5,), dict(stride=4, padding=3)),
    (2, 2, 3, 4, (1, 1), (1, 1), dict(stride=2, padding=1)),        # every tap dead: the bias alone
    (3, 1, 2, 3, (1, 2, 2), (3, 3, 3), dict(stride=(1, 2, 1), padding=1)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("nd,n,c,o,spatial,kernel,kw", CONV_GRID)
def test_conv_matches_torch(nd, n, c, o, spatial, kernel, kw, dtype):
    groups = kw.get("groups", 1)
    x = randn(n, c, *spatial, dtype=dtype)
    w = randn(o, c // groups, *kernel, dtype=dtype, seed=1)
    b = randn(o, dtype=dtype, seed=2)
    name = F_NAMES[nd]
    assert_matches_torch(lambda lib, x, w, b: getattr(F(lib), name)(x, w, b, **kw), x, w, b)
    assert_matches_torch(lambda lib, x, w: getattr(F(lib), name)(x, w, **kw), x, w)


def test_conv_unbatched_input():
    assert_matches_torch(lambda lib, x, w: F(lib).conv2d(x, w, padding=1), randn(3, 5, 5), randn(2, 3, 3, 3))


@pytest.mark.parametrize("groups", [1, 2])
def test_conv_without_weight_grad_in_slices_matches_torch(monkeypatch, groups):
    # Inference (no weight gradient) goes a few images at a time: make each slice 3 images
    # of a 7-image batch, so slices of 3, 3 and 1 are all compared with torch.
    from minitorch.kernels import conv_gemm
    x, w, b = randn(7, 4, 6, 5), randn(6, 4 // groups, 3, 3, seed=1), randn(6, seed=2)
    per_image = 4 * 9 * (4 * 5) * x.itemsize  # C*K*L*itemsize of one image's columns (L: 4x5 outputs)
    monkeypatch.setattr(conv_gemm, "_SLICE_COLUMN_BYTES", 3 * per_image)
    expected = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b),
                                          padding=(0, 1), groups=groups)
    with minitorch.no_grad():
        got = minitorch.nn.functional.conv2d(minitorch.tensor(x), minitorch.tensor(w), minitorch.tensor(b),
                                             padding=(0, 1), groups=groups)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-5, atol=1e-5)
    # with a gradient wanted for the input only, the weight's columns are not needed either
    xt = minitorch.tensor(x, requires_grad=True)
    got = minitorch.nn.functional.conv2d(xt, minitorch.tensor(w), minitorch.tensor(b), padding=(0, 1),
                                         groups=groups)
    np.testing.assert_allclose(got.detach().numpy(), expected.numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("c,o,kernel,kw,direct_forward", [
    (1, 6, (5, 5), dict(padding=2), True),        # LeNet's first layer: all direct
    (1, 32, (3, 3), dict(), False),               # many filters: the GEMM's forward, the direct weight gradient
    (4, 8, (3, 3), dict(padding=1, groups=4), True),
])
def test_few_valued_filters_take_the_direct_kernels_and_match_torch(monkeypatch, c, o, kernel, kw, direct_forward):
    from minitorch.kernels import conv_gemm, direct_conv
    calls = []
    for module, name in ((direct_conv, "forward"), (direct_conv, "weight_grad"), (conv_gemm, "im2col")):
        monkeypatch.setattr(module, name, lambda *a, _f=getattr(module, name), _n=name, **k: calls.append(_n) or _f(*a, **k))
    x, w, b = randn(5, c, 9, 10), randn(o, c // kw.get("groups", 1), *kernel, seed=1), randn(o, seed=2)
    assert_matches_torch(lambda lib, x, w, b: F(lib).conv2d(x, w, b, **kw), x, w, b)
    # im2col runs once per slice of images in the GEMM's forward, and never for the weight gradient
    assert set(calls[:-1]) == {"forward" if direct_forward else "im2col"} and calls[-1] == "weight_grad"


SLICED_GRID = [
    # nd, C, O, spatial, kernel, kwargs (batch of 7)
    (2, 4, 6, (6, 5), (3, 3), dict(padding=(0, 1), groups=2)),
    (2, 3, 4, (9, 8), (3, 2), dict(stride=(2, 1), padding=1, dilation=(1, 2))),
    (2, 2, 3, (12, 13), (3, 3), dict(padding=1)),                   # row kernels
    (1, 3, 4, (11,), (3,), dict(stride=2, padding=2)),
    (3, 2, 3, (3, 4, 3), (2, 2, 2), dict(padding=1)),
]


@pytest.fixture(params=[1, None], ids=["1 thread", "all threads"])
def numba_threads(request):
    """Run a test with numba's (and so the conv slices') thread count at 1, or left as it is."""
    before = numba.get_num_threads()
    numba.set_num_threads(request.param or before)
    yield numba.get_num_threads()
    numba.set_num_threads(before)


@pytest.mark.parametrize("images_per_slice", [1, 3, 7])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("nd,c,o,spatial,kernel,kw", SLICED_GRID)
def test_input_grad_in_slices_matches_torch(monkeypatch, numba_threads, nd, c, o, spatial, kernel, kw, dtype,
                                            images_per_slice):
    # The input gradient (and conv_transpose) runs a few images at a time, on one thread or
    # shared among threads: slices of 1, of 3, 3 and 1, and the whole batch of 7 are all
    # compared with torch, values and gradients.
    from minitorch.kernels import conv_gemm
    groups = kw.get("groups", 1)
    x, w, b = randn(7, c, *spatial, dtype=dtype), randn(o, c // groups, *kernel, dtype=dtype, seed=1), \
        randn(o, dtype=dtype, seed=2)
    out_positions = getattr(torch.nn.functional, F_NAMES[nd])(
        torch.zeros(1, c, *spatial), torch.zeros(o, c // groups, *kernel), **kw).shape[2:].numel()
    per_image = c * int(np.prod(kernel)) * out_positions * x.itemsize  # one image's columns
    monkeypatch.setattr(conv_gemm, "_SLICE_COLUMN_BYTES", images_per_slice * per_image)
    name = F_NAMES[nd]
    assert_matches_torch(lambda lib, x, w, b: getattr(F(lib), name)(x, w, b, **kw), x, w, b)
    y = getattr(torch.nn.functional, name)(torch.from_numpy(x), torch.from_numpy(w), **kw).numpy()
    assert_matches_torch(lambda lib, y, w: getattr(F(lib), T_NAMES[nd])(y, w, **kw), y, w)


def test_weight_grad_from_columns_kept_in_other_slices_matches_torch(monkeypatch):
    # The forward pass keeps x's columns in its slices (7 images in one, on one thread); the
    # backward pass, on all threads, would cut the batch differently (4 + 3) and must read
    # the kept columns as they were cut.
    from minitorch.kernels import conv_gemm
    x, w, gy = randn(7, 4, 6, 5), randn(6, 2, 3, 3, seed=1), randn(7, 6, 4, 5, seed=2)
    monkeypatch.setattr(conv_gemm, "_SLICE_COLUMN_BYTES", 7 * 4 * 9 * 20 * x.itemsize)
    threads = numba.get_num_threads()
    xt, wt = minitorch.tensor(x, requires_grad=True), minitorch.tensor(w, requires_grad=True)
    numba.set_num_threads(1)
    try:
        y = minitorch.nn.functional.conv2d(xt, wt, padding=(0, 1), groups=2)
    finally:
        numba.set_num_threads(threads)
    y.backward(minitorch.tensor(gy))
    x_t, w_t = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    torch.nn.functional.conv2d(x_t, w_t, padding=(0, 1), groups=2).backward(torch.tensor(gy))
    np.testing.assert_allclose(wt.grad.numpy(), w_t.grad.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(xt.grad.numpy(), x_t.grad.numpy(), rtol=1e-4, atol=1e-4)


_MANY_THREADS = """
import numba, numpy as np, torch, minitorch
from minitorch.kernels import conv_gemm
assert numba.config.NUMBA_NUM_THREADS == 8
geometry = conv_gemm.Geometry((5, 5), (1, 1), (0, 0), (1, 1), 1)
for threads, slicing in ((8, (8, 8)), (2, (16, 2))):
    numba.set_num_threads(threads)
    plan = conv_gemm._plan((64, 6, 14, 14), 16, geometry, 4)
    assert plan[2:4] == slicing and plan[4] is not None, (threads, plan[:4])
rng = np.random.default_rng(0)
x, w, b, gy = (rng.standard_normal(s).astype(np.float32) for s in ((64, 6, 14, 14), (16, 6, 5, 5), (16,), (64, 16, 10, 10)))
tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
torch.nn.functional.conv2d(tx, tw, tb).backward(torch.tensor(gy))
for forward_threads, backward_threads in ((8, 2), (2, 8), (8, 8)):
    mx, mw, mb = (minitorch.tensor(a, requires_grad=True) for a in (x, w, b))
    numba.set_num_threads(forward_threads)
    y = minitorch.nn.functional.conv2d(mx, mw, mb)
    numba.set_num_threads(backward_threads)
    y.backward(minitorch.tensor(gy))
    np.testing.assert_allclose(y.detach().numpy(), torch.nn.functional.conv2d(tx, tw, tb).detach().numpy(), rtol=1e-4, atol=1e-4)
    for m, t in ((mx, tx), (mw, tw), (mb, tb)):
        np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), rtol=1e-4, atol=1e-3)
print("ok")
"""


def test_images_innermost_slices_follow_the_thread_count_and_survive_a_change_between_passes():
    # LeNet's second conv on 8 threads: slices of 8 images for 8 threads (16 on 2); a backward
    # on another thread count than its forward's lays the output gradient out its own way
    # and makes the columns again where the forward's were sliced otherwise.
    env = dict(os.environ, NUMBA_NUM_THREADS="8")
    done = subprocess.run([sys.executable, "-c", _MANY_THREADS], capture_output=True, text=True, env=env,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(minitorch.__file__))))
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]


TRANSPOSE_GRID = [
    (1, 2, 4, 3, (5,), (3,), dict(stride=2, padding=1, output_padding=1)),
    (2, 2, 4, 6, (4, 3), (3, 3), dict(stride=2, padding=1, output_padding=1, groups=2)),
    (2, 1, 3, 2, (3, 4), (2, 3), dict(stride=(1, 3), dilation=(2, 1))),
    (2, 2, 16, 8, (5, 5), (4, 4), dict(stride=2)),
    (3, 1, 2, 2, (3, 2, 3), (2, 2, 2), dict(stride=2, padding=(0, 1, 0))),
    (2, 2, 4, 6, (3, 4), (1, 1), dict(groups=2)),                   # 1x1: col2im is a copy
    (2, 2, 3, 4, (1, 1), (3, 3), dict(padding=1)),                  # dead taps (see CONV_GRID)
    (2, 2, 4, 2, (1, 1), (3, 3), dict(stride=2, padding=1, output_padding=1)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("nd,n,c,o,spatial,kernel,kw", TRANSPOSE_GRID)
def test_conv_transpose_matches_torch(nd, n, c, o, spatial, kernel, kw, dtype):
    groups = kw.get("groups", 1)
    x = randn(n, c, *spatial, dtype=dtype)
    w = randn(c, o // groups, *kernel, dtype=dtype, seed=1)
    b = randn(o, dtype=dtype, seed=2)
    name = T_NAMES[nd]
    assert_matches_torch(lambda lib, x, w, b: getattr(F(lib), name)(x, w, b, **kw), x, w, b)


def test_conv_gradcheck():
    gradcheck(lambda lib, x, w, b: F(lib).conv2d(x, w, b, stride=2, padding=1, groups=2),
              randn(1, 4, 5, 4), randn(2, 2, 3, 2), randn(2))
    gradcheck(lambda lib, x, w: F(lib).conv1d(x, w, dilation=2), randn(2, 2, 7), randn(3, 2, 2))
    gradcheck(lambda lib, x, w: F(lib).conv3d(x, w, padding=1), randn(1, 1, 3, 3, 2), randn(2, 1, 2, 2, 2))


def test_conv_transpose_gradcheck():
    gradcheck(lambda lib, x, w, b: F(lib).conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1),
              randn(1, 2, 3, 3), randn(2, 3, 3, 3), randn(3))


def _penalty(lib, conv_fn, x, w):
    y = conv_fn(lib)(x, w)
    g, = lib.autograd.grad((y * y * y).sum(), x, create_graph=True)
    return (g * g).sum()


@pytest.mark.parametrize("conv_fn", [
    lambda lib: lambda x, w: F(lib).conv2d(x, w, stride=2, padding=1, groups=2),
    lambda lib: lambda x, w: F(lib).conv2d(x, w, padding=(1, 2), dilation=(2, 1), groups=2),  # direct kernels
    lambda lib: lambda x, w: F(lib).conv_transpose2d(x, w, stride=2, padding=1, output_padding=1, groups=2),
])
def test_double_backward_matches_torch(conv_fn):
    x, w = randn(2, 4, 5, 5, dtype=np.float64), randn(4, 2, 3, 3, dtype=np.float64, seed=3)
    assert_matches_torch(lambda lib, x, w: _penalty(lib, conv_fn, x, w), x, w)
    inputs = [minitorch.tensor(a, dtype=minitorch.float64, requires_grad=True)
              for a in (randn(1, 4, 3, 3), randn(4, 2, 2, 2))]
    assert minitorch.autograd.gradgradcheck(conv_fn(minitorch), inputs)


def test_a_penalty_on_the_input_gradient_of_a_winograd_conv_reaches_the_weight_like_torch():
    # The output gradient (of out.sum()) needs no grad, but under create_graph the input gradient
    # still depends on the weight: the one-pass Winograd backward must not be taken there.
    from minitorch.kernels import conv_gemm
    x, w = randn(8, 32, 12, 12, dtype=np.float64), 0.1 * randn(32, 32, 3, 3, dtype=np.float64, seed=4)
    assert conv_gemm.winograd_fits(x.shape, w.shape, conv_gemm.Geometry((3, 3), (1, 1), (1, 1), (1, 1), 1), x.dtype)

    def penalty(lib, x, w):
        g, = lib.autograd.grad(F(lib).conv2d(x, w, padding=1).sum(), x, create_graph=True)
        return (g * g).sum()
    assert_matches_torch(penalty, x, w)


def test_double_backward_through_dead_taps_matches_torch():
    # On a 1x1 plane 8 of the 3x3 taps read only padding; minitorch drops them (live_taps)
    conv_fn = lambda lib: lambda x, w: F(lib).conv2d(x, w, padding=1)  # noqa: E731
    assert_matches_torch(lambda lib, x, w: _penalty(lib, conv_fn, x, w),
                         randn(2, 3, 1, 1, dtype=np.float64), randn(4, 3, 3, 3, dtype=np.float64, seed=3))
    inputs = [minitorch.tensor(a, dtype=minitorch.float64, requires_grad=True)
              for a in (randn(1, 2, 2, 2), randn(3, 2, 3, 3))]
    assert minitorch.autograd.gradgradcheck(lambda x, w: F(minitorch).conv2d(x, w, stride=2, padding=1), inputs)


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=(2, 3), dilation=(1, 2), padding=1, stride=2)])
def test_unfold_fold_match_torch(kw):
    x = randn(2, 3, 6, 7)
    assert_matches_torch(lambda lib, x: F(lib).unfold(x, **kw), x)
    cols = torch.nn.functional.unfold(torch.tensor(x), **kw).numpy()
    assert_matches_torch(lambda lib, c: F(lib).fold(c, (6, 7), **kw), cols)
    gradcheck(lambda lib, x: F(lib).fold(F(lib).unfold(x, **kw), (6, 7), **kw), randn(1, 2, 6, 7))


def _raises_like_torch(fn, *arrays, match):
    with pytest.raises(Exception) as expected:
        fn(torch, *[torch.tensor(a) for a in arrays])
    with pytest.raises(type(expected.value), match=match):
        fn(minitorch, *[minitorch.tensor(a) for a in arrays])


@pytest.mark.parametrize("fn,shapes,match", [
    (lambda lib, x, w: F(lib).conv2d(x, w), [(1, 2, 5, 5), (4, 3, 3, 3)],
     r"expected input\[1, 2, 5, 5\] to have 3 channels, but got 2 channels instead"),
    (lambda lib, x, w: F(lib).conv2d(x, w), [(2, 5), (4, 3, 3, 3)], r"Expected 3D \(unbatched\) or 4D"),
    (lambda lib, x, w: F(lib).conv2d(x, w), [(1, 3, 2, 2), (4, 3, 3, 3)], r"Kernel size can't be greater"),
    (lambda lib, x, w: F(lib).conv2d(x, w, padding=1), [(1, 3, 1, 1), (4, 3, 5, 5)], r"\(3 x 3\).*\(5 x 5\)"),
    (lambda lib, x, w: F(lib).conv2d(x, w, groups=2), [(1, 4, 5, 5), (3, 2, 3, 3)], r"divisible by 2"),
    (lambda lib, x, w: F(lib).conv2d(x, w, stride=0), [(1, 3, 5, 5), (4, 3, 3, 3)], r"non-positive stride"),
    (lambda lib, x, w: F(lib).conv2d(x, w, stride=-1), [(1, 3, 5, 5), (4, 3, 3, 3)], r"non-positive stride"),
    (lambda lib, x, w: F(lib).conv2d(x, w, stride=2, padding="same"), [(1, 3, 5, 5), (4, 3, 3, 3)],
     r"padding='same' is not supported for strided convolutions"),
    (lambda lib, x, w: F(lib).conv_transpose2d(x, w, stride=2, output_padding=2), [(1, 3, 5, 5), (3, 4, 3, 3)],
     r"output padding must be smaller than either stride or dilation"),
    (lambda lib, x, w: F(lib).conv2d(x, w), [(1, 3, 5, 5), (4, 3, 3)], r"weight"),
])
def test_conv_errors(fn, shapes, match):
    _raises_like_torch(fn, *[randn(*s) for s in shapes], match=match)


def test_conv_dtype_mismatch_is_runtime_error():
    x, w = minitorch.tensor(randn(1, 3, 5, 5)), minitorch.tensor(randn(4, 3, 3, 3, dtype=np.float64))
    with pytest.raises(RuntimeError, match="float32.*float64"):
        minitorch.nn.functional.conv2d(x, w)


# ----- float16: computed in float32 and rounded, as torch's CPU kernels do -----------------------------------
HALF_CONV_CALLS = {
    "conv1d": (lambda L, x, w, b: L.nn.functional.conv1d(x, w, b, padding=1), [(2, 3, 10), (4, 3, 3), (4,)]),
    "conv2d": (lambda L, x, w, b: L.nn.functional.conv2d(x, w, b, stride=2, padding=1), [(2, 3, 6, 6), (4, 3, 3, 3),
                                                                                        (4,)]),
    "conv2d_groups": (lambda L, x, w, b: L.nn.functional.conv2d(x, w, b, groups=2), [(1, 4, 5, 5), (2, 2, 3, 3), (2,)]),
    "conv3d": (lambda L, x, w, b: L.nn.functional.conv3d(x, w, b), [(1, 2, 4, 4, 4), (2, 2, 2, 2, 2), (2,)]),
    "conv_transpose2d": (lambda L, x, w, b: L.nn.functional.conv_transpose2d(x, w, b, stride=2),
                         [(2, 3, 4, 4), (3, 2, 3, 3), (2,)]),
    "unfold": (lambda L, x, w, b: L.nn.functional.unfold(x, 2, stride=2) * w.sum() + b.sum(), [(2, 3, 6, 6), (1,), (1,)]),
    "fold": (lambda L, x, w, b: L.nn.functional.fold(x, (4, 4), 2, stride=2) * w.sum() + b.sum(),
             [(2, 12, 4), (1,), (1,)]),
}


@pytest.mark.parametrize("name", HALF_CONV_CALLS)
def test_float16_convolutions_match_torch(name):
    call, shapes = HALF_CONV_CALLS[name]
    arrays = [randn(*s, seed=i).astype(np.float16) for i, s in enumerate(shapes)]
    assert_matches_torch(call, *arrays, atol=1e-2, rtol=1e-2)


def test_conv_of_an_empty_batch_matches_torch_with_gradients():
    assert_matches_torch(lambda L, x, w, b: L.nn.functional.conv2d(x, w, b), randn(0, 2, 4, 4), randn(3, 2, 2, 2),
                         randn(3))
    assert_matches_torch(lambda L, x, w: L.nn.functional.conv1d(x, w, groups=2), randn(0, 2, 5), randn(4, 1, 2))
    assert_matches_torch(lambda L, x, w: L.nn.functional.conv_transpose2d(x, w), randn(0, 2, 3, 3),
                         randn(2, 3, 2, 2))


@pytest.mark.parametrize("shape, kw", [((2, 1, 1, 2), {"stride": 3, "padding": 1}), ((2, 1, 2, 3), {"padding": 2})])
def test_conv_transpose_with_an_output_size_of_0_is_empty_like_torch(shape, kw):
    assert_matches_torch(lambda L, x, w: L.nn.functional.conv_transpose2d(x, w, **kw), randn(*shape),
                         randn(1, 2, 3, 3) if kw.get("padding") == 2 else randn(1, 2, 2, 2))
