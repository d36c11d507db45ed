"""Deep linear networks and the analytic theory of their learning dynamics
(Saxe, McClelland & Ganguli 2014, 2019).

For whitened inputs (here one-hot items, Σxx = I), full-batch gradient
descent with learning rate λ on E = ½ Σ ‖y − ŷ‖² decouples along the
singular modes of the input–output correlation Σyx = U S Vᵀ.  The strength
a(t) = uᵀ W(t) v of a mode with singular value s follows, with τ = 1/λ
(time in epochs),

    two-layer (deep):  a(t) = s / (1 + (s/a₀ − 1) e^(−2st/τ))   — a sigmoid,
                       learned at t ≈ (τ/2s) ln(s/a₀): stronger modes first;
    one-layer (shallow): a(t) = s − (s − a₀) e^(−t/τ)            — every mode
                       on the same exponential time scale.

References
----------
Saxe, A. M., McClelland, J. L., & Ganguli, S. (2014). Exact solutions to the
nonlinear dynamics of learning in deep linear neural networks. *ICLR*.
Saxe, A. M., McClelland, J. L., & Ganguli, S. (2019). A mathematical theory
of semantic development in deep neural networks. *PNAS*, 116, 11537-11546.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy.optimize import minimize_scalar

__all__ = ["svd_modes", "mode_strengths", "deep_strength", "shallow_strength", "fit_a0", "half_time"]


def svd_modes(environment, input_group="item", output_group="attribute"):
    """The singular value decomposition of Σyx = Xᵀ Y.

    Returns
    -------
    s : ndarray (modes,)
    u : ndarray (items, modes)   — input (item) modes
    v : ndarray (units, modes)   — output (feature) modes
    """
    x, y = environment.inputs[input_group], environment.targets[output_group]
    if not np.allclose(x.T @ x, np.eye(x.shape[1])):
        raise ValueError("the theory assumes whitened inputs (Σxx = I), e.g. one-hot items")
    u, s, vt = np.linalg.svd(x.T @ y, full_matrices=False)
    # Fix signs so that each input mode sums to a non-negative value.
    signs = np.where(u.sum(axis=0) < 0, -1.0, 1.0)
    return s, u * signs, vt.T * signs


def mode_strengths(outputs, u, v):
    """a(t) = uᵀ Ŷ(t) v for each mode, from the recorded outputs of every
    item (which, for one-hot inputs, are the network's input–output map).

    ``outputs`` has dims (…, item, unit); returns (…, mode).
    """
    other = [d for d in outputs.dims if d not in ("item",) and not d.endswith("_unit")]
    unit = [d for d in outputs.dims if d.endswith("_unit")][0]
    m = outputs.transpose(*other, "item", unit).values
    a = np.einsum("im,...ij,jm->...m", u, m, v)
    coords = {k: c for k, c in outputs.coords.items() if set(c.dims) <= set(other)}
    return xr.DataArray(a, dims=other + ["mode"], coords=coords, name="mode_strength")


def deep_strength(s, a0, t, lr):
    """The two-layer network's mode strength at epochs ``t``."""
    return s / (1.0 + (s / a0 - 1.0) * np.exp(-2.0 * s * lr * np.asarray(t, dtype=float)))


def shallow_strength(s, a0, t, lr):
    """The one-layer network's mode strength at epochs ``t``."""
    return s - (s - a0) * np.exp(-lr * np.asarray(t, dtype=float))


def fit_a0(a, s, t, lr):
    """The initial strength a₀ that best fits a simulated deep curve ``a``
    (least squares over log a₀).  Random initial weights are not the
    decoupled initial conditions of the theory, so a₀ is an effective value."""
    def loss(log_a0):
        return float(((deep_strength(s, np.exp(log_a0), t, lr) - a) ** 2).sum())

    return float(np.exp(minimize_scalar(loss, bounds=(-25, np.log(s) - 1e-6), method="bounded").x))


def half_time(a, s, t):
    """The first epoch at which the strength reaches half its final value ``s``."""
    above = np.flatnonzero(np.asarray(a) >= 0.5 * s)
    return float(np.asarray(t)[above[0]]) if len(above) else np.nan
