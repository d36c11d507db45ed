"""Networks in time: simple recurrent and continuous-time networks, unrolled over ticks.

An item of a network in time is a *sequence of events*: each event clamps
the input groups to one pattern and may give targets to the output groups.
Arrays of such items have shape (items, events, units); an item with fewer
events than others is padded with events that are absent (NaN rows).

Discrete time (``Network(time="discrete")``; Elman 1990)
    One tick per event.  Within a tick the projections form a directed
    acyclic graph, passed in order as in a feedforward network; a *context*
    group (``Group(copy_of=...)``) holds the activation its source group had
    at the previous event (``initial`` at an item's first event).
Continuous time (``Network(time="continuous")``; Lens's continuous networks,
Pearlmutter 1989, Plaut et al. 1996)
    Each event lasts ``duration`` time units, run as ticks of length ``dt``.
    Every group integrates its net input, and every projection but those
    from input groups carries the activations of the previous tick, so
    projections may form cycles (recurrent, bidirectional, self-connections)::

        nⱼ(t) = (1 − dt) nⱼ(t − dt) + dt (Σᵢ wᵢⱼ oᵢ(t − dt) + bⱼ),    oⱼ(t) = f(nⱼ(t))

    Net inputs start at 0.  Inputs are clamped for the whole event and act
    at once.  Error counts from ``grace`` time units into the event on,
    each tick's error weighted by ``dt``, so that the error (and its
    gradient) approximates the integral of the error over that interval,
    as in Plaut et al. (1996): it does not grow as ``dt`` shrinks.

Gradients are those of backpropagation through time (Rumelhart, Hinton &
Williams 1986; Williams & Peng 1990): exact for the unrolled network, with
``bptt="full"``.  ``bptt="none"`` is Elman's truncation: the error of each
event reaches back only through that event's pass, the context groups
being treated as inputs.

References
----------
Elman, J. L. (1990). Finding structure in time. *Cognitive Science*, 14, 179-211.
Pearlmutter, B. A. (1989). Learning state space trajectories in recurrent
neural networks. *Neural Computation*, 1, 263-269.
Plaut, D. C., McClelland, J. L., Seidenberg, M. S., & Patterson, K. (1996).
Understanding normal and impaired word reading: Computational principles in
quasi-regular domains. *Psychological Review*, 103, 56-115.
Rohde, D. L. T. (1999). *Lens: The light, efficient network simulator*.
Williams, R. J., & Peng, J. (1990). An efficient gradient-based algorithm
for on-line training of recurrent network trajectories. *Neural
Computation*, 2, 490-501.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..exceptions import NetworkError
from .activations import get_activation
from .errors import effective_target, get_error
from .network import _positive, bias_key

__all__ = ["Timing", "TimePlan", "History", "forward_in_time", "backward_in_time", "settling_time",
           "BPTT", "gradients_in_time"]

BPTT = ("full", "none")
SETTLE_RULES = ("final", "side")
#: Times closer than this fraction of a tick are the same time.
_TIME_TOL = 1e-6
#: The most ticks an event may take (each tick is a pass through the network, kept for the backward pass).
MAX_TICKS = 100_000


@dataclass(frozen=True)
class Timing:
    """How the events of a network in time unfold.

    Parameters
    ----------
    duration : float
        How long each event lasts during training, in time units
        (continuous networks; PMSP96 Simulation 3: 2.0).
    dt : float
        The length of a tick (PMSP96: 0.2, lowered to 0.05 and 0.01 late in
        training); ``duration`` must be a whole number of ticks.  A
        schedule may change it (``{epoch: {"dt": 0.05}}``).
    grace : float
        Error counts only after this time into each event (Lens's grace
        time; PMSP96: 1.0, error over the second unit of time).
    test_duration : float, optional
        How long each event lasts in test passes (records, settling times);
        defaults to ``duration``.  Settling times can only be measured
        within it.
    settle : float
        Settling criterion (see :func:`settling_time`).
    settle_rule : {"final", "side"}
        ``final``: an item has settled at the first time after which every
        output unit stays within ``settle`` of its activation at the end of
        the test interval; ``side``: at the first time every output unit is
        within ``settle`` of 0 or of 1.
    bptt : {"full", "none"}
        Backpropagation through the whole item, or (discrete networks only)
        Elman's truncation to each event's own pass.
    """

    duration: float = 1.0
    dt: float = 1.0
    grace: float = 0.0
    test_duration: float | None = None
    settle: float = 0.05
    settle_rule: str = "final"
    bptt: str = "full"

    def ticks(self, test=False):
        """Ticks per event in training or in test passes."""
        duration = self.test_duration if test and self.test_duration is not None else self.duration
        return whole_ticks(duration, self.dt, "test_duration" if test else "duration")

    def error_weights(self, ticks):
        """Each tick's weight in the error of its event: ``dt`` once past ``grace``, else 0."""
        times = np.arange(1, ticks + 1) * self.dt
        return np.where(times > self.grace + _TIME_TOL * self.dt, self.dt, 0.0)


