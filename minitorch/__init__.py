"""minitorch: a from-scratch autograd tensor framework that imports like torch.

    import minitorch as torch
"""
import builtins as _builtins  # names the bool/int types where minitorch.bool/int shadow them
import warnings as _warnings

# IEEE arithmetic in the ops (inf * 0, exp overflow, log(0), 0 / 0) gives inf/NaN silently in
# torch; numpy warns. The numpy calls that warn run in minitorch's own modules, so one filter on
# those modules silences them at no cost per op (an errstate around every op costs ~2 us);
# warnings that minitorch code raises on purpose are UserWarnings and stay visible.
_warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"minitorch(\.|$)")

from . import _dtype
from ._threads import get_num_interop_threads, get_num_threads, set_num_interop_threads, set_num_threads
from ._device import device, get_default_device, set_default_device
from ._dtype import (bool, can_cast, double, dtype, finfo, float, float16, float32, float64,
                     get_default_dtype, half, iinfo, int, int8, int16, int32, int64, layout, long,
                     promote_types, result_type, set_default_dtype, short, strided, uint8)
from ._size import Size
from ._tensor import Tensor
from . import autograd
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .autograd.anomaly_mode import is_anomaly_check_nan_enabled, is_anomaly_enabled, set_detect_anomaly
from . import _ops
from ._ops.arithmetic import *  # noqa: F401,F403
from ._ops.math import *  # noqa: F401,F403
from ._ops.special import *  # noqa: F401,F403  (lgamma, digamma, polygamma, xlogy, logaddexp[2]: correctness helper)
from ._ops.compare import *  # noqa: F401,F403
from ._ops.reduction import *  # noqa: F401,F403
from ._ops.extremes import *  # noqa: F401,F403
from ._ops.sorting import *  # noqa: F401,F403
from ._ops.scan import *  # noqa: F401,F403
from ._ops.shape import *  # noqa: F401,F403
from ._ops.join import *  # noqa: F401,F403
from ._ops.casting import *  # noqa: F401,F403
from ._ops.linalg import *  # noqa: F401,F403
from ._ops.einsum import *  # noqa: F401,F403
from ._ops.indexing import *  # noqa: F401,F403
from ._ops.selection import *  # noqa: F401,F403
from ._ops.scatter import *  # noqa: F401,F403
from ._ops.conv import *  # noqa: F401,F403
from ._ops.pooling import *  # noqa: F401,F403
from ._ops.normalization import *  # noqa: F401,F403
from ._ops.upsampling import *  # noqa: F401,F403
# searching, order statistics, structured products, differences, index grids (issue 10)
from ._ops.searching import *  # noqa: F401,F403
from ._ops.quantiles import *  # noqa: F401,F403
from ._ops.rearrange import *  # noqa: F401,F403
from ._ops.vector_products import *  # noqa: F401,F403
from ._ops.differences import *  # noqa: F401,F403
from ._ops.grids import *  # noqa: F401,F403
from ._ops.decompositions import *  # noqa: F401,F403
from ._ops.distances import *  # noqa: F401,F403
from ._creation import *  # noqa: F401,F403
# torch.inverse, torch.det, torch.slogdet, ...: top-level aliases of minitorch.linalg
from ._linalg_aliases import *  # noqa: F401,F403
from ._tensor_methods import *  # noqa: F401,F403  (attaches the methods; exports torch.exp_, ...)
from .random import (Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed,
                     set_rng_state)
from ._tensor_str import set_printoptions
from .serialization import load, save
from . import accelerator, backends, cuda, func, functional, linalg, nn, onnx, optim, utils
from .utils import data as _utils_data  # noqa: F401  (minitorch.utils.data, as torch.utils.data)

from ._legacy_tensors import (BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor,  # noqa: F401
                              HalfTensor, IntTensor, LongTensor, ShortTensor)


def is_tensor(obj) -> "_builtins.bool":
    """True if `obj` is a minitorch Tensor."""
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> "_builtins.int":
    """The number of elements of `input`."""
    return input.numel()


def is_floating_point(input: Tensor) -> "_builtins.bool":
    """True if `input` has a floating dtype."""
    return input.dtype.is_floating_point


__version__ = "0.1.0"


def __getattr__(name: str):
    # minitorch.vision (torchvision's counterpart) needs Pillow, an optional dependency:
    # import it on first use rather than with minitorch itself.
    if name == "vision":
        import importlib
        return importlib.import_module(".vision", __name__)
    raise AttributeError(f"module 'minitorch' has no attribute '{name}'")
