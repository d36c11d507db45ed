"""Networks: groups of units joined by projections into a directed acyclic graph,
or, for networks in time (:mod:`pdplab.core.time`), into any graph.

The vocabulary is Lens's (Rohde 1999): a *group* is a layer of units with one
activation function and, optionally, a bias; a *projection* is the full set of
weighted links from one group to another.  Groups that receive no projection
are input groups; groups with an error function are output groups; every
other group is hidden.

Parameters are kept per replica: the weights of the projection ``a -> b``
form an array of shape ``(replicas, size(a), size(b))`` and the bias of group
``b`` one of shape ``(replicas, size(b))``.  They are named ``"a->b"`` and
``"b.bias"`` wherever a mapping of parameters is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..exceptions import NetworkError
from .activations import get_activation
from .errors import get_error

__all__ = ["Group", "Projection", "Network", "weight_key", "bias_key"]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
#: Names that would collide with the dimensions and variables of a results Dataset.
RESERVED_NAMES = frozenset({"error", "replica", "epoch", "seed", "severity", "repeat", "correct", "train_error",
                            "event", "tick", "time", "settling_time"})
#: The kinds of network: feedforward (None) and the two kinds in time (:mod:`pdplab.core.time`).
TIMES = (None, "discrete", "continuous")
#: Stream indices spawned from each replica's seed, one per use of randomness.
STREAM_INIT, STREAM_ORDER, STREAM_FEEDBACK, STREAM_DAMAGE = range(4)


def weight_key(source, target):
    """The name of the weights of projection ``source -> target``."""
    return f"{source}->{target}"


def bias_key(group):
    """The name of the bias of ``group``."""
    return f"{group}.bias"


@dataclass(frozen=True)
class Group:
    """A layer of units.

    Parameters
    ----------
    name : str
        A Python identifier; it names the group's unit dimension
        (``<name>_unit``) and its activation variable in results.
    size : int
        Number of units.
    activation : str
        ``logistic`` (default), ``tanh``, ``linear``, ``relu`` or ``softmax``.
        Ignored for input groups, whose outputs are the patterns themselves.
    bias : bool or float
        ``True`` (default): a bias drawn like the incoming weights;
        a number: a bias starting at that value (e.g. ``-2.0``);
        ``False``: no bias.
    learn_bias : bool
        Whether the bias is trained (default) or fixed.
    error : str, optional
        ``sse`` or ``cross_entropy``; setting it makes the group an output group.
    target_radius, zero_error_radius : float
        Lens's tolerance radii, see :mod:`pdplab.core.errors`.
    units : sequence of str, optional
        Labels of the units, used as coordinates in results.
    copy_of : str, optional
        Makes this a *context* group (Elman 1990) of a ``time="discrete"``
        network: at each event its activation is a copy of group
        ``copy_of``'s activation at the previous event, and ``initial`` at
        an item's first event.  It receives no projection and has no bias.
    initial : float
        A context group's activation before an item's first event (0.5,
        Elman's value).
    """

    name: str
    size: int
    activation: str = "logistic"
    bias: bool | float = True
    learn_bias: bool = True
    error: str | None = None
    target_radius: float = 0.0
    zero_error_radius: float = 0.0
    units: Sequence[str] | None = field(default=None, compare=False)
    copy_of: str | None = None
    initial: float = 0.5

    @property
    def has_bias(self):
        return self.bias is not False

    @property
    def is_output(self):
        return self.error is not None

    @property
    def is_context(self):
        return self.copy_of is not None


@dataclass(frozen=True)
class Projection:
    """All-to-all weighted links from group ``source`` to group ``target``.

    Parameters
    ----------
    source, target : str
        Group names.
    init_range : float, optional
        Initial weights are drawn from U(−r, r) (or N(0, r²) with
        ``init="normal"``); defaults to the network's ``init_range``.
    init : str
        ``uniform`` (default) or ``normal``.
    frozen : bool
        Keep the weights at their initial values.
    lr_scale : float
        Multiplies the learning rate for these weights.
    """

    source: str
    target: str
    init_range: float | None = None
    init: str = "uniform"
    frozen: bool = False
    lr_scale: float = 1.0

    @property
    def key(self):
        return weight_key(self.source, self.target)


class Network:
    """Groups (:class:`Group`) joined by projections (:class:`Projection`).

    Parameters
    ----------
    groups : sequence of Group
    projections : sequence of Projection or (source, target) tuples
    init_range : float
        Default half-width of the initial weight distribution (Lens's
        ``randRange``, default 1.0).
    name : str, optional
    time : {None, "discrete", "continuous"}
        ``None`` (default): a feedforward network, whose projections form a
        directed acyclic graph.  ``"discrete"``: a simple recurrent network
        (Elman 1990) that reads items as sequences of events, one pass per
        event; its context groups (``copy_of``) carry the past.
        ``"continuous"``: every group integrates its net input over ticks of
        length ``dt`` and every projection carries the activations of the
        previous tick, so projections may form cycles (Lens's continuous
        networks; Plaut et al. 1996, Simulation 3).  See :mod:`pdplab.core.time`.

    Examples
    --------
    The network of Rumelhart & Todd (1993):

    >>> import pdplab as pl
    >>> net = pl.Network(
    ...     [pl.Group("item", 8), pl.Group("relation", 4),
    ...      pl.Group("representation", 8), pl.Group("hidden", 15),
    ...      pl.Group("attribute", 36, error="sse")],
    ...     [("item", "representation"), ("representation", "hidden"),
    ...      ("relation", "hidden"), ("hidden", "attribute")])
    >>> net.inputs, net.outputs
    (['item', 'relation'], ['attribute'])
    """

    def __init__(self, groups, projections, init_range=1.0, name="network", time=None):
        self.name = name
        if time not in TIMES:
            raise NetworkError(f"time must be one of None, 'discrete', 'continuous', not {time!r}")
        self.time = time
        self.init_range = _positive(init_range, "init_range", allow_zero=True)
        self.groups = {}
        for g in groups:
            if not isinstance(g, Group):
                raise NetworkError(f"expected a Group, got {g!r}")
            _check_group(g)
            if g.name in self.groups:
                raise NetworkError(f"group {g.name!r} is defined twice")
            self.groups[g.name] = g
        self.projections = []
        seen = set()
        for p in projections:
            p = p if isinstance(p, Projection) else _projection_from(p)
            for end in (p.source, p.target):
                if end not in self.groups:
                    raise NetworkError(
                        f"projection {p.key} refers to unknown group {end!r}"
                    )
            if p.key in seen:
                raise NetworkError(f"projection {p.key} is defined twice")
            if p.init not in ("uniform", "normal"):
                raise NetworkError(
                    f"projection {p.key}: init must be 'uniform' or 'normal', not {p.init!r}"
                )
            if p.init_range is not None:
                _positive(p.init_range, f"projection {p.key}: init_range", allow_zero=True)
            _positive(p.lr_scale, f"projection {p.key}: lr_scale", allow_zero=True)
            if not isinstance(p.frozen, (bool, np.bool_)):
                raise NetworkError(f"projection {p.key}: frozen must be True or False, not {p.frozen!r}")
            seen.add(p.key)
            self.projections.append(p)
        _check_contexts(self.groups, self.projections, time)
        if time == "continuous":
            self.order = list(self.groups)  # every projection reads the previous tick: any order will do
        else:
            self.order = _topological_order(self.groups, self.projections)
        incoming = {n: [] for n in self.groups}
        outgoing = {n: [] for n in self.groups}
        for p in self.projections:
            incoming[p.target].append(p)
            outgoing[p.source].append(p)
        self.incoming, self.outgoing = incoming, outgoing
        self.contexts = [n for n in self.order if self.groups[n].is_context]
        self.inputs = [n for n in self.order if not incoming[n] and n not in self.contexts]
        self.outputs = [n for n in self.order if self.groups[n].is_output]
        for n in self.order:
            g = self.groups[n]
            if not incoming[n]:
                if g.is_output:
                    raise NetworkError(f"group {n!r} has an error function but no incoming projection")
                if not outgoing[n]:
                    raise NetworkError(f"group {n!r} is connected to nothing")
            elif not outgoing[n] and not g.is_output:
                raise NetworkError(
                    f"group {n!r} has no outgoing projection and no error function; "
                    "give it error='sse' or error='cross_entropy'"
                )
        if not self.outputs:
            raise NetworkError("the network has no output group (a group with error=...)")
        if not self.inputs:
            raise NetworkError("the network has no input group (a group that receives no projection)")

    # -- parameters ---------------------------------------------------------

    def parameter_specs(self):
        """Every parameter as ``(key, shape_without_replicas, trainable)``, in a fixed order:
        projections in the order given, then biases in topological order."""
        specs = [
            (p.key, (self.groups[p.source].size, self.groups[p.target].size), not p.frozen)
            for p in self.projections
        ]
        for n in self.order:
            g = self.groups[n]
            if n not in self.inputs and n not in self.contexts and g.has_bias:
                specs.append((bias_key(n), (g.size,), bool(g.learn_bias)))
        return specs

    def init_weights(self, seeds, dtype=np.float64):
        """Draw initial parameters, one replica per seed.

        Replica ``r`` depends only on ``seeds[r]``: the same seed gives the same
        weights whatever the other replicas are.

        Returns
        -------
        dict of str to ndarray
            ``"a->b"``: (R, size(a), size(b)); ``"b.bias"``: (R, size(b)).
        """
        seeds = [int(s) for s in np.atleast_1d(seeds)]
        params = {k: np.empty((len(seeds),) + shape, dtype=dtype) for k, shape, _ in self.parameter_specs()}
        for r, seed in enumerate(seeds):
            rng = replica_rng(seed, STREAM_INIT)
            for p in self.projections:
                rg = self.init_range if p.init_range is None else p.init_range
                shape = params[p.key].shape[1:]
                if p.init == "normal":
                    params[p.key][r] = rng.normal(0.0, rg, size=shape)
                else:
                    params[p.key][r] = rng.uniform(-rg, rg, size=shape)
            for n in self.order:
                g = self.groups[n]
                if n in self.inputs or n in self.contexts or not g.has_bias:
                    continue
                if g.bias is True:
                    params[bias_key(n)][r] = rng.uniform(-self.init_range, self.init_range, size=g.size)
                else:
                    params[bias_key(n)][r] = float(g.bias)
        return params

    def check_weights(self, weights, source="weights"):
        """Check that ``weights`` has every parameter with a consistent shape;
        return the number of replicas."""
        replicas = None
        for key, shape, _ in self.parameter_specs():
            if key not in weights:
                raise NetworkError(f"{source}: no parameter {key!r}")
            arr = np.asarray(weights[key])
            if arr.ndim != len(shape) + 1 or arr.shape[1:] != shape:
                raise NetworkError(
                    f"{source}: {key!r} has shape {arr.shape}, expected (replicas, "
                    + ", ".join(map(str, shape)) + ")"
                )
            if replicas is None:
                replicas = arr.shape[0]
            elif arr.shape[0] != replicas:
                raise NetworkError(f"{source}: {key!r} has {arr.shape[0]} replicas, others {replicas}")
            if np.issubdtype(arr.dtype, np.number) and not np.isfinite(arr).all():
                r = int(np.argwhere(~np.isfinite(arr))[0][0])
                raise NetworkError(
                    f"{source}: {key!r} of replica {r} is not finite (NaN weights are padding, in a sweep "
                    f"over layer sizes: select the replica's own units, where <group>_unit_present holds)")
        extra = set(weights) - {k for k, _, _ in self.parameter_specs()}
        if extra:
            raise NetworkError(f"{source}: unknown parameter {sorted(extra)[0]!r}")
        return replicas

    def __repr__(self):
        groups = ", ".join(f"{n}({self.groups[n].size})" for n in self.order)
        return f"Network({self.name!r}: {groups}{'' if self.time is None else '; ' + self.time + ' time'})"


def replica_rng(seed, stream):
    """The random generator of one replica's seed for one use (init, order, …)."""
    return np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(stream,)))


