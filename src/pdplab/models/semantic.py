"""The semantic network (Rumelhart & Todd 1993; Rogers & McClelland 2004):
its item representations, their progressive differentiation, the
illusory-correlation effect and the loss of knowledge under damage.

References
----------
Rogers, T. T., & McClelland, J. L. (2004). *Semantic Cognition: A Parallel
Distributed Processing Approach*. MIT Press.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..analysis import rsa
from ..core import damage

__all__ = ["item_patterns", "differentiation", "in_order", "mean_sd", "output_over_training", "damage_accuracy",
           "reproduce_semantic", "LEVELS"]

#: The three levels of differentiation: label coordinate, and the coordinate
#: whose groups the comparison stays within.
LEVELS = {"domain": ("domain", None), "category": ("category", "domain"), "item": ("item", "category")}


def item_patterns(ds, group="representation"):
    """One pattern per item: ``group``'s activations for the first relation,
    relabelled by item name.  (The representation layer sees only the item.)"""
    first = ds["relation"].values[0]
    keep = np.flatnonzero(ds["relation"].values == first)
    acts = ds[group].isel(item=keep)
    return acts.assign_coords(item=acts["item_name"].values)


def differentiation(acts, metric="correlation", fraction=0.5):
    """The epoch at which each level of the hierarchy splits, per replica.

    Parameters
    ----------
    acts : xarray.DataArray
        (replica, epoch, item, unit), one pattern per item (see :func:`item_patterns`),
        with ``domain`` and ``category`` coordinates on ``item``.

    Returns
    -------
    xarray.Dataset
        ``domain``, ``category`` and ``item`` split epochs (replica): plants
        vs animals; categories within a domain; items within a category.
    """
    d = rsa.rdm(acts, metric)
    names = np.asarray(acts["item"].values)
    labels = {"domain": acts["domain"].values, "category": acts["category"].values, "item": names}
    out = {}
    for level, (label, within) in LEVELS.items():
        out[level] = rsa.split_epoch(d, labels[label], None if within is None else labels[within], fraction)
    return xr.Dataset(out)


def in_order(splits):
    """Per replica: did domains split before categories, and categories before items?"""
    return (splits["domain"] < splits["category"]) & (splits["category"] < splits["item"])


def mean_sd(epochs):
    """Split epochs as "mean ± sd" over replicas ("never" if none split)."""
    x = np.asarray(epochs, dtype=float)
    return f"{np.nanmean(x):.0f} ± {np.nanstd(x):.0f}" if np.isfinite(x).any() else "never"


def output_over_training(ds, item, relation, unit):
    """The activation of output ``unit`` for ``item`` under ``relation`` at
    every recorded epoch: (replica, epoch)."""
    pattern = np.flatnonzero((ds["item_name"].values == item) & (ds["relation"].values == relation))
    if len(pattern) != 1:
        raise KeyError(f"no pattern for {item!r} under {relation!r}")
    return ds["attribute"].isel(item=pattern[0]).sel(attribute_unit=unit)


def damage_accuracy(results, environment, severities, units_by_level, where="item->representation", repeats=5):
    """Under Gaussian noise of increasing sd on the weights ``where`` (Rogers &
    McClelland's model of semantic dementia), the share of true attributes
    each level still activates above 0.5.

    Parameters
    ----------
    units_by_level : dict of str to list of str
        Output units at each level of generality, e.g. general
        (``living thing``, ``can grow``) and specific (the items' names).

    Returns
    -------
    xarray.DataArray
        (level, severity): the mean over replicas, repeats and items.
    """
    damaged = damage.evaluate(results, environment, "noise", where, severities, record=["attribute"], repeats=repeats)
    out = damaged["attribute"]
    if "repeat" not in out.dims:
        out = out.expand_dims("repeat")
    targets = xr.DataArray(environment.targets["attribute"], dims=("item", "attribute_unit"),
                           coords={"item": out["item"].values, "attribute_unit": out["attribute_unit"].values})
    rows = []
    for level, units in units_by_level.items():
        t = targets.sel(attribute_unit=units)
        hit = (out.sel(attribute_unit=units) > 0.5) & (t == 1)
        rows.append(hit.sum(("item", "attribute_unit")) / float(t.sum()))
    acc = xr.concat(rows, dim="level").assign_coords(level=list(units_by_level))
    return acc.mean(("replica", "repeat")).rename("accuracy")


def reproduce_semantic(ds, experiment, general, specific, illusion, severities):
    """Claims and figures shared by the semantic-network reproductions.

    Parameters
    ----------
    general, specific : list of str
        Output units of general and of specific knowledge, for the damage claim.
    illusion : (item, relation, unit)
        A fact that is false of the item but true of its neighbours (pine has
        leaves): its output should rise, then fall (Rogers & McClelland 2004, ch. 3).
    severities : sequence of float
        Noise sds for the damage claim.
    """
    from .. import plots
    from ..core.propagate import inspect
    from ..core.record import weights_from_dataset

    env = experiment.environment
    network, weights = weights_from_dataset(ds)
    outputs = inspect(network, weights, env)["attribute"].values
    correct = (np.abs(outputs - env.targets["attribute"]) < 0.5).all(axis=(1, 2))
    reps = item_patterns(ds)
    splits = differentiation(reps)
    n = ds.sizes["replica"]
    ordered = in_order(splits)
    item, relation, unit = illusion
    curve = output_over_training(ds, item, relation, unit).mean("replica")
    values = curve.values
    top = int(np.argmax(values))
    low = int(np.argmin(values[: top + 1]))  # the dip before the rise, as every output first falls
    peak, trough, end = values[top], values[low], values[-1]
    peak_epoch, trough_epoch = int(curve["epoch"][top]), int(curve["epoch"][low])
    acc = damage_accuracy(ds, env, severities, {"general": general, "specific": specific})
    damaged = acc.isel(severity=slice(1, None))
    claims = [
        {
            "claim": "the network learns every item-relation pattern",
            "published": "all patterns learned",
            "measured": f"{correct.mean():.0%} of {n} replicas have every output within 0.5 of its target",
            "holds": bool(correct.all()),
        },
        {
            "claim": "progressive differentiation: domains split first, then categories, then items",
            "published": "plants/animals, then e.g. birds/fish and trees/flowers, then individual items",
            "measured": f"split epochs (mean ± sd over {n} replicas): domain {mean_sd(splits['domain'])}, "
                        f"category {mean_sd(splits['category'])}, item {mean_sd(splits['item'])}; "
                        f"in that order in {int(ordered.sum())} of {n} replicas",
            "holds": bool(ordered.mean() >= 0.8),
        },
        {
            "claim": f"illusory correlation: '{item} {relation} {unit.split(':')[-1]}' (false) rises, then falls",
            "published": "rises while the item is close to its category, falls as it differentiates",
            "measured": f"mean output {trough:.2f} at epoch {trough_epoch}, {peak:.2f} at epoch {peak_epoch}, "
                        f"{end:.2f} at the end",
            "holds": bool(peak > trough + 0.1 and peak > end + 0.1),
        },
        {
            "claim": "damage: specific knowledge is lost before general knowledge",
            "published": "names and specific properties go first, 'living thing', 'can grow' last",
            "measured": "share of true attributes still active, general / specific, at noise sd "
                        + ", ".join(f"{float(s):g}: {float(g):.2f} / {float(sp):.2f}" for s, g, sp in zip(
                            acc["severity"].values, acc.sel(level="general").values, acc.sel(level="specific").values)),
            "holds": bool((damaged.sel(level="general") >= damaged.sel(level="specific")).all()
                          and float((damaged.sel(level="general") - damaged.sel(level="specific")).max()) > 0.2),
        },
    ]
    epochs = reps["epoch"].values
    figures = {"learning_curve": plots.learning_curves(ds, by="relation")}
    for e in (epochs[len(epochs) // 10], epochs[len(epochs) // 3], epochs[-1]):
        figures[f"dendrogram_epoch_{e}"] = plots.dendrogram(
            reps.isel(replica=0).sel(epoch=e), title=f"epoch {e} (replica 0)")
    figures["mds_trajectories"] = plots.mds_trajectories(
        reps.isel(replica=0), title="representations over training (replica 0)")
    figures["illusory_correlation"] = plots.series(
        output_over_training(ds, item, relation, unit), f"output '{unit}' for '{item} {relation}'")
    figures["damage"] = plots.damage_curves(acc)
    return claims, figures
