"""Shape ops: views, joins and splits on random shapes (0-d and empty included) and bad dims."""
from hypothesis import given
from hypothesis import strategies as st

from differential_harness import compare, random_array, shapes
from known import is_known

SHAPE_OPS = {
    "flatten": lambda L, a, i, j: L.flatten(a, i, j),
    "permute": lambda L, a, i, j: a.permute(*reversed(range(a.ndim))) if i >= 0 else a.permute(i, j),
    "transpose": lambda L, a, i, j: L.transpose(a, i, j),
    "squeeze": lambda L, a, i, j: L.squeeze(a, i),
    "unsqueeze": lambda L, a, i, j: L.unsqueeze(a, i),
    "reshape": lambda L, a, i, j: a.reshape(-1, max(j, 1)),
    "flip": lambda L, a, i, j: L.flip(a, (i,)),
    "roll": lambda L, a, i, j: L.roll(a, j, i),
    "split": lambda L, a, i, j: L.split(a, max(j, 1), i),
    "chunk": lambda L, a, i, j: L.chunk(a, max(j, 1), i),
    "cat": lambda L, a, i, j: L.cat([a, a], i),
    "stack": lambda L, a, i, j: L.stack([a, a], i),
    "movedim": lambda L, a, i, j: L.movedim(a, i, j),
    "repeat": lambda L, a, i, j: a.repeat(*([max(j, 1)] * max(a.ndim, 1))),
    "expand": lambda L, a, i, j: a.unsqueeze(0).expand(j, *a.shape),
    "narrow": lambda L, a, i, j: L.narrow(a, i, 0, j),
    "unbind": lambda L, a, i, j: L.unbind(a, i),
    "tril": lambda L, a, i, j: L.tril(a, j),
    "triu": lambda L, a, i, j: L.triu(a, i),
    "view": lambda L, a, i, j: a.view(-1, max(j, 1)),
    "swapaxes": lambda L, a, i, j: L.swapaxes(a, i, j),
    "tile": lambda L, a, i, j: L.tile(a, (max(j, 1), 2)),
    "repeat_interleave": lambda L, a, i, j: L.repeat_interleave(a, max(j, 0), dim=i),
    "hstack": lambda L, a, i, j: L.hstack([a, a]),
    "vstack": lambda L, a, i, j: L.vstack([a, a]),
    "dstack": lambda L, a, i, j: L.dstack([a, a]),
    "tensor_split": lambda L, a, i, j: L.tensor_split(a, max(j, 1), i),
    "tensor_split_indices": lambda L, a, i, j: L.tensor_split(a, [1, j], dim=i),
    "unflatten": lambda L, a, i, j: L.unflatten(a, i, (-1, max(j, 1))),
    "squeeze_all": lambda L, a, i, j: L.squeeze(a),
    "squeeze_dims": lambda L, a, i, j: L.squeeze(a, (i, j)),
    "broadcast_to": lambda L, a, i, j: L.broadcast_to(a, (max(j, 0),) + tuple(a.shape)),
    "diagonal": lambda L, a, i, j: L.diagonal(a, j, 0, i),
    "t": lambda L, a, i, j: a.t(),
    "fliplr": lambda L, a, i, j: L.fliplr(a),
    "atleast_2d": lambda L, a, i, j: L.atleast_2d(a),
    "cat_mixed": lambda L, a, i, j: L.cat([a, a.to(L.float64)], i),
    "stack_mixed": lambda L, a, i, j: L.stack([a, a.to(L.int32)], i),
    "rot90": lambda L, a, i, j: L.rot90(a, j, (i, j)),
    "diag_embed": lambda L, a, i, j: L.diag_embed(a, j, i, -1),
    "column_stack": lambda L, a, i, j: L.column_stack([a, a[..., :1] if a.ndim > 1 else a]),
    "column_stack_mixed": lambda L, a, i, j: L.column_stack([a, a.to(L.float64)]),
}

KNOWN: list = []  # every difference found so far is fixed; add (description, predicate) entries


@given(op=st.sampled_from(sorted(SHAPE_OPS)), shape=shapes(max_dims=4),
       dtype=st.sampled_from(["float32", "float64", "int64", "bool"]), i=st.integers(-4, 3),
       j=st.integers(-1, 3), seed=st.integers(0, 2**16))
def test_shape_op(op, shape, dtype, i, j, seed):
    if is_known(KNOWN, op=op, shape=shape, i=i, j=j):
        return
    fn = SHAPE_OPS[op]
    compare(op, lambda L, x: fn(L, x, i, j), [random_array(seed, shape, dtype)],
            code=f"{op} with i={i}, j={j}", weight_seed=seed)
