"""Unit activation functions and their derivatives.

Each activation maps a net input to an output, ``act = f(net)``, and turns
``∂E/∂act`` into ``∂E/∂net`` in :meth:`Activation.backward`.  For the
elementwise functions that is ``f′(net) · grad``; for softmax it is the
product with the full Jacobian, ``o · (grad − Σ grad · o)``.

References
----------
Rumelhart, D. E., Hinton, G. E., & Williams, R. J. (1986). Learning
representations by back-propagating errors. *Nature*, 323, 533-536.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

__all__ = ["Activation", "ACTIVATIONS", "get_activation"]

#: Arrays with at least this many values per replica take the vectorized logistic path.
_LARGE = 512


class Activation:
    """An activation function ``f`` with its derivative.

    Subclasses set :attr:`name` and implement :meth:`forward` and
    :meth:`backward`.  Both take an optional ``out`` array to write into, so
    that the training loop can reuse its buffers.
    """

    name = ""

    def forward(self, net, out=None):
        """``f(net)``."""
        raise NotImplementedError

    def backward(self, net, act, grad, out=None):
        """Turn ``∂E/∂act`` into ``∂E/∂net``, given the net input and output.

        ``out``, when given, must be a different array from ``grad``.
        """
        raise NotImplementedError

    def __repr__(self):
        return self.name


class Logistic(Activation):
    """``f(x) = 1 / (1 + exp(−x))``; ``f′ = f (1 − f)``."""

    name = "logistic"

    def forward(self, net, out=None):
        # The two ways may differ in the last bit, so the choice depends on
        # the size of one replica's array: a replica must compute the same
        # numbers alone or among others.
        if net.size // net.shape[0] < _LARGE:
            return expit(net, out=out)
        # Large arrays: in float64 the compiled elementwise logistic (its exp vectorizes);
        # otherwise four vectorized passes (numpy's float32 exp is the faster there), which
        # beat scipy's expit; exp may overflow to inf for very negative net inputs, which
        # gives exactly 0.
        if net.dtype == np.float64:
            from .compiled import logistic

            result = logistic(net, np.empty_like(net) if out is None else out)
            if result is not None:
                return result
        out = np.negative(net, out=out)
        with np.errstate(over="ignore"):
            np.exp(out, out=out)
        out += 1.0
        return np.reciprocal(out, out=out)

    def backward(self, net, act, grad, out=None):
        out = np.subtract(1.0, act, out=out)
        out *= act
        out *= grad
        return out


class Tanh(Activation):
    """``f(x) = tanh(x)``; ``f′ = 1 − f²``."""

    name = "tanh"

    def forward(self, net, out=None):
        return np.tanh(net, out=out)

    def backward(self, net, act, grad, out=None):
        out = np.multiply(act, act, out=out)
        np.subtract(1.0, out, out=out)
        out *= grad
        return out


class Linear(Activation):
    """``f(x) = x``; ``f′ = 1``."""

    name = "linear"

    def forward(self, net, out=None):
        if out is None:
            return net.copy()
        np.copyto(out, net)
        return out

    def backward(self, net, act, grad, out=None):
        if out is None:
            return grad.copy()
        np.copyto(out, grad)
        return out


class ReLU(Activation):
    """``f(x) = max(0, x)``; ``f′ = 1`` where ``x > 0``, else 0."""

    name = "relu"

    def forward(self, net, out=None):
        return np.maximum(net, 0.0, out=out)

    def backward(self, net, act, grad, out=None):
        return np.multiply(grad, net > 0, out=out)


class Softmax(Activation):
    """``f(x)ᵢ = exp(xᵢ) / Σⱼ exp(xⱼ)`` over a group's units.

    Not elementwise: ``∂E/∂netᵢ = oᵢ (gᵢ − Σⱼ gⱼ oⱼ)`` for ``g = ∂E/∂o``.
    """

    name = "softmax"

    def forward(self, net, out=None):
        out = np.subtract(net, net.max(axis=-1, keepdims=True), out=out)
        np.exp(out, out=out)
        out /= out.sum(axis=-1, keepdims=True)
        return out

    def backward(self, net, act, grad, out=None):
        dot = (grad * act).sum(axis=-1, keepdims=True)
        out = np.subtract(grad, dot, out=out)
        out *= act
        return out


ACTIVATIONS = {a.name: a for a in (Logistic(), Tanh(), Linear(), ReLU(), Softmax())}


def get_activation(name):
    """Return the activation called ``name`` (``logistic``, ``tanh``, ``linear``,
    ``relu`` or ``softmax``)."""
    if isinstance(name, Activation):
        return name
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {name!r}; expected one of {', '.join(ACTIVATIONS)}"
        ) from None
