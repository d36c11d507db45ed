"""Figures of results, drawn with matplotlib's Agg backend (no display needed).

Each function takes a results Dataset (or DataArray) and returns a
:class:`matplotlib.figure.Figure`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["learning_curves", "rdm_heatmap", "dendrogram", "mds_trajectories", "series", "damage_curves",
           "save_figure"]


def _figure(**kwargs):
    from matplotlib.figure import Figure

    return Figure(**kwargs)


def save_figure(fig, path, dpi=120):
    """Write ``fig`` as PNG (atomically: temporary name, then rename)."""
    from .core.files import atomic

    with atomic(path) as tmp:
        fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format="png")
    return path


def _mean_and_band(ax, values, dim, label=None):
    """Plot the replica mean of ``values`` over ``dim`` with a ±1 sd band."""
    x = values[dim].values
    mean = values.mean("replica")
    line, = ax.plot(x, mean, label=label)
    sd = values.std("replica")
    ax.fill_between(x, mean - sd, mean + sd, color=line.get_color(), alpha=0.2, linewidth=0)


def learning_curves(ds, by=None, ax=None):
    """Error summed over items (or averaged within each value of the item
    coordinate ``by``) against epoch: the replica mean with a band of ±1 sd."""
    fig = None
    if ax is None:
        fig = _figure(figsize=(6, 4))
        ax = fig.add_subplot()
    err = ds["error"]
    groups = [(None, err.sum("item"))] if by is None else [
        (label, part.mean("item")) for label, part in err.groupby(by)
    ]
    for label, curve in groups:
        _mean_and_band(ax, curve, "epoch", None if label is None else str(label))
    ax.set_xlabel("epoch")
    ax.set_ylabel("error" if by is None else f"mean error per item, by {by}")
    if by is not None:
        ax.legend(frameon=False)
    return fig or ax.figure


def rdm_heatmap(acts, title=None):
    """Heatmap of the correlation-distance RDM of ``acts``, a DataArray with
    dims (item, <group>_unit)."""
    from .analysis import rsa

    labels = [str(v) for v in acts["item"].values]
    fig = _figure(figsize=(5, 4.5))
    ax = fig.add_subplot()
    im = ax.imshow(rsa.rdm(acts, "correlation").values, cmap="viridis", vmin=0, vmax=2)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    fig.colorbar(im, ax=ax, label="1 − r")
    if title:
        ax.set_title(title)
    return fig


def dendrogram(acts, title=None):
    """Average-linkage clustering of items by the Euclidean distance of their
    patterns; ``acts`` has dims (item, <group>_unit)."""
    from scipy.cluster import hierarchy

    from .analysis import rsa

    fig = _figure(figsize=(5, 3.5))
    ax = fig.add_subplot()
    tree = rsa.linkage(rsa.rdm(acts, "euclidean"))
    hierarchy.dendrogram(tree, labels=[str(v) for v in acts["item"].values], ax=ax, leaf_rotation=90,
                         color_threshold=0)
    ax.set_ylabel("distance")
    if title:
        ax.set_title(title)
    return fig


def mds_trajectories(acts, title=None):
    """Items' paths through representation space over training, in 2-D by
    classical MDS of all (epoch, item) patterns together; ``acts`` has dims
    (epoch, item, <group>_unit)."""
    from .analysis import rsa

    xy = rsa.mds(acts).transpose("epoch", "item", "component").values
    fig = _figure(figsize=(5, 5))
    ax = fig.add_subplot()
    for i, label in enumerate(acts["item"].values):
        line, = ax.plot(xy[:, i, 0], xy[:, i, 1], "-", linewidth=1)
        ax.plot(xy[-1, i, 0], xy[-1, i, 1], "o", color=line.get_color())
        ax.annotate(str(label), xy[-1, i], fontsize=8, xytext=(3, 3), textcoords="offset points")
    ax.set_xlabel("dimension 1")
    ax.set_ylabel("dimension 2")
    if title:
        ax.set_title(title)
    return fig


def series(values, ylabel, dim="epoch"):
    """One quantity over ``dim``: replica mean and ±1 sd band."""
    fig = _figure(figsize=(5, 3.5))
    ax = fig.add_subplot()
    _mean_and_band(ax, values, dim)
    ax.set_xlabel(dim)
    ax.set_ylabel(ylabel)
    return fig


def damage_curves(accuracy):
    """Accuracy (level, severity) against damage severity, one line per level."""
    fig = _figure(figsize=(5, 3.5))
    ax = fig.add_subplot()
    for level in accuracy["level"].values:
        ax.plot(accuracy["severity"], accuracy.sel(level=level), "o-", label=str(level))
    ax.set_xlabel("damage (noise sd)")
    ax.set_ylabel("share of true attributes active")
    ax.set_ylim(0, 1.05)
    ax.legend(frameon=False)
    return fig


def singular_modes(s, u, labels):
    """Singular values and the item (input) modes of an input–output correlation."""
    fig = _figure(figsize=(8, 3.5))
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 2]})
    ax1.bar(range(1, len(s) + 1), s)
    ax1.set_xlabel("mode")
    ax1.set_ylabel("singular value")
    lim = np.abs(u).max()
    im = ax2.imshow(u.T, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
    ax2.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8)
    ax2.set_yticks(range(len(s)), [str(i) for i in range(1, len(s) + 1)])
    ax2.set_ylabel("mode")
    fig.colorbar(im, ax=ax2)
    return fig


def mode_curves(epochs, simulated, analytic, s, title):
    """Mode strengths over training: simulated (replica mean, solid) against
    the analytic solution (replica mean, dashed), one colour per mode."""
    fig = _figure(figsize=(6, 4))
    ax = fig.add_subplot()
    for m in range(simulated.shape[-1]):
        line, = ax.plot(epochs, simulated[..., m].mean(0), label=f"s = {s[m]:.2f}")
        ax.plot(epochs, analytic[..., m].mean(0), "--", color=line.get_color(), linewidth=1)
    ax.set_xlabel("epoch")
    ax.set_ylabel("mode strength a(t)")
    ax.set_title(f"{title}: simulated (solid), analytic (dashed)")
    ax.legend(frameon=False, fontsize=7, loc="center right")
    return fig
