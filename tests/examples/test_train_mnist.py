"""The training example on real MNIST: a short run learns, and --resume reproduces an uninterrupted run."""
import os
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples"))

import train_mnist  # noqa: E402


def _flags(tmp_path, *extra):
    return ["--no-progress", "--out", str(tmp_path / "out"), "--checkpoint", str(tmp_path / "ck.pt"), *extra]


def test_short_lenet_run_beats_95_percent_and_writes_figures(tmp_path):
    result = train_mnist.main(_flags(tmp_path, "--model", "lenet", "--epochs", "1", "--train-limit", "19200"))
    assert result["history"][-1]["test_acc"] > 0.95
    for path in result["figures"]:
        with open(path, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert os.path.exists(tmp_path / "ck.pt")


def test_resume_continues_exactly_like_an_uninterrupted_run(tmp_path, monkeypatch):
    common = ["--model", "cnn", "--train-limit", "256", "--test-limit", "500", "--batch-size", "32",
              "--epochs", "2"]
    straight = train_mnist.main(_flags(tmp_path / "a", *common))

    # The same run, killed during epoch 2 (after epoch 1's checkpoint), then resumed.
    evaluate = train_mnist.evaluate
    calls = []

    def killed_in_second_epoch(*args):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return evaluate(*args)

    monkeypatch.setattr(train_mnist, "evaluate", killed_in_second_epoch)
    with pytest.raises(KeyboardInterrupt):
        train_mnist.main(_flags(tmp_path / "b", *common))
    monkeypatch.setattr(train_mnist, "evaluate", evaluate)
    resumed = train_mnist.main(_flags(tmp_path / "b", *common, "--resume"))
    assert [h["epoch"] for h in resumed["history"]] == [1, 2]
    for (name, a), (_, b) in zip(straight["model"].state_dict().items(), resumed["model"].state_dict().items()):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)
    assert straight["history"][-1]["test_loss"] == resumed["history"][-1]["test_loss"]
