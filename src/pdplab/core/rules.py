"""Learning rules: which matrices carry the deltas back.

Under backpropagation the error signal reaching a hidden unit is
``δⱼ = f′(netⱼ) Σₖ wₖⱼ δₖ``, through the transposed forward weights
(Rumelhart, Hinton & Williams 1986).  Under feedback alignment it passes
through a fixed random matrix ``B`` of the same shape instead,
``δⱼ = f′(netⱼ) Σₖ Bₖⱼ δₖ``, while the weight change keeps its form
``Δwⱼᵢ = η δⱼ xᵢ`` (Lillicrap, Cownden, Tweed & Akerman 2016).

References
----------
Lillicrap, T. P., Cownden, D., Tweed, D. B., & Akerman, C. J. (2016). Random
synaptic feedback weights support error backpropagation for deep learning.
*Nature Communications*, 7, 13276.
"""

from __future__ import annotations

import numpy as np

from ..exceptions import NetworkError
from .network import STREAM_FEEDBACK, replica_rng

__all__ = ["RULES", "feedback_matrices"]

RULES = ("backprop", "feedback_alignment")


def feedback_matrices(network, weights, rule, seeds):
    """The matrices that carry deltas back through each projection.

    Parameters
    ----------
    network : Network
    weights : dict of str to ndarray
    rule : {"backprop", "feedback_alignment"}
    seeds : sequence of int
        One per replica; feedback alignment draws replica ``r``'s matrices
        from ``seeds[r]`` alone, uniformly in the projection's initial
        weight range.

    Returns
    -------
    dict of str to ndarray
        For backprop, the weight arrays themselves (so updates show through);
        for feedback alignment, fixed random arrays of the same shapes.
    """
    if rule == "backprop":
        return {p.key: weights[p.key] for p in network.projections}
    if rule != "feedback_alignment":
        raise NetworkError(f"unknown learning rule {rule!r}; expected one of {', '.join(RULES)}")
    seeds = list(seeds)
    replicas = next(iter(weights.values())).shape[0]
    if len(seeds) != replicas:
        raise NetworkError(f"feedback alignment: {len(seeds)} seeds given for {replicas} replicas; "
                           f"give one per replica")
    out = {}
    rngs = [replica_rng(s, STREAM_FEEDBACK) for s in seeds]
    for p in network.projections:
        w = weights[p.key]
        rg = network.init_range if p.init_range is None else p.init_range
        b = np.empty_like(w)
        for r, rng in enumerate(rngs):
            b[r] = rng.uniform(-rg, rg, size=w.shape[1:])
        out[p.key] = b
    return out
