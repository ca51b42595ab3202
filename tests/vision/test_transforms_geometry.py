"""Resize, crops, Pad, flips, RandomRotation, RandomAffine on PIL images and tensors.

Expectations are hand-computed, computed by Pillow, or (for the tensor path, whose
specification is torchvision's use of torch's interpolate/grid_sample) by those torch
functions.
"""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from PIL import Image

import minitorch
from minitorch.vision import transforms as T
from minitorch.vision.transforms import functional as F
from minitorch.vision.transforms import _functional_array as A

NEAREST, BILINEAR = T.InterpolationMode.NEAREST, T.InterpolationMode.BILINEAR


def image(h=5, w=7, c=3, seed=0):
    """A random uint8 image as (PIL image, (C, H, W) tensor, (H, W[, C]) array)."""
    arr = np.random.default_rng(seed).integers(0, 256, (h, w, c) if c > 1 else (h, w), dtype=np.uint8)
    chw = arr[None] if c == 1 else arr.transpose(2, 0, 1)
    return Image.fromarray(arr), minitorch.from_numpy(np.ascontiguousarray(chw)), arr


def chw(t):
    """A tensor image as an (H, W, C) array, or (H, W) if grey, to compare with PIL."""
    a = t.numpy()
    return a[0] if a.shape[0] == 1 else a.transpose(1, 2, 0)


def grid_3x3():
    a = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]], dtype=np.uint8)
    return a, Image.fromarray(a), minitorch.from_numpy(a[None].copy())


# -- Resize ----------------------------------------------------------------------------------


def test_resize_pil_is_pillow():
    img, _, _ = image()
    for interp, resample in [(BILINEAR, Image.BILINEAR), (NEAREST, Image.NEAREST),
                             (T.InterpolationMode.BICUBIC, Image.BICUBIC), (T.InterpolationMode.LANCZOS, Image.LANCZOS)]:
        out = T.Resize((10, 3), interp)(img)
        assert out.size == (3, 10)
        assert np.array_equal(np.asarray(out), np.asarray(img.resize((3, 10), resample)))


def test_resize_smaller_edge_keeps_aspect():
    img, t, _ = image(5, 7)
    assert T.Resize(10)(img).size == (14, 10)  # (w, h): the short side h becomes 10
    assert T.Resize([10])(t).shape == (3, 10, 14)
    tall, _, _ = image(7, 5)
    assert T.Resize(10)(tall).size == (10, 14)
    assert T.Resize(3)(image(5, 8)[0]).size == (4, 3)  # int(3 * 8 / 5) = 4: truncated
    assert T.Resize(10, max_size=12)(img).size == (12, 8)  # the long side capped, aspect kept
    assert T.Resize(5)(img) is img  # already the size: returned as is


def test_resize_errors():
    with pytest.raises(ValueError, match="max_size = 10 must be strictly greater"):
        T.Resize(10, max_size=10)(image()[0])
    with pytest.raises(ValueError, match="max_size should only be passed"):
        F.resize(image()[0], [3, 4], max_size=10)
    with pytest.raises(TypeError, match="Size should be int or sequence"):
        T.Resize(2.5)
    with pytest.raises(ValueError, match="1 or 2 values"):
        T.Resize((1, 2, 3))
    with pytest.raises(ValueError, match="Tensor images support nearest"):
        F.resize(image()[1], [3, 3], T.InterpolationMode.LANCZOS)


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact", "bilinear", "bicubic"])
@pytest.mark.parametrize("antialias", [True, False])
@pytest.mark.parametrize("size", [(4, 5), (9, 21), (2, 30)])
def test_resize_tensor_matches_torch_interpolate(mode, antialias, size):
    x = np.random.default_rng(1).random((2, 3, 9, 13)).astype(np.float32)
    out = F.resize(minitorch.from_numpy(x), list(size), T.InterpolationMode(mode), antialias=antialias)
    kw = {"align_corners": False} if mode in ("bilinear", "bicubic") else {}
    aa = antialias and mode in ("bilinear", "bicubic")
    ref = TF.interpolate(torch.from_numpy(x), size=size, mode=mode, antialias=aa, **kw).numpy()
    assert out.shape == ref.shape and np.allclose(out.numpy(), ref, atol=1e-5)


