"""torch.nn.functional: the functions behind the nn layers.

Every function here lives in `minitorch/_ops/`, next to the primitives it uses; this
module only gathers them under torch's names:

    activations            _ops/activation.py      regression and  _ops/loss.py
    linear, dropout,       _ops/layers.py            margin losses
      embedding, distances                         cross entropy,  _ops/cross_entropy.py
    normalization          _ops/normalization.py     nll, bce, kl
    upsampling             _ops/upsampling.py      convolution     _ops/conv.py
    padding                _ops/padding.py         pooling         _ops/pooling.py
"""
from .._ops.activation import (celu, elu, elu_, gelu, hardshrink, hardsigmoid, hardswish, hardtanh, hardtanh_,
                               leaky_relu, leaky_relu_, log_softmax, logsigmoid, mish, prelu, relu, relu6, relu_,
                               selu, silu, softmax, softmin, softplus, softshrink, softsign, tanhshrink, threshold,
                               threshold_)
from .._ops.conv import (conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, fold,
                         unfold)
from .._ops.cross_entropy import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, kl_div,
                                  nll_loss)
from .._ops.layers import (alpha_dropout, bilinear, cosine_similarity, dropout, dropout1d, dropout2d, dropout3d,
                           embedding, linear, normalize, one_hot, pairwise_distance)
from .._ops.loss import cosine_embedding_loss, huber_loss, l1_loss, margin_ranking_loss, mse_loss, smooth_l1_loss
from .._ops.math import sigmoid, tanh
from .._ops.normalization import batch_norm, instance_norm, layer_norm, local_response_norm
from .._ops.normalization import functional_group_norm as group_norm
from .._ops.padding import pad
from .._ops.pooling import (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, adaptive_max_pool1d,
                            adaptive_max_pool2d, avg_pool1d, avg_pool2d, fractional_max_pool2d, lp_pool1d,
                            lp_pool2d, max_pool1d, max_pool2d, max_unpool1d, max_unpool2d)
from .._ops.upsampling import (interpolate, pixel_shuffle, pixel_unshuffle, upsample, upsample_bilinear,
                               upsample_nearest)

__all__ = ["celu", "elu", "elu_", "gelu", "hardshrink", "hardsigmoid", "hardswish", "hardtanh", "hardtanh_",
           "leaky_relu", "leaky_relu_", "log_softmax", "logsigmoid", "mish", "prelu", "relu", "relu6",
           "relu_", "selu", "silu", "softmax", "softmin", "softplus", "softshrink", "softsign", "tanhshrink",
           "threshold", "threshold_", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "fold", "unfold", "alpha_dropout", "bilinear", "cosine_similarity", "dropout",
           "dropout1d", "dropout2d", "dropout3d", "embedding", "linear", "normalize", "one_hot",
           "pairwise_distance", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "cosine_embedding_loss", "cross_entropy", "huber_loss", "kl_div", "l1_loss", "margin_ranking_loss",
           "mse_loss", "nll_loss", "smooth_l1_loss", "sigmoid", "tanh", "batch_norm", "group_norm",
           "instance_norm", "layer_norm", "local_response_norm", "pad", "adaptive_avg_pool1d",
           "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool2d",
           "avg_pool1d", "avg_pool2d", "fractional_max_pool2d", "lp_pool1d", "lp_pool2d", "max_pool1d",
           "max_pool2d", "max_unpool1d", "max_unpool2d", "interpolate", "pixel_shuffle", "pixel_unshuffle",
           "upsample", "upsample_bilinear", "upsample_nearest"]

# attention (_ops/attention.py, nn/modules/attention.py): kept in one block for the attention work
from .._ops.attention import multi_head_attention_forward, scaled_dot_product_attention  # noqa: E402

__all__ += ["multi_head_attention_forward", "scaled_dot_product_attention"]
