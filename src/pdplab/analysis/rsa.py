"""Representational similarity analysis of recorded activations.

Representational dissimilarity matrices (RDMs) are DataArrays with the
dimensions of the activations less the unit dimension, and two item
dimensions, ``item`` and ``item2`` — e.g. (replica, epoch, item, item2).
Everything here is vectorized over the other dimensions.

References
----------
Kriegeskorte, N., Mur, M., & Bandettini, P. (2008). Representational
similarity analysis — connecting the branches of systems neuroscience.
*Frontiers in Systems Neuroscience*, 2, 4.
Nili, H., et al. (2014). A toolbox for representational similarity analysis.
*PLoS Computational Biology*, 10, e1003553 (Kendall's τ_A for comparing RDMs).
Rogers, T. T., & McClelland, J. L. (2004). *Semantic Cognition*. MIT Press.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy import stats
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

__all__ = [
    "rdm", "mean_rdm", "category_rdm", "compare", "linkage", "dendrogram_order",
    "mds", "split_epoch", "to_rsatoolbox", "from_rsatoolbox", "METRICS", "METHODS",
]

METRICS = ("correlation", "euclidean", "cosine")
METHODS = ("spearman", "kendall_tau_a", "pearson")


def _unit_dim(acts, unit_dim):
    if unit_dim is not None:
        return unit_dim
    units = [d for d in acts.dims if d.endswith("_unit")]
    if len(units) != 1:
        raise ValueError(f"give unit_dim: the activations have unit dimensions {units}")
    return units[0]


def rdm(acts, metric="correlation", unit_dim=None):
    """Dissimilarities between the items' activation patterns.

    Parameters
    ----------
    acts : xarray.DataArray
        Activations with an ``item`` dimension and one unit dimension
        (``<group>_unit``), e.g. ``ds["representation"]``.
    metric : {"correlation", "euclidean", "cosine"}
        1 − Pearson r across units, Euclidean distance, or 1 − cosine.

    Returns
    -------
    xarray.DataArray
        Dims: the others of ``acts``, then ``item`` and ``item2``; item
        coordinates are kept on both.
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}, not {metric!r}")
    unit = _unit_dim(acts, unit_dim)
    other = [d for d in acts.dims if d not in ("item", unit)]
    x = acts.transpose(*other, "item", unit).values.astype(float)
    if metric == "euclidean":
        sq = (x * x).sum(-1)
        d2 = sq[..., :, None] + sq[..., None, :] - 2 * np.einsum("...iu,...ju->...ij", x, x)
        d = np.sqrt(np.maximum(d2, 0.0))
    else:
        if metric == "correlation":
            x = x - x.mean(-1, keepdims=True)
        norm = np.linalg.norm(x, axis=-1, keepdims=True)
        x = x / np.where(norm == 0, 1.0, norm)
        d = 1.0 - np.einsum("...iu,...ju->...ij", x, x)
    idx = np.arange(d.shape[-1])
    d[..., idx, idx] = 0.0
    coords = {k: v for k, v in acts.coords.items() if unit not in v.dims}
    out = xr.DataArray(d, dims=other + ["item", "item2"], coords={k: v for k, v in coords.items()})
    item_coords = {f"{k}2" if k != "item" else "item2": ("item2", acts[k].values)
                   for k, v in acts.coords.items() if v.dims == ("item",)}
    out = out.assign_coords(item_coords)
    out.attrs["metric"] = metric
    return out.rename(f"rdm_{metric}")


def mean_rdm(rdms, dim="replica"):
    """The mean RDM over ``dim`` (replicas by default)."""
    return rdms.mean(dim, keep_attrs=True)


def category_rdm(labels, items=None):
    """A model RDM: 0 for items with the same label, 1 otherwise."""
    labels = np.asarray(labels)
    d = (labels[:, None] != labels[None, :]).astype(float)
    coords = {} if items is None else {"item": np.asarray(items), "item2": np.asarray(items)}
    return xr.DataArray(d, dims=("item", "item2"), coords=coords, name="category_rdm")


def _upper(d):
    n = d.shape[-1]
    i, j = np.triu_indices(n, k=1)
    return d[..., i, j]


def _kendall_tau_a(a, b):
    n = len(a)
    sa = np.sign(a[:, None] - a[None, :])
    sb = np.sign(b[:, None] - b[None, :])
    return float((sa * sb).sum() / (n * (n - 1)))