def test_resize_uint8_tensor_close_to_pillow():
    img, t, _ = image(40, 50)
    out = T.Resize((17, 23))(t)
    assert out.dtype == minitorch.uint8
    assert np.abs(chw(out).astype(int) - np.asarray(img.resize((23, 17), Image.BILINEAR)).astype(int)).max() <= 1


def test_interpolation_from_pillow_constant():
    assert T.Resize(4, interpolation=Image.BICUBIC).interpolation is T.InterpolationMode.BICUBIC
    assert repr(T.Resize(4)) == "Resize(size=4, interpolation=bilinear, max_size=None, antialias=True)"
    with pytest.raises(TypeError, match="InterpolationMode"):
        T.Resize(4, interpolation="fast")


# -- crops ---------------------------------------------------------------------------------


def test_center_crop_hand_computed():
    a = np.arange(35, dtype=np.uint8).reshape(5, 7)
    assert np.array_equal(np.asarray(T.CenterCrop(3)(Image.fromarray(a))), a[1:4, 2:5])
    b = np.arange(36, dtype=np.uint8).reshape(6, 6)
    # (6 - 3) / 2 = 1.5 rounds half to even: 2
    assert np.array_equal(T.CenterCrop((3, 3))(minitorch.from_numpy(b[None].copy())).numpy()[0], b[2:5, 2:5])
    assert np.array_equal(T.CenterCrop([2, 4])(minitorch.from_numpy(b[None].copy())).numpy()[0], b[2:4, 1:5])


def test_center_crop_larger_pads_with_zeros():
    a, img, t = grid_3x3()
    expected = np.zeros((5, 6), np.uint8)
    expected[1:4, 1:4] = a  # 3 columns of padding: 1 left, 2 right
    assert np.array_equal(np.asarray(T.CenterCrop((5, 6))(img)), expected)
    assert np.array_equal(T.CenterCrop((5, 6))(t).numpy()[0], expected)
    assert T.CenterCrop((2, 6))(t).shape == (1, 2, 6)


def test_center_crop_pil_equals_tensor():
    img, t, _ = image(10, 13)
    for size in [4, (7, 2), (10, 13), (12, 15)]:
        assert np.array_equal(np.asarray(T.CenterCrop(size)(img)), chw(T.CenterCrop(size)(t)))
    with pytest.raises(ValueError, match=r"Please provide only two dimensions \(h, w\) for size"):
        T.CenterCrop((1, 2, 3))


def test_crop_outside_is_zero():
    a, img, t = grid_3x3()
    expected = np.array([[0, 0, 0], [0, 1, 2], [0, 4, 5]], np.uint8)
    assert np.array_equal(np.asarray(F.crop(img, -1, -1, 3, 3)), expected)
    assert np.array_equal(F.crop(t, -1, -1, 3, 3).numpy()[0], expected)
    assert np.array_equal(F.crop(t, 1, 2, 3, 2).numpy()[0], [[6, 0], [9, 0], [0, 0]])


# -- Pad -------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode,row", [
    ("constant", [0, 0, 1, 2, 3, 0, 0]),
    ("edge", [1, 1, 1, 2, 3, 3, 3]),
    ("reflect", [3, 2, 1, 2, 3, 2, 1]),      # mirror about the edge pixel
    ("symmetric", [2, 1, 1, 2, 3, 3, 2]),    # mirror about the edge itself
])
def test_pad_modes_hand_computed(mode, row):
    a, img, t = grid_3x3()
    for out in (np.asarray(T.Pad(2, padding_mode=mode)(img)), T.Pad(2, padding_mode=mode)(t).numpy()[0]):
        assert out.shape == (7, 7)
        assert out[2].tolist() == row  # the first image row, padded left and right
        assert out[:, 2].tolist() == [3 * r - 2 if r else 0 for r in row]  # the first column, 1 4 7


