"""einsum and tensordot: contractions written as index equations ("ij,jk->ik").

einsum's forward is numpy's; its backward contracts the output gradient with the other
operands by another einsum, so it is differentiable again. Two-operand equations follow
torch's dtype rules (an index summed in one operand alone is summed there first; what
remains goes through bmm, which needs equal dtypes). tensordot is an einsum it writes.
"""
from __future__ import annotations

import builtins
import string
from typing import Any, Sequence

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap, wrap_dim
from ..autograd.function import Function
from ._common import type_name
from .inplace import writes_out

__all__ = ["einsum", "tensordot"]


class Einsum(Function):
    @staticmethod
    def forward(ctx, terms, output, sizes, *arrays):
        ctx.terms, ctx.output, ctx.sizes = terms, output, sizes
        ctx.save_for_backward(*arrays)
        large = len(arrays) > 2 or builtins.max(a.size for a in arrays) > 4096
        return np.einsum(",".join(terms) + "->" + output, *arrays, optimize=large)

    @staticmethod
    def backward(ctx, grad):
        operands = ctx.saved_tensors
        grads = [None, None, None]
        for k, term in enumerate(ctx.terms):
            if not ctx.needs_input_grad[3 + k]:
                grads.append(None)
                continue
            grads.append(_einsum_operand_grad(k, term, grad, operands, ctx))
        return tuple(grads)


def _einsum_operand_grad(k: int, term: str, grad: Tensor, operands: tuple, ctx: Any) -> Tensor:
    """d(out)/d(operand k) applied to `grad`: an einsum of grad with the other operands.

    A letter that occurs only in operand k was summed away: its gradient is broadcast back
    (an einsum with ones). A letter repeated in operand k read a diagonal: the gradient
    goes back onto that diagonal (an einsum with an identity matrix).
    """
    subs = [ctx.output] + [t for j, t in enumerate(ctx.terms) if j != k]
    ops = [grad] + [o for j, o in enumerate(operands) if j != k]
    available = set("".join(subs))
    fresh = iter(c for c in string.ascii_letters if c not in available and c not in term)
    out, seen = [], set()
    for letter in term:
        n = ctx.sizes[letter]
        if letter in seen:
            twin = next(fresh)
            subs.append(letter + twin)
            ops.append(_wrap(np.eye(n, dtype=grad._array.dtype)))
            out.append(twin)
            continue
        seen.add(letter)
        if letter not in available:
            subs.append(letter)
            ops.append(_wrap(np.ones(n, dtype=grad._array.dtype)))
            available.add(letter)
        out.append(letter)
    result = einsum(",".join(subs) + "->" + "".join(out), *ops)
    # size-1 dims broadcast: where operand k had 1 the result may be full size (sum it back);
    # where only operand k had the full size the others give 1 (expand it)
    own = tuple(operands[k].shape)
    broadcast = tuple(i for i, (n, m) in enumerate(zip(own, result.shape)) if n == 1 and m != 1)
    if broadcast:
        result = result.sum(broadcast, keepdim=True)
    return result if tuple(result.shape) == own else result.expand(own)


def _parse_einsum(equation: str, operands: Sequence[Tensor]) -> tuple[list, str, dict]:
    """Explicit form of an equation: one letter per dim ('...' expanded), the output, letter sizes."""
    equation = equation.replace(" ", "")
    lhs, arrow, rhs = equation.partition("->")
    terms = lhs.split(",")
    if len(terms) > len(operands):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    for c in equation:
        if not (c.isalpha() or c in ".,->"):
            raise RuntimeError(f"einsum(): invalid subscript given at index {equation.index(c)} in the "
                               "equation string, subscripts must be in [a-zA-Z]")
    used = set(equation)
    spare = [c for c in string.ascii_letters if c not in used]
    n_ellipsis = 0
    for i, (term, op) in enumerate(zip(terms, operands)):
        if "..." in term:
            n_ellipsis = builtins.max(n_ellipsis, op.ndim - (len(term) - 3))
        elif len(term) != op.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(term)}) does not "
                               f"match the number of dimensions ({op.ndim}) for operand {i} and no "
                               "ellipsis was given")
    ell = "".join(spare[:n_ellipsis])
    explicit = []
    for term, op in zip(terms, operands):
        if "..." in term:
            n = op.ndim - (len(term) - 3)
            term = term.replace("...", ell[len(ell) - n:] if n else "")
        explicit.append(term)
    if arrow:
        output = rhs.replace("...", ell)
    else:  # implicit output: the broadcast dims, then the letters used once, alphabetically
        letters = "".join(explicit)
        output = ell + "".join(sorted(c for c in set(letters) if letters.count(c) == 1 and c not in ell))
    sizes: dict = {}
    for i, (term, op) in enumerate(zip(explicit, operands)):
        for letter, n in zip(term, op.shape):
            first = op.shape[term.index(letter)]
            if n != first:  # a diagonal ('ii') needs equal sizes: no broadcasting within an operand
                raise RuntimeError(f"einsum(): subscript {letter} is repeated for operand {i} but the sizes "
                                   f"don't match, {n} != {first}")
            seen = sizes.get(letter)
            if seen is None or seen == 1:
                sizes[letter] = n
            elif n != 1 and n != seen:
                raise RuntimeError(f"einsum(): subscript {letter} has size {n} for operand {i} which does "
                                   f"not broadcast with previously seen size {seen}")
    for c in output:
        if c not in sizes:
            raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation for any "
                               "input operand")
    return explicit, output, sizes


