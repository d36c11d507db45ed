"""Optimizers: how a gradient becomes a weight change.

Each optimizer turns ``∂E/∂p`` for every trainable parameter into a change
``Δp`` (:meth:`Optimizer.updates`), which :meth:`Optimizer.step` adds in place.
Settings may be one number for all replicas or one value per replica, so
that a sweep over learning rates, momenta or decays is a single vectorized
run.  Weight decay adds ``λ w`` to the gradient of every weight (not of
biases), so that with steepest descent ``Δw = −η (∂E/∂w + λ w)``.

References
----------
Jacobs, R. A. (1988). Increased rates of convergence through learning rate
adaptation. *Neural Networks*, 1, 295-307.
Kingma, D. P., & Ba, J. (2015). Adam: A method for stochastic optimization.
*ICLR*.
Rohde, D. L. T. (1999). *Lens: The light, efficient network simulator*.
Rumelhart, D. E., Hinton, G. E., & Williams, R. J. (1986). Learning
representations by back-propagating errors. *Nature*, 323, 533-536.
"""

from __future__ import annotations

import numpy as np

from ..exceptions import NetworkError

__all__ = [
    "Optimizer",
    "Steepest",
    "Momentum",
    "DougsMomentum",
    "DeltaBarDelta",
    "Adam",
    "OPTIMIZERS",
    "make_optimizer",
]


class Optimizer:
    """Base class.

    Subclasses list their settings in :attr:`defaults` and implement
    :meth:`updates`.  After :meth:`bind`, each setting is available as
    ``self.per_param[name][i]``: a float, or an array shaped to broadcast
    against parameter ``i`` (one value per replica).
    """

    name = ""
    defaults = {"lr": 0.1, "decay": 0.0}
    #: The per-parameter state arrays a run carries from step to step (kept
    #: with the results so that training can continue exactly).
    state_names = ()

    def __init__(self, **settings):
        unknown = set(settings) - set(self.defaults)
        if unknown:
            raise NetworkError(
                f"optimizer {self.name!r} has no setting {sorted(unknown)[0]!r}; "
                f"it takes {', '.join(self.defaults)}"
            )
        self.settings = {**self.defaults, **settings}
        self.params = None

    def bind(self, params, replicas, lr_scales=None, decays=None):
        """Prepare state for ``params``, a list of arrays with a leading replica axis.

        Parameters
        ----------
        lr_scales : list of float, optional
            A learning-rate multiplier per parameter.
        decays : list, optional
            Whether weight decay applies to each parameter (weights yes,
            biases no): True, False, or an array of 0s and 1s that
            broadcasts against the parameter.
        """
        self.params = params
        self.replicas = replicas
        self.lr_scales = lr_scales or [1.0] * len(params)
        self.decays = decays or [True] * len(params)
        self.frozen = None
        self._broadcast()
        self.init_state()
        return self

    def set(self, **settings):
        """Change settings mid-run (schedules); state is kept."""
        unknown = set(settings) - set(self.defaults)
        if unknown:
            raise NetworkError(f"optimizer {self.name!r} has no setting {sorted(unknown)[0]!r}")
        self.settings.update(settings)
        if self.params is not None:
            self._broadcast()

    def freeze(self, replicas):
        """Stop updating the given replicas (boolean mask), e.g. once they
        reach the stopping criterion."""
        mask = np.array(replicas, dtype=bool)  # a copy: the caller goes on updating its array
        frozen = mask if mask.any() else None
        if (frozen is None) != (self.frozen is None) or (
            frozen is not None and not np.array_equal(frozen, self.frozen)
        ):
            self.frozen = frozen
            self._broadcast()

    def _broadcast(self):
        self.per_param = {}
        for name, value in self.settings.items():
            v = per_replica(value, self.replicas, f"optimizer setting {name!r}")
            self.per_param[name] = [
                v if np.isscalar(v) else v.reshape((-1,) + (1,) * (p.ndim - 1)).astype(p.dtype)
                for p in self.params
            ]
        self.per_param["lr"] = [
            lr * s for lr, s in zip(self.per_param["lr"], self.lr_scales)
        ]
        self._keep = None
        if self.frozen is not None:
            # Frozen replicas get zero learning rate and momentum.
            keep = (~self.frozen).astype(self.params[0].dtype)
            self._keep = [keep.reshape((-1,) + (1,) * (p.ndim - 1)) for p in self.params]
            for name in ("lr", "momentum"):
                if name in self.per_param:
                    self.per_param[name] = [v * k for v, k in zip(self.per_param[name], self._keep)]
        self.neg_lr = [-lr for lr in self.per_param["lr"]]
        self.use_decay = [
            d is not False and not (np.isscalar(lam) and lam == 0)
            for d, lam in zip(self.decays, self.per_param["decay"])
        ]

    def init_state(self):
        """Allocate the optimizer's state (velocities, moments …)."""

    def get_state(self):
        """The state: for each name in :attr:`state_names`, one array per parameter."""
        return {name: getattr(self, name) for name in self.state_names}

    def set_state(self, state):
        """Copy a state from :meth:`get_state` into this optimizer."""
        for name in self.state_names:
            for mine, saved in zip(getattr(self, name), state[name]):
                mine[...] = saved

    def gradient_with_decay(self, i, g):
        """``g + λ w`` for weights, ``g`` for biases (``g`` may be overwritten)."""
        if self.use_decay[i]:
            mask = self.decays[i]
            if mask is True:
                g += self.per_param["decay"][i] * self.params[i]
            else:
                g += self.per_param["decay"][i] * self.params[i] * mask
        return g

    def update(self, i, g):
        """The change ``Δp`` of parameter ``i`` given its gradient ``g``,
        which it may overwrite."""
        raise NotImplementedError

    #: Whether :meth:`step` accepts gradients already multiplied by −η
    #: (``scaled=True``), which saves work when every parameter shares η.
    takes_scaled = False

    def step(self, grads, scaled=False):
        """Apply one update in place.

        ``grads`` lists ``∂E/∂p`` per parameter; the arrays may be overwritten.
        """
        self.begin(grads)
        for i, g in enumerate(grads):
            delta = self.update(i, g)
            if self._keep is not None:
                delta = delta * self._keep[i]
            self.params[i] += delta

    def begin(self, grads):
        """Called once per step before the per-parameter updates."""