def test_pad_argument_forms():
    a, img, t = grid_3x3()
    assert T.Pad((1, 2))(t).shape == (1, 7, 5)  # (left/right, top/bottom)
    assert T.Pad([1])(t).shape == (1, 5, 5)
    out = T.Pad((1, 0, 2, 3), fill=9)(img)  # (left, top, right, bottom)
    expected = np.full((6, 6), 9, np.uint8)
    expected[0:3, 1:4] = a
    assert np.array_equal(np.asarray(out), expected)
    assert np.array_equal(chw(T.Pad((1, 0, 2, 3), fill=9)(t)), expected)


def test_pad_negative_crops():
    a, img, t = grid_3x3()
    assert np.asarray(F.pad(img, -1, padding_mode="edge")).tolist() == [[5]]
    assert F.pad(t, [-1, 0, 0, 0]).numpy()[0].tolist() == [[2, 3], [5, 6], [8, 9]]


def test_pad_rgb_fill():
    img, t, arr = image(2, 2)
    out = np.asarray(T.Pad(1, fill=(255, 0, 7))(img))
    assert out.shape == (4, 4, 3) and out[0, 0].tolist() == [255, 0, 7] and np.array_equal(out[1:3, 1:3], arr)
    assert np.array_equal(chw(T.Pad(1, fill=(255, 0, 7))(t)), out)
    with pytest.raises(ValueError, match=r"'fill' does not match the number of channels of the image \(2 != 3\)"):
        T.Pad(1, fill=(1, 2))(img)


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric"])
def test_pad_pil_equals_tensor(mode):
    img, t, _ = image(6, 5)
    assert np.array_equal(np.asarray(F.pad(img, [3, 1, 0, 2], 50, mode)), chw(F.pad(t, [3, 1, 0, 2], 50, mode)))


def test_pad_errors():
    with pytest.raises(ValueError, match="1, 2, or 4 element tuple, not a 3 element tuple"):
        T.Pad((1, 2, 3))
    with pytest.raises(TypeError, match="inappropriate padding"):
        T.Pad("1")
    with pytest.raises(TypeError, match="inappropriate fill"):
        T.Pad(1, fill="red")
    with pytest.raises(ValueError, match="constant, edge, reflect or symmetric, got 'wrap'"):
        T.Pad(1, padding_mode="wrap")


# -- RandomCrop ------------------------------------------------------------------------------


def test_random_crop_is_a_window_and_follows_seed():
    img, t, arr = image(10, 12)
    minitorch.manual_seed(3)
    i, j, h, w = T.RandomCrop.get_params(img, (4, 5))
    minitorch.manual_seed(3)
    out = T.RandomCrop((4, 5))(img)
    assert (h, w) == (4, 5) and np.array_equal(np.asarray(out), arr[i:i + 4, j:j + 5])
    minitorch.manual_seed(3)
    assert np.array_equal(chw(T.RandomCrop((4, 5))(t)), arr[i:i + 4, j:j + 5])
    minitorch.manual_seed(0)
    corners = {T.RandomCrop.get_params(img, (9, 11))[:2] for _ in range(60)}
    assert corners == {(0, 0), (0, 1), (1, 0), (1, 1)}  # every position, and no other


def test_random_crop_padding_and_pad_if_needed():
    a, img, t = grid_3x3()
    out = T.RandomCrop(3, padding=1, fill=7)(t).numpy()[0]
    padded = np.pad(a, 1, constant_values=7)
    assert any(np.array_equal(out, padded[i:i + 3, j:j + 3]) for i in range(3) for j in range(3))
    # too narrow by 1: 1 column each side; too short by 2: 2 rows above and below
    big = np.asarray(T.RandomCrop((5, 4), pad_if_needed=True, fill=7)(img))
    padded = np.pad(a, ((2, 2), (1, 1)), constant_values=7)
    assert big.shape == (5, 4)
    assert any(np.array_equal(big, padded[i:i + 5, j:j + 4]) for i in range(3) for j in range(2))
    with pytest.raises(ValueError, match=r"Required crop size \(10, 10\) is larger than input image size \(5, 7\)"):
        T.RandomCrop(10)(image()[0])
    assert T.RandomCrop((5, 7))(image()[1]).shape == (3, 5, 7)


