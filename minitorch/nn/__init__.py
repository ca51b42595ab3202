"""Neural network building blocks: `Module`, `Parameter`, layers, `functional`, `init`."""
from .parameter import Parameter
from .modules import *  # noqa: F401,F403
from . import functional, init, parallel, utils
