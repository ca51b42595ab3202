"""Functions behind the nn layers (torch.nn.functional)."""
from .._ops.conv import conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, fold, unfold  # noqa: E402,F401,E501
from .._ops.normalization import batch_norm, group_norm, instance_norm, layer_norm, local_response_norm  # noqa: E402,F401,E501
from .._ops.padding import pad  # noqa: E402,F401
from .._ops.pooling import adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, adaptive_max_pool1d, adaptive_max_pool2d, avg_pool1d, avg_pool2d, fractional_max_pool2d, lp_pool1d, lp_pool2d, max_pool1d, max_pool2d, max_unpool1d, max_unpool2d  # noqa: E402,F401,E501
from .._ops.upsampling import interpolate, pixel_shuffle, pixel_unshuffle, upsample, upsample_bilinear, upsample_nearest  # noqa: E402,F401,E501
