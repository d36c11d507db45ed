"""Deep linear networks and the analytic theory of their learning dynamics
(Saxe, McClelland & Ganguli 2014, 2019).

For whitened inputs (here one-hot items, Σxx = I), full-batch gradient
descent with learning rate λ on E = ½ Σ ‖y − ŷ‖² decouples along the
singular modes of the input–output correlation Σyx = U S Vᵀ.  The strength
a(t) = uᵀ W(t) v of a mode with singular value s follows, with τ = 1/λ
(time in epochs),

    two-layer (deep):  a(t) = s / (1 + (s/a₀ − 1) e^(−2st/τ))   — a sigmoid
                       (Saxe et al. 2014, eq. 12), at half strength at
                       t½ = (τ/2s) ln(s/a₀ − 1) (eq. 11): stronger modes first;
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

__all__ = ["svd_modes", "mode_strengths", "deep_strength", "shallow_strength", "mode_roles", "fit_common_a0",
           "half_time", "deep_half_time", "shallow_half_time"]


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


def mode_roles(u, domain, category, tol=0.1):
    """What each item mode (column of ``u``) distinguishes in a two-level
    hierarchy of items: ``"all items"`` (one sign throughout), ``"domains"``
    (one sign per domain, opposite between them), ``"categories within D"``
    (loads on domain D alone, one sign per category, opposite between
    them), ``"items within categories"`` (differences between items of a
    category carry all but ``tol`` of the mode's squared length) or
    ``"mixed"``.  Loadings below ``tol`` times the largest count as 0.

    >>> import numpy as np
    >>> u = np.array([[.5, .5, .5, .5], [.5, .5, -.5, -.5], [.7, -.7, 0, 0], [0, 0, .7, -.7]]).T
    >>> mode_roles(u, ["p", "p", "a", "a"], ["t", "f", "b", "c"])
    ['all items', 'domains', 'categories within p', 'categories within a']
    """
    domain, category = np.asarray(domain), np.asarray(category)
    roles = []
    for x in np.asarray(u, dtype=float).T:
        if not np.abs(x).max() > 0:
            roles.append("mixed")
            continue
        small = np.abs(x) < tol * np.abs(x).max()
        sign = np.where(small, 0, np.sign(x))
        same_within = all(len(set(sign[category == c])) == 1 for c in set(category))
        if (sign == sign[0]).all() and sign[0] != 0:
            roles.append("all items")
        elif all(len(set(sign[domain == d])) == 1 for d in set(domain)) and 0 not in sign and len(set(sign)) == 2:
            roles.append("domains")
        elif same_within and len({d for d in domain[sign != 0]}) == 1 and len(set(sign[sign != 0])) == 2:
            roles.append(f"categories within {domain[sign != 0][0]}")
        elif sum(((x[category == c] - x[category == c].mean()) ** 2).sum() for c in set(category)) \
                >= (1 - tol) * (x ** 2).sum():
            roles.append("items within categories")
        else:
            roles.append("mixed")
    return roles


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


def fit_common_a0(a, s, t, lr):
    """One initial strength a₀ for every mode of one network: least squares
    over the curves ``a`` (epoch, mode), each mode's residuals divided by its
    ``s`` so that every mode counts alike.  The theory's timing of each mode
    then follows from its singular value alone."""
    s, a = np.asarray(s, dtype=float), np.asarray(a, dtype=float)
    if not (s > 0).all() or not lr > 0 or not np.isfinite(a).all() or len(t) < 2:
        raise ValueError("fit_common_a0: needs positive singular values, a positive learning rate and finite "
                         "strengths at two or more epochs")

    def loss(log_a0):
        return float((((deep_strength(s, np.exp(log_a0), np.asarray(t)[:, None], lr) - a) / s) ** 2).sum())

    low, high = -60.0, np.log(s.min()) - 1e-6
    fit = minimize_scalar(loss, bounds=(low, high), method="bounded", options={"xatol": 1e-8}).x
    if fit - low < 1e-3 or high - fit < 1e-3:
        raise ValueError(f"fit_common_a0: the fitted a₀ ({np.exp(fit):.3g}) lies at the edge of its range; "
                         f"the curves do not look like the theory's sigmoids")
    return float(np.exp(fit))


def deep_half_time(s, a0, lr):
    """The epoch at which a deep network's mode reaches half strength:
    (1/2sλ) ln(s/a₀ − 1) (Saxe et al. 2014, eq. 11 with u_f = s/2)."""
    s = np.asarray(s, dtype=float)
    return np.log(s / a0 - 1.0) / (2.0 * s * lr)


def shallow_half_time(lr, s=1.0, a0=0.0):
    """The epoch at which a shallow network's mode reaches half strength:
    (1/λ) ln(2(s − a₀)/s), which is ln 2/λ for every mode when a₀ = 0."""
    return np.log(2.0 * (s - a0) / s) / lr


def half_time(a, s, t):
    """The epoch at which the strength ``a`` first reaches half its final
    value ``s``, interpolated linearly between the recorded epochs ``t``
    (NaN if it never does)."""
    a, t = np.asarray(a, dtype=float), np.asarray(t, dtype=float)
    if not s > 0:
        raise ValueError(f"half_time: the final strength s must be positive, not {s!r}")
    above = np.flatnonzero(a >= 0.5 * s)
    if not len(above):
        return np.nan
    i = above[0]
    if i == 0:
        return float(t[0])
    return float(t[i - 1] + (0.5 * s - a[i - 1]) / (a[i] - a[i - 1]) * (t[i] - t[i - 1]))
