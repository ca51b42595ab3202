"""Utilities, as in torch.utils: `data` (datasets and loaders)."""
from . import data
