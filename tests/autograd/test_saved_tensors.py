"""Saved tensors as torch exposes them: `_saved_<name>` on nodes, and saved_tensors_hooks."""
import os
import tempfile
import uuid

import pytest
import torch

import minitorch
from conftest import assert_close


def saved_attributes(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, 4.0], requires_grad=True)
    product, square, exp, log = a * b, a * a, a.exp(), a.log()
    return {
        "mul self": product.grad_fn._saved_self, "mul other": product.grad_fn._saved_other,
        "square self": square.grad_fn._saved_self, "square other": square.grad_fn._saved_other,
        "exp result": exp.grad_fn._saved_result, "log self": log.grad_fn._saved_self,
    }, exp, a


def test_saved_attributes_match_torch():
    expected, _, _ = saved_attributes(torch)
    got, exp, a = saved_attributes(minitorch)
    for key in expected:
        assert_close(got[key], expected[key])
    assert got["mul self"] is a  # a saved input is the very tensor, with its history
    # A saved output is kept without its node (which would make a cycle) and comes back as a new
    # tensor on the same memory with the same grad_fn, in both libraries.
    torch_exp = torch.tensor([1.0, 2.0], requires_grad=True).exp()
    for result, out in ((got["exp result"], exp), (torch_exp.grad_fn._saved_result, torch_exp)):
        assert result is not out and result.grad_fn is out.grad_fn and result.requires_grad
        assert result.data_ptr() == out.data_ptr() and result._version == out._version


def test_a_graph_dropped_without_backward_is_freed_at_once():
    """No reference cycle between a node and the output it saved: its arrays go back when the
    output is dropped, not when Python's cycle collector runs."""
    import gc
    import weakref
    x = minitorch.randn(4, 3, requires_grad=True)
    gc.disable()
    try:
        for make in (lambda: x.exp(), lambda: minitorch.nn.functional.relu(x), lambda: x.sigmoid(),
                     lambda: minitorch.nn.functional.softmax(x, 1)):
            y = make()
            node = weakref.ref(y.grad_fn)
            del y
            assert node() is None
    finally:
        gc.enable()


def test_saved_attributes_missing_or_freed_raise_like_torch():
    for lib in (torch, minitorch):
        y = lib.tensor([1.0], requires_grad=True).exp()
        with pytest.raises(AttributeError):
            y.grad_fn._saved_other
        y.sum().backward()
        with pytest.raises(RuntimeError, match="backward through the graph a second time"):
            y.grad_fn._saved_result


def hook_log(lib):
    """torch's tutorial hooks, unchanged: they print, so we record what they see."""
    log = []

    def pack_hook(x):
        log.append(("Packing", x.tolist()))
        return x

    def unpack_hook(x):
        log.append(("Unpacking", x.tolist()))
        return x

    a = lib.ones(5, requires_grad=True)
    b = lib.ones(5, requires_grad=True) * 2
    with lib.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
        y = a * b
    y.sum().backward()
    return sorted(log), a.grad


def test_saved_tensors_hooks_tutorial_pack_and_unpack():
    (expected_log, expected_grad), (got_log, got_grad) = hook_log(torch), hook_log(minitorch)
    assert got_log == expected_log
    assert_close(got_grad, expected_grad)


def saved_to_disk(lib, directory):
    """The tutorial's hooks that move saved tensors to disk."""
    def pack_hook(tensor):
        name = os.path.join(directory, str(uuid.uuid4()))
        lib.save(tensor, name)
        return name

    def unpack_hook(name):
        return lib.load(name, weights_only=True)

    x = lib.tensor([0.5, 1.5, 2.5], requires_grad=True)
    with lib.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
        y = (x.exp() * x).sin()
    y.sum().backward()
    return x.grad, len(os.listdir(directory))


def test_saved_tensors_hooks_can_move_tensors_to_disk():
    with tempfile.TemporaryDirectory() as t_dir, tempfile.TemporaryDirectory() as m_dir:
        (expected, _), (got, got_files) = saved_to_disk(torch, t_dir), saved_to_disk(minitorch, m_dir)
    assert_close(got, expected)
    assert got_files > 0


def test_disable_saved_tensors_hooks():
    for lib in (torch, minitorch):
        with lib.autograd.graph.disable_saved_tensors_hooks("no hooks here"):
            with pytest.raises(RuntimeError, match="no hooks here"):
                with lib.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
                    pass


def test_node_saved_table_lists_tensors_and_buffers_with_bytes():
    # 3 channels: a conv whose filters read 75 values keeps im2col columns for its weight
    # gradient (one of 1 channel has direct kernels that need none)
    x = minitorch.randn(8, 3, 28, 28, requires_grad=True)
    w = minitorch.randn(6, 3, 5, 5, requires_grad=True)
    y = minitorch.nn.functional.conv2d(x, w)
    table = y.grad_fn.saved
    rows = {entry.name: entry for entry in table}
    assert rows["_saved_self"].value is x and rows["_saved_self"].nbytes == x.numel() * 4
    assert rows["_saved_other"].value is w
    buffers = [e for e in table if e.kind == "buffer"]
    assert buffers and all(e.nbytes == e.value.nbytes > 0 for e in buffers)  # im2col columns are visible
    assert table.nbytes == sum(e.nbytes for e in table)
    assert "_saved_self" in str(table) and "bytes" in str(table).splitlines()[0]


def test_saved_memory_counts_shared_storage_once():
    x = minitorch.randn(100, requires_grad=True)
    y = (x * x).exp()             # Mul saves x twice; Exp saves its result
    summary = minitorch.autograd.graph.saved_memory(y.sum())
    per_node = {node.name(): table.nbytes for node, table in summary}
    assert per_node["MulBackward0"] == 2 * 400 and per_node["ExpBackward0"] == 400
    assert summary.nbytes == 400 + 400    # x once, the exp result once
    assert "total kept alive" in str(summary)