# -- RandomResizedCrop ---------------------------------------------------------------------


def test_random_resized_crop_params_within_ranges():
    img, t, _ = image(40, 60)
    minitorch.manual_seed(0)
    for _ in range(200):
        i, j, h, w = T.RandomResizedCrop.get_params(img, (0.2, 0.6), (0.5, 2.0))
        assert 0 <= i <= 40 - h and 0 <= j <= 60 - w
        assert 0.2 * 2400 * 0.9 <= h * w <= 0.6 * 2400 * 1.1  # rounding to whole pixels
        assert 0.5 * 0.85 <= w / h <= 2.0 * 1.15


def test_random_resized_crop_output_and_seed():
    img, t, arr = image(40, 60)
    minitorch.manual_seed(5)
    i, j, h, w = T.RandomResizedCrop.get_params(img, (0.08, 1.0), (3 / 4, 4 / 3))
    minitorch.manual_seed(5)
    out = T.RandomResizedCrop(16)(img)
    assert out.size == (16, 16)
    assert np.array_equal(np.asarray(out), np.asarray(img.crop((j, i, j + w, i + h)).resize((16, 16), Image.BILINEAR)))
    assert T.RandomResizedCrop((8, 12))(t).shape == (3, 8, 12)


def test_random_resized_crop_whole_image_and_fallback():
    img, t, _ = image(20, 20)
    whole = T.RandomResizedCrop(10, scale=(1.0, 1.0), ratio=(1.0, 1.0))(img)
    assert np.array_equal(np.asarray(whole), np.asarray(img.resize((10, 10), Image.BILINEAR)))
    # a 10x100 strip: a square of the full area never fits, so the central crop of
    # the widest allowed ratio (1:1) is taken
    strip, _, _ = image(10, 100)
    assert T.RandomResizedCrop.get_params(strip, (1.0, 1.0), (1.0, 1.0)) == (0, 45, 10, 10)
    with pytest.warns(UserWarning, match="Scale and ratio should be of kind"):
        T.RandomResizedCrop(5, scale=(1.0, 0.5))


# -- flips ---------------------------------------------------------------------------------


def test_flips_hand_computed():
    a, img, t = grid_3x3()
    assert np.asarray(T.RandomHorizontalFlip(p=1)(img)).tolist() == [[3, 2, 1], [6, 5, 4], [9, 8, 7]]
    assert np.asarray(T.RandomVerticalFlip(p=1)(img)).tolist() == [[7, 8, 9], [4, 5, 6], [1, 2, 3]]
    assert T.RandomHorizontalFlip(p=1)(t).numpy()[0].tolist() == [[3, 2, 1], [6, 5, 4], [9, 8, 7]]
    assert T.RandomVerticalFlip(p=1)(t).numpy()[0].tolist() == [[7, 8, 9], [4, 5, 6], [1, 2, 3]]
    assert T.RandomHorizontalFlip(p=0)(img) is img
    batch = minitorch.from_numpy(np.arange(24, dtype=np.float32).reshape(2, 3, 2, 2))
    assert np.array_equal(F.hflip(batch).numpy(), batch.numpy()[..., ::-1])


def test_flip_probability():
    _, _, t = grid_3x3()
    minitorch.manual_seed(0)
    flips = sum(T.RandomHorizontalFlip()(t).numpy()[0, 0, 0] == 3 for _ in range(400))
    assert 160 < flips < 240
    assert repr(T.RandomVerticalFlip(0.3)) == "RandomVerticalFlip(p=0.3)"


