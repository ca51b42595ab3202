"""Differentiable primitives, one file per family. Each file defines its `Function`s, the
public functions built on them, and registers the Tensor methods they back."""
