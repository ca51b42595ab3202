"""Seed document 002 (../shared/seeds/002_*.txt, "Learning PyTorch"): the snippets and API
notes not already tested elsewhere (the seed examples in tests/ops/test_shape.py,
test_indexing.py and test_reduction.py) run under minitorch and torch and print the same
thing (for random values, the printed shapes and dtypes).

Transforms have no torch-side twin here (no torchvision): minitorch.vision.transforms is
checked against what the note says each one does, built with numpy/PIL/torch by hand."""
import textwrap

import numpy as np
import pytest
import torch
from conftest import assert_prints_like_torch, printed
from PIL import Image

import minitorch
import minitorch.vision.transforms as T

# ----- tensors: attributes, creation, comparison, shape, statistics, autograd ----------------
TENSOR_SNIPPETS = {
    "dtype_families": """
        x = torch.tensor([1., 2.])
        print(x.dtype, x.type(), x.double().type(), x.long().type(), x.int().type(), x.bool().type())
        for dt in [torch.float16, torch.float32, torch.float64, torch.uint8, torch.int8, torch.int16,
                   torch.int32, torch.int64, torch.bool]:
            print(dt, x.to(dt), x.to(dt).is_floating_point(), x.to(dt).element_size())
        print(torch.tensor([1, 2]).dtype, torch.tensor([0.5]).dtype, torch.tensor([True]).dtype)
    """,
    "zeros_with_out_returns_out": """
        out_t = torch.tensor([1])
        t = torch.zeros((3, 3), out=out_t)
        print(t, out_t, id(t) == id(out_t))
        print(torch.zeros(2, 3, layout=torch.strided, dtype=torch.float64, requires_grad=True))
        print(torch.zeros(2).layout)
    """,
    "compare_with_number_or_tensor": """
        t = torch.tensor([[4, 5, 0], [5, 7, 1], [2, 5, 8]])
        print(t.ge(5), t.gt(torch.tensor([1, 5, 7])), torch.lt(t, 5), torch.le(t, t.T))
        print(torch.nonzero(t), torch.nonzero(t, as_tuple=True))
    """,
    "permute_keeps_memory": """
        t = torch.arange(24).reshape(2, 3, 4)
        p = torch.permute(t, (2, 0, 1))
        print(p.shape, p.is_contiguous(), p.data_ptr() == t.data_ptr())
        print(p)
        print(t.permute(1, 2, 0).shape, torch.squeeze(t, dim=0).shape)
    """,
    "topk_smallest_and_2d": """
        x = torch.tensor([[3., 1., 4., 1.5], [9., 2., 6., 5.]])
        print(torch.topk(x, 2))
        print(torch.topk(x, 2, dim=0, largest=False))
        print(torch.topk(x, 3, largest=False, sorted=True))
    """,
    "kthvalue_on_resized": """
        x = torch.arange(1., 7.).resize_(2, 3)
        print(x)
        print(torch.kthvalue(x, 2, 0, True))
    """,
    "where_and_gather": """
        x = torch.tensor([[1., -2.], [-3., 4.]])
        print(torch.where(x > 0, x, torch.zeros_like(x)))
        print(torch.where(x > 0, x, 0.))
        print(torch.gather(x, 1, torch.tensor([[0, 0], [1, 0]])))
    """,
    "autograd_backward_with_grad_tensors": """
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        a = torch.add(w, x)
        b = torch.add(w, 1)
        y0 = torch.mul(a, b)
        y1 = torch.add(a, b)
        loss = torch.cat([y0, y1], dim=0)
        torch.autograd.backward(loss, grad_tensors=torch.tensor([1., 2.]))
        print(w.grad, x.grad)
        w.grad.zero_()
        y0 = torch.mul(torch.add(w, x), torch.add(w, 1))
        y1 = torch.add(torch.add(w, x), torch.add(w, 1))
        torch.autograd.backward([y0, y1], grad_tensors=[torch.tensor([1.]), torch.tensor([2.])])
        print(w.grad)
    """,
    "autograd_grad_outputs_and_retain_graph": """
        x = torch.tensor([3.], requires_grad=True)
        y = torch.pow(x, 2)
        print(torch.autograd.grad(y, x, grad_outputs=torch.tensor([2.]), retain_graph=True))
        print(torch.autograd.grad(outputs=y, inputs=x))
        try:
            torch.autograd.grad(y, x)
        except RuntimeError as e:
            print("RuntimeError", "second time" in str(e))
    """,
    "out_of_place_add_is_new_memory": """
        a = torch.ones((1,))
        x = torch.ones((1,))
        before = id(a), a.data_ptr()
        a = a.add(x)
        print(a, (id(a), a.data_ptr()) == before)
        a += x
        print(a, a.data_ptr() == a.add_(x).data_ptr())
    """,    "attributes": """
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        a = torch.add(w, x)
        b = torch.add(w, 1)
        y = torch.mul(a, b)
        y.backward()
        print(w.grad)
        print("is_leaf:", w.is_leaf, x.is_leaf, a.is_leaf, b.is_leaf, y.is_leaf)
        print("grad_fn:", w.grad_fn, a.grad_fn.name(), y.grad_fn.name())
        print(w.data, w.dtype, w.device, w.requires_grad, a.requires_grad)
    """,
    "retain_grad": """
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        a = torch.add(w, x)
        a.retain_grad()
        y = torch.mul(a, torch.add(w, 1))
        y.backward()
        print(w.grad, x.grad, a.grad)
    """,
    "create_from_data": """
        arr = np.ones((3, 3))
        print(arr.dtype)
        t = torch.tensor(arr)
        print(t)
        t = torch.from_numpy(arr)
        arr[0, 0] = 0
        print(t)
        t[1, 1] = -1
        print(arr)
        print(torch.tensor([1, 2.5]), torch.tensor([True]), torch.tensor([[1, 2], [3, 4]]))
    """,
    "create_from_values": """
        out_t = torch.tensor([1])
        t = torch.zeros((3, 3), out=None)
        print(t, out_t)
        print(torch.zeros_like(t), torch.ones(2, 3, dtype=torch.int64))
        print(torch.full((3, 3), 1.))
        print(torch.full((2, 2), 7))
        print(torch.arange(2, 10, 2))
        print(torch.arange(1., 2.5, 0.5))
        print(torch.linspace(2, 10, 5))
        print(torch.linspace(2, 10, 6))
        print(torch.logspace(0, 2, 3))
        print(torch.logspace(0, 3, 4, base=2))
        print(torch.eye(3), torch.eye(2, 3))
    """,
    "create_from_distributions": """
        mean = torch.arange(1, 5, dtype=torch.float)
        std = torch.arange(1, 5, dtype=torch.float)
        t_normal = torch.normal(mean, std)
        print("tensor/tensor", t_normal.shape, t_normal.dtype)
        t_normal = torch.normal(0., 1., size=(4,))
        print("float/float", t_normal.shape, t_normal.dtype)
        t_normal = torch.normal(mean, 1.)
        print("tensor/float", t_normal.shape, t_normal.dtype)
        t_normal = torch.normal(1., std)
        print("float/tensor", t_normal.shape, t_normal.dtype)
        print(torch.randn(2, 3).shape, torch.randn_like(mean).shape, torch.rand(3, 2).dtype)
        print(torch.rand_like(std).shape, torch.randint(0, 9, size=(3, 3)).dtype)
        print(sorted(torch.randperm(5).tolist()))
        b = torch.bernoulli(torch.full((2, 3), 0.5))
        print(b.shape, b.dtype, set(b.flatten().tolist()) <= {0.0, 1.0})
    """,
    "broadcasting": """
        feature = torch.ones(4, 32, 14, 14)
        bias = torch.arange(32.).reshape(32, 1, 1)
        out = feature + bias
        print(out.shape, out[3, 31, 13, 13], out[0, 5, 0, 0])
        print(torch.ones(3, 1) * torch.arange(4.))
        print((torch.ones(2, 1, 3) - torch.ones(4, 1)).shape)
    """,
    "rounding_and_clamp": """
        a = torch.tensor([-2.5, -1.5, -0.6, 0.4, 0.5, 1.5, 2.7, 3.2])
        print(torch.floor(a))
        print(torch.ceil(a))
        print(torch.trunc(a))
        print(torch.frac(a))
        print(torch.round(a))
        print(torch.clamp(a, -1, 1))
        print(torch.clamp(a, min=0.5))
    """,
    "second_derivative": """
        x = torch.tensor([3.], requires_grad=True)
        y = torch.pow(x, 2)
        grad_1 = torch.autograd.grad(y, x, create_graph=True)
        print(grad_1)
        grad_2 = torch.autograd.grad(grad_1[0], x)
        print(grad_2)
    """,
    "backward_twice_needs_retain_graph": """
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        y = torch.mul(torch.add(w, x), torch.add(w, 1))
        y.backward(retain_graph=True)
        print(w.grad)
        y.backward()
        print(w.grad)
        try:
            y.backward()
        except RuntimeError as e:
            print("RuntimeError", "backward through the graph a second time" in str(e))
    """,
    "grad_tensors": """
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        a = torch.add(w, x)
        b = torch.add(w, 1)
        y0 = torch.mul(a, b)
        y1 = torch.add(a, b)
        loss = torch.cat([y0, y1], dim=0)
        loss.backward(gradient=torch.tensor([1., 2.]))
        print(w.grad)
    """,
    "gradients_accumulate_until_zeroed": """
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        for i in range(3):
            y = torch.mul(torch.add(w, x), torch.add(w, 1))
            y.backward()
            print(w.grad)
        w.grad.zero_()
        print(w.grad)
    """,
    "dependents_require_grad": """
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        a = torch.add(w, x)
        b = torch.add(w, 1)
        y = torch.mul(a, b)
        print(a.requires_grad, b.requires_grad, y.requires_grad)
    """,
    "leaf_inplace_is_refused": """
        w = torch.tensor([1.], requires_grad=True)
        try:
            w.add_(1)
        except RuntimeError as e:
            print("RuntimeError:", e)
    """,
    "modified_leaf_before_backward": """
        w = torch.tensor([1.], requires_grad=True)
        x = torch.tensor([2.], requires_grad=True)
        a = torch.add(w, x)
        b = torch.add(w, 1)
        y = torch.mul(a, b)
        a.add_(1)
        try:
            y.backward()
        except RuntimeError as e:
            print("RuntimeError", "modified by an inplace operation" in str(e))
    """,
}