def whole_ticks(duration, dt, what="duration"):
    """``duration / dt`` as a whole number of ticks (an error when it is not one)."""
    n = duration / dt
    ticks = int(round(n))
    if ticks < 1 or abs(n - ticks) > _TIME_TOL * max(1.0, n):
        raise NetworkError(f"timing: {what} {duration:g} is not a whole number of ticks of dt {dt:g}")
    if ticks > MAX_TICKS:
        raise NetworkError(f"timing: {what} {duration:g} in ticks of dt {dt:g} is {ticks} ticks per event, more than "
                           f"{MAX_TICKS}")
    return ticks


def as_timing(timing, network):
    """Accept a :class:`Timing`, a dict of its fields or None, and check it against ``network``."""
    if timing is None:
        if network.time == "continuous":
            raise NetworkError("timing: a continuous network needs its timing (duration, dt, grace: "
                               "timing=pl.Timing(duration=..., dt=...))")
        timing = Timing()
    elif isinstance(timing, dict):
        try:
            timing = Timing(**timing)
        except TypeError as exc:
            raise NetworkError(f"timing: {exc}") from None
    elif not isinstance(timing, Timing):
        raise NetworkError(f"timing must be a Timing or a dict of its fields, not {timing!r:.60}")
    for name in ("duration", "dt"):
        _positive(getattr(timing, name), f"timing: {name}")
    _positive(timing.grace, "timing: grace", allow_zero=True)
    _positive(timing.settle, "timing: settle")
    if timing.test_duration is not None:
        _positive(timing.test_duration, "timing: test_duration")
    if timing.settle_rule not in SETTLE_RULES:
        raise NetworkError(f"timing: settle_rule must be one of {', '.join(SETTLE_RULES)}, not {timing.settle_rule!r}")
    if timing.bptt not in BPTT:
        raise NetworkError(f"timing: bptt must be one of {', '.join(BPTT)}, not {timing.bptt!r}")
    if network.time == "discrete":
        if (timing.duration, timing.dt, timing.grace, timing.test_duration) != (1.0, 1.0, 0.0, None):
            raise NetworkError("timing: a discrete-time network runs one tick per event; duration, dt, grace and "
                               "test_duration apply to continuous networks")
    else:
        if timing.bptt != "full":
            raise NetworkError("timing: bptt='none' (Elman's truncation) applies to discrete-time networks")
        _check_ticks(timing)
        if timing.test_duration is not None and timing.test_duration < timing.duration:
            raise NetworkError(f"timing: test_duration {timing.test_duration:g} is shorter than the training "
                               f"duration {timing.duration:g}")
        if timing.grace >= timing.duration:
            raise NetworkError(f"timing: grace {timing.grace:g} leaves no time for error in an event of "
                               f"{timing.duration:g}")
    return timing


def with_dt(timing, dt):
    """``timing`` with another tick length (a scheduled change), checked."""
    new = replace(timing, dt=_positive(dt, "timing: dt"))
    _check_ticks(new)
    return new


def _check_ticks(timing):
    """dt at most 1 (a longer step overshoots the integration) and whole numbers of ticks."""
    if timing.dt > 1:
        raise NetworkError(f"timing: dt must be at most 1, not {timing.dt:g}")
    timing.ticks()
    timing.ticks(test=True)


@dataclass
class _Step:
    group: str
    activation: object
    bias: str | None
    from_inputs: list  # (input group, weight key)
    recurrent: list  # (group, weight key): previous tick (continuous) or this tick (discrete)
    outgoing: list  # (group, weight key) of non-input receivers