def einsum(equation: str, *operands: Any) -> Tensor:
    """Sum of products over the indices of `equation` (e.g. 'bi,oij,bj->bo'); '...' broadcasts."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    terms, output, sizes = _parse_einsum(equation, operands)
    summed = set("".join(terms)) - set(output)
    if len(operands) == 2:
        operands = _pair_operands(terms, summed, *operands)
        terms, output, sizes = _parse_einsum(equation, operands)  # the pre-summed indices now have size 1
    first = operands[0]._array.dtype
    if any(o._array.dtype != first for o in operands):
        other = next(o for o in operands if o._array.dtype != first)
        raise RuntimeError(f"expected scalar type {type_name(operands[0].dtype)} but found "
                           f"{type_name(other.dtype)}")
    if summed and first.kind in "biu":
        if len(operands) == 1:  # torch sums a lone operand with sum(), which gives int64 for ints and bools
            operands = (operands[0].to(_dtype.int64),)
        elif first == np.bool_ and len(operands) > 2:  # torch contracts them with bmm: no bool kernel
            raise NotImplementedError("\"bmm\" not implemented for 'Bool'")
    return Einsum.apply(terms, output, sizes, *operands)


def _pair_operands(terms: list, summed: set, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """Two operands in the dtype torch's einsum computes them in.

    torch sums an index away first in the one operand where it is larger than 1 (sum() turns
    integers and bools into int64); only the indices larger than 1 in both go through bmm,
    which needs equal dtypes. Without a bmm the pair is multiplied, promoting like `mul`.
    """
    pair = [a, b]
    through_bmm = False
    alone: list = [[], []]  # per operand, the dims summed in it alone: one sum in its own dtype, kept as size 1
    for letter in sorted(summed):
        big = [letter in term and t.shape[term.index(letter)] > 1 for term, t in zip(terms, pair)]
        through_bmm = through_bmm or all(big)
        for i in range(2):
            if big[i] and not big[1 - i] and terms[i].count(letter) == 1:
                alone[i].append(terms[i].index(letter))
    pair = [t.sum(tuple(sorted(dims)), keepdim=True) if dims else t for t, dims in zip(pair, alone)]
    dtypes = [t.dtype for t in pair]
    if through_bmm and dtypes[0] is _dtype.bool:  # checked before the dtypes agree, like torch
        raise NotImplementedError("\"bmm\" not implemented for 'Bool'")
    if through_bmm and dtypes[0] is not dtypes[1]:
        raise RuntimeError(f"expected scalar type {type_name(dtypes[0])} but found {type_name(dtypes[1])}")
    common = _dtype.promote_types(*dtypes)
    return pair[0].to(common), pair[1].to(common)


def _contracted_dim(d: int, ndim: int) -> int:
    if ndim == 0:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    return wrap_dim(d, ndim)


@writes_out(dtype_rule="same", message="tensordot: Expected the output tensor to have dtype {result}, but got an "
                                       "output tensor with dtype {out}")
def tensordot(a: Tensor, b: Tensor, dims: Any = 2, out: Any = None) -> Tensor:
    """Contract the last `dims` dims of a with the first of b, or the listed dim pairs."""
    if isinstance(dims, (int, np.integer)):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a.ndim or dims > b.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        dims_a, dims_b = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        dims_a, dims_b = ([d] if isinstance(d, int) else list(d) for d in dims)
    if len(dims_a) != len(dims_b):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype is not b.dtype:  # torch contracts with mm, which does not promote
        raise RuntimeError("both inputs should have same dtype")
    dims_a = [_contracted_dim(d, a.ndim) for d in dims_a]
    dims_b = [_contracted_dim(d, b.ndim) for d in dims_b]
    letters = iter(string.ascii_letters)
    sa = [next(letters) for _ in range(a.ndim)]
    sb = [next(letters) for _ in range(b.ndim)]
    for da, db in zip(dims_a, dims_b):
        if a.shape[da] != b.shape[db] and 1 not in (a.shape[da], b.shape[db]):  # size 1 broadcasts
            raise RuntimeError(f"contracted dimensions need to match, but first has size {a.shape[da]} in "
                               f"dim {da} and second has size {b.shape[db]} in dim {db}")
        sb[db] = sa[da]
    output = [c for i, c in enumerate(sa) if i not in dims_a] + [c for i, c in enumerate(sb) if i not in dims_b]
    return einsum("".join(sa) + "," + "".join(sb) + "->" + "".join(output), a, b)