@pytest.mark.parametrize("name", list(TENSOR_SNIPPETS))
def test_tensor_snippet_prints_like_torch(name):
    assert_prints_like_torch(TENSOR_SNIPPETS[name])


# ----- Dataset and DataLoader ----------------------------------------------------------------
DATASET = """
    class PairDataset(torch.utils.data.Dataset):
        def __init__(self, n):
            self.data = torch.arange(n * 2.).reshape(n, 2)
            self.labels = torch.arange(n) % 3
        def __getitem__(self, index):
            return self.data[index], self.labels[index]
        def __len__(self):
            return len(self.data)
    dataset = PairDataset(10)
"""


def test_dataset_dataloader_batches_print_like_torch():
    assert_prints_like_torch(textwrap.dedent(DATASET) + textwrap.dedent("""
        loader = torch.utils.data.DataLoader(dataset, batch_size=4, shuffle=False, sampler=None,
                                             batch_sampler=None, num_workers=0, drop_last=False)
        for i, (x, y) in enumerate(loader):
            print(i, x, y)
        print(len(loader), len(torch.utils.data.DataLoader(dataset, batch_size=4, drop_last=True)))
        for x, y in torch.utils.data.DataLoader(dataset, batch_size=2, sampler=[9, 0, 3]):
            print(x, y)
        try:
            torch.utils.data.DataLoader(dataset, sampler=range(10), shuffle=True)
        except ValueError as e:
            print("ValueError:", e)
        print(dataset[3], len(dataset))
    """))


