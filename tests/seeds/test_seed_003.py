"""Seed document 003 (../shared/seeds/003_*.txt, convolution and transposed convolution): the
image pipeline as written (PIL image -> transforms.Compose([ToTensor()]) -> unsqueeze_ ->
Conv2d / ConvTranspose2d with xavier_normal_), the Conv2d source's circular padding, the
matrix view of both convolutions, and the checkerboard artefact.

The shape-only version of the pipeline and the unfold matrix product are in
tests/nn/test_seed_cnn.py. No torchvision here: the torch side builds ToTensor's result by hand."""
import numpy as np
import pytest
import torch
from conftest import assert_prints_like_torch, printed
from PIL import Image

import minitorch
import minitorch.vision.transforms as transforms


def _rgb_image():
    arr = np.random.default_rng(3).integers(0, 256, (32, 48, 3), dtype=np.uint8)
    return Image.fromarray(arr).convert("RGB"), arr


def _img_tensor(lib):
    """The note's `img_transform(img)`: minitorch's transform, or ToTensor's arithmetic in torch."""
    img, arr = _rgb_image()
    if lib is minitorch:
        img_transform = transforms.Compose([transforms.ToTensor()])
        return img_transform(img)
    return torch.from_numpy(arr.copy()).permute(2, 0, 1).contiguous().float().div(255)


PIPELINE = """
    img_tensor.unsqueeze_(dim=0)    # C*H*W to B*C*H*W
    print(img_tensor.shape, img_tensor.dtype, img_tensor.is_contiguous())
    for flag in (0, 1):
        if flag:
            conv_layer = nn.ConvTranspose2d(3, 1, 3, stride=2)   # input:(i, o, size)
        else:
            conv_layer = nn.Conv2d(3, 1, 3)   # input:(i, o, size) weights:(o, i , h, w)
        nn.init.xavier_normal_(conv_layer.weight.data)
        img_conv = conv_layer(img_tensor)
        print("before:{}\\nafter:{}".format(img_tensor.shape, img_conv.shape))
        print(conv_layer.weight.shape, img_conv[0, 0:1, ...].shape, img_tensor.squeeze().shape)
        # same weights in both libraries, to compare values
        with torch.no_grad():
            conv_layer.weight.copy_(torch.linspace(-1, 1, conv_layer.weight.numel()).reshape(conv_layer.weight.shape))
            conv_layer.bias.fill_(0.1)
        print(conv_layer(img_tensor)[0, 0, :3, :4])
"""


def test_image_pipeline_prints_like_torch():
    outputs = [printed(PIPELINE, lib, img_tensor=_img_tensor(lib)) for lib in (minitorch, torch)]
    assert outputs[0] == outputs[1]


def test_to_tensor_matches_torch_arithmetic():
    assert repr(_img_tensor(minitorch)) == repr(_img_tensor(torch))


def test_transform_invert_round_trip():
    """The note's transform_invert: CHW float in [0, 1] back to a PIL image."""
    img, arr = _rgb_image()
    img_tensor = transforms.Compose([transforms.ToTensor()])(img)
    back = transforms.ToPILImage()(img_tensor)
    np.testing.assert_array_equal(np.array(back), arr)
    by_hand = Image.fromarray((img_tensor.transpose(0, 2).transpose(0, 1).numpy() * 255).round().astype("uint8"))
    np.testing.assert_array_equal(np.array(by_hand), arr)
    grey = transforms.ToPILImage()(img_tensor[0:1])
    assert grey.mode == "L" and grey.size == (48, 32)


