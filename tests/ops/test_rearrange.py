"""rot90, column_stack and diag_embed (_ops/rearrange.py) against torch: values, shapes, gradients, errors."""
import numpy as np
import pytest

from conftest import check_results, randn, same_error


@pytest.mark.parametrize("k,dims", [(1, (0, 1)), (2, (0, 1)), (3, (1, 0)), (-1, (0, 2)), (0, (2, 1)), (6, (-1, -3))])
def test_rot90_values_and_gradient_like_torch(k, dims):
    check_results(lambda L, t: (L.rot90(t, k, dims), t.rot90(k, dims)), randn(2, 3, 4))


@pytest.mark.parametrize("shape,k,dims", [((3,), 1, (0, 1)), ((3, 3), 1, (0,)), ((3, 3), 1, (0, 1, 2)),
                                          ((3, 3), 1, (0, -2)), ((3, 3), 1, (5, 6)), ((3, 3), 1, (-3, 1)),
                                          ((), 1, (0, 1))])
def test_rot90_errors_like_torch(shape, k, dims):
    same_error(lambda L, t: L.rot90(t, k, dims), randn(*shape))


@pytest.mark.parametrize("offset,dim1,dim2", [(0, -2, -1), (1, 0, 2), (-2, 2, 0), (0, 1, -1)])
def test_diag_embed_values_and_gradient_like_torch(offset, dim1, dim2):
    check_results(lambda L, t: (L.diag_embed(t, offset, dim1, dim2), t.diag_embed(offset, dim1, dim2)),
                  randn(2, 3))


@pytest.mark.parametrize("shape,dims", [((), (-2, -1)), ((3,), (0, 0)), ((3,), (0, -2)), ((3,), (0, 3))])
def test_diag_embed_errors_like_torch(shape, dims):
    same_error(lambda L, t: L.diag_embed(t, 0, *dims), randn(*shape))


def test_column_stack_like_torch():
    check_results(lambda L, a, b, c: L.column_stack([a, b, c]), randn(1).reshape(()),
                  randn(1), randn(1, 3))
    check_results(lambda L, a, b: L.column_stack((a, b)), randn(4), randn(4, 2))
    check_results(lambda L, a: L.column_stack([a, a.double()]), randn(0))


@pytest.mark.parametrize("fn", [lambda L, t: L.column_stack([]), lambda L, t: L.column_stack([t, t[:2]]),
                                lambda L, t: L.column_stack(t), lambda L, t: L.column_stack([t, t.reshape(1, 3, 1)])])
def test_column_stack_errors_like_torch(fn):
    same_error(fn, randn(3))
