"""examples/train_mnist.py runs unchanged on 2 ranks: DDP, rank 0 alone prints and checkpoints."""
import minitorch as torch

from .conftest import ROOT, requires_mpi, run_job


@requires_mpi
def test_train_mnist_on_two_ranks(tmp_path):
    checkpoint = tmp_path / "lenet.pt"
    result = run_job(2, str(ROOT / "examples" / "train_mnist.py"), "--epochs", "1", "--train-limit", "640",
                     "--test-limit", "200", "--no-progress", "--checkpoint", str(checkpoint),
                     "--out", str(tmp_path / "figures"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("epoch 1:") == 1                  # printed by rank 0 only
    state = torch.load(str(checkpoint))
    assert state["epoch"] == 1 and not any(k.startswith("module.") for k in state["model"])
    assert not (tmp_path / "lenet.pt.tmp").exists()
