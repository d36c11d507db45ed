"""Optimizers: how a gradient becomes a weight change.

Each optimizer turns ``∂E/∂p`` for every trainable parameter into a change
``Δp`` (:meth:`Optimizer.updates`), which :meth:`Optimizer.step` adds in place.
Settings may be one number for all replicas or one value per replica, so
that a sweep over learning rates, momenta or decays is a single vectorized
run.  Weight decay adds ``λ w`` to the gradient of every weight (not of
biases), so that with steepest descent ``Δw = −η (∂E/∂w + λ w)``; the one
exception is :class:`LensDeltaBarDelta`, which, as Lens does, subtracts
``λ w`` from the weight change directly (not scaled by η).

There are two delta-bar-delta optimizers: ``delta_bar_delta``
(:class:`DeltaBarDelta`) follows Jacobs (1988), with additive rate increases
against an averaged gradient; ``lens_delta_bar_delta``
(:class:`LensDeltaBarDelta`) is Lens's ``deltaBarDelta`` algorithm, with a
gain per connection that multiplies the learning rate.

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
    "LensDeltaBarDelta",
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

    def check_settings(self, settings):
        """Refuse settings out of their range (an optimizer with ranges overrides this)."""

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
    """Delta-bar-delta as Jacobs (1988) defines it: a learning rate per connection.

    Each connection's rate ``ε`` grows by ``increment`` (κ) while its
    gradient keeps the sign of its running average
    ``δ̄(t) = (1 − θ) δ(t) + θ δ̄(t−1)`` and shrinks by the factor
    ``1 − decrement`` (φ) when the sign flips; ``Δw(t) = −ε ∂E/∂w + α Δw(t−1)``.
    ``lr`` is every rate's starting value, and a schedule that changes
    ``lr`` sets every rate back to it.

    This is not Lens's ``deltaBarDelta``: for that (a gain per connection
    multiplying the learning rate, compared with the last weight change, and
    kept when a schedule changes the rate) use ``lens_delta_bar_delta``
    (:class:`LensDeltaBarDelta`).
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


