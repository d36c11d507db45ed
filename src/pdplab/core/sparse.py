"""Sparse input patterns for whole-epoch batches.

Input codes are often sparse (the reading model's orthography turns on about 8
of its 105 units): as a sparse matrix, the input layer's two products of an
epoch, ``X W`` forward and ``Xᵀ δ`` for the gradient, cost a tenth of their
dense form.  The numpy path uses :class:`SparsePatterns` for input groups at
most :data:`DENSITY` full when an update sees the whole training set at once
(see :func:`pdplab.core.train.train`); the products are compiled loops
(:mod:`pdplab.core.kernels`) that sum in a fixed order, so a replica's numbers
do not depend on the others or on the threads.
"""

from __future__ import annotations

import numpy as np

from .compiled import in_parallel

__all__ = ["DENSITY", "SparsePatterns", "sparse_or_none"]

#: The largest share of nonzero values for which patterns are kept sparse.
DENSITY = 0.25
#: Batches smaller than this stay dense (the products are cheap either way).
MIN_PATTERNS = 256


class SparsePatterns:
    """The patterns of one input group, (1, patterns, units), in compressed-row form."""

    def __init__(self, dense):
        from .kernels import sparse_matmul, sparse_tmatmul

        self._matmul, self._tmatmul = sparse_matmul, sparse_tmatmul
        rows = dense[0]
        self.shape, self.dtype, self.ndim = dense.shape, dense.dtype, dense.ndim
        nonzero = rows != 0
        self.indptr = np.concatenate([[0], np.cumsum(nonzero.sum(axis=1))]).astype(np.int64)
        self.indices = np.nonzero(nonzero)[1].astype(np.int64)
        self.values = np.ascontiguousarray(rows[nonzero], dtype=dense.dtype)

    def matmul(self, weights, out=None):
        """``X W`` for weights (replicas, units, m): (replicas, patterns, m)."""
        R, m = weights.shape[0], weights.shape[2]
        if out is None:
            out = np.empty((R, self.shape[1], m), self.dtype)
        weights = np.ascontiguousarray(weights)
        in_parallel(lambda a, b: self._matmul(self.indptr, self.indices, self.values, weights, out, a, b),
                    self.shape[1], R * len(self.values) * m // 500)
        return out

    def tmatmul(self, grads, out=None):
        """``Xᵀ G`` for G (replicas, patterns, m): (replicas, units, m)."""
        R, m = grads.shape[0], grads.shape[2]
        if out is None:
            out = np.empty((R, self.shape[2], m), self.dtype)
        grads = np.ascontiguousarray(grads)
        in_parallel(lambda a, b: self._tmatmul(self.indptr, self.indices, self.values, grads, out, a, b),
                    self.shape[2], R * len(self.values) * m // 500)
        return out


def sparse_or_none(dense):
    """:class:`SparsePatterns` for a (1, patterns, units) array sparse and large enough to gain,
    else None (also when numba is missing)."""
    if dense.ndim != 3 or dense.shape[0] != 1 or dense.shape[1] < MIN_PATTERNS:
        return None
    if np.count_nonzero(dense) > DENSITY * dense.size:
        return None
    try:
        return SparsePatterns(dense)
    except ImportError:
        return None
