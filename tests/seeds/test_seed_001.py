"""Seed document 001 (../shared/seeds/001_*.txt, "和 CNN 有关的方法"): its Conv2d cases as
written (with the deprecated `init.constant`), and its notes on the Conv2d parameters.

The eight ConvTranspose2d cases, the three Conv2d cases with `init.constant_`, padding modes,
dilation and groups are in tests/nn/test_seed_cnn.py."""
import warnings

import pytest
from conftest import assert_prints_like_torch

CONV_CASE = """
    conv = nn.Conv2d(1, 1, kernel_size=(1, 1), stride={stride}, padding={padding}, bias=False)
    init.constant(conv.weight, 2)
    print(conv.weight)

    input = torch.tensor([[[[1., 1.], [2., 2.]]]])
    print(input)
    print(conv(input))
"""


@pytest.mark.parametrize("stride, padding", [((1, 1), (1, 2)), ((1, 1), (2, 1)), ((1, 2), (2, 1))],
                         ids=["case1", "case2", "case3"])
def test_conv_cases_with_deprecated_init_constant(stride, padding):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns that init.constant is deprecated
        assert_prints_like_torch(CONV_CASE.format(stride=stride, padding=padding))


def test_init_constant_warns_like_torch():
    import minitorch
    import torch
    seen = []
    for lib in (torch, minitorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            filled = lib.nn.init.constant(lib.empty(2), 1.0)
        seen.append(([(w.category, str(w.message)) for w in caught], filled.tolist()))
    assert seen[0] == seen[1] and seen[0][0]


def test_group_convolution_parameter_count():
    """Each of the N kernels sees C/G input channels: N * C/G * K * K weights, 1/G of a plain conv."""
    assert_prints_like_torch("""
        for groups in (1, 2, 4):
            conv = nn.Conv2d(8, 4, 3, groups=groups, bias=False)
            print(groups, conv.weight.shape, sum(p.numel() for p in conv.parameters()), 4 * 8 // groups * 3 * 3)
        conv = nn.Conv2d(8, 4, 3, groups=2, bias=False)
        init.constant_(conv.weight, 1.0)
        x = torch.zeros(1, 8, 3, 3)
        x[:, :4] = 1.0
        print(conv(x).flatten())  # the first group's kernels see only the first 4 channels
    """)


def test_conv2d_positional_parameters_in_documented_order():
    assert_prints_like_torch("""
        conv = nn.Conv2d(2, 4, (2, 3), (1, 2), (1, 0), (2, 1), 2, False, 'reflect')
        print(conv, conv.bias, conv.padding_mode, conv.kernel_size, conv.stride, conv.dilation, conv.groups)
        print(conv(torch.ones(1, 2, 6, 7)).shape)
        print(nn.Conv2d(3, 6, 3))
    """)


def test_dilation_spreads_the_kernel():
    assert_prints_like_torch("""
        x = torch.arange(49.).reshape(1, 1, 7, 7)
        conv = nn.Conv2d(1, 1, 3, dilation=2, bias=False)
        init.constant_(conv.weight, 1.0)
        print(conv(x), x[0, 0, 0:5:2, 0:5:2].sum())
    """)
