"""Layers as Modules; each file re-exports its public classes through `__all__`."""
from .module import *  # noqa: F401,F403