# -- rotation and affine: the tensor path against torchvision's grid_sample recipe -------


def torch_warp(x, matrix, mode, fill, out_size=None):
    """torchvision's tensor warp, with torch: a grid of output pixel centres taken through
    the inverse matrix, normalised, grid_sample'd; `fill` blended with a ones channel."""
    n, c, h, w = x.shape
    ow, oh = out_size or (w, h)
    theta = torch.tensor(matrix, dtype=torch.float32).reshape(1, 2, 3)
    base = torch.empty(1, oh, ow, 3)
    base[..., 0].copy_(torch.linspace(-ow * 0.5 + 0.5, ow * 0.5 - 0.5, steps=ow))
    base[..., 1].copy_(torch.linspace(-oh * 0.5 + 0.5, oh * 0.5 - 0.5, steps=oh).unsqueeze_(-1))
    base[..., 2].fill_(1)
    grid = base.view(1, oh * ow, 3).bmm(theta.transpose(1, 2) / torch.tensor([0.5 * w, 0.5 * h])).view(1, oh, ow, 2)
    img = torch.from_numpy(x)
    if fill is not None:
        img = torch.cat((img, torch.ones_like(img[:, :1])), dim=1)
    img = TF.grid_sample(img, grid.expand(n, -1, -1, -1), mode=mode, padding_mode="zeros", align_corners=False)
    if fill is not None:
        mask, img = img[:, -1:].expand_as(img[:, :-1]), img[:, :-1]
        fill_img = torch.tensor(fill, dtype=img.dtype).view(1, -1, 1, 1).expand_as(img)
        if mode == "nearest":
            img = torch.where(mask < 0.5, fill_img, img)
        else:
            img = img * mask + (1.0 - mask) * fill_img
    return img.numpy()


@pytest.mark.parametrize("angle", [0.0, 30.0, -73.3, 90.0, 45.0])
@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
@pytest.mark.parametrize("expand", [False, True])
def test_rotate_tensor_matches_grid_sample(angle, mode, expand):
    x = np.random.default_rng(2).random((2, 3, 11, 16)).astype(np.float32)
    fill = [0.5, 0.25, 1.0]
    out = F.rotate(minitorch.from_numpy(x), angle, T.InterpolationMode(mode), expand=expand, fill=fill).numpy()
    matrix = A.inverse_affine_matrix([0.0, 0.0], -angle, [0.0, 0.0], 1.0, [0.0, 0.0])
    size = A.affine_output_size(matrix, 16, 11) if expand else None
    ref = torch_warp(x, matrix, mode, fill, size)
    assert out.shape == ref.shape and np.allclose(out, ref, atol=1e-5)


@pytest.mark.parametrize("params", [
    (0.0, [3, -2], 1.0, [0.0, 0.0]),
    (25.0, [0, 0], 1.4, [0.0, 0.0]),
    (0.0, [0, 0], 1.0, [20.0, -10.0]),
    (-40.0, [2, 1], 0.7, [5.0, 15.0]),
])
@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
def test_affine_tensor_matches_grid_sample(params, mode):
    angle, translate, scale, shear = params
    x = np.random.default_rng(3).random((1, 3, 12, 15)).astype(np.float32)
    out = F.affine(minitorch.from_numpy(x), angle, translate, scale, shear, T.InterpolationMode(mode), fill=[0.0]).numpy()
    matrix = A.inverse_affine_matrix([0.0, 0.0], angle, translate, scale, shear)
    assert np.allclose(out, torch_warp(x, matrix, mode, [0.0, 0.0, 0.0]), atol=1e-5)


