"""Neural network building blocks: `Module`, `Parameter`, layers, `functional`, `init`."""
import importlib

from .parameter import Parameter
from .modules import *  # noqa: F401,F403
from . import functional, init, parallel, utils

# the star import above also bound `attention` to nn/modules/attention.py, and `from . import attention`
# would keep that; importing nn/attention.py (torch.nn.attention: sdpa_kernel) by name rebinds it
attention = importlib.import_module(".attention", __name__)
