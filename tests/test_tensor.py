"""The Tensor object itself: attributes, conversions, autograd fields, against torch."""
import copy

import numpy as np
import pytest
import torch

import minitorch


def run_both(code):
    """Exec `code` with `torch` bound to each library; repr(r) or the exception type for each."""
    results = []
    for lib in (minitorch, torch):
        namespace = {"torch": lib, "np": np, "copy": copy}
        try:
            exec(code, namespace)
            results.append(repr(namespace["r"]))
        except Exception as e:
            results.append(type(e))
    return results


def assert_same(code):
    mt, th = run_both(code)
    assert mt == th, f"{code}\n minitorch: {mt}\n torch:     {th}"


CASES = [
    # metadata
    "x = torch.ones(2, 3); r = (x.size(), x.size(1), x.size(-1), x.size(dim=0), x.dim(), x.ndim, x.numel(), x.shape)",
    "x = torch.ones(2, 3); r = x.size(2)",
    "x = torch.ones(2, 3, 4); r = (x.stride(), x.stride(1), x.is_contiguous(), x.element_size(), x.nelement())",
    "x = torch.ones(2, 3).t(); r = (x.is_contiguous(), x.stride(), x.contiguous().stride(), x.contiguous().is_contiguous())",
    "x = torch.ones(2, 3); r = (x.T.shape, x.mT.shape, torch.ones(2, 3, 4).mT.shape, torch.ones(3).T.shape)",
    "x = torch.arange(6.).reshape(2, 3); r = (x.T, x.mT)",
    "r = (torch.ones(1).dtype, torch.ones(1).device, torch.ones(1).is_cuda, torch.ones(1).is_leaf)",
    "x = torch.ones(1); r = [(f, getattr(x, f)) for f in ('is_cpu', 'is_cuda', 'is_xpu', 'is_mps', 'is_meta', 'is_xla', "
    "'is_ipu', 'is_mtia', 'is_maia', 'is_vulkan', 'is_sparse', 'is_sparse_csr', 'is_quantized', 'is_nested', 'is_mkldnn')]",
    "r = torch.Size([2, 3]), torch.Size([2, 3]).numel(), torch.ones(2, 3).shape[1:]",
    # the legacy constructors: shape from ints or a Size, data from a sequence, a same-dtype tensor aliased
    "r = (torch.Tensor().shape, torch.Tensor(2, 3).shape, torch.Tensor(torch.Size([2, 3])).shape, torch.Tensor((3,)))",
    "r = [(T([1.7, 2.5]), T(2, 3).shape, T(2, 3).dtype, T().shape, isinstance(torch.ones(1), T), "
    "isinstance(torch.ones(1, dtype=T([1]).dtype), T), issubclass(T, torch.Tensor)) for T in (torch.FloatTensor, "
    "torch.DoubleTensor, torch.HalfTensor, torch.LongTensor, torch.IntTensor, torch.ShortTensor, torch.CharTensor, "
    "torch.ByteTensor, torch.BoolTensor)]",
    "x = torch.arange(3); y = torch.LongTensor(x); y[0] = 7; r = (x, y is x, torch.ones(2).type(torch.LongTensor))",
    "r = torch.LongTensor(torch.ones(2))",
    "r = (torch.LongTensor([1.7, -2.5]), torch.IntTensor([-0.5]))",
    "r = torch.Tensor(torch.arange(2))",
    # Python conversions
    "r = (torch.tensor([2.5]).item(), type(torch.tensor([2.5]).item()))",
    "r = (torch.tensor([2]).item(), type(torch.tensor([2]).item()))",
    "r = (torch.tensor([True]).item(), type(torch.tensor([True]).item()))",
    "r = torch.ones(2).item()",
    "r = (torch.tensor([[1.5, 2], [3, 4]]).tolist(), torch.tensor(3).tolist(), torch.tensor([True]).tolist())",
    "r = (float(torch.tensor([2.5])), int(torch.tensor(3.7)), bool(torch.tensor([0])), len(torch.ones(4, 2)))",
    "r = bool(torch.ones(2))",
    "r = len(torch.tensor(1.))",
    "r = [1, 2, 3][torch.tensor(1)]",
    "r = [1, 2, 3][torch.tensor(1.)]",
    "r = f'{torch.tensor(2.5):.2f}'",
    # numpy
    "x = torch.ones(2, 3, requires_grad=True); r = x.numpy()",
    "x = torch.ones(2, 3, requires_grad=True); r = x.detach().numpy()",
    "x = torch.ones(2, 3); n = x.numpy(); n[0, 0] = 5; r = x",
    "x = torch.ones(2, 3, dtype=torch.int32); r = x.numpy().dtype",
    # data, detach, clone
    "x = torch.ones(2, 3); x.data = torch.zeros(3); r = (x, x.shape)",
    "x = torch.ones(2, 3, requires_grad=True); x.data = torch.zeros(3, dtype=torch.float64); r = (x, x.dtype)",
    "x = torch.ones(2, 3, requires_grad=True); r = (x.data, x.data.requires_grad, x.data.is_leaf)",
    "x = torch.ones(2, requires_grad=True); x.data.add_(1); r = x",
    "x = torch.ones(2, requires_grad=True); y = x * 2; r = (y.data, y.is_leaf, x.is_leaf, y.requires_grad, y.grad_fn.name())",
    "x = torch.ones(2, requires_grad=True); d = x.detach(); d.add_(1); r = (x, d, d.requires_grad, d.is_leaf)",
    "x = torch.ones(2, 3, requires_grad=True); y = x * 2; y.detach_(); r = (y, y.is_leaf, y.requires_grad, y.grad_fn)",
    "x = torch.ones(2, 3, requires_grad=True); y = (x * 2).t(); y.detach_()",
    "x = torch.ones(2, 3, requires_grad=True); y = x.clone(); r = (y, y.is_leaf)",
    "x = torch.ones(2); y = x.clone(); y.add_(1); r = (x, y)",
    "x = torch.ones(2, requires_grad=True); y = x.clone(); y.sum().backward(); r = x.grad",
    "x = torch.ones(2, 3).t(); y = x.contiguous(); r = (y.is_contiguous(), x.contiguous() is x, y.contiguous() is y)",
    # conversions
    "x = torch.tensor([1.5, 2]); r = (x.to(torch.float64), x.to('cpu'), x.to(torch.device('cpu')), x.to(torch.ones(1, dtype=torch.int32)))",
    "x = torch.tensor([1.5, 2]); r = (x.to('cpu', torch.int64), x.to(device='cpu', dtype=torch.float16), x.cpu(), x.to(torch.float32) is x)",
    "x = torch.tensor([1.5, -2.7]); r = (x.float(), x.double(), x.half(), x.long(), x.int(), x.bool(), x.short(), x.byte(), x.char())",
    "x = torch.tensor([1.5, -2.7]); r = (x.type_as(torch.ones(1, dtype=torch.int16)), x.type(), x.type(torch.float64), x.type('torch.LongTensor'))",
    "x = torch.tensor([1.5, 2], requires_grad=True); y = x.double(); y.sum().backward(); r = (y.grad_fn is not None, x.grad)",
    # requires_grad
    "x = torch.tensor([1.5, -2.7]); y = x.requires_grad_(); r = (y is x, x.requires_grad, x.requires_grad_(False).requires_grad)",
    "x = torch.tensor([1, 2]); x.requires_grad_()",
    "x = torch.tensor([1., 2], requires_grad=True); y = x * 2; y.requires_grad_(False)",
    "x = torch.tensor([1., 2], requires_grad=True); y = x * 2; r = y.requires_grad_(True).requires_grad",
    # grad, retain_grad, hooks, backward
    "x = torch.tensor([1., 2], requires_grad=True); y = x * 2; y.retain_grad(); y.sum().backward(); r = (y.grad, x.grad, y.retains_grad)",
    "x = torch.tensor([1., 2]); x.retain_grad()",
    "x = torch.tensor([1., 2], requires_grad=True); h = x.register_hook(lambda g: g * 10); (x * 2).sum().backward(); a = x.grad.clone(); h.remove(); x.grad = None; (x * 2).sum().backward(); r = (a, x.grad)",
    "x = torch.tensor([1., 2], requires_grad=True); y = x * 3; y.register_hook(lambda g: g + 1); y.sum().backward(); r = x.grad",
    "x = torch.tensor([1., 2], requires_grad=True); seen = []; x.register_hook(lambda g: seen.append(g.clone())); (x * x).sum().backward(); r = seen",
    "x = torch.tensor([1., 2]); x.register_hook(lambda g: g)",
    "x = torch.tensor([1., 2], requires_grad=True); y = x * x; y.backward(torch.ones(2)); r = x.grad",
    "x = torch.tensor([1., 2], requires_grad=True); y = x * x; y.backward()",
    "x = torch.tensor([1., 2], requires_grad=True); y = (x * x).sum(); y.backward(); y.backward()",
    "x = torch.tensor([1., 2], requires_grad=True); y = (x * x).sum(); y.backward(retain_graph=True); y.backward(); r = x.grad",
    "x = torch.tensor([1., 2], requires_grad=True); (x * 3).sum().backward(); (x * 3).sum().backward(); r = x.grad",
    "x = torch.tensor([1., 2], requires_grad=True); y = torch.tensor([3., 4], requires_grad=True); (x * y).sum().backward(inputs=[x]); r = (x.grad, y.grad)",
    "x = torch.tensor([1., 2], requires_grad=True); x.grad = torch.ones(3)",
    "x = torch.tensor([1., 2], requires_grad=True); x.grad = torch.ones(2, dtype=torch.float64)",
    "x = torch.tensor([1., 2], requires_grad=True); x.grad = torch.ones(2); x.grad.zero_(); r = x.grad",
    # in-place rules
    "x = torch.tensor([1., 2], requires_grad=True); x.add_(1)",
    "x = torch.tensor([1., 2], requires_grad=True); y = x * 1; y.add_(1); y.sum().backward(); r = (y, x.grad)",
    "x = torch.tensor([1., 2], requires_grad=True); y = x.exp(); y.add_(1); y.sum().backward()",
    "x = torch.tensor([1., 2], requires_grad=True)\nwith torch.no_grad():\n    x.mul_(3)\nr = (x, x.requires_grad, x.is_leaf)",
    # copies and pickling
    "x = torch.ones(2, requires_grad=True); y = copy.deepcopy(x); r = (y, y is x)",
    "x = torch.ones(2, requires_grad=True); y = copy.deepcopy(x * 2)",
    "x = torch.ones(2, requires_grad=True); r = (x.grad_fn, (x * 2).grad_fn.next_functions[0][0].variable is x)",
    # devices
    "r = (torch.device('cpu'), str(torch.device('cpu')), torch.ones(1).device == torch.device('cpu'), torch.device('cpu:0'), torch.device('cpu', 0))",
    "r = (torch.device('cuda'), torch.device('cuda:1').index, torch.device('cpu') == torch.device('cpu:0'))",
    "r = torch.device('nonsense')",
]


