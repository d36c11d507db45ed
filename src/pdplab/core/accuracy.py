"""Is an output right?  Two rules, per item, over every output group.

``within``
    Every output unit lies within ``criterion`` (0.5 by default) of its
    target: Lens's test criterion, the rule for binary targets.
``nearest``
    The output pattern lies nearer (in Euclidean distance) to the item's own
    target than to any other distinct target pattern among the items: the
    rule of choice when targets are patterns that share units, such as
    phonological or semantic feature vectors (Plaut et al. 1996).

References
----------
Plaut, D. C., McClelland, J. L., Seidenberg, M. S., & Patterson, K. (1996).
Understanding normal and impaired word reading. *Psychological Review*, 103, 56-115.
Rohde, D. L. T. (1999). *Lens: The light, efficient network simulator*.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CRITERION", "within", "nearest"]

#: The default distance from its target within which an output counts as right.
CRITERION = 0.5


def within(outputs, targets, criterion=CRITERION):
    """Per replica and item: is every output unit within ``criterion`` of its target?

    Parameters
    ----------
    outputs : dict of str to ndarray
        For each output group, (replicas, items, units).
    targets : dict of str to ndarray
        For each output group, (items, units) or (1, items, units).
    """
    right = None
    for g, out in outputs.items():
        ok = (np.abs(out - targets[g]) < criterion).all(axis=-1)
        right = ok if right is None else right & ok
    return right


def nearest(outputs, targets):
    """Per replica and item: is the output nearer its own target than any
    other distinct target pattern?  Ties count as wrong."""
    out = np.concatenate([outputs[g] for g in outputs], axis=-1)  # replicas, items, units
    own = np.concatenate([np.asarray(targets[g]).reshape(out.shape[1], -1) for g in outputs], axis=-1)
    candidates, which = np.unique(own, axis=0, return_inverse=True)
    which = np.asarray(which).reshape(-1, 1)
    norms = (candidates * candidates).sum(-1)
    right = np.empty(out.shape[:2], dtype=bool)
    for r in range(out.shape[0]):  # one replica at a time: items × targets can be large
        # Squared distances to every distinct target, less the output's own |o|², which all share.
        d = norms - 2 * out[r] @ candidates.T
        mine = np.take_along_axis(d, which, -1)[:, 0]
        np.put_along_axis(d, which, np.inf, -1)
        right[r] = mine < d.min(axis=-1)
    return right
