"""Forward and backward passes, and the gradient of the error.

The quantities are those of the generalized delta rule (Rumelhart, Hinton &
Williams 1986), for a batch of patterns and a stack of replicas at once::

    netⱼ = Σᵢ wᵢⱼ oᵢ + bⱼ,   oⱼ = f(netⱼ)
    δₖ = (tₖ − oₖ) f′(netₖ)            output units (sum-squared error)
    δⱼ = f′(netⱼ) Σₖ wⱼₖ δₖ              hidden units
    ∂E/∂wᵢⱼ = −Σ_patterns δⱼ oᵢ

so ``δ = −∂E/∂net``.  Arrays have shape ``(replicas, patterns, units)``;
an input group's patterns may be shared by every replica, with shape
``(1, patterns, units)``.

References
----------
Rumelhart, D. E., Hinton, G. E., & Williams, R. J. (1986). Learning
representations by back-propagating errors. *Nature*, 323, 533-536.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..exceptions import NetworkError
from .activations import _LARGE, get_activation
from .errors import effective_target, get_error
from .network import bias_key
from .sparse import SparsePatterns

__all__ = ["Plan", "Workspace", "forward", "backward", "output_gradients", "error_values",
           "parameter_gradients", "gradients", "inspect"]


@dataclass
class _Step:
    group: str
    activation: object
    bias: str | None
    incoming: list  # (source group, weight key)
    outgoing: list  # (target group, weight key)
    with_ones: str | None = None  # name of this group's activations with a column of ones


@dataclass
class _Output:
    group: str
    activation: object
    error: object
    target_radius: float
    zero_error_radius: float


class Plan:
    """A network compiled into the steps the passes take, in order.

    Building it once keeps the per-pattern loop free of look-ups.

    With ``fuse_biases``, a group's bias joins its first incoming projection
    as one more input row fed by a constant 1 (Lens and PDP's "bias unit"):
    the parameter ``"a->b+bias"`` of shape (R, size(a) + 1, size(b)) holds
    both, and the activations of ``a`` gain a column of ones, named
    ``"a+1"``.  One matrix product then does the work of a product, a bias
    addition and a bias gradient.  Only projections trained like their
    target's bias (both learned or both fixed, unscaled rate) are fused.
    """

    def __init__(self, network, fuse_biases=False):
        self.network = network
        self.steps = []
        #: fused key -> (projection key, bias key)
        self.fused = {}
        #: groups whose activations are also needed with a column of ones
        self.augmented = set()
        for n in network.order:
            if n in network.inputs:
                continue
            g = network.groups[n]
            incoming = [(p.source, p.key) for p in network.incoming[n]]
            bias = bias_key(n) if g.has_bias else None
            first = network.incoming[n][0]
            if (fuse_biases and bias is not None and first.lr_scale == 1.0
                    and (not first.frozen) == bool(g.learn_bias)):
                key = f"{first.key}+bias"
                self.fused[key] = (first.key, bias)
                self.augmented.add(first.source)
                incoming[0] = (ones_name(first.source), key)
                bias = None
            self.steps.append(
                _Step(
                    group=n,
                    activation=get_activation(g.activation),
                    bias=bias,
                    incoming=incoming,
                    outgoing=[(p.target, p.key) for p in network.outgoing[n]],
                )
            )
        self.outputs = []
        for n in network.outputs:
            g = network.groups[n]
            act = get_activation(g.activation)
            self.outputs.append(
                _Output(n, act, get_error(g.error, act), float(g.target_radius), float(g.zero_error_radius))
            )
        for step in self.steps:
            if step.group in self.augmented:
                step.with_ones = ones_name(step.group)
        self.reverse = self.steps[::-1]

    def fuse(self, weights):
        """Copy ``weights`` into fused arrays; return a mapping holding the fused
        arrays and, under the original names, views of them (so updates to
        the fused arrays show through)."""
        out = dict(weights)
        for key, (wkey, bkey) in self.fused.items():
            w, b = weights[wkey], weights[bkey]
            fused = np.concatenate([w, b[:, None, :]], axis=1)
            out[key] = fused
            out[wkey] = fused[:, :-1, :]
            out[bkey] = fused[:, -1, :]
        return out

    def augment(self, arrays):
        """Add ``"g+1"`` (with a column of ones) for each input group fused
        projections read; ``arrays[g]`` becomes a view of it."""
        out = dict(arrays)
        for g in self.augmented & set(arrays):
            aug = with_ones(arrays[g])
            out[ones_name(g)], out[g] = aug, aug[..., :-1]
        return out


#: Workspace activations with at most this many rows (replicas × patterns)
#: are written straight next to their column of ones.
_FEW_ROWS = 4


def with_ones(a):
    """``a`` with a column of ones appended on its last axis."""
    return np.concatenate([a, np.ones(a.shape[:-1] + (1,), a.dtype)], axis=-1)


def ones_name(group):
    """The name of ``group``'s activations extended with a column of ones."""
    return f"{group}+1"


class Workspace:
    """Arrays reused from step to step for one batch shape.

    Allocating fresh arrays at every step costs more than the arithmetic on
    large batches (each new array must be paged in), so training writes its
    net inputs, activations and deltas into these.
    """

    def __init__(self, plan, replicas, batch, dtype):
        groups = plan.network.groups
        self.net, self.act, self.back, self.extra, self.delta, self.own = {}, {}, {}, {}, {}, {}
        self.act_ones, self.act_ones_view = {}, {}
        for step in plan.steps:
            n = groups[step.group].size
            shape = (replicas, batch, n)
            self.net[step.group] = np.empty(shape, dtype)
            self.act[step.group] = np.empty(shape, dtype)
            if step.group in plan.augmented:
                self.act_ones[step.group] = np.ones((replicas, batch, n + 1), dtype)
                view = self.act_ones[step.group][..., :-1]
                if replicas * batch <= _FEW_ROWS:
                    self.act[step.group] = view
                else:
                    # With many rows, activations are computed in contiguous memory
                    # and copied next to the ones: passes over a strided view cost more.
                    self.act_ones_view[step.group] = view
            self.delta[step.group] = np.empty(shape, dtype)
            self.extra[step.group] = np.empty(shape, dtype)
            if batch == 1:  # see backward()
                self.back[step.group] = np.empty((replicas, n, batch), dtype)
            if groups[step.group].is_output:
                self.own[step.group] = np.empty(shape, dtype)
        self._bias_views = {}

    def bias_view(self, weights, key):
        """``weights[key]`` as (replicas, 1, units), made once (updates are in place)."""
        view = self._bias_views.get(key)
        if view is None or view.base is not weights[key]:
            view = self._bias_views[key] = weights[key][:, None, :]
        return view


def forward(plan, weights, inputs, ws=None):
    """Propagate ``inputs`` (a mapping from input group to pattern array) forward.

    Returns
    -------
    nets, acts : dict of str to ndarray
        Net input and activation of every non-input group; ``acts`` also
        holds the input patterns.  With a :class:`Workspace` ``ws`` they are
        its arrays, overwritten at the next call.
    """
    nets = {}
    acts = dict(inputs)
    for step in plan.steps:
        g = step.group
        net = None
        for src, key in step.incoming:
            buf = None if ws is None else (ws.net[g] if net is None else ws.extra[g])
            a = acts[src]
            if isinstance(a, SparsePatterns):
                product = a.matmul(weights[key], out=buf)
            else:
                product = np.matmul(a, weights[key], out=buf)
            if net is None:
                net = product
            else:
                net += product
        if step.bias is not None:
            net += weights[step.bias][:, None, :] if ws is None else ws.bias_view(weights, step.bias)
        nets[g] = net
        acts[g] = step.activation.forward(net, out=None if ws is None else ws.act[g])
        if step.with_ones is not None:
            if ws is None:
                acts[step.with_ones] = with_ones(acts[g])
            else:
                if g in ws.act_ones_view:
                    np.copyto(ws.act_ones_view[g], acts[g])
                acts[step.with_ones] = ws.act_ones[g]
    return nets, acts


def output_gradients(plan, nets, acts, targets, pattern_weights=None, ws=None):
    """``∂E/∂net`` of each output group, after tolerance radii and, when
    given, per-pattern weights of shape (R or 1, patterns, 1)."""
    grads = {}
    for out in plan.outputs:
        o = acts[out.group]
        t, mask = targets[out.group], None
        if out.target_radius or out.zero_error_radius:
            t, mask = effective_target(o, t, out.target_radius, out.zero_error_radius)
        g = out.error.net_gradient(
            out.activation, nets[out.group], o, t,
            buf=None if ws is None else ws.own[out.group],
            scratch=None if ws is None else ws.extra[out.group],  # free once forward is done
        )
        if mask is not None:
            g *= mask
        if pattern_weights is not None:
            g *= pattern_weights
        grads[out.group] = g
    return grads


def error_values(plan, acts, targets):
    """Error per replica and pattern, summed over output groups and units."""
    total = 0.0
    for out in plan.outputs:
        o = acts[out.group]
        if out.error.name == "cross_entropy" and o.size // o.shape[0] >= _LARGE:
            # Large arrays (records, train_error): one compiled pass, its logarithms vectorized.
            from .compiled import cross_entropy

            err = cross_entropy(o, np.asarray(targets[out.group], o.dtype).reshape((-1,) + o.shape[1:]),
                                out.target_radius, out.zero_error_radius, out.activation.name == "softmax")
            if err is not None:
                total = total + err
                continue
        t, mask = effective_target(o, targets[out.group], out.target_radius, out.zero_error_radius)
        if mask is None:
            total = total + out.error.value(o, t)
        else:
            # Outputs inside the zero-error radius contribute nothing.
            total = total + out.error.value(o, np.where(mask > 0, t, o))
    return total


def backward(plan, feedback, nets, acts, out_grads, ws=None):
    """Carry ``∂E/∂net`` back from the output groups.

    Parameters
    ----------
    feedback : dict of str to ndarray
        The matrix each projection's deltas pass back through: the weights
        themselves for backpropagation (see :mod:`pdplab.core.rules`).

    Returns
    -------
    dict of str to ndarray
        ``∂E/∂net`` of every non-input group (the classic δ is its negative).
    """
    d = {}
    for step in plan.reverse:
        name = step.group
        g = None
        for dst, key in step.outgoing:
            if d[dst].shape[1] == 1:
                # One pattern: (W · dᵀ)ᵀ reads W in its stored order, faster than d · Wᵀ.
                buf = None if ws is None or g is not None else ws.back[name]
                z = np.matmul(feedback[key], d[dst].transpose(0, 2, 1), out=buf).transpose(0, 2, 1)
            else:
                # Many patterns: d · Wᵀ keeps the result contiguous for the passes that follow.
                buf = None if ws is None or g is not None else ws.extra[name]  # free once forward is done
                z = np.matmul(d[dst], feedback[key].transpose(0, 2, 1), out=buf)
            g = z if g is None else g + z
        if g is not None:
            g = step.activation.backward(nets[name], acts[name], g, out=None if ws is None else ws.delta[name])
        own = out_grads.get(name)
        if own is not None:
            g = own if g is None else g + own
        d[name] = g
    return d


def parameter_gradients(plan, acts, d, keys=None, out=None):
    """``∂E/∂w`` and ``∂E/∂b`` summed over patterns, for the parameters in
    ``keys`` (all when None).

    With ``out`` (buffers by parameter) the results are written there, or are
    views of ``d``: either way they are scratch space the caller may overwrite.
    """
    grads = {}
    for step in plan.steps:
        g = d[step.group]
        for src, key in step.incoming:
            if keys is None or key in keys:
                buf = None if out is None else out[key]
                if isinstance(acts[src], SparsePatterns):
                    grads[key] = acts[src].tmatmul(g, out=buf)
                    continue
                a = acts[src].transpose(0, 2, 1)
                if g.shape[1] == 1 and g.shape[0] * a.shape[1] * g.shape[2] < 4096:
                    # One small pattern: an outer product, cheapest as a broadcast
                    # product.  Both ways give exactly aᵢ·gⱼ, whatever the replicas.
                    grads[key] = np.multiply(a, g, out=buf)
                elif g.shape[1] == 1:
                    grads[key] = np.einsum("rik,rkj->rij", a, g, out=buf)
                else:
                    grads[key] = np.matmul(a, g, out=buf)
        if step.bias is not None and (keys is None or step.bias in keys):
            buf = None if out is None else out[step.bias]
            if g.shape[1] == 1 and buf is not None:
                grads[step.bias] = g[:, 0, :]  # a view: the caller may overwrite it
            elif g.shape[1] > 64:
                # On large batches a product with ones beats a reduction.
                ones = np.ones((1, 1, g.shape[1]), g.dtype)
                grads[step.bias] = np.matmul(ones, g, out=None if buf is None else buf[:, None, :])[:, 0, :]
            else:
                grads[step.bias] = np.add.reduce(g, axis=1, out=buf)
    return grads


def float_weights(weights):
    """The parameters as floating-point arrays (integers become float64, so
    that patterns are never cast to integers), and their dtype."""
    dtype = np.result_type(*weights.values())
    if dtype.kind != "f":
        dtype = np.dtype(np.float64)
    return {k: np.asarray(v, dtype=dtype) for k, v in weights.items()}, dtype


def gradients(network, weights, environment, rule="backprop", seeds=None, timing=None):
    """The error and its gradient with respect to every parameter.

    Parameters
    ----------
    network : Network
    weights : dict of str to ndarray
        As returned by :meth:`Network.init_weights` (replica axis first).
    environment : Environment
        All its patterns are presented at once; frequencies are not applied.
    rule : {"backprop", "feedback_alignment"}
        Under feedback alignment the "gradient" is the update direction the
        rule uses, not the true gradient.
    seeds : sequence of int, optional
        The replicas' seeds, needed for feedback alignment's fixed matrices.
    timing : Timing or dict, optional
        For a network in time: how its events unfold; the gradient is then
        that of backpropagation through time
        (:func:`pdplab.core.time.gradients_in_time`), every event of every
        item with a target counting.

    Returns
    -------
    error : ndarray, shape (replicas,)
        ``E`` summed over patterns and output units.
    grads : dict of str to ndarray
        ``∂E/∂p`` for each parameter ``p``, shaped like ``weights[p]``.
    """
    from .rules import feedback_matrices

    if network.time is not None:
        return _gradients_in_time(network, weights, environment, rule, timing)
    if timing is not None:
        raise NetworkError("timing applies to networks in time (Network(time=...))")
    replicas = network.check_weights(weights)
    weights, dtype = float_weights(weights)
    inputs, targets = environment.arrays(network, dtype=dtype)
    plan = Plan(network)
    nets, acts = forward(plan, weights, inputs)
    error = error_values(plan, acts, targets).sum(axis=-1)
    if seeds is None:
        seeds = range(replicas)
    feedback = feedback_matrices(network, weights, rule, seeds)
    d = backward(plan, feedback, nets, acts, output_gradients(plan, nets, acts, targets))
    return error, parameter_gradients(plan, acts, d)


def _gradients_in_time(network, weights, environment, rule, timing):
    from .time import gradients_in_time
    from .train_time import sequence_arrays

    if rule != "backprop":
        raise NetworkError(f"rule={rule!r} is not available for networks in time")
    network.check_weights(weights)
    weights, dtype = float_weights(weights)
    items = sequence_arrays(environment, network, dtype)
    return gradients_in_time(network, weights, {g: a[0] for g, a in items.inputs.items()},
                             {g: a[0] for g, a in items.targets.items()}, timing, items.given)


def inspect(network, weights, environment, rule="backprop", seeds=None, among=None):
    """Every group's net input, activation and delta for every item, as a Dataset.

    Parameters are as for :func:`gradients`; ``among`` are the candidate
    targets of the nearest-target rule (:func:`pdplab.core.accuracy.candidates`),
    by default the distinct targets of ``environment``'s items.

    Returns
    -------
    xarray.Dataset
        ``error``, ``correct`` and (given two candidate targets or more)
        ``correct_nearest`` (replica, item; see :mod:`pdplab.core.accuracy`); for each non-input group ``<g>`` its
        activation, ``<g>:net`` and ``<g>:delta`` (δ = −∂E/∂net, the
        generalized delta rule's δ), each with dims (replica, item, <g>_unit).
    """
    import xarray as xr

    from .record import item_coords, unit_coords
    from .rules import feedback_matrices

    if network.time is not None:
        raise NetworkError("inspect: for a network in time, train with Record(groups=..., ticks=True) or use "
                           "pdplab.core.train_time.evaluate_in_time")
    replicas = network.check_weights(weights)
    weights, dtype = float_weights(weights)
    inputs, targets = environment.arrays(network, dtype=dtype)
    plan = Plan(network)
    nets, acts = forward(plan, weights, inputs)
    feedback = feedback_matrices(network, weights, rule, range(replicas) if seeds is None else seeds)
    d = backward(plan, feedback, nets, acts, output_gradients(plan, nets, acts, targets))
    from .accuracy import candidates, nearest, within

    outputs = {out.group: acts[out.group] for out in plan.outputs}
    data = {"error": (("replica", "item"), error_values(plan, acts, targets)),
            "correct": (("replica", "item"), within(outputs, targets))}
    among = candidates(targets, list(outputs)) if among is None else among
    if among is not None:
        data["correct_nearest"] = (("replica", "item"), nearest(outputs, targets, among))
    groups = [g for g in network.order if g in nets]  # the inputs are the environment's
    for g in groups:
        dims = ("replica", "item", f"{g}_unit")
        data[g] = (dims, acts[g])
        data[f"{g}:net"] = (dims, nets[g])
        data[f"{g}:delta"] = (dims, -d[g])
    coords = {**item_coords(environment), **unit_coords(network, groups, environment)}
    return xr.Dataset(data, coords=coords).assign_coords(replica=np.arange(replicas))
