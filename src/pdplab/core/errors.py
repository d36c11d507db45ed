"""Error functions for output groups, with Lens-style tolerance radii.

Two error functions are provided:

``sse``
    Sum-squared error, ``E = ½ Σₖ (tₖ − oₖ)²`` (Rumelhart, Hinton & Williams 1986).
``cross_entropy``
    For logistic outputs ``E = Σₖ tₖ ln(tₖ/oₖ) + (1−tₖ) ln((1−tₖ)/(1−oₖ))``;
    for softmax outputs ``E = Σₖ tₖ ln(tₖ/oₖ)``.  This is the cross-entropy
    less the entropy of the target, so that a perfect output has zero
    error (as in Lens); the gradient is the usual one, ``∂E/∂netₖ = oₖ − tₖ``
    (Hinton 1989).

Two radii, in the sense of Lens (Rohde 1999), relax the target:

``target_radius`` *r*
    An output within *r* of its target counts as exact; further away, the
    error is measured to the near edge of the band ``[t − r, t + r]``.
    Plaut et al. (1996) trained their reading model to targets of 0.1 and
    0.9 with no error beyond them: that is a target radius of 0.1 on 0/1
    targets (an output within 0.1 of its target gives no error; otherwise
    the error is measured against 0.1 or 0.9), not a zero-error radius.
``zero_error_radius`` *z*
    An output within *z* of its target gives no error and no gradient;
    further away, the error is measured to the target itself.

With both, an output within *z* gives no error, and one further away is
compared with its target moved by up to *r* towards it (Lens's
``ADJUSTED_TARGET`` in ``Src/act.h``).

References
----------
Hinton, G. E. (1989). Connectionist learning procedures. *Artificial
Intelligence*, 40, 185-234.
Plaut, D. C., McClelland, J. L., Seidenberg, M. S., & Patterson, K. (1996).
Understanding normal and impaired word reading. *Psychological Review*,
103, 56-115.
Rohde, D. L. T. (1999). *Lens: The light, efficient network simulator*.
Carnegie Mellon University.
"""

from __future__ import annotations

import numpy as np
from scipy.special import xlogy

__all__ = ["ErrorFunction", "ERRORS", "get_error", "effective_target"]

_EPS = 1e-12


def _eps(dtype):
    """How far from 0 and 1 an output is clipped before its log is taken:
    1e-12, or the dtype's own resolution where that is coarser (in float32,
    1 − 1e-12 is 1.0 and its log would be infinite)."""
    return max(_EPS, float(np.finfo(dtype).eps))


def _xlogx(x, scratch):
    """x ln x, 0 where x is 0 (``scratch``: an array to work in, of the result's shape if it can be)."""
    if scratch.shape != np.broadcast_shapes(scratch.shape, x.shape):
        scratch = np.empty(np.broadcast_shapes(scratch.shape, x.shape), scratch.dtype)
    scratch[...] = 0
    np.log(x, out=scratch, where=x > 0)
    return scratch * x


def effective_target(out, target, target_radius=0.0, zero_error_radius=0.0):
    """The target an output is compared with, after the tolerance radii.

    Returns
    -------
    target : ndarray
        ``target`` moved toward ``out`` by at most ``target_radius``
        (unchanged when the radius is 0), broadcast to ``out``'s shape.
    mask : ndarray or None
        1 where the error counts and 0 inside ``zero_error_radius``;
        None when that radius is 0.
    """
    mask = None
    if zero_error_radius > 0:
        mask = (np.abs(out - target) >= zero_error_radius).astype(out.dtype)
    if target_radius > 0:
        target = np.clip(out, target - target_radius, target + target_radius)
    return target, mask


class ErrorFunction:
    """An error measure ``E(out, target)`` summed over a group's units."""

    name = ""
    #: The activations whose outputs this error accepts.
    activations = ("logistic", "tanh", "linear", "relu", "softmax")

    def value(self, out, target):
        """Error per pattern, summed over the last (unit) axis."""
        raise NotImplementedError

    def net_gradient(self, activation, net, out, target, buf=None, scratch=None):
        """``∂E/∂net`` for the output units, written into ``buf`` when given
        (``scratch``, if given, is another array of that shape to work in)."""
        raise NotImplementedError

    def __repr__(self):
        return self.name


class SumSquared(ErrorFunction):
    name = "sse"

    def value(self, out, target):
        diff = out - target
        return 0.5 * np.einsum("...k,...k->...", diff, diff)

    def net_gradient(self, activation, net, out, target, buf=None, scratch=None):
        diff = np.subtract(out, target, out=scratch)
        return activation.backward(net, out, diff, out=buf)


class CrossEntropy(ErrorFunction):
    """Cross-entropy for logistic units, measured from the target's entropy."""

    name = "cross_entropy"
    activations = ("logistic", "softmax")  # outputs that are probabilities

    def value(self, out, target):
        # In place where possible: records measure this on every item every epoch.
        eps = _eps(out.dtype)
        o = np.clip(out, eps, 1.0 - eps)
        u = 1.0 - target
        e = np.log(o)
        e *= target
        np.log1p(np.negative(o, out=o), out=o)
        o *= u
        e += o
        np.negative(e, out=e)
        if ((target > 0) & (target < 1)).any():
            e += _xlogx(target, o) + _xlogx(u, o)  # less the target's own entropy
            np.maximum(e, 0.0, out=e)  # ≥ 0 in exact arithmetic; rounding must not make it negative
        return e.sum(axis=-1)

    def net_gradient(self, activation, net, out, target, buf=None, scratch=None):
        if activation.name == "softmax":
            g = np.multiply(out, target.sum(axis=-1, keepdims=True), out=buf)
            g -= target
            return g
        return np.subtract(out, target, out=buf)


class SoftmaxCrossEntropy(CrossEntropy):
    """Cross-entropy for a softmax group: ``E = Σₖ tₖ ln(tₖ/oₖ)``."""

    def value(self, out, target):
        o = np.clip(out, _eps(out.dtype), 1.0)
        return (xlogy(target, target) - xlogy(target, o)).sum(axis=-1)


ERRORS = {e.name: e for e in (SumSquared(), CrossEntropy())}
_SOFTMAX_CE = SoftmaxCrossEntropy()


def get_error(name, activation=None):
    """Return the error function called ``name`` (``sse`` or ``cross_entropy``),
    specialised for ``activation`` where the form depends on it."""
    if isinstance(name, ErrorFunction):
        return name
    try:
        error = ERRORS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown error function {name!r}; expected one of {', '.join(ERRORS)}"
        ) from None
    if error.name == "cross_entropy" and getattr(activation, "name", activation) == "softmax":
        return _SOFTMAX_CE
    return error