def test_dataloader_shuffle_sees_every_sample_once_per_epoch():
    def epochs(lib):
        out = printed(textwrap.dedent(DATASET) + textwrap.dedent("""
            loader = torch.utils.data.DataLoader(dataset, batch_size=3, shuffle=True, drop_last=True)
            for epoch in range(2):
                seen = [int(v) for _, y in loader for v in y.shape]
                labels = sorted(float(v) for x, _ in loader for v in x[:, 0])
                print(len(loader), seen, len(labels), set(labels) <= set(range(0, 20, 2)))
        """), lib)
        return out
    assert epochs(minitorch) == epochs(torch)


# ----- transforms (minitorch.vision.transforms against the note and hand-made references) ----
def _image(h=5, w=7):
    arr = np.random.default_rng(h * w).integers(0, 256, (h, w, 3), dtype=np.uint8)
    return Image.fromarray(arr), arr


def test_center_crop_crops_the_middle_and_pads_with_zeros_when_larger():
    img, arr = _image()
    np.testing.assert_array_equal(np.array(T.CenterCrop(3)(img)), arr[1:4, 2:5])
    np.testing.assert_array_equal(np.array(T.CenterCrop((9, 9))(img)), np.pad(arr, ((2, 2), (1, 1), (0, 0))))


@pytest.mark.parametrize("padding, widths", [
    (2, ((2, 2), (2, 2))),                  # a: every side
    ((1, 3), ((3, 3), (1, 1))),             # (a, b): left/right a, top/bottom b
    ((1, 2, 3, 4), ((2, 4), (1, 3))),       # (a, b, c, d): left, top, right, bottom
])
def test_pad_forms_constant_fill_and_edge(padding, widths):
    img, arr = _image()
    fill = (10, 20, 30)
    got = np.array(T.Pad(padding, fill=fill, padding_mode="constant")(img))
    expected = np.stack([np.pad(arr[..., c], widths, constant_values=fill[c]) for c in range(3)], -1)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(np.array(T.Pad(padding, padding_mode="edge")(img)),
                                  np.pad(arr, widths + ((0, 0),), mode="edge"))


