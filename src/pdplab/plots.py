"""Figures of results, drawn with matplotlib's Agg backend (no display needed).

Each function returns a :class:`matplotlib.figure.Figure`.  Quantities
measured on many replicas are drawn as their median over replicas with the
interquartile range shaded (:data:`BAND`), which, unlike a mean ± sd band,
never leaves the range the quantity can take (an error is never below 0).
"""

from __future__ import annotations

import numpy as np

__all__ = ["BAND", "curve_error", "learning_curves", "rdm_heatmap", "dendrograms", "mds_trajectories",
           "separation_curves", "fact_curves", "damage_curves", "singular_modes", "mode_curves", "half_times",
           "accuracy_curve", "published_bars", "condition_means", "condition_curves", "class_curves", "rate_curve",
           "save_figure", "outcome_bars", "trajectories"]

#: What the shaded bands of every figure show.
BAND = "line: median over replicas; band: interquartile range (25th–75th percentile)"


def _figure(**kwargs):
    from matplotlib.figure import Figure

    return Figure(layout="constrained", **kwargs)


def save_figure(fig, path, dpi=120):
    """Write ``fig`` as PNG (atomically: temporary name, then rename)."""
    from .core.files import atomic

    with atomic(path) as tmp:
        fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format="png")
    return path


def _band(ax, values, dim="epoch", label=None, color=None, **line):
    """Plot the median of ``values`` over replicas against ``dim``, with the
    interquartile range shaded."""
    import warnings

    x = values[dim].values
    with warnings.catch_warnings():  # epochs where no replica has a value stay blank
        warnings.filterwarnings("ignore", "All-NaN slice", RuntimeWarning)
        q = values.quantile([0.25, 0.5, 0.75], dim="replica").transpose("quantile", dim).values
    drawn, = ax.plot(x, q[1], label=label, color=color, **line)
    ax.fill_between(x, q[0], q[2], color=drawn.get_color(), alpha=0.2, linewidth=0)
    return drawn


def _colours(labels):
    from matplotlib import colormaps

    cmap = colormaps["tab10"]
    return {label: cmap(i % 10) for i, label in enumerate(dict.fromkeys(labels))}


def curve_error(ds):
    """The error a learning curve shows, (replica, epoch, item): ``train_error`` (the training
    pass's, every epoch) when the results hold it on more epochs than ``error`` and for every
    recorded item, else ``error`` (the test pass at the recorded epochs, which also measures
    held-out items).  In a sweep, epochs after a replica's task stopped are NaN."""
    if ("train_error" in ds and ds.sizes.get("train_epoch", 0) > ds.sizes["epoch"]
            and not ds["train_error"].isnull().all([d for d in ds["train_error"].dims if d != "item"]).any()):
        err = ds["train_error"].rename(train_epoch="epoch")
        if "last_epoch" in ds:  # a sweep: each task's last epoch is carried forward
            err = err.where(err["epoch"] <= ds["last_epoch"])
        return err
    err = ds["error"]
    if "event" in err.dims:  # items of several events: the error of an item is its events' sum
        err = err.sum("event", min_count=1)
    return err.where(ds["trained"]) if "trained" in ds else err


def learning_curves(ds, by=None, ax=None, label=None):
    """Error against epoch (:func:`curve_error`): summed over all items, or (with ``by``, an
    item coordinate) the mean error per item within each of its values."""
    fig = None
    if ax is None:
        fig = _figure(figsize=(6, 4))
        ax = fig.add_subplot()
    err = curve_error(ds)
    if by is None:
        _band(ax, err.sum("item", min_count=1), label=label)
        ax.set_ylabel("error, summed over all items")
    else:
        for value, part in err.groupby(by):
            _band(ax, part.mean("item"), label=str(value))
        ax.set_ylabel(f"error per item, mean within each {by}")
    ax.set_xlabel("epoch")
    ax.set_ylim(bottom=0)
    if by is not None or label is not None:
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