class TimePlan:
    """A network in time compiled into the steps each tick takes."""

    def __init__(self, network):
        if network.time is None:
            raise NetworkError(f"{network.name!r} is a feedforward network, not a network in time")
        self.network = network
        self.continuous = network.time == "continuous"
        inputs = set(network.inputs)
        self.steps = []
        for n in network.order:
            if n in inputs or n in network.contexts:
                continue
            g = network.groups[n]
            incoming = network.incoming[n]
            self.steps.append(_Step(
                group=n, activation=get_activation(g.activation), bias=bias_key(n) if g.has_bias else None,
                from_inputs=[(p.source, p.key) for p in incoming if p.source in inputs],
                recurrent=[(p.source, p.key) for p in incoming if p.source not in inputs],
                outgoing=[(p.target, p.key) for p in network.outgoing[n]],
            ))
        self.contexts = [(n, network.groups[n].copy_of, float(network.groups[n].initial)) for n in network.contexts]
        self.outputs = []
        for n in network.outputs:
            g = network.groups[n]
            act = get_activation(g.activation)
            self.outputs.append((n, act, get_error(g.error, act), float(g.target_radius),
                                 float(g.zero_error_radius)))
        self.reverse = self.steps[::-1]


@dataclass
class History:
    """The unrolled activations: ``acts[g][k]`` and ``nets[g][k]`` are group
    ``g``'s activation and net input at tick ``k`` (0: the initial state),
    each (replicas, items, units); ``drive[g][e]`` is the fixed input
    (input projections and bias) of event ``e``."""

    acts: dict
    nets: dict
    drive: dict
    ticks_per_event: int
    dt: float

    @property
    def ticks(self):
        return len(next(iter(self.acts.values()))) - 1

    def final_state(self):
        """The state at the last tick, to carry into a following call."""
        return {g: (self.nets[g][-1] if g in self.nets else None, a[-1]) for g, a in self.acts.items()}


def forward_in_time(plan, params, inputs, ticks_per_event=1, dt=1.0, state=None, fresh=None):
    """Run ``inputs`` (input group → (R or 1, items, events, units)) through the network.

    Parameters
    ----------
    plan : TimePlan
    params : dict of str to ndarray
    ticks_per_event : int
        1 in discrete time; ``duration / dt`` in continuous time.
    state : dict, optional
        :meth:`History.final_state` of an earlier call, to go on from
        (Elman's pattern-by-pattern training of a long stream).
    fresh : ndarray of bool, optional
        (R,): replicas whose context groups start afresh (at ``initial``)
        although ``state`` is given: they begin a new item.

    Returns
    -------
    History
    """
    net_work = plan.network
    some = next(iter(inputs.values()))
    B, E = some.shape[1], some.shape[2]
    R = next(iter(params.values())).shape[0]
    dtype = next(iter(params.values())).dtype
    K = E * ticks_per_event
    acts, nets, drive = {}, {}, {}
    for step in plan.steps:
        n = net_work.groups[step.group].size
        acts[step.group] = np.empty((K + 1, R, B, n), dtype)
        nets[step.group] = np.empty((K + 1, R, B, n), dtype)
        if state is None:
            nets[step.group][0] = 0.0
            acts[step.group][0] = step.activation.forward(nets[step.group][0])
        else:
            nets[step.group][0], acts[step.group][0] = state[step.group]
        d = None
        for src, key in step.from_inputs:
            # Every event's input at once, as one product per replica: (R or 1, B·E, n) @ (R, n, m).
            x = inputs[src]
            x = np.matmul(x.reshape(x.shape[0], B * E, x.shape[-1]), params[key]).reshape(R, B, E, -1)
            d = x if d is None else d + x
        if step.bias is not None:
            b = params[step.bias][:, None, None, :]
            d = b if d is None else d + b
        drive[step.group] = None if d is None else np.broadcast_to(d, (R, B, E, n))
    for ctx, source, initial in plan.contexts:
        n = net_work.groups[ctx].size
        acts[ctx] = np.empty((K + 1, R, B, n), dtype)
        acts[ctx][0] = initial if state is None else state[ctx][1]
    continuous = plan.continuous
    for k in range(1, K + 1):
        e = (k - 1) // ticks_per_event
        for ctx, source, initial in plan.contexts:
            acts[ctx][k] = acts[ctx][0] if k == 1 and state is None else acts[source][k - 1]
            if k == 1 and fresh is not None:
                acts[ctx][k][fresh] = initial
        read = k - 1 if continuous else k
        for step in plan.steps:
            g = step.group
            inst = None
            for src, key in step.recurrent:
                prod = np.matmul(acts[src][read], params[key])
                inst = prod if inst is None else inst + prod
            if drive[g] is not None:
                inst = drive[g][:, :, e] if inst is None else inst + drive[g][:, :, e]
            if inst is None:
                inst = np.zeros_like(nets[g][k])
            if continuous:
                # n(t) = n(t − dt) + dt (input − n(t − dt))
                np.subtract(inst, nets[g][k - 1], out=nets[g][k])
                nets[g][k] *= dt
                nets[g][k] += nets[g][k - 1]
            else:
                nets[g][k] = inst
            step.activation.forward(nets[g][k], out=acts[g][k])
    return History(acts, nets, drive, ticks_per_event, dt)