def test_random_crop_is_a_window_of_the_padded_image():
    img, arr = _image()
    padded = np.pad(arr, ((1, 1), (1, 1), (0, 0)))
    for _ in range(5):
        out = np.array(T.RandomCrop(4, padding=1)(img))
        assert out.shape == (4, 4, 3)
        assert any((padded[i:i + 4, j:j + 4] == out).all() for i in range(4) for j in range(6))
    big = np.array(T.RandomCrop((6, 9), pad_if_needed=True, fill=0, padding_mode="constant")(img))
    assert big.shape == (6, 9, 3)


def test_random_resized_crop_accepts_pil_interpolation_code():
    img, _ = _image(20, 30)
    out = T.RandomResizedCrop(8, scale=(0.08, 1.0), ratio=(0.75, 1.3333333333333333), interpolation=2)(img)
    assert out.size == (8, 8) and out.mode == "RGB"


def test_flips_and_right_angle_rotation():
    img, arr = _image()
    np.testing.assert_array_equal(np.array(T.RandomHorizontalFlip(p=1)(img)), arr[:, ::-1])
    np.testing.assert_array_equal(np.array(T.RandomVerticalFlip(p=1)(img)), arr[::-1])
    np.testing.assert_array_equal(np.array(T.RandomHorizontalFlip(p=0)(img)), arr)
    np.testing.assert_array_equal(np.array(T.RandomRotation((90, 90), expand=True)(img)), np.rot90(arr))
    assert T.RandomRotation(30, center=(0, 0), expand=False)(img).size == img.size


def test_random_affine_ranges():
    """translate (a, b): shifts within width*a and height*b; shear a: x only in (-a, a);
    a 4-sequence gives x in (s0, s1) and y in (s2, s3)."""
    for _ in range(20):
        angle, (tx, ty), scale, (sx, sy) = T.RandomAffine.get_params(
            (-10, 10), (0.2, 0.1), (0.8, 1.2), (-5, 5, -3, 3), [40, 30])
        assert -10 <= angle <= 10 and abs(tx) <= 0.2 * 40 and abs(ty) <= 0.1 * 30
        assert 0.8 <= scale <= 1.2 and -5 <= sx <= 5 and -3 <= sy <= 3
    img, arr = _image()
    np.testing.assert_array_equal(np.array(T.RandomAffine(0, translate=(0, 0), fill=0)(img)), arr)
    out = T.RandomAffine(degrees=15, translate=(0.1, 0.1), scale=(0.9, 1.1), shear=5, fill=0)(img)
    assert out.size == img.size


