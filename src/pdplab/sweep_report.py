"""Figures of a sweep, one curve per condition.

A *condition* is one combination of the swept settings: the grid keys that
make separate tasks (coordinates such as ``network.groups.hidden.size``) and
the per-replica settings that vary (``lr``, ``momentum``, ``decay``).  Its
replicas are its seeds.  Pooling every replica of a sweep into one curve
would mix conditions; here each condition gets its own median and
interquartile band.

    ds = pl.open_sweep("xor_sweep.zarr")
    for name, (fig, caption) in sweep_figures(ds).items():
        fig.savefig(f"{name}.png")
"""

from __future__ import annotations

import numpy as np

from .plots import BAND, curve_error
from .spec import PER_REPLICA

__all__ = ["condition_keys", "conditions", "sweep_figures"]

#: Replica coordinates that are not settings.
NOT_SETTINGS = ("replica", "seed", "task")


def condition_keys(ds):
    """The swept settings that vary between the replicas of ``ds``."""
    keys = []
    for name, coord in ds.coords.items():
        if coord.dims != ("replica",) or name in NOT_SETTINGS:
            continue
        if ("." in name or name in PER_REPLICA) and len({str(v) for v in coord.values}) > 1:
            keys.append(name)
    return keys


def conditions(ds):
    """``[(label, replica positions), …]``, one per combination of swept settings, in order of appearance."""
    keys = condition_keys(ds)
    if not keys:
        return [("all replicas", np.arange(ds.sizes["replica"]))]
    rows = list(zip(*(ds[k].values.tolist() for k in keys)))
    groups = {}
    for i, row in enumerate(rows):
        groups.setdefault(row, []).append(i)
    return [(", ".join(f"{_short(k)}={v}" for k, v in zip(keys, row)), np.array(index))
            for row, index in groups.items()]


def _short(key):
    for prefix in ("network.groups.", "network.projections.", "training.", "environment."):
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


def _figure(**kwargs):
    from matplotlib.figure import Figure

    return Figure(layout="constrained", **kwargs)


def _colour(i):
    from matplotlib import colormaps

    return colormaps["tab10"](i % 10)


def _curves(ds):
    """Error summed over items, (replica, epoch), NaN where a replica's task
    had stopped or did not record the epoch (see :func:`pdplab.plots.curve_error`)."""
    return curve_error(ds).sum("item", min_count=1)


def learning_curves_by_condition(ds):
    """One median curve with its interquartile band per condition."""
    error = _curves(ds)
    epochs = error["epoch"].values
    groups = conditions(ds)
    fig = _figure(figsize=(7, 4.5))
    ax = fig.add_subplot()
    for i, (label, index) in enumerate(groups):
        values = error.isel(replica=index).transpose("replica", "epoch").values
        drawn = np.isfinite(values).any(axis=0)
        if not drawn.any():
            continue
        low, mid, high = np.nanquantile(values[:, drawn], [0.25, 0.5, 0.75], axis=0)
        style = ("-", "--", ":", "-.")[(i // 10) % 4]
        ax.plot(epochs[drawn], mid, style, color=_colour(i), label=f"{label} (n={len(index)})")
        ax.fill_between(epochs[drawn], low, high, color=_colour(i), alpha=0.2, linewidth=0)
    ax.set_xlabel("epoch")
    ax.set_ylabel("error, summed over items")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize="small", ncol=1 + len(groups) // 12)
    keys = condition_keys(ds)
    caption = (f"Learning curves, one per condition ({', '.join(keys) if keys else 'no swept setting varies'}), "
               f"of the {'training pass' if 'train_error' in ds else 'test pass'}'s error: "
               f"{BAND}, over the condition's seeds.  A curve ends where its task stopped training "
               f"(epochs where the task's final values are carried are not drawn).")
    return fig, caption


def final_error_by_condition(ds):
    """Each replica's final error (its task's last epoch), by condition."""
    final = ds["error"].isel(epoch=-1).sum("item", min_count=1)
    groups = conditions(ds)
    fig = _figure(figsize=(max(4, 0.6 * len(groups) + 2), 4))
    ax = fig.add_subplot()
    for i, (_, index) in enumerate(groups):
        values = final.values[index]
        jitter = (np.arange(len(values)) - (len(values) - 1) / 2) * (0.3 / max(len(values), 1))
        ax.scatter(i + jitter, values, s=12, color=_colour(i), alpha=0.7)
        if np.isfinite(values).any():
            ax.hlines(np.nanmedian(values), i - 0.3, i + 0.3, color="black", linewidth=1.5)
    ax.set_xticks(range(len(groups)), [label for label, _ in groups], rotation=45, ha="right", fontsize="small")
    ax.set_ylabel("final error, summed over items")
    ax.set_ylim(bottom=0)
    caption = ("Final error of every replica, by condition: points are replicas (at the last epoch each one's "
               "task trained), bars their median.")
    return fig, caption


def sweep_figures(ds):
    """Figures of a sweep Dataset from :func:`pdplab.open_sweep`.

    Returns
    -------
    dict of str to (matplotlib.figure.Figure, str)
        ``{"learning_curves_by_condition": (figure, caption),
        "final_error_by_condition": (figure, caption)}``.
    """
    return {
        "learning_curves_by_condition": learning_curves_by_condition(ds),
        "final_error_by_condition": final_error_by_condition(ds),
    }