class LensDeltaBarDelta(Optimizer):
    """Lens's delta-bar-delta (``deltaBarDelta`` in Lens 2.63): a gain per
    connection that multiplies the learning rate.

    For each connection, with gain ``γ``, gradient ``g = ∂E/∂w`` and last
    weight change ``Δw(t−1)``:

    1. ``γ ← γ + κ`` (``increment``) if ``g`` and ``Δw(t−1)`` have opposite
       signs, i.e. the weight keeps moving downhill in the direction it last
       moved; otherwise ``γ ← φ γ`` (``decrement``, a factor, not a
       decrement).  The signs are those of the numbers' sign bits, as Lens
       tests them, so a zero counts by its sign bit: on the first step, when
       ``Δw(t−1) = +0``, gains of connections with a negative gradient grow
       to ``1 + κ`` and all others shrink to ``φ``.
    2. ``Δw(t) = −η γ g + α Δw(t−1) − λ w``, where η is ``lr`` (times the
       projection's ``lr_scale``), α ``momentum`` and λ ``decay``.  Weight
       decay enters the change directly, not scaled by η or γ, and through
       ``Δw(t−1)`` it is carried by momentum.  Biases are not decayed.
    3. ``w ← w + Δw(t)``, and the change remembered for the next step is the
       one the weight actually made, ``w(t) − w(t−1)`` (as Lens stores it).

    Gains start at 1 and have no bounds.  Because the gain multiplies η, a
    schedule that changes ``lr`` or ``momentum`` keeps the gains (and the
    last changes): the steps scale with the new rate.  Replicas that have
    reached the training criterion (:meth:`Optimizer.freeze`) keep their
    weights, gains and last changes unchanged, as Lens leaves a frozen link
    untouched.  The gains and last changes are the optimizer's state, saved
    with the results so that a run continues exactly.

    Parameters
    ----------
    lr : float or sequence of float
        η ≥ 0 (Lens's default 0.1).
    momentum : float or sequence of float
        0 ≤ α < 1 (Lens's default 0.9).
    increment : float or sequence of float
        κ ≥ 0, added to a gain (Lens's ``rateIncrement``, default 0.1).
    decrement : float or sequence of float
        0 ≤ φ ≤ 1, multiplying a gain (Lens's ``rateDecrement``, default 0.9).
    decay : float or sequence of float
        0 ≤ λ ≤ 1 (Lens's ``weightDecay``, default 0).

    Notes
    -----
    Read from the Lens 2.63 sources (``github.com/martym/Lens``, whose
    ``Src/Makefile`` says version 2.63; ``github.com/iandennismiller/lens``
    has the same rule): ``deltabardeltaUpdateWeights`` in ``Src/train.c``
    (gain kept in each link's ``lastValue``, the last change in
    ``lastWeightDelta``; the ``OPPOSITE_SIGN`` test; the change and the
    decay term; ``lastWeightDelta = w_new − w_old``); ``UPDATE_WEIGHTS`` in
    ``Src/train.h`` (η, α and λ per block, group or network; frozen
    networks, groups, units and blocks skipped); ``IS_NEGATIVE`` in
    ``Src/system.h`` (a sign-bit test); ``Src/defaults.h``
    (``rateIncrement`` 0.1, ``rateDecrement`` 0.9, ``lastValue`` 1.0,
    ``learningRate`` 0.1, ``momentum`` 0.9, ``weightDecay`` 0); and
    ``initLinkValues`` in ``Src/connect.c`` (gain 1 and last change 0 when a
    link is made and when the network is reset).  The Lens manual
    (https://ni.cmu.edu/~plaut/Lens/Manual/Commands/deltaBarDelta.html)
    describes the rule in words: each link's rate, kept in ``lastValue``,
    multiplies the learning rate, grows by ``rateIncrement`` while the
    weight steps the same way and is multiplied by ``rateDecrement`` when
    the step changes direction.  Lens's ranges: η ≥ 0 and
    0 ≤ λ ≤ 1 (checked in ``standardNetTrain``); α in [0, 1) is intended
    there but its check never fires; κ and φ are not checked in Lens, and
    the ranges here are this module's.

    Differences from Lens: η here is the run's rate times a projection's
    ``lr_scale`` (Lens lets a block's or group's rate replace the network's);
    Lens's optional weight bounds (a block's ``min``/``max``) and
    weight-elimination variant are absent; Lens decays bias links too unless
    their block's ``weightDecay`` is 0 (read from ``UPDATE_WEIGHTS``, which
    treats bias links like any other), whereas here biases are never
    decayed; Lens computes in single precision by default.

    Not verified: that this is the rule with which Plaut et al. (1996)
    trained their reading model (they report connection-specific learning
    rates adapted by delta-bar-delta, and trained in Xerion, whose code was
    not consulted).
    """

    name = "lens_delta_bar_delta"
    defaults = {"lr": 0.1, "momentum": 0.9, "increment": 0.1, "decrement": 0.9, "decay": 0.0}
    state_names = ("gains", "velocity")
    #: Each setting's allowed values, as a test and its description.
    ranges = {
        "lr": (lambda x: x >= 0, "≥ 0"),
        "momentum": (lambda x: (x >= 0) & (x < 1), "in [0, 1)"),
        "increment": (lambda x: x >= 0, "≥ 0"),
        "decrement": (lambda x: (x >= 0) & (x <= 1), "in [0, 1]"),
        "decay": (lambda x: (x >= 0) & (x <= 1), "in [0, 1]"),
    }

    def __init__(self, **settings):
        super().__init__(**settings)
        self.check_settings(self.settings)

    def set(self, **settings):
        """Change settings mid-run; the gains and last changes are kept."""
        self.check_settings(settings)
        super().set(**settings)

    def check_settings(self, settings):
        """Refuse a setting out of its range (other faults are left to :func:`per_replica`)."""
        for name, value in settings.items():
            if name not in self.ranges or isinstance(value, str):
                continue
            try:
                arr = np.asarray(value, dtype=float)
            except (TypeError, ValueError):
                continue
            ok, allowed = self.ranges[name]
            if not np.all(ok(arr) | np.isnan(arr)):
                raise NetworkError(f"optimizer {self.name!r}: {name} must be {allowed}, not {value!r:.60}")

    def init_state(self):
        self.gains = [np.ones_like(p) for p in self.params]
        self.velocity = [np.zeros_like(p) for p in self.params]

    def step(self, grads, scaled=False):
        """Apply one update in place.

        ``grads`` lists ``∂E/∂p`` per parameter (overwritten); ``scaled`` is
        never true here (:attr:`takes_scaled` is False).  The change is
        added here rather than returned by :meth:`update`, because the
        change remembered is the one the weight actually made.
        """
        s = self.per_param
        frozen = None if self.frozen is None else np.flatnonzero(self.frozen)
        for i, g in enumerate(grads):
            p, v, gain = self.params[i], self.velocity[i], self.gains[i]
            if frozen is not None:
                kept = (p[frozen].copy(), v[frozen].copy(), gain[frozen].copy())
            # 1. The gain: up by κ where g and the last change differ in sign bit, else times φ.
            grow = np.signbit(g) != np.signbit(v)
            grown = gain + s["increment"][i]
            gain *= s["decrement"][i]
            np.copyto(gain, grown, where=grow)
            # 2. The change: −η γ g + α Δw(t−1) − λ w.
            g *= gain
            g *= self.neg_lr[i]
            v *= s["momentum"][i]
            v += g
            if self.use_decay[i]:
                mask = self.decays[i]
                lam = s["decay"][i]
                v -= lam * p if mask is True else lam * p * mask
            # 3. The weight, and the change it actually made.
            before = p.copy()
            p += v
            np.subtract(p, before, out=v)
            if frozen is not None:
                p[frozen], v[frozen], gain[frozen] = kept


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


OPTIMIZERS = {o.name: o for o in (Steepest, Momentum, DougsMomentum, DeltaBarDelta, LensDeltaBarDelta, Adam)}


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
