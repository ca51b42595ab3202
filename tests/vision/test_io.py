"""read_image / decode_image / read_file: files become uint8 (C, H, W) tensors as in torchvision.

torchvision's native decoders are not available here, so the expected pixels are the ones
written into each (lossless) file; JPEG is checked against the source within its loss.
"""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

import minitorch
from minitorch.vision.io import ImageReadMode, decode_image, read_file, read_image

RNG = np.random.default_rng(0)
RGBA = RNG.integers(0, 256, (5, 7, 4), dtype=np.uint8)   # H=5, W=7


def _save(tmp_path, array, mode, name="img.png", **options):
    path = tmp_path / name
    Image.fromarray(array, mode=mode).save(path, **options)
    return path


@pytest.mark.parametrize("mode, channels", [("L", 1), ("LA", 2), ("RGB", 3), ("RGBA", 4)])
def test_png_keeps_its_channels_first_as_uint8(tmp_path, mode, channels):
    pixels = RGBA[:, :, :channels] if channels > 1 else RGBA[:, :, 0]
    image = read_image(_save(tmp_path, pixels, mode))
    assert image.dtype is minitorch.uint8 and image.shape == (channels, 5, 7)
    np.testing.assert_array_equal(image.numpy(), pixels.reshape(5, 7, channels).transpose(2, 0, 1))


def test_modes_convert_channels(tmp_path):
    path = _save(tmp_path, RGBA, "RGBA")
    rgb = read_image(path, ImageReadMode.RGB)
    np.testing.assert_array_equal(rgb.numpy(), RGBA[:, :, :3].transpose(2, 0, 1))
    assert read_image(path, ImageReadMode.RGBA).shape == (4, 5, 7)
    assert ImageReadMode.RGBA is ImageReadMode.RGB_ALPHA
    gray = read_image(path, mode="GRAY")   # a mode may be given by name
    r, g, b = (RGBA[:, :, i].astype(np.float64) for i in range(3))
    expected = r * 0.299 + g * 0.587 + b * 0.114   # ITU-R 601 luma
    assert gray.shape == (1, 5, 7) and np.abs(gray.numpy()[0] - expected).max() <= 1
    assert read_image(path, ImageReadMode.GRAY_ALPHA).shape == (2, 5, 7)
    gray_path = _save(tmp_path, RGBA[:, :, 0], "L", "gray.png")
    np.testing.assert_array_equal(read_image(gray_path, ImageReadMode.RGB).numpy(),
                                  np.repeat(RGBA[None, :, :, 0], 3, axis=0))
    with pytest.raises(ValueError, match="Unknown image read mode"):
        read_image(path, mode="CMYK")


def test_palette_and_one_bit_images_expand(tmp_path):
    palette = Image.fromarray(RGBA[:, :, :3], "RGB").quantize(8)
    palette.save(tmp_path / "p.png")
    expected = np.asarray(palette.convert("RGB")).transpose(2, 0, 1)
    np.testing.assert_array_equal(read_image(tmp_path / "p.png").numpy(), expected)
    bits = RGBA[:, :, 0] > 127
    Image.fromarray(bits).save(tmp_path / "bits.png")
    np.testing.assert_array_equal(read_image(tmp_path / "bits.png").numpy()[0], bits * np.uint8(255))


def test_jpeg_is_three_channels_close_to_its_source(tmp_path):
    smooth = np.repeat(np.linspace(0, 255, 16, dtype=np.uint8)[None, :, None], 16, axis=0).repeat(3, axis=2)
    path = _save(tmp_path, smooth, "RGB", "img.jpg", quality=95)
    image = read_image(str(path))
    assert image.shape == (3, 16, 16) and image.dtype is minitorch.uint8
    assert np.abs(image.numpy().astype(int) - smooth.transpose(2, 0, 1)).max() <= 8


def test_read_file_and_decode_image_compose(tmp_path):
    path = _save(tmp_path, RGBA, "RGBA")
    data = read_file(path)
    assert data.dtype is minitorch.uint8 and data.ndim == 1 and data.numel() == path.stat().st_size
    assert minitorch.equal(decode_image(data), read_image(path))
    assert minitorch.equal(decode_image(str(path), ImageReadMode.RGB), read_image(path, ImageReadMode.RGB))
    with pytest.raises(RuntimeError, match="one-dimensional torch.uint8"):
        decode_image(data.float())
    with pytest.raises(RuntimeError, match="Unsupported or corrupt image"):
        decode_image(minitorch.zeros(10, dtype=minitorch.uint8))
    with pytest.raises(RuntimeError, match="No such file"):
        read_image(tmp_path / "missing.png")


def test_exif_orientation_is_applied_only_when_asked(tmp_path):
    image = Image.fromarray(RGBA[:, :, :3], "RGB")
    exif = image.getexif()
    exif[0x0112] = 6   # "rotate 90 degrees clockwise to display"
    path = tmp_path / "rotated.jpg"
    image.save(path, exif=exif, quality=100)
    assert read_image(path).shape == (3, 5, 7)
    assert read_image(path, apply_exif_orientation=True).shape == (3, 7, 5)


def test_animated_gif_gives_every_frame(tmp_path):
    frames = [Image.fromarray(np.full((4, 6), v, dtype=np.uint8), "L").convert("P") for v in (0, 128, 255)]
    frames[0].save(tmp_path / "a.gif", save_all=True, append_images=frames[1:])
    video = read_image(tmp_path / "a.gif")
    assert video.shape == (3, 3, 4, 6)
    np.testing.assert_array_equal(video.numpy()[:, 0, 0, 0], [0, 128, 255])


def test_a_read_image_feeds_the_tensor_transforms(tmp_path):
    """The data tutorial's pattern: read_image in a Dataset, then tensor transforms."""
    from minitorch.vision import transforms
    image = read_image(_save(tmp_path, RGBA[:, :, :3], "RGB"))
    out = transforms.Resize((4, 4))(image)
    assert out.shape == (3, 4, 4) and out.dtype is minitorch.uint8