SNIPPETS = {
    # Conv2d.conv2d_forward: circular padding is F.pad(..., mode='circular') then a padding-0 conv
    "circular_padding_is_pad_then_conv": """
        x = torch.arange(2 * 2 * 5 * 6, dtype=torch.float32).reshape(2, 2, 5, 6) / 7
        conv = nn.Conv2d(2, 3, (3, 2), stride=(1, 2), padding=(1, 2), padding_mode='circular')
        with torch.no_grad():
            conv.weight.copy_(torch.linspace(-1, 1, conv.weight.numel()).reshape(conv.weight.shape))
            conv.bias.fill_(0.5)
        expanded_padding = ((conv.padding[1] + 1) // 2, conv.padding[1] // 2,
                            (conv.padding[0] + 1) // 2, conv.padding[0] // 2)
        manual = F.conv2d(F.pad(x, expanded_padding, mode='circular'), conv.weight, conv.bias, conv.stride,
                          (0, 0), conv.dilation, conv.groups)
        print(conv(x).shape, manual.shape)
        wrapped = F.conv2d(F.pad(x, (2, 2, 1, 1), mode='circular'), conv.weight, conv.bias, conv.stride)
        print(torch.allclose(conv(x), wrapped), conv(x)[0, 0])
    """,
    # the output size formulas, simple and complete
    "output_size_formulas": """
        x = torch.ones(1, 3, 32, 48)
        for k, s, p, d in [(3, 1, 0, 1), (5, 2, 0, 1), (3, 2, 1, 1), (3, 1, 2, 2)]:
            out = nn.Conv2d(3, 1, k, stride=s, padding=p, dilation=d)(x)
            print(out.shape, (32 + 2 * p - d * (k - 1) - 1) // s + 1, (48 + 2 * p - d * (k - 1) - 1) // s + 1)
        for k, s, p, op, d in [(3, 2, 0, 0, 1), (4, 2, 1, 0, 1), (3, 2, 1, 1, 1), (3, 3, 0, 2, 2)]:
            out = nn.ConvTranspose2d(3, 1, k, stride=s, padding=p, output_padding=op, dilation=d)(x)
            print(out.shape, (32 - 1) * s - 2 * p + d * (k - 1) + op + 1)
    """,
    # O(4x1) = K(4x16) I(16x1) for the 4x4 image and 3x3 kernel; the transposed conv uses a
    # 16x4 matrix of the same shape as K^T, and does not invert the conv
    "convolution_as_matrix_and_transposed_shape": """
        k = torch.tensor([[1., 2., 3.], [0., 1., 0.], [-1., 0., 2.]])
        K = torch.zeros(4, 16)
        for row, (r, c) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
            for i in range(3):
                K[row, (r + i) * 4 + c:(r + i) * 4 + c + 3] = k[i]
        print(K)
        I = torch.arange(16.).reshape(16, 1)
        O = K @ I
        print(O.reshape(2, 2), F.conv2d(I.reshape(1, 1, 4, 4), k.reshape(1, 1, 3, 3)))
        print((K.T @ O).reshape(4, 4), F.conv_transpose2d(O.reshape(1, 1, 2, 2), k.reshape(1, 1, 3, 3)))
        print(torch.equal((K.T @ O).reshape(4, 4), I.reshape(4, 4)))
    """,
    # uneven overlap of a 3x3 kernel at stride 2: the checkerboard pattern
    "checkerboard_artifacts": """
        convt = nn.ConvTranspose2d(1, 1, 3, stride=2, bias=False)
        nn.init.ones_(convt.weight)
        print(convt(torch.ones(1, 1, 4, 4)))
        even = nn.ConvTranspose2d(1, 1, 4, stride=2, padding=1, bias=False)
        nn.init.ones_(even.weight)
        print(even(torch.ones(1, 1, 4, 4)))
    """,
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_snippet_prints_like_torch(name):
    assert_prints_like_torch(SNIPPETS[name])


def test_conv_transpose_refuses_other_padding_modes_like_torch():
    def make(lib):
        return lib.nn.ConvTranspose2d(3, 1, 3, padding_mode="reflect")
    with pytest.raises(ValueError) as expected:
        make(torch)
    with pytest.raises(ValueError) as got:
        make(minitorch)
    assert str(got.value) == str(expected.value)
