"""The CNN snippets of the seed documents (000, 001, 003, 004): each must print exactly
what PyTorch prints for the same code."""
import contextlib
import io
import textwrap

import pytest
import torch

import minitorch

SEED_000 = {
    "fold": """
        fold = nn.Fold(output_size=(4, 5), kernel_size=(2, 2))
        input = torch.randn(1, 3 * 2 * 2, 12)
        output = fold(input)
        print(output.size())
    """,
    "unfold": """
        unfold = nn.Unfold(kernel_size=(2, 3))
        input = torch.randn(2, 5, 3, 4)
        output = unfold(input)
        print(output.size())
    """,
    "convtranspose_worked_example": """
        convt = nn.ConvTranspose2d(1,1,3)
        convt.bias = nn.Parameter(torch.tensor([0.]))
        convt.weight = nn.Parameter(torch.tensor([[[[0.,1,2],
                                                    [2,2,0],
                                                    [0,1,2]]]]))
        input = torch.tensor([[[[12.,12],
                                [10,17]]]])
        output = convt(input)
        print(output)
        convt1 = nn.ConvTranspose2d(1,1,3,dilation=2)
        convt1.bias = nn.Parameter(torch.tensor([0.]))
        convt1.weight = nn.Parameter(torch.tensor([[[[0.,1,2],[2,2,0],[0,1,2]]]]))
        output1 = convt1(input)
        print(output1)
        convt.stride = (2,2)
        output = convt(input)
        print(output)
        convt.stride = (1,1)
        convt.padding = (1,1)
        print(convt(input))
    """,
    "fractional_max_pool_fixed_samples": """
        x = torch.arange(2 * 3 * 10 * 9, dtype=torch.float32).reshape(2, 3, 10, 9)
        samples = torch.tensor([[[0.1, 0.9], [0.5, 0.5], [0.99, 0.01]],
                                [[0.3, 0.7], [0.0, 0.25], [0.75, 0.6]]])
        pool = nn.FractionalMaxPool2d(2, output_size=(6, 5), return_indices=True, _random_samples=samples)
        out, idx = pool(x)
        print(out)
        print(idx)
        pool = nn.FractionalMaxPool2d(3, output_ratio=(0.5, 0.5), _random_samples=samples)
        print(pool(x))
    """,
    "upsample_modes": """
        input = torch.arange(1, 5, dtype=torch.float32).view(1, 1, 2, 2)
        print(nn.Upsample(scale_factor=2, mode='nearest')(input))
        print(nn.Upsample(scale_factor=2, mode='bilinear')(input))
        print(nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)(input))
        print(nn.Upsample(scale_factor=2, mode='bicubic', align_corners=False)(input))
        print(nn.Upsample(size=5, mode='linear')(input.view(1, 1, 4)))
        print(nn.Upsample(scale_factor=(1, 2, 1.5), mode='trilinear')(input.view(1, 1, 1, 2, 2)))
    """,
    "norm_layers": """
        x = torch.arange(24, dtype=torch.float32).reshape(2, 3, 2, 2) ** 1.5
        print(nn.BatchNorm2d(3)(x))
        print(nn.LayerNorm([3, 2, 2])(x))
        print(nn.InstanceNorm2d(3)(x))
        print(nn.GroupNorm(1, 3)(x))
    """,
}

_CONV_CASE = """
    conv = nn.Conv2d(1, 1, kernel_size=(1, 1), stride={stride}, padding={padding}, bias=False)
    init.constant_(conv.weight, 2)
    print(conv.weight)
    input = torch.tensor([[[[1., 1.], [2., 2.]]]])
    print(input)
    print(conv(input))
"""

_DCONV_CASE = """
    dconv = nn.ConvTranspose2d(in_channels=1, out_channels=1,
                               kernel_size={kernel},
                               stride={stride},
                               padding={padding},
                               output_padding={output_padding},
                               bias=False)
    init.constant_(dconv.weight, 2)
    print(dconv.weight)
    input = torch.tensor({input})
    print(input)
    print(dconv(input))
"""

_SQUARE = "[[[[1., 1., 1.], [2., 2., 2.], [3., 3., 3.]]]]"
_ROW = "[[[[1., 1., 1.]]]]"