def _projection_from(p):
    try:
        source, target, *rest = p
    except (TypeError, ValueError):
        raise NetworkError(f"a projection is a Projection or a (source, target) pair, not {p!r}") from None
    if len(rest) > 1 or (rest and not isinstance(rest[0], dict)):
        raise NetworkError(f"a projection is (source, target[, options]), not {p!r}")
    try:
        return Projection(source, target, **(rest[0] if rest else {}))
    except TypeError as exc:
        raise NetworkError(f"projection {source}->{target}: {exc}") from None


def _positive(value, what, allow_zero=False):
    if isinstance(value, (bool, str)):
        raise NetworkError(f"{what} must be a number, not {value!r}")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise NetworkError(f"{what} must be a number, not {value!r}") from None
    if not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        raise NetworkError(f"{what} must be {'non-negative' if allow_zero else 'positive'}, not {value!r}")
    return v


def _check_group(g):
    if not isinstance(g.name, str) or not _NAME.match(g.name):
        raise NetworkError(f"group name {g.name!r} must be an identifier (letters, digits, _)")
    if g.name in RESERVED_NAMES:
        raise NetworkError(f"group name {g.name!r} is reserved; choose another")
    if isinstance(g.size, bool) or not isinstance(g.size, (int, np.integer)) or g.size < 1:
        raise NetworkError(f"group {g.name!r}: size must be a positive integer, not {g.size!r}")
    try:
        act = get_activation(g.activation)
        error = None if g.error is None else get_error(g.error, act)
    except ValueError as exc:
        raise NetworkError(f"group {g.name!r}: {exc}") from None
    if error is not None and act.name not in error.activations:
        raise NetworkError(
            f"group {g.name!r}: {error.name} needs {' or '.join(error.activations)} units, not {act.name}"
        )
    if not isinstance(g.bias, (bool, int, float)):
        raise NetworkError(f"group {g.name!r}: bias must be True, False or a number, not {g.bias!r}")
    for attr in ("target_radius", "zero_error_radius"):
        _positive(getattr(g, attr), f"group {g.name!r}: {attr}", allow_zero=True)
    if g.units is not None and len(g.units) != g.size:
        raise NetworkError(f"group {g.name!r}: {len(g.units)} unit labels for {g.size} units")


