"""The kernels are also plain Python: NUMBA_DISABLE_JIT=1 must give the same results.

That mode is how one steps through a kernel in a debugger, so it has to stay correct.
A subprocess (the flag is read at numba import) runs a few small cases that touch every
branch (padding, dilation, ceil_mode, NaN, both layouts, 1-3 spatial dims); this
process compares them with the compiled kernels, which the other tests check
against torch.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np

CASES = textwrap.dedent(
    """
    import numpy as np
    from minitorch import kernels as K

    def cases():
        rng = np.random.default_rng(0)
        x2 = rng.standard_normal((2, 3, 7, 6)).astype(np.float32)
        x2[0, 1, 2, 3] = np.nan
        x3 = rng.standard_normal((1, 2, 4, 5, 5))
        out = {}
        cols = K.im2col(x2, (3, 2), (2, 1), (1, 1), (1, 2))
        out["im2col2d"] = cols
        out["col2im2d"] = K.col2im(cols, x2.shape, (3, 2), (2, 1), (1, 1), (1, 2))
        cols3 = K.im2col(x3, (2, 3, 2), (1, 2, 1), (1, 0, 1), (2, 1, 1))
        out["im2col3d"] = cols3
        out["col2im3d"] = K.col2im(cols3, x3.shape, (2, 3, 2), (1, 2, 1), (1, 0, 1), (2, 1, 1))
        out["im2col1d"] = K.im2col(x2[:, :, 0], (3,), (2,), (1,), (1,))
        values, indices = K.max_pool_forward(x2, (3, 3), (2, 2), (1, 1), (1, 1), True)
        out["max_values"], out["max_indices"] = values, indices
        out["max_grad"] = K.max_pool_backward(values, indices, x2.shape, 2)
        out["max1d"] = K.max_pool_forward(x2[0], (2,), (2,), (1,), (2,), True)[0]
        avg = K.avg_pool_forward(x2, (3, 2), (2, 2), (1, 1), True, False, None)
        out["avg"] = avg
        out["avg_grad"] = K.avg_pool_backward(avg, x2.shape, (3, 2), (2, 2), (1, 1), False, None)
        out["avg_div"] = K.avg_pool_forward(x2, (2, 2), (1, 2), (1, 0), False, True, 3)
        from minitorch.kernels import batch_norm, direct_conv, optimizer_steps, window_pool
        from minitorch.kernels.conv_gemm import Geometry
        direct = Geometry((3, 2), (1, 1), (1, 0), (2, 1), 3)
        w = rng.standard_normal((6, 1, 3, 2)).astype(np.float32)
        out["direct_y"] = direct_conv.forward(x2, w, w[:, 0, 0, 0], direct)
        out["direct_gw"] = direct_conv.weight_grad(x2, out["direct_y"] * 2, w.shape, direct)
        x3k = x2[1].reshape(3, 7, 6)
        mean, var = batch_norm.moments(x3k)
        out["bn_mean"], out["bn_var"] = mean, var
        invstd, scale = 1 / np.sqrt(var + 1e-5), np.linspace(0.5, 2, 7)
        out["bn_y"] = batch_norm.normalize(x3k, mean, invstd, scale, -scale)
        out["bn_gx"], out["bn_sum_g"], out["bn_sum_gxhat"] = batch_norm.backward(x3k, x3k * 2, mean, invstd, scale, True)
        out["bn_gx_fixed"] = batch_norm.backward(x3k, x3k * 2, mean, invstd, scale, False)[0]
        starts, ends = np.array([[0, 2]]), np.array([[4, 7]])
        out["window_max"], out["window_at"] = window_pool.window_max(x2[1], starts, ends, starts[:, :1], ends[:, :1] - 1)
        p, g, m, v = (rng.standard_normal(50).astype(np.float32) for _ in range(4))
        v = np.abs(v)
        v_max = v * 2
        optimizer_steps.adam_step(p, g, m, v, v_max, 0.9, 0.999, 1e-8, 0.01, 0.5)
        out["adam_param"], out["adam_v_max"] = p, v_max
        optimizer_steps.sgd_momentum_step(p, g, m, False, 0.9, 0.1, True, 0.01)
        out["sgd_param"], out["sgd_buf"] = p, m
        from minitorch.kernels import recurrent
        i, f, g, o, c, tanh_c, grad_h, grad_c = (rng.random((3, 4)) for _ in range(8))
        out["lstm_d_gates"], out["lstm_d_c"] = np.empty((3, 16)), np.empty((3, 4))
        recurrent.lstm_step_backward(i, f, g, o, c, tanh_c, grad_h, grad_c, out["lstm_d_gates"], out["lstm_d_c"])
        out["gru_d_x"], out["gru_d_h_proj"], out["gru_d_h"] = np.empty((3, 12)), np.empty((3, 12)), np.empty((3, 4))
        recurrent.gru_step_backward(i, f, g, o, c, grad_h, out["gru_d_x"], out["gru_d_h_proj"], out["gru_d_h"])
        from minitorch.kernels import winograd
        w3 = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
        out["winograd_y"] = winograd.forward(x2, w3, w3[:, 0, 0, 0], (1, 2), (7, 8))
        out["winograd_gx"], out["winograd_gw"] = winograd.backward(
            out["winograd_y"] * 2, x2, w3, x2.shape, w3.shape, (1, 2), True, True)
        return out
    """
)


def test_kernels_give_the_same_results_without_jit(tmp_path):
    (tmp_path / "kernel_cases.py").write_text(CASES)
    script = (
        "import importlib, sys, numpy as np\n"
        "from numba.core.dispatcher import Dispatcher\n"
        "module = importlib.import_module('minitorch.kernels.pooling')\n"
        "assert not isinstance(module._max_pool_kernel.parallel, Dispatcher), 'JIT still on'\n"
        "from kernel_cases import cases\n"
        "np.savez(sys.argv[1], **cases())\n"
    )
    pythonpath = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, NUMBA_DISABLE_JIT="1", PYTHONPATH=pythonpath)
    result_file = tmp_path / "nojit.npz"
    subprocess.run(
        [sys.executable, "-c", script, str(result_file)], env=env, check=True, timeout=120
    )

    sys.path.insert(0, str(tmp_path))
    try:
        from kernel_cases import cases
    finally:
        sys.path.remove(str(tmp_path))
    compiled = cases()
    without_jit = np.load(result_file)
    assert sorted(without_jit.files) == sorted(compiled)
    for name, expected in compiled.items():
        got = without_jit[name]
        assert got.dtype == expected.dtype, name
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6, err_msg=name)
