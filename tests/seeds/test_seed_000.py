"""Seed document 000 (../shared/seeds/000_*.txt, "PyTorch 方法总结"): what its worked examples
and formulas claim, run under minitorch and torch with identical printed output.

The literal snippets (Fold/Unfold sizes, the ConvTranspose2d example and its dilation/stride/
padding variants, FractionalMaxPool2d with fixed samples, Upsample modes, the norm layers)
are in tests/nn/test_seed_cnn.py; this file covers the rest of the document."""
import pytest
import torch
from conftest import assert_prints_like_torch, printed, same_error

import minitorch

SNIPPETS = {
    # Fold/Unfold: L = prod_d floor((size + 2p - d(k-1) - 1) / s + 1); Fold's output is the conv input
    "unfold_block_count_formula": """
        x = torch.arange(2 * 3 * 7 * 6, dtype=torch.float32).reshape(2, 3, 7, 6)
        for k, d, p, s in [((2, 3), 1, 0, 1), ((3, 2), 2, 1, 1), (3, 1, 1, 2), ((2, 2), (1, 2), (0, 1), (2, 1))]:
            unfold = nn.Unfold(kernel_size=k, dilation=d, padding=p, stride=s)
            kk, dd, pp, ss = [v if isinstance(v, tuple) else (v, v) for v in (k, d, p, s)]
            L = 1
            for size, i in ((7, 0), (6, 1)):
                L *= (size + 2 * pp[i] - dd[i] * (kk[i] - 1) - 1) // ss[i] + 1
            print(unfold, unfold(x).shape, (2, 3 * kk[0] * kk[1], L))
    """,
    "fold_of_unfold_sums_overlaps": """
        x = torch.arange(1 * 2 * 4 * 5, dtype=torch.float32).reshape(1, 2, 4, 5)
        blocks = nn.Unfold(kernel_size=(2, 2))(x)
        fold = nn.Fold(output_size=(4, 5), kernel_size=(2, 2))
        print(fold, blocks.shape, fold(blocks))
        counts = fold(nn.Unfold(kernel_size=(2, 2))(torch.ones(1, 2, 4, 5)))
        print(counts[0, 0], torch.equal(fold(blocks), x * counts))
        print(nn.Fold((5, 5), 3, padding=1, stride=2)(torch.arange(1. * 2 * 9 * 9).reshape(1, 18, 9)))
    """,
    # the normalisation formulas: which dimensions E[x] and V[x] (biased) run over
    "norm_formulas": """
        x = (torch.arange(2 * 4 * 3 * 2, dtype=torch.float32).reshape(2, 4, 3, 2) ** 1.3) / 10
        eps = 1e-5
        def norm(x, dims):
            mean = x.mean(dim=dims, keepdim=True)
            var = ((x - mean) ** 2).mean(dim=dims, keepdim=True)
            return (x - mean) / torch.sqrt(var + eps)
        bn, ln, inn, gn = nn.BatchNorm2d(4), nn.LayerNorm([4, 3, 2]), nn.InstanceNorm2d(4), nn.GroupNorm(2, 4)
        groups = norm(x.reshape(2, 2, 2, 3, 2), (2, 3, 4)).reshape(2, 4, 3, 2)
        for name, layer, expected in [("batch", bn, norm(x, (0, 2, 3))), ("layer", ln, norm(x, (1, 2, 3))),
                                      ("instance", inn, norm(x, (2, 3))), ("group", gn, groups)]:
            y = layer(x)
            print(name, torch.allclose(y, expected, atol=1e-5), y.mean().abs() < 1e-5, y.shape)
        with torch.no_grad():
            bn.weight.fill_(2.0)
            bn.bias.fill_(0.5)
        print(torch.allclose(bn(x), norm(x, (0, 2, 3)) * 2.0 + 0.5, atol=1e-5))
        m = torch.tensor([[1., 2.], [3., 6.], [5., 10.]])
        print((nn.BatchNorm1d(2)(m) * 1e4).round().int())  # 4 decimals (torch is 1 ulp off zero)
    """,
    # transposed conv output size (4-2): s(L-1) + d(k-1) + 1 - 2p
    "conv_transpose_output_size": """
        x = torch.ones(1, 1, 5, 5)
        for k, s, p, d in [(3, 1, 0, 1), (3, 2, 0, 1), (3, 1, 1, 1), (3, 1, 0, 2), (4, 3, 2, 2)]:
            out = nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, dilation=d)(x)
            print(out.shape[-1], s * (5 - 1) + d * (k - 1) + 1 - 2 * p)
    """,
    # "method 1": a transposed conv is an ordinary conv of the zero-padded (and, for stride > 1,
    # zero-dilated) input with the kernel rotated by 180 degrees; the note's K' matrices
    "conv_transpose_as_padded_conv_with_rotated_kernel": """
        w = torch.tensor([[[[0., 1, 2], [2, 2, 0], [0, 1, 2]]]])
        input = torch.tensor([[[[12., 12], [10, 17]]]])
        print(F.conv_transpose2d(input, w), F.conv2d(F.pad(input, (2, 2, 2, 2)), w.flip(2, 3)))
        k_dilated = torch.tensor([[[[2., 0, 1, 0, 0], [0, 0, 0, 0, 0], [0, 0, 2, 0, 2], [0, 0, 0, 0, 0],
                                    [2, 0, 1, 0, 0]]]])
        print(F.conv_transpose2d(input, w, dilation=2))
        print(F.conv2d(F.pad(input, (4, 4, 4, 4)), k_dilated))
        strided = torch.zeros(1, 1, 7, 7)
        strided[0, 0, 2, 2], strided[0, 0, 2, 4], strided[0, 0, 4, 2], strided[0, 0, 4, 4] = 12., 12., 10., 17.
        k_rot = torch.tensor([[[[2., 1, 0], [0, 2, 2], [2, 1, 0]]]])
        print(F.conv_transpose2d(input, w, stride=2))
        print(F.conv2d(strided, k_rot), torch.equal(k_rot, w.flip(2, 3)))
        print(F.conv_transpose2d(input, w, padding=1), F.conv2d(F.pad(input, (1, 1, 1, 1)), w.flip(2, 3)))
    """,
    # "method 2": conv = x(1x16) @ K(16x4); transposed conv = input(1x4) @ K^T(4x16)
    "conv_and_transpose_as_one_matrix": """
        w = torch.tensor([[0., 1, 2], [2, 2, 0], [0, 1, 2]])
        K = torch.zeros(16, 4)
        for col, (r, c) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
            placed = torch.zeros(4, 4)
            placed[r:r + 3, c:c + 3] = w
            K[:, col] = placed.reshape(16)
        x = torch.arange(16.).reshape(1, 16)
        print((x @ K).reshape(2, 2), F.conv2d(x.reshape(1, 1, 4, 4), w.reshape(1, 1, 3, 3)))
        input = torch.tensor([[12., 12, 10, 17]])
        print((input @ K.T).reshape(4, 4))
        print(nn.functional.conv_transpose2d(input.reshape(1, 1, 2, 2), w.reshape(1, 1, 3, 3)))
    """,
    # Upsample: 3D/4D/5D inputs; the align_corners coordinate maps of the note
    "upsample_dimensions_and_coordinate_maps": """
        x1 = torch.tensor([[[1., 3., 2.]]])
        x2 = torch.tensor([[[[1., 2., 4.], [3., 5., 9.]]]])
        x3 = torch.arange(8.).reshape(1, 1, 2, 2, 2)
        print(nn.Upsample(scale_factor=2)(x1), nn.Upsample(size=(3, 4))(x2), nn.Upsample(scale_factor=2)(x3).shape)
        print(nn.Upsample(scale_factor=2, mode='linear', align_corners=True)(x1))
        print(nn.Upsample(size=(4, 5), mode='bilinear', align_corners=True)(x2))
        print(nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False)(x2))
        print(nn.Upsample(scale_factor=(2, 1, 2), mode='trilinear', align_corners=True)(x3))
        print(nn.Upsample(scale_factor=1.5, mode='bicubic', align_corners=True)(x2))
        print(nn.Upsample(scale_factor=2, mode='nearest'))
    """,
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_snippet_prints_like_torch(name):
    assert_prints_like_torch(SNIPPETS[name])


def test_align_corners_maps_match_the_notes_formulas():
    """x' = (m-1)/(n-1) x when corners are aligned, x' = (x+0.5)/scale - 0.5 otherwise."""
    import numpy as np
    row = np.array([1.0, 4.0, 2.0, 8.0])
    src = minitorch.tensor(row.reshape(1, 1, 4))
    for n, align in ((7, True), (8, False)):
        got = minitorch.nn.Upsample(size=n, mode="linear", align_corners=align)(src).numpy().ravel()
        pos = np.arange(n) * 3 / (n - 1) if align else np.clip((np.arange(n) + 0.5) / 2 - 0.5, 0, None)
        np.testing.assert_allclose(got, np.interp(pos, np.arange(4), row), rtol=1e-6)


@pytest.mark.parametrize("mode, ndim", [("linear", 4), ("bilinear", 3), ("bilinear", 5), ("trilinear", 4),
                                        ("bicubic", 3)])
def test_upsample_mode_needs_its_input_rank(mode, ndim):
    def run(lib):
        return lib.nn.Upsample(scale_factor=2, mode=mode)(lib.ones(*([1] * ndim)))
    same_error(run)


# ----- FractionalMaxPool2d with random sequences ---------------------------------------------
FRACTIONAL = """
    x = torch.randn(2, 3, 25, 19)
    for kw in [dict(output_size=(13, 11)), dict(output_ratio=(0.6, 0.7)), dict(output_size=10)]:
        for k in (2, 3):
            out, idx = nn.FractionalMaxPool2d(k, return_indices=True, **kw)(x)
            flat = x.flatten(2).gather(2, idx.flatten(2)).reshape(out.shape)
            rows, cols = idx // 19, idx % 19
            top = rows.amax(dim=3)
            steps_r = top[..., 1:] - top[..., :-1]
            print(k, kw, out.shape, out.dtype, idx.dtype, torch.equal(flat, out),
                  bool((out >= F.max_pool2d(x, 1)[..., :out.shape[2], :out.shape[3]].amin()).all()),
                  bool(rows.max() < 25), bool(cols.max() < 19), bool((steps_r >= 0).all()))
"""


def test_fractional_max_pool_random_regions():
    """Each output is the max of some window, indices point at it, regions advance downwards."""
    assert printed(FRACTIONAL, minitorch) == printed(FRACTIONAL, torch)


def test_fractional_max_pool_pseudorandom_sequence_increments():
    """With alpha = N_in/N_out in (1, 2), consecutive pooling regions start 1 or 2 apart:
    a 1x1 'kernel' makes the chosen rows visible, and they must step by 1 or 2."""
    for lib in (minitorch, torch):
        lib.manual_seed(0)
        x = lib.arange(23.).reshape(1, 1, 23, 1).expand(1, 1, 23, 3).contiguous()
        out = lib.nn.FractionalMaxPool2d((2, 1), output_size=(15, 3))(x)
        starts = (out[0, 0, :, 0] - 1).tolist()
        steps = {b - a for a, b in zip(starts, starts[1:])}
        assert steps <= {1, 2} and starts[0] == 0 and starts[-1] == 21, (lib.__name__, starts)
