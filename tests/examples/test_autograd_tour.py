"""The autograd tour runs end to end and prints what each section promises."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples"))

import autograd_tour  # noqa: E402


def test_tour_runs_and_prints_every_section(tmp_path, capsys):
    autograd_tour.main(["--out", str(tmp_path)])
    printed = capsys.readouterr().out
    assert "(tensor([6.], grad_fn=<MulBackward0>),)\n(tensor([2.]),)" in printed  # the seed notes' output
    assert "gradients accumulate: a.grad = tensor([5., 7.])" in printed
    assert "403.5954 = 403.4288 (ExpBackward0) + 0.1667 (LogBackward0)" in printed
    assert "step 3: LogBackward0" in printed and "'MulBackward0': 1" in printed
    assert "errors: ['PlantedBugSquareBackward']" in printed
    assert "lenet5: " in printed and "5 module clusters" in printed
    assert os.path.exists(tmp_path / "mlp.dot") and os.path.exists(tmp_path / "lenet5.dot")
    assert "digraph backward" in (tmp_path / "lenet5.dot").read_text()
