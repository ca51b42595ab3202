"""Utilities, as in torch.utils: `data` (datasets and loaders), `hooks` (RemovableHandle), `tensorboard`.

Nothing is imported here, so the low layers can use `utils.hooks`; minitorch/__init__.py
imports `utils.data` once the package is built.
"""