def test_color_jitter_parameter_ranges():
    cj = T.ColorJitter(brightness=0.5, contrast=2, saturation=(0.2, 1.5), hue=0.2)
    assert cj.brightness == (0.5, 1.5) and cj.contrast == (0, 3) and cj.saturation == (0.2, 1.5)
    assert cj.hue == (-0.2, 0.2)
    with pytest.raises(ValueError):
        T.ColorJitter(hue=0.6)
    img, _ = _image()
    assert T.ColorJitter(0.4, 0.4, 0.4, 0.1)(img).size == img.size


def test_grayscale_channels():
    img, arr = _image()
    grey = np.array(img.convert("L"))
    one = T.Grayscale(num_output_channels=1)(img)
    assert one.mode == "L"
    np.testing.assert_array_equal(np.array(one), grey)
    three = np.array(T.RandomGrayscale(p=1.0)(img))
    np.testing.assert_array_equal(three, np.stack([grey] * 3, -1))


def test_random_erasing_blanks_one_rectangle():
    x = minitorch.ones(3, 20, 20)
    out = T.RandomErasing(p=1.0, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0, inplace=False)(x)
    assert x.sum().item() == 3 * 400  # not in place
    zero = out.numpy()[0] == 0
    rows, cols = np.nonzero(zero)
    assert zero.sum() == (np.ptp(rows) + 1) * (np.ptp(cols) + 1)  # a filled rectangle
    assert 0.02 * 400 - 1 <= zero.sum() <= 0.33 * 400 + 1
    coloured = T.RandomErasing(p=1.0, value=(0.5, 0.25, 1.0))(x).numpy()
    assert {0.5, 0.25} <= set(np.unique(coloured[:2]))
    noisy = T.RandomErasing(p=1.0, value="random")(x).numpy()
    assert (noisy != 1).any()


def test_compose_to_tensor_normalize_lambda_match_torch_arithmetic():
    img, arr = _image()
    mean, std = (0.5, 0.4, 0.3), (0.2, 0.25, 0.3)
    pipeline = T.Compose([T.ToTensor(), T.Normalize(mean, std), T.Lambda(lambda t: t * 2)])
    got = pipeline(img)
    ref = torch.from_numpy(arr).permute(2, 0, 1).float().div(255)
    ref = (ref - torch.tensor(mean).view(3, 1, 1)) / torch.tensor(std).view(3, 1, 1) * 2
    assert repr(got) == repr(ref)
    assert repr(T.ToTensor()(img)) == repr(torch.from_numpy(arr).permute(2, 0, 1).float().div(255))


# ----- nn.Module API and containers ----------------------------------------------------------
def test_module_tree_of_the_note():
    assert_prints_like_torch("""
        torch.manual_seed(0)
        class A(nn.Module):
            def __init__(self):
                super().__init__()
                self.net_b = nn.Module()
                self.net_b.net_c = nn.Module()
                self.net_b.net_c.conv = nn.Conv2d(16, 33, 3, stride=2)
                self.net_b.linear = nn.Linear(100, 200)
            def forward(self, x):
                return x
        a = A()
        print(a)
        print(a.get_submodule("net_b.linear"), a.get_submodule("net_b.net_c.conv"))
        print(a.get_parameter("net_b.net_c.conv.bias").shape)
        print([name for name, _ in a.named_modules()])
        print([name for name, _ in a.named_modules(prefix="A")])
        print([name for name, _ in a.named_children()], [type(m).__name__ for m in a.net_b.children()])
        print([(n, tuple(p.shape)) for n, p in a.named_parameters()])
        print([n for n, _ in a.net_b.named_parameters(prefix="b", recurse=False)])
        print(len(list(a.parameters())), len(list(a.parameters(recurse=False))), len(list(a.modules())))
    """)


