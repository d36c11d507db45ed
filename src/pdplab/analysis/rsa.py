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
    "mds", "separation", "split_epoch", "to_rsatoolbox", "from_rsatoolbox", "METRICS", "METHODS",
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


def separation(rdms, labels, within=None, among=None):
    """The mean distance between items with different ``labels``: how far
    apart the groups they form are, at every index of the other dimensions.

    Parameters
    ----------
    rdms : xarray.DataArray
        (…, item, item2), e.g. Euclidean distances over (replica, epoch).
    labels : array_like of length items
    within : array_like of length items, optional
        Only pairs that share this label count (e.g. categories within a
        domain; or, with the items' own names as ``labels``, items within a
        category).
    among : array_like of bool, optional
        Only pairs with at least one of these items count (e.g. one item
        against its category mates).

    Returns
    -------
    xarray.DataArray
        The dims of ``rdms`` less ``item`` and ``item2``.
    """
    labels = np.asarray(labels)
    pairs = labels[:, None] != labels[None, :]
    if within is not None:
        within = np.asarray(within)
        pairs &= within[:, None] == within[None, :]
    if among is not None:
        among = np.asarray(among, dtype=bool)
        pairs &= among[:, None] | among[None, :]
    if not pairs.any():
        raise ValueError("separation: no pair of items has different labels (within the groups given)")
    other = [d for d in rdms.dims if d not in ("item", "item2")]
    d = rdms.transpose(*other, "item", "item2").values
    coords = {k: v for k, v in rdms.coords.items() if set(v.dims) <= set(other)}
    return xr.DataArray(d[..., pairs].mean(-1), dims=other, coords=coords, name="separation")


def split_epoch(separation, fraction=0.5, min_rise=0.5, until=None, settled=None, resolution=None):
    """The epoch at which a separation has covered ``fraction`` of its rise
    from its epoch-0 value to its peak: when a group of items differentiates.

    Parameters
    ----------
    separation : xarray.DataArray
        (…, epoch), e.g. from :func:`separation`, with increasing epochs.
        The first epoch is the baseline.
    fraction : float in (0, 1]
        Share of the rise from baseline to peak that marks the split.
    min_rise : float ≥ 0
        A separation whose peak exceeds its baseline by less than this
        fraction of the baseline never differentiated: NaN.
    until : array_like or xarray.DataArray, optional
        The last epoch to consider, per index of the other dimensions (e.g.
        when each replica reached a training criterion); NaN for none.  A
        DataArray is matched to the other dimensions by name.
    settled : float in (0, 1], optional
        Require the separation to have levelled off: at 80% of the epochs
        considered it must have covered at least this share of its rise to
        the peak.  A separation still rising at the end has no peak yet, and
        its split would move with longer training: NaN.
    resolution : float, optional
        Require the recorded epochs around the split to be at most this
        share of the split epoch apart; a split located more coarsely is
        NaN, so that no verdict rests on interpolation across a long gap.

    Returns
    -------
    xarray.DataArray
        The split epoch, interpolated linearly between recorded epochs, for
        each index of the other dimensions; NaN where the separation never
        rose enough, had not settled, was located too coarsely or holds NaN.
    """
    for name, value, low in (("fraction", fraction, 0), ("settled", settled, 0)):
        if value is not None and not low < value <= 1:
            raise ValueError(f"split_epoch: {name} must lie in (0, 1], not {value!r}")
    for name, value in (("min_rise", min_rise), ("resolution", resolution)):
        if value is not None and not 0 <= value < np.inf:
            raise ValueError(f"split_epoch: {name} must be a non-negative number, not {value!r}")
    other = [d for d in separation.dims if d != "epoch"]
    s = separation.transpose(*other, "epoch").values.astype(float)
    epochs = separation["epoch"].values.astype(float)
    if (np.diff(epochs) <= 0).any():
        raise ValueError("split_epoch: the epochs must increase")
    flat = s.reshape(-1, s.shape[-1])
    if until is None:
        stop = np.full(len(flat), np.inf)
    else:
        if isinstance(until, xr.DataArray):
            until = until.broadcast_like(separation.isel(epoch=0, drop=True)).transpose(*other).values
        stop = np.broadcast_to(np.asarray(until, dtype=float), s.shape[:-1]).reshape(-1)
    out = np.full(len(flat), np.nan)
    for k, row in enumerate(flat):
        if not stop[k] >= epochs[0]:  # NaN: no epoch to consider
            continue
        keep = epochs <= stop[k]
        row, seen = row[keep], epochs[keep]
        if np.isnan(row).any():
            continue
        base, peak = row[0], row.max()
        if peak <= base or peak - base < min_rise * abs(base):
            continue
        if settled is not None and np.interp(seen[0] + 0.8 * (seen[-1] - seen[0]), seen, row) \
                < base + settled * (peak - base):
            continue
        bar = base + fraction * (peak - base)
        i = int(np.argmax(row >= bar))  # ≥ 1: the baseline is below the bar
        x0, x1, y0, y1 = seen[i - 1], seen[i], row[i - 1], row[i]
        split = x0 + (bar - y0) / (y1 - y0) * (x1 - x0)
        if resolution is not None and x1 - x0 > resolution * split:
            continue
        out[k] = split
    coords = {k: v for k, v in separation.coords.items() if set(v.dims) <= set(other)}
    return xr.DataArray(out.reshape(s.shape[:-1]), dims=other, coords=coords, name="split_epoch")


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