SEED_001 = {
    "conv_case1": _CONV_CASE.format(stride=(1, 1), padding=(1, 2)),
    "conv_case2": _CONV_CASE.format(stride=(1, 1), padding=(2, 1)),
    "conv_case3": _CONV_CASE.format(stride=(1, 2), padding=(2, 1)),
    "dconv_case1": _DCONV_CASE.format(kernel=(1, 1), stride=1, padding=0, output_padding=(0, 0), input=_SQUARE),
    "dconv_case2": _DCONV_CASE.format(kernel=(1, 1), stride=1, padding=1, output_padding=(0, 0), input=_SQUARE),
    "dconv_case3": _DCONV_CASE.format(kernel=(1, 1), stride=2, padding=0, output_padding=(0, 0), input=_SQUARE),
    "dconv_case4": _DCONV_CASE.format(kernel=(1, 1), stride=2, padding=1, output_padding=(0, 0), input=_SQUARE),
    "dconv_case5a": _DCONV_CASE.format(kernel=(1, 1), stride=2, padding=1, output_padding=(0, 1), input=_SQUARE),
    "dconv_case5b": _DCONV_CASE.format(kernel=(1, 1), stride=2, padding=1, output_padding=(1, 0), input=_SQUARE),
    "dconv_case6": _DCONV_CASE.format(kernel=(2, 3), stride=2, padding=0, output_padding=(0, 0), input=_ROW),
    "dconv_case7": _DCONV_CASE.format(kernel=(2, 3), stride=1, padding=0, output_padding=(0, 0), input=_ROW),
    "dconv_case8": _DCONV_CASE.format(kernel=(2, 3), stride=1, padding=1, output_padding=(0, 0), input=_SQUARE),
    "conv_padding_modes_dilation_groups": """
        x = torch.arange(2 * 4 * 5 * 5, dtype=torch.float32).reshape(2, 4, 5, 5) / 10
        for mode in ['zeros', 'reflect', 'replicate', 'circular']:
            conv = nn.Conv2d(4, 2, 3, padding=1, padding_mode=mode, groups=2, bias=False)
            init.constant_(conv.weight, 0.5)
            print(conv)
            print(conv(x))
        conv = nn.Conv2d(4, 4, 3, dilation=2, groups=4, bias=False)
        init.constant_(conv.weight, 1.0)
        print(conv(x).shape, conv.weight.shape)
    """,
}

SEED_003 = {
    "conv_and_transposed_shapes": """
        img_tensor = torch.ones(3, 32, 48)
        img_tensor = img_tensor.unsqueeze(dim=0)  # the seed uses unsqueeze_ (shape family)
        conv_layer = nn.Conv2d(3, 1, 3)
        nn.init.xavier_normal_(conv_layer.weight.data)
        img_conv = conv_layer(img_tensor)
        print("before:{}\\nafter:{}".format(img_tensor.shape, img_conv.shape))
        conv_layer = nn.ConvTranspose2d(3, 1, 3, stride=2)
        nn.init.xavier_normal_(conv_layer.weight.data)
        img_conv = conv_layer(img_tensor)
        print("before:{}\\nafter:{}".format(img_tensor.shape, img_conv.shape))
    """,
    "conv_as_matrix_product": """
        x = torch.arange(16, dtype=torch.float32).reshape(1, 1, 4, 4)
        k = torch.tensor([[[[1., 2., 3.], [0., 1., 0.], [-1., 0., 2.]]]])
        y = F.conv2d(x, k)
        cols = F.unfold(x, 3)
        print(y)
        print(cols.shape)
        print((k.reshape(1, 9) @ cols).reshape(1, 1, 2, 2))
        t = F.conv_transpose2d(y, k)
        print(t)
    """,
}

SEED_004 = {
    "same_valid_groups_depthwise": """
        x = torch.ones(2, 4, 7, 6)
        for padding in ['same', 'valid', 1, (2, 0)]:
            conv = nn.Conv2d(4, 8, 3, padding=padding)
            print(conv, conv(x).shape)
        conv = nn.Conv2d(4, 8, (3, 2), padding='same', dilation=(2, 3))
        print(conv(x).shape)
        conv = nn.Conv2d(4, 8, 3, groups=2)
        print(conv.weight.shape, conv(x).shape)
        depthwise = nn.Conv2d(4, 12, 3, groups=4)
        print(depthwise.weight.shape, depthwise(x).shape)
        conv = torch.nn.Conv2d(3, 64, 3, 1, 1)
        print(conv)
    """,
    "convtranspose_shapes": """
        x = torch.ones(1, 16, 5, 5)
        for kw in [dict(), dict(stride=2), dict(stride=2, padding=1), dict(stride=2, padding=1, output_padding=1),
                   dict(stride=3, dilation=2), dict(groups=4)]:
            m = nn.ConvTranspose2d(16, 8, 3, **kw)
            print(m, m(x).shape)
        m = nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1)
        print(m(x, output_size=[10, 10]).shape)
    """,
    "group_norm": """
        input = torch.arange(2 * 6 * 3 * 3, dtype=torch.float32).reshape(2, 6, 3, 3) / 7
        print(nn.GroupNorm(3, 6)(input))
        print(nn.GroupNorm(6, 6)(input).shape)
        print(nn.GroupNorm(1, 6)(input).shape)
        print(nn.GroupNorm(3, 6))
    """,
}

CASES = {f"000_{k}": v for k, v in SEED_000.items()}
CASES.update({f"001_{k}": v for k, v in SEED_001.items()})
CASES.update({f"003_{k}": v for k, v in SEED_003.items()})
CASES.update({f"004_{k}": v for k, v in SEED_004.items()})


def _run(snippet: str, lib) -> str:
    lib.manual_seed(0)
    namespace = {"torch": lib, "nn": lib.nn, "init": lib.nn.init, "F": lib.nn.functional}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(textwrap.dedent(snippet), namespace)
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(CASES))
def test_seed_snippet_prints_what_torch_prints(name):
    expected = _run(CASES[name], torch)
    assert expected.strip()
    assert _run(CASES[name], minitorch) == expected