def dendrograms(acts, stages, colour_by="category"):
    """Average-linkage clustering of the items at several stages of
    training, from the replica-mean Euclidean distance matrix.

    Parameters
    ----------
    acts : xarray.DataArray
        (replica, epoch, item, <group>_unit).
    stages : sequence of (epoch, title)
        One panel each, drawn at the recorded epoch nearest ``epoch``.
    colour_by : str
        Item coordinate whose values colour the leaf labels.
    """
    from scipy.cluster import hierarchy

    from .analysis import rsa

    fig = _figure(figsize=(3.2 * len(stages), 3.6))
    axes = fig.subplots(1, len(stages), sharey=True, squeeze=False)[0]
    colours = _colours(acts[colour_by].values)
    for ax, (epoch, title) in zip(axes, stages):
        at = acts.sel(epoch=epoch, method="nearest")
        d = rsa.mean_rdm(rsa.rdm(at, "euclidean"))
        tree = rsa.linkage(d)
        labels = [str(v) for v in acts["item"].values]
        hierarchy.dendrogram(tree, labels=labels, ax=ax, leaf_rotation=90, color_threshold=0,
                             above_threshold_color="0.3")
        kinds = dict(zip(labels, acts[colour_by].values))
        for tick in ax.get_xmajorticklabels():
            tick.set_color(colours[kinds[tick.get_text()]])
            tick.set_fontsize(7 if len(labels) > 12 else 8)
        ax.set_title(f"{title}\nepoch {int(at['epoch'])}", fontsize=9)
    axes[0].set_ylabel("Euclidean distance (replica mean)")
    return fig


def mds_trajectories(acts, title=None, colour_by="category"):
    """Items' paths through representation space over training, in 2-D by
    classical MDS of all (epoch, item) patterns together; ``acts`` has dims
    (epoch, item, <group>_unit).  One colour per value of ``colour_by``; a
    dot marks each item's end point."""
    from .analysis import rsa

    xy = rsa.mds(acts).transpose("epoch", "item", "component").values
    kinds = acts[colour_by].values
    colours = _colours(kinds)
    fig = _figure(figsize=(6, 6))
    ax = fig.add_subplot()
    for i, label in enumerate(acts["item"].values):
        colour = colours[kinds[i]]
        ax.plot(xy[:, i, 0], xy[:, i, 1], "-", linewidth=1, color=colour, alpha=0.7)
        ax.plot(xy[-1, i, 0], xy[-1, i, 1], "o", color=colour)
        ax.annotate(str(label), xy[-1, i], fontsize=7, xytext=(3, 3), textcoords="offset points")
    for kind, colour in colours.items():
        ax.plot([], [], "-o", color=colour, label=str(kind))
    ax.legend(frameon=False, fontsize=8, title=colour_by)
    ax.set_xlabel("MDS dimension 1")
    ax.set_ylabel("MDS dimension 2")
    if title:
        ax.set_title(title)
    return fig


def separation_curves(separation, splits):
    """Each level's separation over training (median and IQR over replicas)
    with its median split epoch marked; ``separation`` and ``splits`` are
    Datasets with one variable per level."""
    fig = _figure(figsize=(6, 4))
    ax = fig.add_subplot()
    for level in separation.data_vars:
        line = _band(ax, separation[level], label=level)
        split = splits[level].values
        if np.isfinite(split).any():
            ax.axvline(np.median(split[np.isfinite(split)]), color=line.get_color(), linestyle=":", linewidth=1)
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlim(left=0)
    ax.set_xlabel("epoch (log scale above 10)")
    ax.set_ylabel("mean Euclidean distance between items")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, title="items differing by")
    return fig


def fact_curves(curves, marks=(), ylabel="output"):
    """Outputs over training (median and IQR over replicas), one line per
    entry of ``curves`` (label → DataArray (replica, epoch)); ``marks`` are
    (epoch, label) pairs drawn as vertical lines."""
    fig = _figure(figsize=(6, 4))
    ax = fig.add_subplot()
    for label, values in curves.items():
        _band(ax, values, label=label)
    for epoch, label in marks:
        if np.isfinite(epoch):
            ax.axvline(epoch, color="0.4", linestyle=":", linewidth=1)
            ax.annotate(label, (epoch, 1.0), rotation=90, fontsize=7, va="top", ha="right", color="0.3")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, fontsize=8)
    return fig


def damage_curves(damage):
    """Under damage: the share of each level's true facts still active, and
    the share of false facts active (false alarms), against severity;
    ``damage`` is a Dataset from :func:`pdplab.models.semantic.damage_by_level`."""
    fig = _figure(figsize=(9, 3.6))
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    for level in damage["level"].values:
        _band(left, damage["hits"].sel(level=level), "severity", label=str(level), marker="o")
    left.set_xlabel("damage (noise sd)")
    left.set_ylabel("true facts still active\n(1 − omissions)")
    left.set_ylim(0, 1.05)
    left.legend(frameon=False, fontsize=8)
    _band(right, damage["false_alarms"], "severity", marker="o", color="0.3")
    right.set_xlabel("damage (noise sd)")
    right.set_ylabel("false facts active (false alarms)")
    right.set_ylim(bottom=0)
    return fig