class Steepest(Optimizer):
    """Steepest descent, ``Δw = −η ∂E/∂w``."""

    name = "steepest"
    takes_scaled = True

    def update(self, i, g):
        g = self.gradient_with_decay(i, g)
        g *= self.neg_lr[i]
        return g

    def step(self, grads, scaled=False):
        # The generic step, unrolled: this loop runs once per pattern.
        for i, g in enumerate(grads):
            if not scaled:
                if self.use_decay[i]:
                    g = self.gradient_with_decay(i, g)
                g *= self.neg_lr[i]
            self.params[i] += g


class Momentum(Optimizer):
    """Momentum descent, ``Δw(t) = −η ∂E/∂w + α Δw(t−1)`` (Rumelhart et al. 1986)."""

    name = "momentum"
    defaults = {"lr": 0.1, "momentum": 0.9, "decay": 0.0}
    state_names = ("velocity",)
    takes_scaled = True

    def init_state(self):
        self.velocity = [np.zeros_like(p) for p in self.params]

    def update(self, i, g, scaled=False):
        if not scaled:
            g = self.gradient_with_decay(i, g)
            g *= self.neg_lr[i]
        v = self.velocity[i]
        v *= self.per_param["momentum"][i]
        v += g
        return v

    def step(self, grads, scaled=False):
        # Frozen replicas have zero rate and momentum, so no mask is needed.
        self.begin(grads)
        for i, g in enumerate(grads):
            self.params[i] += self.update(i, g, scaled)


class DougsMomentum(Momentum):
    """Lens's ``dougsMomentum``: momentum descent whose pre-momentum step is
    bounded in length.

    Per replica, the gradient over all trainable parameters is divided by its
    Euclidean length when that exceeds 1, then ``Δw(t) = −η ĝ + α Δw(t−1)``.
    This lets training start with a high learning rate and momentum
    (Rohde 1999).
    """

    name = "dougs_momentum"
    takes_scaled = False

    def begin(self, grads):
        R = self.replicas
        sq = np.zeros(R)
        for i, g in enumerate(grads):
            g = self.gradient_with_decay(i, g)
            sq += (g * g).reshape(R, -1).sum(axis=1)
        scale = 1.0 / np.maximum(1.0, np.sqrt(sq))
        for g in grads:
            g *= scale.reshape((-1,) + (1,) * (g.ndim - 1))

    def update(self, i, g, scaled=False):
        # Decay was already added to g in begin().
        g *= self.neg_lr[i]
        v = self.velocity[i]
        v *= self.per_param["momentum"][i]
        v += g
        return v


