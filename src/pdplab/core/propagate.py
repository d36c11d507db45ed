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

from .activations import get_activation
from .errors import effective_target, get_error
from .network import bias_key

__all__ = ["Plan", "forward", "backward", "output_gradients", "error_values", "gradients"]


@dataclass
class _Step:
    group: str
    activation: object
    bias: str | None
    incoming: list  # (source group, weight key)
    outgoing: list  # (target group, weight key)


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
    """

    def __init__(self, network):
        self.network = network
        self.steps = []
        for n in network.order:
            if n in network.inputs:
                continue
            g = network.groups[n]
            self.steps.append(
                _Step(
                    group=n,
                    activation=get_activation(g.activation),
                    bias=bias_key(n) if g.has_bias else None,
                    incoming=[(p.source, p.key) for p in network.incoming[n]],
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
        self.reverse = self.steps[::-1]


def forward(plan, weights, inputs):
    """Propagate ``inputs`` (a mapping from input group to pattern array) forward.

    Returns
    -------
    nets, acts : dict of str to ndarray
        Net input and activation of every non-input group; ``acts`` also
        holds the input patterns.
    """
    nets = {}
    acts = dict(inputs)
    for step in plan.steps:
        net = None
        for src, key in step.incoming:
            if net is None:
                net = np.matmul(acts[src], weights[key])
            else:
                net += np.matmul(acts[src], weights[key])
        if step.bias is not None:
            net += weights[step.bias][:, None, :]
        nets[step.group] = net
        acts[step.group] = step.activation.forward(net)
    return nets, acts


def output_gradients(plan, nets, acts, targets, pattern_weights=None):
    """``∂E/∂net`` of each output group, after tolerance radii and, when
    given, per-pattern weights of shape (R or 1, patterns, 1)."""
    grads = {}
    for out in plan.outputs:
        o = acts[out.group]
        t, mask = effective_target(o, targets[out.group], out.target_radius, out.zero_error_radius)
        g = out.error.net_gradient(out.activation, nets[out.group], o, t)
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
        t, mask = effective_target(o, targets[out.group], out.target_radius, out.zero_error_radius)
        if mask is None:
            total = total + out.error.value(o, t)
        else:
            # Outputs inside the zero-error radius contribute nothing.
            total = total + out.error.value(o, np.where(mask > 0, t, o))
    return total


def backward(plan, feedback, nets, acts, out_grads):
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
        g = None
        for dst, key in step.outgoing:
            # (W · dᵀ)ᵀ reads W in its stored order, which is faster than d · Wᵀ.
            z = np.matmul(feedback[key], d[dst].transpose(0, 2, 1)).transpose(0, 2, 1)
            if g is None:
                g = z
            else:
                g = g + z
        if g is not None:
            g = step.activation.backward(nets[step.group], acts[step.group], g)
        own = out_grads.get(step.group)
        if own is not None:
            g = own if g is None else g + own
        d[step.group] = g
    return d


def parameter_gradients(plan, acts, d, keys=None, out=None):
    """``∂E/∂w`` and ``∂E/∂b`` summed over patterns, for the parameters in
    ``keys`` (all when None); written into the arrays of ``out`` when given."""
    grads = {} if out is None else out
    for step in plan.steps:
        g = d[step.group]
        for src, key in step.incoming:
            if keys is None or key in keys:
                a = acts[src].transpose(0, 2, 1)
                buf = None if out is None else out[key]
                if g.shape[1] == 1:
                    # One pattern: an outer product, cheaper as a broadcast product.
                    grads[key] = np.multiply(a, g, out=buf)
                else:
                    grads[key] = np.matmul(a, g, out=buf)
        if step.bias is not None and (keys is None or step.bias in keys):
            grads[step.bias] = np.sum(g, axis=1, out=None if out is None else out[step.bias])
    return grads


def gradients(network, weights, environment, rule="backprop", seeds=None):
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

    Returns
    -------
    error : ndarray, shape (replicas,)
        ``E`` summed over patterns and output units.
    grads : dict of str to ndarray
        ``∂E/∂p`` for each parameter ``p``, shaped like ``weights[p]``.
    """
    from .rules import feedback_matrices

    replicas = network.check_weights(weights)
    dtype = np.result_type(*weights.values())
    inputs, targets = environment.arrays(network, dtype=dtype)
    plan = Plan(network)
    nets, acts = forward(plan, weights, inputs)
    error = error_values(plan, acts, targets).sum(axis=-1)
    if seeds is None:
        seeds = range(replicas)
    feedback = feedback_matrices(network, weights, rule, seeds)
    d = backward(plan, feedback, nets, acts, output_gradients(plan, nets, acts, targets))
    return error, parameter_gradients(plan, acts, d)