def severity_curves(table, ylabel, xlabel="damage"):
    """A measure against the severity of damage, one line per condition: ``table`` has columns
    ``replica``, ``severity``, ``condition`` and ``value``; median over replicas, IQR shaded."""
    fig = _figure(figsize=(5.5, 3.6))
    ax = fig.add_subplot()
    for condition, rows in table.groupby("condition", sort=False):
        q = rows.groupby("severity")["value"].quantile([0.25, 0.5, 0.75]).unstack()
        line, = ax.plot(q.index, q[0.5], marker="o", label=str(condition))
        ax.fill_between(q.index, q[0.25], q[0.75], color=line.get_color(), alpha=0.2, linewidth=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 1.05)
    ax.legend(frameon=False, fontsize="small")
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
    fig.colorbar(im, ax=ax2, label="item loading")
    return fig


def mode_curves(epochs, simulated, analytic, s, title):
    """Mode strengths over training: simulated (replica median, solid)
    against the analytic solution (replica median, dashed), one colour per mode."""
    fig = _figure(figsize=(6, 4))
    ax = fig.add_subplot()
    for m in range(simulated.shape[-1]):
        line, = ax.plot(epochs, np.median(simulated[..., m], axis=0), label=f"s = {s[m]:.2f}")
        ax.plot(epochs, np.median(analytic[..., m], axis=0), "--", color=line.get_color(), linewidth=1)
    ax.set_xlabel("epoch")
    ax.set_ylabel("mode strength a(t)")
    ax.set_title(f"{title}: simulated (solid), analytic (dashed)", fontsize=10)
    ax.legend(frameon=False, fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


def half_times(predicted, measured, s):
    """Each replica's measured half-learning epoch of each mode against the
    theory's prediction, one colour per mode, with the identity line."""
    fig = _figure(figsize=(5, 4.5))
    ax = fig.add_subplot()
    for m in range(measured.shape[-1]):
        ax.plot(predicted[:, m], measured[:, m], "o", markersize=3, alpha=0.7, label=f"s = {s[m]:.2f}")
    lo = np.nanmin([np.nanmin(predicted), np.nanmin(measured)])
    hi = np.nanmax([np.nanmax(predicted), np.nanmax(measured)])
    ax.plot([lo, hi], [lo, hi], "-", color="0.5", linewidth=1)
    ax.set_xlabel("predicted half-learning epoch (theory, one a₀ per replica)")
    ax.set_ylabel("measured half-learning epoch")
    ax.legend(frameon=False, fontsize=7)
    return fig


def accuracy_curve(correct, label="training words"):
    """The share of items read correctly at each recorded epoch; ``correct`` is (replica, epoch, item)."""
    fig = _figure(figsize=(5, 3.5))
    ax = fig.add_subplot()
    _band(ax, correct.mean("item"), label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("share correct")
    ax.set_ylim(0, 1.02)
    ax.legend(frameon=False, loc="lower right")
    return fig


def published_bars(model, published):
    """Per condition, the model's share correct over replicas (median, IQR whiskers) beside the
    published model's and people's.  ``model``: condition → per-replica shares; ``published``:
    condition → (published model, people)."""
    fig = _figure(figsize=(6.5, 3.5))
    ax = fig.add_subplot()
    names = list(model)
    x = np.arange(len(names))
    q = np.array([np.nanquantile(np.asarray(model[n], dtype=float), [0.25, 0.5, 0.75]) for n in names])
    ax.bar(x - 0.27, q[:, 1], 0.27, yerr=[q[:, 1] - q[:, 0], q[:, 2] - q[:, 1]], label="this model", capsize=3)
    ax.bar(x, [published[n][0] for n in names], 0.27, label="published model")
    ax.bar(x + 0.27, [published[n][1] for n in names], 0.27, label="people")
    ax.set_xticks(x, names, rotation=15)
    ax.set_ylabel("share correct")
    ax.set_ylim(0, 1.05)
    ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, fontsize="small")
    return fig


def condition_means(table, x, lines, ylabel="error"):
    """Cell means per replica (a table: one row per replica, columns by the levels of ``x`` and
    ``lines``) as lines over the levels of ``x``, one per level of ``lines``: median over
    replicas, IQR whiskers."""
    fig = _figure(figsize=(5, 3.5))
    ax = fig.add_subplot()
    xs = list(dict.fromkeys(table.columns.get_level_values(x)))
    for level in dict.fromkeys(table.columns.get_level_values(lines)):
        q = np.array([np.nanquantile(table[(v, level)], [0.25, 0.5, 0.75]) for v in xs])
        ax.errorbar(range(len(xs)), q[:, 1], yerr=[q[:, 1] - q[:, 0], q[:, 2] - q[:, 1]], marker="o",
                    capsize=3, label=str(level))
    ax.set_xticks(range(len(xs)), [f"{v} {x}" for v in xs])
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, fontsize="small")
    return fig


