"""The elementwise backward of one LSTM or GRU step in one compiled pass.

A step's gradient formulas (`_ops/recurrent.py`'s docstring) are about twenty products and
sums over arrays of (batch, hidden) values: through numpy, twenty calls and as many
temporaries, ~80 us for time_sequence_prediction's 97 x 51 float64 step, which runs 2000
times per backward. Compiled, each value is read once and its gradients written once
(~10 us). The formulas involve no transcendental function (the forward's activations are
saved), so nothing here is slower than numpy's vectorised loops. The forward's sigmoids and
tanhs stay in numpy, whose exp is vectorised and numba's is not.

The arithmetic follows `_ops/recurrent.py`'s `_lstm_gradients` and `_gru_gradients` (the
formulas on tensors, for create_graph=True) term by term; tests compare both with torch.

Bounds: every array is (N, H) but `d_gates`/`d_x_proj`/`d_h_proj`, (N, k*H), which the op
layer makes from the same N and H; the loops run over range(N) and range(H).
"""
from __future__ import annotations

from numba import njit


@njit(cache=True)
def lstm_step_backward(i, f, g, o, c, tanh_c, grad_h, grad_c, d_gates, d_c):
    """d_gates (N, 4H) and d_c (N, H) of one LSTM step, from its activations i, f, g, o, the cell
    state before it c, tanh(c') and the gradients of h' and c'."""
    n_rows, hidden = c.shape
    for n in range(n_rows):
        for k in range(hidden):
            gh = grad_h[n, k]
            ii, ff, gg, oo, tc = i[n, k], f[n, k], g[n, k], o[n, k], tanh_c[n, k]
            dc = grad_c[n, k] + gh * oo * (1 - tc * tc)
            d_gates[n, k] = dc * gg * ii * (1 - ii)
            d_gates[n, hidden + k] = dc * c[n, k] * ff * (1 - ff)
            d_gates[n, 2 * hidden + k] = dc * ii * (1 - gg * gg)
            d_gates[n, 3 * hidden + k] = gh * tc * oo * (1 - oo)
            d_c[n, k] = dc * ff


@njit(cache=True)
def gru_step_backward(r, z, new, h_n, h, grad_h, d_x_proj, d_h_proj, d_h):
    """d_x_proj, d_h_proj (N, 3H) and the part of d_h (N, H) that does not go through W_hh, of one
    GRU step, from its r, z, n, h_n (= h W_hn^T + b_hn), the state before it h and the gradient
    of h'."""
    n_rows, hidden = h.shape
    for n in range(n_rows):
        for k in range(hidden):
            gh = grad_h[n, k]
            rr, zz, nn = r[n, k], z[n, k], new[n, k]
            dn = gh * (1 - zz) * (1 - nn * nn)
            dr = dn * h_n[n, k] * rr * (1 - rr)
            dz = gh * (h[n, k] - nn) * zz * (1 - zz)
            d_x_proj[n, k] = dr
            d_x_proj[n, hidden + k] = dz
            d_x_proj[n, 2 * hidden + k] = dn
            d_h_proj[n, k] = dr
            d_h_proj[n, hidden + k] = dz
            d_h_proj[n, 2 * hidden + k] = dn * rr
            d_h[n, k] = gh * zz