class DeltaBarDelta(Optimizer):
    """Delta-bar-delta: a learning rate per connection (Jacobs 1988).

    Each connection's rate ``ε`` grows by ``increment`` (κ) while its
    gradient keeps the sign of its running average
    ``δ̄(t) = (1 − θ) δ(t) + θ δ̄(t−1)`` and shrinks by the factor
    ``1 − decrement`` (φ) when the sign flips; ``Δw(t) = −ε ∂E/∂w + α Δw(t−1)``.
    ``lr`` is every rate's starting value.  Plaut et al. (1996) trained their
    reading model with this rule and momentum.
    """

    name = "delta_bar_delta"
    defaults = {
        "lr": 0.001,
        "momentum": 0.0,
        "increment": 0.0001,
        "decrement": 0.1,
        "averaging": 0.7,
        "decay": 0.0,
    }
    state_names = ("rates", "bar", "velocity")

    def init_state(self):
        self._reset_rates()
        self.bar = [np.zeros_like(p) for p in self.params]
        self.velocity = [np.zeros_like(p) for p in self.params]

    def _reset_rates(self):
        self.rates = [np.array(np.broadcast_to(lr, p.shape), dtype=p.dtype)
                      for lr, p in zip(self.per_param["lr"], self.params)]

    def set(self, **settings):
        super().set(**settings)
        if "lr" in settings and self.params is not None:
            self._reset_rates()

    def update(self, i, g):
        s = self.per_param
        g = self.gradient_with_decay(i, g)
        agree = self.bar[i] * g
        rate = self.rates[i]
        rate += np.where(agree > 0, s["increment"][i], 0.0)
        rate *= np.where(agree < 0, 1.0 - s["decrement"][i], 1.0)
        bar = self.bar[i]
        bar *= s["averaging"][i]
        bar += (1.0 - s["averaging"][i]) * g
        v = self.velocity[i]
        v *= s["momentum"][i]
        v -= rate * g
        return v


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) with bias-corrected moment estimates."""

    name = "adam"
    defaults = {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "decay": 0.0}
    state_names = ("m", "v")

    def init_state(self):
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0

    def begin(self, grads):
        self.t += 1

    def get_state(self):
        return {**super().get_state(), "t": self.t}

    def set_state(self, state):
        super().set_state(state)
        self.t = int(state["t"])

    def update(self, i, g):
        s = self.per_param
        g = self.gradient_with_decay(i, g)
        b1, b2 = s["beta1"][i], s["beta2"][i]
        m, v = self.m[i], self.v[i]
        m *= b1
        m += (1.0 - b1) * g
        v *= b2
        v += (1.0 - b2) * (g * g)
        m_hat = m / (1.0 - b1**self.t)
        v_hat = v / (1.0 - b2**self.t)
        return -s["lr"][i] * m_hat / (np.sqrt(v_hat) + s["epsilon"][i])


OPTIMIZERS = {o.name: o for o in (Steepest, Momentum, DougsMomentum, DeltaBarDelta, Adam)}


def make_optimizer(name, **settings):
    """Build the optimizer called ``name`` with ``settings``; settings equal
    to None are left at their defaults."""
    if isinstance(name, Optimizer):
        if settings:
            name.set(**{k: v for k, v in settings.items() if v is not None})
        return name
    try:
        cls = OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise NetworkError(
            f"unknown optimizer {name!r}; expected one of {', '.join(OPTIMIZERS)}"
        ) from None
    return cls(**{k: v for k, v in settings.items() if v is not None})


def per_replica(value, replicas, what="setting"):
    """A setting as a float (same for all replicas) or a float array of length ``replicas``."""
    arr = np.asarray(value, dtype=float) if not isinstance(value, str) else None
    if arr is None or arr.ndim > 1:
        raise NetworkError(f"{what} must be a number or one number per replica, not {value!r}")
    if not np.isfinite(arr).all():
        raise NetworkError(f"{what} must be finite, not {value!r}")
    if arr.ndim == 0:
        return float(arr)
    if arr.shape[0] != replicas:
        raise NetworkError(f"{what} has {arr.shape[0]} values for {replicas} replicas")
    return arr