def test_module_register_buffers_type_and_state_dict():
    assert_prints_like_torch("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(3, 2)
                self.bn = nn.BatchNorm1d(2)
                self.register_buffer("steps", torch.zeros(1))
                self.register_parameter("scale", nn.Parameter(torch.ones(2)))
                self.register_module("head", nn.Linear(2, 1))
            def forward(self, x):
                return self.head(self.bn(self.fc(x)) * self.scale)
        net = Net()
        print(net)
        print([n for n, _ in net.named_buffers()], [n for n, _ in net.named_buffers(prefix="net")])
        print(len(list(net.buffers())), len(list(net.buffers(recurse=False))), net.get_buffer("bn.running_var"))
        print(list(net.state_dict().keys()))
        clone = Net()
        print(clone.load_state_dict(net.state_dict()))
        print(all(torch.equal(p, q) for p, q in zip(net.parameters(), clone.parameters())))
        net.double()
        print(net.fc.weight.dtype, net.steps.dtype)
        net.to(torch.float32)
        print(net.fc.weight.dtype)
        net.half()
        print(net.fc.weight.dtype, net.bn.num_batches_tracked.dtype)
        net.type(torch.float64)
        print(net.fc.weight.dtype)
    """)


def test_train_and_eval_change_dropout_and_batchnorm_only():
    assert_prints_like_torch("""
        model = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Dropout(0.5))
        x = torch.arange(12.).reshape(3, 4) / 10
        print(model.training, model[2].training)
        model.train()
        y = model(x)
        print(y.shape, (y == 0).any().item(), model[1].num_batches_tracked)
        model.eval()
        print(model.training, model[1].training, model[0].weight.requires_grad)
        print(torch.equal(model(x), model(x)), model[1].num_batches_tracked)
        print(model[1].running_mean.shape)
    """)


def test_containers():
    assert_prints_like_torch("""
        from collections import OrderedDict
        seq = nn.Sequential(OrderedDict([("conv", nn.Conv2d(1, 2, 3)), ("relu", nn.ReLU()),
                                         ("pool", nn.MaxPool2d(2))]))
        print(seq, seq.conv, seq[1], len(seq), seq[0:2])
        print(seq(torch.ones(1, 1, 6, 6)).shape)
        layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(2)])
        layers.append(nn.ReLU())
        layers.extend([nn.Linear(4, 2)])
        layers.insert(0, nn.Identity())
        print(layers, len(layers))
        x = torch.ones(1, 4)
        for layer in layers:
            x = layer(x)
        print(x.shape)
        choices = nn.ModuleDict({"conv": nn.Conv2d(3, 4, 3), "pool": nn.MaxPool2d(3)})
        print(choices, list(choices.keys()), choices["pool"](torch.ones(1, 3, 9, 9)).shape)
        choices.update({"act": nn.PReLU()})
        print([k for k, _ in choices.items()], "act" in choices)
    """)


# ----- layers: conv sizes, pooling and unpooling --------------------------------------------
def test_conv_output_size_formula():
    assert_prints_like_torch("""
        for (i, k, s, p, d) in [(28, 3, 1, 1, 1), (28, 5, 2, 0, 1), (32, 3, 2, 1, 2), (7, 2, 3, 0, 3)]:
            conv = nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d)
            o = (i - d * (k - 1) + 2 * p - 1) // s + 1
            print(conv(torch.ones(1, 1, i, i)).shape, o)
        print(nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1, groups=1, bias=True,
                                 dilation=1, padding_mode='zeros'))
    """)


def test_max_pool_indices_unpool_and_avg_pool():
    assert_prints_like_torch("""
        x = torch.tensor([[[[1., 2., 5., 0.], [3., 4., 1., 6.], [7., 0., 2., 2.], [1., 8., 3., 9.]]]],
                         requires_grad=True)
        pool = nn.MaxPool2d(kernel_size=2, stride=None, padding=0, dilation=1, return_indices=True, ceil_mode=False)
        out, idx = pool(x)
        print(out, idx)
        unpool = nn.MaxUnpool2d(2, stride=2, padding=0)
        print(unpool(out, idx))
        print(nn.AvgPool2d(2)(x), nn.AvgPool2d(3, stride=1, padding=1)(x).shape)
        print(pool, unpool)
    """)


# ----- nn.init ------------------------------------------------------------------------------
def test_init_xavier_kaiming_normal_statistics_match_torch():
    def stats(lib):
        w = lib.empty(300, 200)
        n_in, n_out = 200, 300
        rows = []
        bound = (6 / (n_in + n_out)) ** 0.5
        lib.nn.init.xavier_uniform_(w)
        rows.append((w.abs().max().item() <= bound, w.var().item() / (2 / (n_in + n_out))))
        lib.nn.init.xavier_normal_(w, gain=lib.nn.init.calculate_gain("tanh"))
        rows.append((True, w.std().item() / (5 / 3 * (2 / (n_in + n_out)) ** 0.5)))
        lib.nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="relu")
        rows.append((True, w.std().item() / (2 / n_in) ** 0.5))
        lib.nn.init.kaiming_uniform_(w, a=0)
        rows.append((w.abs().max().item() <= (6 / n_in) ** 0.5, w.var().item() / (2 / n_in)))
        lib.nn.init.normal_(w, mean=0, std=(1 / n_in) ** 0.5)
        rows.append((True, w.std().item() / (1 / n_in) ** 0.5))
        return rows
    mine, ref = stats(minitorch), stats(torch)
    for (m_ok, m_ratio), (t_ok, t_ratio) in zip(mine, ref):
        assert m_ok and t_ok
        assert abs(m_ratio - 1) < 0.03 and abs(t_ratio - 1) < 0.03
    assert [minitorch.nn.init.calculate_gain(n) for n in ("linear", "sigmoid", "tanh", "relu")] == \
        [torch.nn.init.calculate_gain(n) for n in ("linear", "sigmoid", "tanh", "relu")]
    assert minitorch.nn.init.calculate_gain("leaky_relu", 0.2) == torch.nn.init.calculate_gain("leaky_relu", 0.2)


# ----- losses are modules --------------------------------------------------------------------
def test_losses_are_modules_and_print_like_torch():
    assert_prints_like_torch("""
        logits = torch.tensor([[1.5, -0.5, 0.2], [0.1, 2.0, -1.0]], requires_grad=True)
        target = torch.tensor([0, 2])
        probs = torch.tensor([[0.9, 0.2, 0.4], [0.3, 0.6, 0.5]], requires_grad=True)
        labels = torch.tensor([[1., 0., 1.], [0., 1., 0.]])
        for loss_fn, args in [(nn.CrossEntropyLoss(), (logits, target)),
                              (nn.NLLLoss(reduction="sum"), (torch.log_softmax(logits, 1), target)),
                              (nn.MSELoss(), (probs, labels)), (nn.L1Loss(reduction="none"), (probs, labels)),
                              (nn.BCELoss(), (probs, labels)), (nn.BCEWithLogitsLoss(), (logits, labels)),
                              (nn.SmoothL1Loss(), (logits, labels))]:
            loss = loss_fn(*args)
            print(isinstance(loss_fn, nn.Module), loss_fn, loss)
            loss.sum().backward()
        print(logits.grad, probs.grad)
    """)


# ----- optimizers ----------------------------------------------------------------------------
OPTIM = """
    model = nn.Linear(3, 2)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]))
        model.bias.fill_(0.1)
    x = torch.tensor([[1., 2., 3.], [-1., 0., 1.]])
    y = torch.tensor([[1., 0.], [0., 1.]])
    optimizer = {make}
    for step in range(3):
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        print(step, round(loss.item(), 5))
    print(torch.round(model.weight.detach(), decimals=4), torch.round(model.bias.detach(), decimals=4))
    state = optimizer.state_dict()
    print(sorted(state), state["param_groups"])
    print({{k: sorted(v) for k, v in state["state"].items()}})
    optimizer.zero_grad()
    print(model.weight.grad)
    again = {make}
    again.load_state_dict(state)
    print(again.state_dict()["param_groups"] == state["param_groups"])
"""


@pytest.mark.parametrize("make", [
    "torch.optim.SGD(model.parameters(), lr=0.1)",
    "torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, dampening=0.1, weight_decay=1e-2)",
    "torch.optim.Adam(model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0)",
    "torch.optim.Adam(model.parameters(), lr=0.1, weight_decay=1e-2)",
])
def test_optimizer_steps_and_state_dict(make):
    assert_prints_like_torch(OPTIM.format(make=make))
