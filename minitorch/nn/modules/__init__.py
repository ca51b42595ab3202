"""Layers as Modules; each file re-exports its public classes through `__all__`."""
from .module import *  # noqa: F401,F403
from .container import *  # noqa: F401,F403
from .linear import *  # noqa: F401,F403
from .activation import *  # noqa: F401,F403
from .loss import *  # noqa: F401,F403
from .dropout import *  # noqa: F401,F403
from .sparse import *  # noqa: F401,F403
from .flatten import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .pooling import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .fold import *  # noqa: F401,F403
from .upsampling import *  # noqa: F401,F403
from .padding import *  # noqa: F401,F403
from .pixelshuffle import *  # noqa: F401,F403
from .rnn import *  # noqa: F401,F403
# attention and transformers (nn/modules/attention.py, transformer.py)
from .attention import *  # noqa: F401,F403
from .transformer import *  # noqa: F401,F403
from . import activation as _activation, attention as _attention, linear as _linear  # noqa: E402

# torch's module paths for these classes, which programs spell out (e.g. in torch.load's safe_globals)
_activation.MultiheadAttention = _attention.MultiheadAttention
_linear.NonDynamicallyQuantizableLinear = _attention.NonDynamicallyQuantizableLinear
