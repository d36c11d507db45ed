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
    import os
    import tempfile
    from pathlib import Path

    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".png", dir=path.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=dpi, bbox_inches="tight")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


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
        mean, sd = curve.mean("replica"), curve.std("replica")
        epochs = curve["epoch"].values
        line, = ax.plot(epochs, mean, label=None if label is None else str(label))
        ax.fill_between(epochs, mean - sd, mean + sd, color=line.get_color(), alpha=0.2, linewidth=0)
    ax.set_xlabel("epoch")
    ax.set_ylabel("error" if by is None else f"mean error per item, by {by}")
    if by is not None:
        ax.legend(frameon=False)
    return fig or ax.figure


def _rdm(acts):
    """Correlation distance between items' patterns: acts (item, unit)."""
    x = acts - acts.mean(axis=1, keepdims=True)
    norm = np.linalg.norm(x, axis=1, keepdims=True)
    norm[norm == 0] = 1.0
    x = x / norm
    return 1.0 - x @ x.T


def rdm_heatmap(acts, labels=None, title=None):
    """Heatmap of the correlation-distance RDM of ``acts`` (a DataArray with
    dims (item, unit), or an array)."""
    values = np.asarray(acts)
    labels = list(acts["item"].values) if labels is None and hasattr(acts, "coords") else labels
    fig = _figure(figsize=(5, 4.5))
    ax = fig.add_subplot()
    im = ax.imshow(_rdm(values), cmap="viridis", vmin=0, vmax=2)
    if labels is not None:
        ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
        ax.set_yticks(range(len(labels)), labels, fontsize=7)
    fig.colorbar(im, ax=ax, label="1 − r")
    if title:
        ax.set_title(title)
    return fig


def dendrogram(acts, labels=None, title=None, ax=None):
    """Average-linkage clustering of items by the Euclidean distance of their patterns."""
    from scipy.cluster import hierarchy

    values = np.asarray(acts)
    labels = list(acts["item"].values) if labels is None and hasattr(acts, "coords") else labels
    fig = None
    if ax is None:
        fig = _figure(figsize=(5, 3.5))
        ax = fig.add_subplot()
    tree = hierarchy.linkage(values, method="average", metric="euclidean")
    hierarchy.dendrogram(tree, labels=labels, ax=ax, leaf_rotation=90, color_threshold=0)
    ax.set_ylabel("distance")
    if title:
        ax.set_title(title)
    return fig or ax.figure


def mds_trajectories(acts, labels=None, title=None):
    """Items' paths through representation space over training, in 2-D by
    classical MDS of all (epoch, item) patterns together.

    ``acts`` has dims (epoch, item, unit).
    """
    values = np.asarray(acts)
    n_epochs, n_items, _ = values.shape
    labels = list(acts["item"].values) if labels is None and hasattr(acts, "coords") else labels
    flat = values.reshape(n_epochs * n_items, -1)
    centred = flat - flat.mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    xy = (u[:, :2] * s[:2]).reshape(n_epochs, n_items, 2)
    fig = _figure(figsize=(5, 5))
    ax = fig.add_subplot()
    for i in range(n_items):
        line, = ax.plot(xy[:, i, 0], xy[:, i, 1], "-", linewidth=1)
        ax.plot(xy[-1, i, 0], xy[-1, i, 1], "o", color=line.get_color())
        if labels is not None:
            ax.annotate(str(labels[i]), xy[-1, i], fontsize=8, xytext=(3, 3), textcoords="offset points")
    ax.set_xlabel("dimension 1")
    ax.set_ylabel("dimension 2")
    if title:
        ax.set_title(title)
    return fig


def series(values, ylabel, dim="epoch"):
    """One quantity over ``dim``: replica mean and ±1 sd band."""
    fig = _figure(figsize=(5, 3.5))
    ax = fig.add_subplot()
    mean = values.mean("replica") if "replica" in values.dims else values
    x = values[dim].values
    line, = ax.plot(x, mean)
    if "replica" in values.dims:
        sd = values.std("replica")
        ax.fill_between(x, mean - sd, mean + sd, color=line.get_color(), alpha=0.2, linewidth=0)
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