def output_errors(plan, hist, targets, weights, gradient=True, scale=None):
    """The error of each output tick, and its gradient with respect to the net inputs.

    Parameters
    ----------
    targets : dict of str to ndarray
        (1 or R, items, events, units), NaN-free.
    weights : ndarray or dict of str to ndarray
        (1 or R, items, events, ticks per event): each tick's weight in the
        error (0: no error at that tick); a dict gives each output group its own.
    scale : ndarray, optional
        (1 or R, items): multiplies each item's gradient, not its error
        (frequency scaling).

    Returns
    -------
    error : ndarray
        (R, items, events), summed over output groups, units and ticks.
    grads : dict of (group, tick) to ndarray
        ``∂E/∂net`` at each tick with error.
    """
    T = hist.ticks_per_event
    R, B = next(iter(hist.acts.values())).shape[1:3]
    E = hist.ticks // T
    error = np.zeros((R, B, E), dtype=np.float64)
    grads = {}
    for k in range(1, hist.ticks + 1):
        e, j = divmod(k - 1, T)
        for g, activation, err, target_radius, zero_radius in plan.outputs:
            w = (weights[g] if isinstance(weights, dict) else weights)[:, :, e, j]
            if not w.any():
                continue
            o, t = hist.acts[g][k], targets[g][:, :, e]
            t, mask = effective_target(o, t, target_radius, zero_radius)
            value = err.value(o, t if mask is None else np.where(mask > 0, t, o))
            error[:, :, e] += value * w
            if gradient:
                d = err.net_gradient(activation, hist.nets[g][k], o, t)
                if mask is not None:
                    d = d * mask
                grads[g, k] = d * (w if scale is None else w * scale)[..., None]
    return error, grads


def backward_in_time(plan, params, hist, inputs, out_grads, bptt="full", keys=None):
    """Backpropagation through time: ``∂E/∂p`` for every parameter (or those in ``keys``).

    ``out_grads`` maps (output group, tick) to ``∂E/∂net`` there, as from
    :func:`output_errors`.  With ``bptt="none"`` nothing passes from one
    tick to an earlier one (Elman's truncation).
    """
    T, dt, K = hist.ticks_per_event, hist.dt, hist.ticks
    continuous, full = plan.continuous, bptt == "full"
    grads = {k: np.zeros_like(v) for k, v in params.items() if keys is None or k in keys}
    like = {g: hist.acts[g][0] for g in hist.acts}
    d_act = {g: np.zeros_like(a) for g, a in like.items()}  # ∂E/∂act at the current tick
    d_prev = {g: np.zeros_like(a) for g, a in like.items()}  # … at the tick before (through delays)
    d_carry = {s.group: np.zeros_like(like[s.group]) for s in plan.steps}  # ∂E/∂net(t) reaching net(t − dt)
    d_event = {s.group: np.zeros_like(like[s.group]) for s in plan.steps}  # ∂E/∂input summed over an event
    for k in range(K, 0, -1):
        e, j = divmod(k - 1, T)
        read = k - 1 if continuous else k
        for step in plan.reverse:
            g = step.group
            d = step.activation.backward(hist.nets[g][k], hist.acts[g][k], d_act[g])
            own = out_grads.get((g, k))
            if own is not None:
                d = d + own
            if continuous:
                if full:
                    d += d_carry[g]
                d_inst = d * dt
                d_carry[g] = d * (1.0 - dt)
            else:
                d_inst = d
            d_event[g] += d_inst
            for src, key in step.recurrent:
                a = hist.acts[src][read]
                if key in grads:
                    grads[key] += np.matmul(a.transpose(0, 2, 1), d_inst)
                back = np.matmul(d_inst, params[key].transpose(0, 2, 1))
                if continuous:
                    if full:
                        d_prev[src] += back
                else:
                    d_act[src] += back
        for ctx, source, _ in plan.contexts:
            if full and k > 1:
                d_prev[source] += d_act[ctx]
        if j == 0:  # the event's first tick: its fixed inputs have had all their ticks
            for step in plan.steps:
                g = step.group
                for src, key in step.from_inputs:
                    if key in grads:
                        x = inputs[src][:, :, e]
                        grads[key] += np.matmul(x.transpose(0, 2, 1), d_event[g])
                if step.bias is not None and step.bias in grads:
                    grads[step.bias] += d_event[g].sum(axis=1)
                d_event[g][...] = 0.0
        d_act, d_prev = d_prev, d_act
        for a in d_prev.values():
            a[...] = 0.0
    return grads