def _check_contexts(groups, projections, time):
    """Context groups copy a group of the same size, receive nothing, and exist only in discrete time."""
    targets = {p.target for p in projections}
    for g in groups.values():
        if not g.is_context:
            continue
        if time != "discrete":
            raise NetworkError(f"group {g.name!r}: context groups (copy_of) need a network with time='discrete'")
        source = groups.get(g.copy_of)
        if source is None:
            raise NetworkError(f"group {g.name!r}: copy_of names unknown group {g.copy_of!r}")
        if source.is_context or source.name not in targets:
            raise NetworkError(f"group {g.name!r}: a context group copies a group that receives projections, "
                               f"not {g.copy_of!r}")
        if source.size != g.size:
            raise NetworkError(f"group {g.name!r}: {g.size} units cannot copy the {source.size} of {g.copy_of!r}")
        if g.name in targets:
            raise NetworkError(f"group {g.name!r}: a context group receives no projection")
        if g.is_output:
            raise NetworkError(f"group {g.name!r}: a context group has no error function")
        if isinstance(g.initial, (bool, str)) or not np.isfinite(float(g.initial)):
            raise NetworkError(f"group {g.name!r}: initial must be a finite number, not {g.initial!r}")


def _topological_order(groups, projections):
    indegree = {n: 0 for n in groups}
    succ = {n: [] for n in groups}
    for p in projections:
        indegree[p.target] += 1
        succ[p.source].append(p.target)
    ready = [n for n in groups if indegree[n] == 0]
    order = []
    while ready:
        n = ready.pop(0)
        order.append(n)
        for m in succ[n]:
            indegree[m] -= 1
            if indegree[m] == 0:
                ready.append(m)
    if len(order) < len(groups):
        stuck = [n for n in groups if n not in order]
        raise NetworkError(f"the projections form a cycle through group {stuck[0]!r} (a network in time, "
                           f"time='continuous', may have cycles; a simple recurrent network carries the past in a "
                           f"context group)")
    return order


def network_to_dict(network):
    """A JSON-ready description of ``network`` (stored with results)."""
    groups = []
    for n in network.groups.values():
        d = {k: getattr(n, k) for k in ("name", "size", "activation", "bias", "learn_bias", "error",
                                          "target_radius", "zero_error_radius")}
        if n.units is not None:
            d["units"] = [str(u) for u in n.units]
        if n.is_context:
            d.update(copy_of=n.copy_of, initial=n.initial)
        groups.append(d)
    projections = [
        {k: getattr(p, k) for k in ("source", "target", "init_range", "init", "frozen", "lr_scale")}
        for p in network.projections
    ]
    out = {"name": network.name, "init_range": network.init_range, "groups": groups, "projections": projections}
    if network.time is not None:
        out["time"] = network.time
    return out


def network_from_dict(d):
    """Rebuild a :class:`Network` from :func:`network_to_dict`'s output."""
    try:
        return Network(
            [Group(**g) for g in d["groups"]],
            [Projection(**p) for p in d["projections"]],
            init_range=d.get("init_range", 1.0),
            name=d.get("name", "network"),
            time=d.get("time"),
        )
    except (KeyError, TypeError) as exc:
        raise NetworkError(f"not a network description: {exc}") from None