@pytest.mark.parametrize("code", CASES)
def test_tensor_api_matches_torch(code):
    assert_same(code)


def test_mT_needs_two_dims():
    with pytest.raises(RuntimeError):
        torch.ones(3).mT
    with pytest.raises((RuntimeError, IndexError)):
        minitorch.ones(3).mT


def test_numpy_shares_memory_both_ways():
    x = minitorch.zeros(3)
    n = x.numpy()
    x.add_(2)
    assert n.tolist() == [2.0, 2.0, 2.0]
    y = minitorch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="detach"):
        y.numpy()
    assert y.numpy(force=True).tolist() == [1.0, 1.0]


def test_detach_shares_version_counter():
    x = minitorch.ones(2, requires_grad=True)
    y = x.exp()
    y.detach().add_(1)  # modifies y's storage behind autograd's back
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_devices_other_than_cpu_are_refused_clearly():
    x = minitorch.ones(2)
    for call in (lambda: x.to("cuda"), lambda: x.to("mps"), lambda: x.cuda(),
                 lambda: x.to(minitorch.device("cuda:0")), lambda: minitorch.zeros(2, device="cuda")):
        with pytest.raises(RuntimeError, match="supported devices: 'cpu'"):
            call()


def test_hook_handle_is_a_context_manager():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    with x.register_hook(lambda g: g * 0):
        (x * 2).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]
    x.grad = None
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