def gradients_in_time(network, weights, inputs, targets, timing=None, has_target=None):
    """The error and its gradient for a network in time, on items given as arrays.

    Parameters
    ----------
    network : Network
        With ``time`` set.
    weights : dict of str to ndarray
        Replica axis first.
    inputs, targets : dict of str to array_like
        (items, events, units) per group, with no NaN.
    timing : Timing or dict, optional
    has_target : array_like of bool or dict of str to it, (items, events), optional
        Events whose targets count (default: all), or, per output group,
        the events where it has a target.

    Returns
    -------
    error : ndarray, shape (replicas,)
    grads : dict of str to ndarray
    """
    timing = as_timing(timing, network)
    plan = TimePlan(network)
    network.check_weights(weights)
    dtype = np.result_type(*weights.values())
    params = {k: np.asarray(v, dtype) for k, v in weights.items()}
    ins = {g: np.asarray(v, dtype)[None] for g, v in inputs.items()}
    tgs = {g: np.asarray(v, dtype)[None] for g, v in targets.items()}
    B, E = next(iter(ins.values())).shape[1:3]
    T = timing.ticks() if plan.continuous else 1
    hist = forward_in_time(plan, params, ins, T, timing.dt if plan.continuous else 1.0)
    w = np.broadcast_to(timing.error_weights(T) if plan.continuous else np.ones(1), (1, B, E, T)).astype(dtype)
    if has_target is not None:
        given = has_target if isinstance(has_target, dict) else {g: has_target for g, *_ in plan.outputs}
        w = {g: w * np.asarray(given[g], dtype)[None, :, :, None] for g, *_ in plan.outputs}
    error, out_grads = output_errors(plan, hist, tgs, w)
    return error.sum(axis=(1, 2)), backward_in_time(plan, params, hist, ins, out_grads, timing.bptt)


def settling_time(outputs, dt, criterion, rule="final"):
    """Each item's settling time: a naming latency.

    Parameters
    ----------
    outputs : sequence of ndarray
        Each output group's activations over ticks, (ticks + 1, R, items, units),
        tick 0 being the initial state.
    dt : float
    criterion : float
    rule : {"final", "side"}
        ``final``: the time at which every output unit comes, and stays,
        within ``criterion`` of its value at the last tick; NaN for items
        still moving at the last tick but one.  ``side``: the first time
        every output unit is within ``criterion`` of 0 or of 1 (for targets
        of 0 and 1, the moment the pattern has committed to an answer);
        NaN for items that never do.

    Returns
    -------
    ndarray
        (R, items), in time units.
    """
    if rule == "side":
        there = None
        for o in outputs:
            near = (np.minimum(o, 1.0 - o) < criterion).all(axis=-1)  # (ticks + 1, R, items)
            there = near if there is None else there & near
        return np.where(there.any(axis=0), np.round(np.argmax(there, axis=0) * dt, 9), np.nan)
    last = None
    for o in outputs:
        far = (np.abs(o - o[-1]) >= criterion).any(axis=-1)  # (ticks + 1, R, items)
        last = far if last is None else last | far
    K = last.shape[0] - 1
    # The last tick at which some unit was still away from its final value; settled one tick later.
    moving = np.where(last.any(axis=0), K - np.argmax(last[::-1], axis=0), -1)
    settled = np.round((moving + 1) * dt, 9)  # whole ticks, without the rounding noise of the product
    return np.where(moving >= K - 1, np.nan, settled)