def condition_curves(curves, ylabel="error"):
    """Learning curves by two conditions: ``curves`` (replica, epoch, A, B); colour by B, line
    style by A; median over replicas with the interquartile range shaded, on a log scale."""
    fig = _figure(figsize=(6, 4))
    ax = fig.add_subplot()
    a, b = curves.dims[2:4]
    colours = _colours(list(curves[b].values))
    styles = ["-", "--", ":", "-."]
    for i, av in enumerate(curves[a].values):
        for bv in curves[b].values:
            _band(ax, curves.sel({a: av, b: bv}), label=f"{av} {bv}", color=colours[bv],
                  linestyle=styles[i % len(styles)])
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_yscale("log", nonpositive="clip")  # the late differences between conditions are small
    ax.legend(frameon=False, fontsize="x-small", ncols=2)
    return fig


def class_curves(curves, ylabel):
    """One band per level of the last dimension of ``curves`` (replica, epoch, level)."""
    fig = _figure(figsize=(5.5, 3.5))
    ax = fig.add_subplot()
    level = curves.dims[-1]
    colours = _colours(list(curves[level].values))
    for value in curves[level].values:
        _band(ax, curves.sel({level: value}), label=str(value), color=colours[value])
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 1.02)
    ax.legend(frameon=False, fontsize="small")
    return fig


def rate_curve(rate, vocabulary=None, ylabel="overregularized (share of irregular tokens)"):
    """A rate over epochs (replica, epoch) as a band; with ``vocabulary`` (one size per epoch),
    the vocabulary size on a second axis."""
    fig = _figure(figsize=(5.5, 3.5))
    ax = fig.add_subplot()
    _band(ax, rate, color="tab:red")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    if vocabulary is not None:
        size = ax.twinx()
        size.plot(rate["epoch"].values, vocabulary, color="grey", linewidth=1)
        size.set_ylabel("verbs in the vocabulary", color="grey")
    return fig


def outcome_bars(shares):
    """Grouped bars of shares with dims outcome, replica and one group dimension: the median over
    replicas, whiskers the interquartile range."""
    fig = _figure(figsize=(6, 3.5))
    ax = fig.add_subplot()
    group_dim = next(d for d in shares.dims if d not in ("outcome", "replica"))
    outcomes, groups = list(shares["outcome"].values), list(shares[group_dim].values)
    q = shares.quantile([0.25, 0.5, 0.75], dim="replica").transpose("quantile", "outcome", group_dim).values
    width = 0.8 / max(len(groups), 1)
    x = np.arange(len(outcomes))
    for k, group in enumerate(groups):
        ax.bar(x + k * width, q[1, :, k], width, label=str(group),
               yerr=[q[1, :, k] - q[0, :, k], q[2, :, k] - q[1, :, k]], capsize=2)
    ax.set_xticks(x + width * (len(groups) - 1) / 2, outcomes, rotation=20, ha="right", fontsize="small")
    ax.set_ylabel("share of stems")
    ax.set_ylim(0, 1.02)
    ax.legend(frameon=False, fontsize="small")
    return fig


def trajectories(outcomes, items, levels, title=None):
    """Each of ``items``' outcome at every recorded epoch, as rows of colour: ``outcomes`` is
    (epoch, item) for one replica, ``levels`` the outcomes in the order of the legend; blank
    where an item has no outcome (e.g. before it joined training)."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    codes = {level: k for k, level in enumerate(levels)}
    values = outcomes.sel(item=list(items)).transpose("item", "epoch").values
    grid = np.array([[codes.get(v, np.nan) if isinstance(v, str) else np.nan for v in row] for row in values])
    colours = [_colours(levels)[level] for level in levels]
    fig = _figure(figsize=(6.5, 0.25 * len(items) + 1.4))
    ax = fig.add_subplot()
    epochs = outcomes["epoch"].values
    ax.imshow(np.ma.masked_invalid(grid), aspect="auto", interpolation="nearest", vmin=0, vmax=len(levels) - 1,
              cmap=ListedColormap(colours), extent=(epochs[0], epochs[-1], len(items) - 0.5, -0.5))
    ax.set_yticks(range(len(items)), [str(i) for i in items], fontsize="small")
    ax.set_xlabel("epoch")
    if title:
        ax.set_title(title, fontsize="small")
    ax.legend(handles=[Patch(color=c, label=level) for c, level in zip(colours, levels)], frameon=False,
              fontsize="x-small", loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=len(levels))
    return fig
