"""Differentiable primitives and the public functions built on them, one file per family.

Each file defines its `Function`s (forward on ndarrays, backward on Tensors) and the
public functions that validate arguments and apply them. Nothing here changes the
Tensor class: `minitorch/_tensor_methods.py` attaches these functions as methods, and
`nn/functional.py` re-exports the layer functions (activations, losses, conv, ...).
"""
