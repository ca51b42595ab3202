"""`minitorch.functional`, as `torch.functional`: the tensor functions torch keeps in that module
(einsum, meshgrid, norm, split, ...), the same objects as `minitorch.<name>`."""
from ._ops.distances import cdist
from ._ops.einsum import einsum, tensordot
from ._ops.grids import cartesian_prod, meshgrid, unravel_index
from ._ops.join import atleast_1d, atleast_2d, atleast_3d, split
from ._ops.reduction import norm
from ._ops.shape import broadcast_shapes, broadcast_tensors
from ._ops.sorting import unique
from ._ops.vector_products import block_diag

__all__ = ["atleast_1d", "atleast_2d", "atleast_3d", "broadcast_shapes", "broadcast_tensors", "block_diag",
           "cartesian_prod", "cdist", "einsum", "meshgrid", "norm", "split", "tensordot", "unique",
           "unravel_index"]
