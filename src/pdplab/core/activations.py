"""Unit activation functions and their derivatives.

Each activation maps a net input to an output, ``out = f(net)``, and turns
``dE/d out`` into ``dE/d net`` in :meth:`Activation.backward`.  For the
elementwise functions that is ``f'(net) * grad``; for softmax it is the
product with the full Jacobian, ``o * (grad - sum(grad * o))``.

References
----------
Rumelhart, D. E., Hinton, G. E., & Williams, R. J. (1986). Learning
representations by back-propagating errors. *Nature*, 323, 533-536.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

__all__ = ["Activation", "ACTIVATIONS", "get_activation"]

#: Arrays at least this large take the vectorized logistic path.
_LARGE = 4096


class Activation:
    """An activation function ``f`` with its derivative.

    Subclasses set :attr:`name` and implement :meth:`forward` and
    :meth:`derivative`, the latter written in terms of the output
    (and net input where needed) so that no extra function call is made.
    """

    name = ""
    #: True when ``f'`` depends on a unit's own net input only.
    elementwise = True
    #: The range of outputs, used to validate targets.
    output_range = (-np.inf, np.inf)

    def forward(self, net):
        raise NotImplementedError

    def derivative(self, net, out):
        """``f'(net)``, elementwise."""
        raise NotImplementedError

    def backward(self, net, out, grad):
        """Turn ``dE/d out`` into ``dE/d net``."""
        return self.derivative(net, out) * grad

    def __repr__(self):
        return self.name


class Logistic(Activation):
    """``f(x) = 1 / (1 + exp(-x))``; ``f' = f (1 - f)``."""

    name = "logistic"
    output_range = (0.0, 1.0)

    def forward(self, net):
        if net.size < _LARGE:
            return expit(net)
        # Four vectorized passes beat scipy's expit on large arrays; exp may
        # overflow to inf for very negative net inputs, which gives exactly 0.
        out = np.negative(net)
        with np.errstate(over="ignore"):
            np.exp(out, out=out)
        out += 1.0
        return np.reciprocal(out, out=out)

    def derivative(self, net, out):
        return out * (1.0 - out)


class Tanh(Activation):
    """``f(x) = tanh(x)``; ``f' = 1 - f²``."""

    name = "tanh"
    output_range = (-1.0, 1.0)

    def forward(self, net):
        return np.tanh(net)

    def derivative(self, net, out):
        return 1.0 - out * out


class Linear(Activation):
    """``f(x) = x``; ``f' = 1``."""

    name = "linear"

    def forward(self, net):
        return net.copy()

    def derivative(self, net, out):
        return np.ones_like(net)

    def backward(self, net, out, grad):
        return grad


class ReLU(Activation):
    """``f(x) = max(0, x)``; ``f' = 1`` where ``x > 0``, else 0."""

    name = "relu"
    output_range = (0.0, np.inf)

    def forward(self, net):
        return np.maximum(net, 0.0)

    def derivative(self, net, out):
        return (net > 0).astype(net.dtype)


class Softmax(Activation):
    """``f(x)_i = exp(x_i) / sum_j exp(x_j)`` over a group's units.

    Not elementwise: ``dE/d net_i = o_i (g_i - sum_j g_j o_j)`` for
    ``g = dE/d out``.
    """

    name = "softmax"
    elementwise = False
    output_range = (0.0, 1.0)

    def forward(self, net):
        shifted = net - net.max(axis=-1, keepdims=True)
        e = np.exp(shifted)
        e /= e.sum(axis=-1, keepdims=True)
        return e

    def derivative(self, net, out):
        raise TypeError("softmax has no elementwise derivative; use backward()")

    def backward(self, net, out, grad):
        return out * (grad - (grad * out).sum(axis=-1, keepdims=True))


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
