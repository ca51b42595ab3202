"""conv_gemm's geometry shortcuts: which kernel taps it drops. (Values and gradients of every
conv path are compared with torch in tests/ops/test_conv.py.)"""
from __future__ import annotations

import pytest

from minitorch.kernels.conv_gemm import Geometry, live_taps

ALL = slice(None)


@pytest.mark.parametrize("spatial,geometry,kept,index", [
    # ResNet-18's last stage on 28x28 MNIST: 1x1 planes, 3x3 convs with padding 1
    ((1, 1), Geometry((3, 3), (1, 1), (1, 1), (1, 1), 1), Geometry((1, 1), (1, 1), (0, 0), (1, 1), 1),
     (ALL, ALL, slice(1, 2), slice(1, 2))),
    ((2, 2), Geometry((3, 3), (2, 2), (1, 1), (1, 1), 1), Geometry((2, 2), (2, 2), (0, 0), (1, 1), 1),
     (ALL, ALL, slice(1, 3), slice(1, 3))),
    ((2,), Geometry((3,), (1,), (2,), (2,), 1), Geometry((1,), (1,), (0,), (2,), 1), (ALL, ALL, slice(1, 2))),
    ((1, 5), Geometry((3, 3), (1, 1), (1, 1), (1, 1), 4), Geometry((1, 3), (1, 1), (0, 1), (1, 1), 4),
     (ALL, ALL, slice(1, 2), slice(0, 3))),
])
def test_taps_that_meet_only_padding_are_dropped(spatial, geometry, kept, index):
    assert live_taps(spatial, geometry) == (kept, index)


@pytest.mark.parametrize("spatial,geometry", [
    ((7, 7), Geometry((3, 3), (1, 1), (1, 1), (1, 1), 1)),     # every tap meets the input somewhere
    ((3,), Geometry((5,), (4,), (3,), (1,), 1)),               # live taps 0, 1, 3, 4: the box is the kernel
    ((1, 1), Geometry((1, 1), (2, 2), (1, 1), (1, 1), 1)),     # no tap live: nothing to keep a box of
])
def test_the_kernel_is_kept_whole_when_no_box_of_taps_is_dead(spatial, geometry):
    assert live_taps(spatial, geometry) == (geometry, None)
