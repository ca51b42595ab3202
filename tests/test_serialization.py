"""save/load: round trips, shared tensors, safety against code in the file, atomic writes, corruption."""
import collections
import fractions
import io
import os
import pickle
import zipfile

import numpy as np
import pytest
import torch

import minitorch


def test_round_trip_of_nested_containers(tmp_path):
    obj = {"w": minitorch.randn(3, 4), "step": 7, "names": ["a", "b"],
           "nested": (minitorch.arange(5), {"b": minitorch.tensor([True, False])}),
           "ordered": collections.OrderedDict(x=minitorch.ones(2, dtype=minitorch.float64)),
           "lr": 0.1, "none": None}
    path = tmp_path / "ckpt.pt"
    minitorch.save(obj, path)
    back = minitorch.load(path)
    assert back["step"] == 7 and back["names"] == ["a", "b"] and back["lr"] == 0.1 and back["none"] is None
    assert np.array_equal(back["w"].numpy(), obj["w"].numpy()) and back["w"].dtype is minitorch.float32
    assert back["nested"][0].dtype is minitorch.int64 and back["nested"][1]["b"].tolist() == [True, False]
    assert isinstance(back["ordered"], collections.OrderedDict)
    assert back["ordered"]["x"].dtype is minitorch.float64


def test_file_objects_and_requires_grad():
    buffer = io.BytesIO()
    w = minitorch.ones(2, requires_grad=True)
    minitorch.save([w, w], buffer)
    buffer.seek(0)
    a, b = minitorch.load(buffer)
    assert a is b and a.requires_grad and a.tolist() == [1.0, 1.0]


def test_non_contiguous_tensor_saves_its_values(tmp_path):
    t = minitorch.arange(6).reshape(2, 3).t()
    minitorch.save(t, tmp_path / "t.pt")
    assert minitorch.load(tmp_path / "t.pt").tolist() == t.tolist()


class _Exploit:
    def __reduce__(self):
        return (os.system, ("echo pwned > /tmp/minitorch_pwned",))


def test_crafted_file_is_refused_not_run(tmp_path):
    path = tmp_path / "evil.pt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("format", "minitorch-checkpoint-v1")
        archive.writestr("data.pkl", pickle.dumps({"x": _Exploit()}))
    if os.path.exists("/tmp/minitorch_pwned"):
        os.unlink("/tmp/minitorch_pwned")
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed.*posix.system"):
        minitorch.load(path)
    assert not os.path.exists("/tmp/minitorch_pwned")


@pytest.mark.parametrize("lib", [minitorch, torch], ids=["minitorch", "torch"])
def test_arbitrary_objects_need_weights_only_false(lib, tmp_path):
    # collections.Counter is on torch's weights_only allow-list, fractions.Fraction is not
    lib.save({"p": collections.Counter("aab"), "q": fractions.Fraction(1, 3)}, tmp_path / "c.pt")
    with pytest.raises(pickle.UnpicklingError, match="fractions.Fraction"):
        lib.load(tmp_path / "c.pt")
    assert lib.load(tmp_path / "c.pt", weights_only=False)["q"] == fractions.Fraction(1, 3)
    lib.save({"p": collections.Counter("aab")}, tmp_path / "d.pt")
    assert lib.load(tmp_path / "d.pt")["p"] == collections.Counter("aab")


def test_truncated_and_corrupt_files_give_clear_errors(tmp_path):
    path = tmp_path / "ok.pt"
    minitorch.save({"w": minitorch.randn(100)}, path)
    data = path.read_bytes()
    (tmp_path / "cut.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(RuntimeError, match="truncated/corrupt"):
        minitorch.load(tmp_path / "cut.pt")
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint at all")
    with pytest.raises(RuntimeError, match="not a minitorch checkpoint"):
        minitorch.load(tmp_path / "junk.pt")
    with pytest.raises(FileNotFoundError):
        minitorch.load(tmp_path / "missing.pt")


def test_failed_save_leaves_previous_checkpoint_intact(tmp_path):
    path = tmp_path / "ckpt.pt"
    minitorch.save({"v": minitorch.tensor([1.0])}, path)

    class Unpicklable:
        def __reduce__(self):
            raise RuntimeError("crash mid-write")

    with pytest.raises(RuntimeError, match="crash mid-write"):
        minitorch.save({"v": minitorch.tensor([2.0]), "bad": Unpicklable()}, path)
    assert minitorch.load(path)["v"].tolist() == [1.0]
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.pt"]


def test_load_accepts_cpu_map_location_and_refuses_other_devices(tmp_path):
    minitorch.save(minitorch.ones(1), tmp_path / "a.pt")
    assert minitorch.load(tmp_path / "a.pt", map_location="cpu").tolist() == [1.0]
    with pytest.raises(RuntimeError, match="cpu"):
        minitorch.load(tmp_path / "a.pt", map_location="cuda:0")


def test_zero_dim_tensors_keep_their_shape(tmp_path):
    # BatchNorm's num_batches_tracked is 0-d: a checkpoint must load back into the same model
    bn = minitorch.nn.BatchNorm2d(3)
    bn(minitorch.randn(4, 3, 2, 2))
    minitorch.save({"model": bn.state_dict(), "scalar": minitorch.tensor(2.5)}, tmp_path / "bn.pt")
    loaded = minitorch.load(tmp_path / "bn.pt")
    assert loaded["scalar"].shape == () and loaded["scalar"].item() == 2.5
    assert loaded["model"]["num_batches_tracked"].shape == ()
    fresh = minitorch.nn.BatchNorm2d(3)
    fresh.load_state_dict(loaded["model"])
    assert fresh.num_batches_tracked.item() == 1


@pytest.mark.parametrize("lib", [minitorch, torch], ids=["minitorch", "torch"])
def test_weights_only_environment_overrides(lib, tmp_path, monkeypatch):
    # torch 2.6+: TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD lifts the default (with a warning) but not an explicit
    # weights_only=True; TORCH_FORCE_WEIGHTS_ONLY_LOAD overrides even weights_only=False; both at once is an error.
    path = tmp_path / "c.pt"
    lib.save({"p": fractions.Fraction(2, 3)}, path)
    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    with pytest.warns(UserWarning, match="forcing weights_only=False"):
        assert lib.load(path)["p"] == fractions.Fraction(2, 3)
    with pytest.raises(pickle.UnpicklingError):
        lib.load(path, weights_only=True)
    monkeypatch.setenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "true")
    with pytest.raises(RuntimeError, match="Only one of `TORCH_FORCE_WEIGHTS_ONLY_LOAD`"):
        lib.load(path)
    monkeypatch.delenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD")
    with pytest.raises(pickle.UnpicklingError):
        lib.load(path, weights_only=False)
