"""Is an output right?  Two rules, per item, over every output group.

``within``
    Every output unit lies within ``criterion`` (0.5 by default) of its
    target: Lens's test criterion, the rule for binary targets.
``nearest``
    The output pattern lies nearer (in Euclidean distance) to the item's own
    target than to any other of a fixed set of candidate patterns (the
    training items' distinct targets): the rule of choice when targets are
    patterns that share units, such as phonological or semantic feature
    vectors (Plaut et al. 1996).  It needs two candidates or more.

References
----------
Plaut, D. C., McClelland, J. L., Seidenberg, M. S., & Patterson, K. (1996).
Understanding normal and impaired word reading. *Psychological Review*, 103, 56-115.
Rohde, D. L. T. (1999). *Lens: The light, efficient network simulator*.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CRITERION", "within", "nearest", "candidates"]

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


def candidates(targets, groups):
    """The distinct target patterns of a set of items (all output groups
    joined), the candidates of :func:`nearest`; None when there are fewer
    than two, so that the rule could not be wrong."""
    joined = np.concatenate([np.asarray(targets[g], dtype=np.float64).reshape(-1, np.shape(targets[g])[-1])
                             for g in groups], axis=-1)
    distinct = np.unique(joined, axis=0)
    return distinct if len(distinct) > 1 else None


def nearest(outputs, targets, among):
    """Per replica and item: is the output nearer its own target than any
    other of the candidate patterns ``among`` (from :func:`candidates`, e.g.
    the training items' targets, so that the answer does not depend on
    which other items are tested)?  Ties count as wrong."""
    out = np.concatenate([np.asarray(outputs[g], dtype=np.float64) for g in outputs], axis=-1)
    own = np.concatenate([np.asarray(targets[g], dtype=np.float64).reshape(out.shape[1], -1) for g in outputs],
                         axis=-1)
    # Where each item's own target stands among the candidates (−1: a target of its own).
    distinct, index = np.unique(np.concatenate([among, own]), axis=0, return_inverse=True)
    index = np.asarray(index).reshape(-1)
    position = np.full(len(distinct), -1)
    position[index[:len(among)]] = np.arange(len(among))
    which = position[index[len(among):]]
    rows = np.flatnonzero(which >= 0)
    norms = (among * among).sum(-1)
    right = np.empty(out.shape[:2], dtype=bool)
    for r in range(out.shape[0]):  # one replica at a time: items × candidates can be large
        mine = ((out[r] - own) ** 2).sum(-1)
        d = norms - 2 * out[r] @ among.T + (out[r] ** 2).sum(-1, keepdims=True)
        d[rows, which[rows]] = np.inf  # the item's own target is not its rival
        right[r] = mine < d.min(axis=-1)
    return right