def compare(a, b, method="spearman"):
    """Correlate two RDMs (their upper triangles), vectorized over the other
    dimensions of ``a`` (``b`` may be a single RDM, e.g. a model RDM).

    ``kendall_tau_a`` counts ties as neither concordant nor discordant, as
    recommended for model RDMs with many ties (Nili et al. 2014).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    other = [d for d in a.dims if d not in ("item", "item2")]
    av = _upper(a.transpose(*other, "item", "item2").values).reshape(-1, a.sizes["item"] * (a.sizes["item"] - 1) // 2)
    bv = b.transpose(..., "item", "item2").values
    bv = np.broadcast_to(_upper(bv).reshape(-1, av.shape[1]), av.shape)
    out = np.empty(av.shape[0])
    for k in range(av.shape[0]):
        if method == "spearman":
            out[k] = stats.spearmanr(av[k], bv[k]).statistic
        elif method == "pearson":
            out[k] = stats.pearsonr(av[k], bv[k]).statistic
        else:
            out[k] = _kendall_tau_a(av[k], bv[k])
    shape = [a.sizes[d] for d in other]
    coords = {k: v for k, v in a.coords.items() if set(v.dims) <= set(other)}
    return xr.DataArray(out.reshape(shape), dims=other, coords=coords, name=method)


def linkage(d, method="average"):
    """Hierarchical clustering (scipy linkage matrix) of one RDM."""
    return hierarchy.linkage(squareform(np.asarray(d), checks=False), method=method)


def dendrogram_order(d, method="average"):
    """The items in the order of the dendrogram's leaves."""
    order = hierarchy.leaves_list(linkage(d, method))
    return list(np.asarray(d["item"].values)[order]) if hasattr(d, "coords") else list(order)


def mds(acts, n_components=2, unit_dim=None, over="epoch"):
    """Classical MDS of all patterns along ``over`` together, so that items'
    positions at different epochs share one space: trajectories.

    Returns a DataArray with the dims of ``acts`` less the unit dimension,
    plus ``component``.
    """
    unit = _unit_dim(acts, unit_dim)
    other = [d for d in acts.dims if d not in (over, "item", unit)]
    x = acts.transpose(*other, over, "item", unit).values.astype(float)
    lead = x.shape[:-3]
    flat = x.reshape(lead + (-1, x.shape[-1]))
    flat = flat - flat.mean(-2, keepdims=True)
    u, s, _ = np.linalg.svd(flat, full_matrices=False)
    y = (u[..., :n_components] * s[..., None, :n_components]).reshape(x.shape[:-1] + (n_components,))
    coords = {k: v for k, v in acts.coords.items() if unit not in v.dims}
    return xr.DataArray(y, dims=other + [over, "item", "component"], coords=coords, name="mds")


def split_epoch(rdms, labels, within=None, fraction=0.5):
    """The epoch at which items with different ``labels`` reliably become
    further apart than items with the same label, per replica.

    The gap is the mean distance between items with different labels less
    the mean distance between items with the same label (only pairs that
    share a ``within`` label count, e.g. categories within a domain; when no
    pair shares a label, the within-label distance is taken as 0).  The split
    epoch is the first recorded epoch from which the gap stays at or above
    ``fraction`` of its final value; NaN where the final gap is not positive.

    Parameters
    ----------
    rdms : xarray.DataArray
        (…, epoch, item, item2).
    labels, within : array_like of length items
    """
    labels = np.asarray(labels)
    same = labels[:, None] == labels[None, :]
    pairs = ~np.eye(len(labels), dtype=bool)
    if within is not None:
        within = np.asarray(within)
        pairs &= within[:, None] == within[None, :]
    other = [d for d in rdms.dims if d not in ("epoch", "item", "item2")]
    d = rdms.transpose(*other, "epoch", "item", "item2").values
    between = d[..., pairs & ~same].mean(-1)
    inside = d[..., pairs & same].mean(-1) if (pairs & same).any() else 0.0
    gap = between - inside  # (..., epoch)
    epochs = rdms["epoch"].values
    final = gap[..., -1:]
    above = gap >= fraction * final
    # Index of the first epoch after which the gap never falls below the bar again.
    stays = np.flip(np.logical_and.accumulate(np.flip(above, -1), -1), -1)
    first = np.where(stays.any(-1), stays.argmax(-1), -1)
    result = np.where((final[..., 0] > 0) & (first >= 0), epochs[np.maximum(first, 0)], np.nan)
    coords = {k: v for k, v in rdms.coords.items() if set(v.dims) <= set(other)}
    return xr.DataArray(np.asarray(result, dtype=float), dims=other, coords=coords, name="split_epoch")


def to_rsatoolbox(d, descriptor="item"):
    """An ``rsatoolbox.rdm.RDMs`` holding the RDMs in ``d`` (one per index of
    its other dimensions), for rsatoolbox's inference tools."""
    try:
        from rsatoolbox.rdm import RDMs
    except ImportError:
        raise ImportError("rsatoolbox is not installed: pip install rsatoolbox") from None
    other = [x for x in d.dims if x not in ("item", "item2")]
    mats = d.transpose(*other, "item", "item2").values.reshape(-1, d.sizes["item"], d.sizes["item"])
    return RDMs(
        np.stack([squareform(m, checks=False) for m in mats]),
        dissimilarity_measure=d.attrs.get("metric", "unknown"),
        pattern_descriptors={descriptor: list(map(str, d["item"].values))},
    )


def from_rsatoolbox(rdms, descriptor="item"):
    """A DataArray (rdm, item, item2) from an ``rsatoolbox.rdm.RDMs``."""
    mats = rdms.get_matrices()
    items = rdms.pattern_descriptors.get(descriptor, list(range(mats.shape[-1])))
    return xr.DataArray(mats, dims=("rdm", "item", "item2"),
                        coords={"item": list(items), "item2": list(items)},
                        attrs={"metric": rdms.dissimilarity_measure})