def test_inverse_affine_matrix_inverts_forward_map():
    """Hand-built forward map M = T C R Sh S C^-1 (angles in degrees); its inverse is the result."""
    cx, cy, angle, (tx, ty), s, (sx, sy) = 3.0, -2.0, 33.0, (4.0, 1.0), 1.3, (12.0, -7.0)
    c, si = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    rot = np.array([[c, -si], [si, c]])
    shear_y = np.array([[1, 0], [-math.tan(math.radians(sy)), 1]])
    shear_x = np.array([[1, -math.tan(math.radians(sx))], [0, 1]])
    forward = np.eye(3)
    forward[:2, :2] = s * rot @ shear_y @ shear_x
    centre, uncentre, move = np.eye(3), np.eye(3), np.eye(3)
    centre[:2, 2], uncentre[:2, 2], move[:2, 2] = [cx, cy], [-cx, -cy], [tx, ty]
    m = move @ centre @ forward @ uncentre
    inv = np.array(A.inverse_affine_matrix([cx, cy], angle, [tx, ty], s, [sx, sy]) + [0, 0, 1]).reshape(3, 3)
    assert np.allclose(inv @ m, np.eye(3), atol=1e-9)


# -- rotation and affine: exact cases and the PIL path -------------------------------------


def test_rotate_90_is_exact_on_both_paths():
    img, t, arr = image(5, 7, c=1)
    assert np.array_equal(np.asarray(F.rotate(img, 90, expand=True)), np.rot90(arr))
    assert np.array_equal(F.rotate(t, 90, expand=True).numpy()[0], np.rot90(arr))
    sq_img, sq_t, sq = image(5, 5, c=1)
    assert np.array_equal(F.affine(sq_t, 90, [0, 0], 1.0, 0).numpy()[0], np.rot90(sq, -1))  # affine turns clockwise
    assert np.array_equal(np.asarray(F.affine(sq_img, 90, [0, 0], 1.0, 0)), np.rot90(sq, -1))


def test_rotate_pil_and_tensor_agree():
    img, t, arr = image(9, 13, c=1)
    for angle, center in [(90, (0, 0)), (-17, (2, 5)), (-17, None), (123, None)]:
        assert np.array_equal(np.asarray(F.rotate(img, angle, center=center, fill=3)),
                              F.rotate(t, angle, center=center, fill=3).numpy()[0])
    for angle in (30, 45, -60, 200):
        assert F.rotate(t, angle, expand=True).shape[1:] == F.rotate(img, angle, expand=True).size[::-1]


def test_random_rotation_pil_is_pillow_rotate():
    img, t, _ = image(12, 10)
    minitorch.manual_seed(11)
    angle = T.RandomRotation.get_params([-30.0, 50.0])
    assert -30 <= angle < 50
    minitorch.manual_seed(11)
    out = T.RandomRotation((-30, 50), interpolation=BILINEAR, expand=True, center=(2, 3), fill=(9, 8, 7))(img)
    expected = img.rotate(angle, Image.BILINEAR, True, (2, 3), fillcolor=(9, 8, 7))
    assert np.array_equal(np.asarray(out), np.asarray(expected))


def test_rotation_fill_in_corners():
    ones = minitorch.from_numpy(np.ones((1, 9, 9), np.uint8))
    out = F.rotate(ones, 45, fill=7).numpy()[0]
    assert out[0, 0] == out[0, 8] == out[8, 8] == 7 and out[4, 4] == 1
    pil = np.asarray(F.rotate(Image.fromarray(np.ones((9, 9), np.uint8)), 45, fill=7))
    assert np.array_equal(pil, out)


def test_random_rotation_arguments():
    assert T.RandomRotation(10).degrees == [-10.0, 10.0]
    with pytest.raises(ValueError, match="If degrees is a single number, it must be positive"):
        T.RandomRotation(-5)
    with pytest.raises(ValueError, match="degrees should be a sequence of length 2"):
        T.RandomRotation((1, 2, 3))
    with pytest.raises(ValueError, match="center should be a sequence of length 2"):
        T.RandomRotation(5, center=(1, 2, 3))
    with pytest.raises(TypeError, match="Fill should be either a sequence or a number"):
        T.RandomRotation(5, fill="black")
    with pytest.warns(UserWarning, match="'resample' is deprecated"):
        assert T.RandomRotation(5, resample=Image.BILINEAR).interpolation is BILINEAR


def test_random_affine_translation_is_a_shift():
    img, t, arr = image(8, 9, c=1)
    minitorch.manual_seed(4)
    _, (dx, dy), scale, shear = T.RandomAffine.get_params([0, 0], (0.3, 0.4), None, None, [9, 8])
    assert abs(dx) <= 0.3 * 9 and abs(dy) <= 0.4 * 8 and scale == 1.0 and shear == (0.0, 0.0)
    assert (dx, dy) != (0, 0)
    expected = np.full_like(arr, 200)
    for y in range(8):
        for x in range(9):
            if 0 <= y - dy < 8 and 0 <= x - dx < 9:
                expected[y, x] = arr[y - dy, x - dx]
    for pic, get in ((img, np.asarray), (t, lambda o: o.numpy()[0])):
        minitorch.manual_seed(4)
        out = T.RandomAffine(0, translate=(0.3, 0.4), fill=200)(pic)
        assert np.array_equal(get(out), expected)


def test_random_affine_pil_is_pillow_transform():
    img, _, _ = image(10, 12)
    minitorch.manual_seed(8)
    angle, translate, scale, shear = T.RandomAffine.get_params([-20, 20], (0.1, 0.1), (0.8, 1.2), [-5, 5, -3, 3], [12, 10])
    assert -20 <= angle < 20 and 0.8 <= scale < 1.2 and -5 <= shear[0] < 5 and -3 <= shear[1] < 3
    matrix = A.inverse_affine_matrix([6.0, 5.0], angle, translate, scale, shear)
    minitorch.manual_seed(8)
    out = T.RandomAffine(20, translate=(0.1, 0.1), scale=(0.8, 1.2), shear=(-5, 5, -3, 3))(img)
    assert np.array_equal(np.asarray(out), np.asarray(img.transform((12, 10), Image.AFFINE, matrix, Image.NEAREST)))


def test_random_affine_arguments():
    a = T.RandomAffine(10, shear=5)
    assert a.degrees == [-10.0, 10.0] and a.shear == [-5.0, 5.0]
    for kwargs, error, text in [
        ({"translate": (1.5, 0)}, ValueError, "translation values should be between 0 and 1"),
        ({"scale": (0, 1)}, ValueError, "scale values should be positive"),
        ({"shear": (1, 2, 3)}, ValueError, "shear should be a sequence of length 2 or 4"),
        ({"translate": 0.1}, TypeError, "translate should be a sequence of length 2"),
    ]:
        with pytest.raises(error, match=text):
            T.RandomAffine(0, **kwargs)
    with pytest.warns(UserWarning, match="'fillcolor' is deprecated"):
        assert T.RandomAffine(0, fillcolor=(255, 0, 0)).fill == (255, 0, 0)
    assert repr(T.RandomAffine(5, scale=(0.5, 1))) == "RandomAffine(degrees=[-5.0, 5.0], scale=(0.5, 1))"


def test_tensor_crop_is_a_view_and_flips_differentiable():
    base = minitorch.from_numpy(np.zeros((1, 4, 4), np.float32))
    F.crop(base, 1, 1, 2, 2).fill_(5.0)  # torchvision's crop is a slice: writes go through
    assert base.numpy()[0, 1:3, 1:3].tolist() == [[5.0, 5.0], [5.0, 5.0]] and base.numpy()[0, 0, 0] == 0
    leaf = minitorch.tensor(np.arange(6, dtype=np.float32).reshape(1, 2, 3), requires_grad=True)
    weights = minitorch.tensor(np.arange(6, dtype=np.float32).reshape(1, 2, 3))
    (F.vflip(F.hflip(leaf)) * weights).sum().backward()
    assert leaf.grad.numpy()[0].tolist() == [[5, 4, 3], [2, 1, 0]]
