"""Rumelhart & Todd (1993); Rogers & McClelland (2004, ch. 3).

Trained on the eight items, the semantic network learns every fact, and its
item representations differentiate progressively: plants and animals pull
apart first, then the categories within each domain (trees and flowers, birds
and fish).  Distances are correlation distances between the representation
layer's patterns for the eight items; a split's epoch is the first recorded
epoch at which the between-group distance exceeds the within-group distance
by half of the gap it reaches at the end of training.
"""

import numpy as np

import pdplab as pl
from pdplab import plots

NAME = "rumelhart-todd-1993"
TITLE = "The semantic network of Rumelhart & Todd (1993): learning and progressive differentiation"
SPEC = "rumelhart_todd_1993.toml"


def item_representations(ds):
    """Representation patterns, one per item: (replica, epoch, item, unit)."""
    return ds["representation"].where(ds["relation"] == "ISA", drop=True)


def correlation_distance(x):
    x = x - x.mean(axis=-1, keepdims=True)
    x = x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)
    return 1.0 - np.einsum("...iu,...ju->...ij", x, x)


def split_epochs(reps, groups):
    """Per replica, the epoch at which items in different ``groups`` become
    further apart than items in the same group (see the module docstring)."""
    d = correlation_distance(reps.values)  # replica, epoch, item, item
    same = groups[:, None] == groups[None, :]
    off = ~np.eye(len(groups), dtype=bool)
    gap = d[..., ~same].mean(-1) - d[..., same & off].mean(-1)  # replica, epoch
    epochs = reps["epoch"].values
    out = []
    for g in gap:
        reached = np.flatnonzero(g >= 0.5 * g[-1]) if g[-1] > 0 else []
        out.append(epochs[reached[0]] if len(reached) else np.nan)
    return np.array(out, dtype=float)


def analyse(ds, experiment):
    reps = item_representations(ds)
    domain = reps["domain"].values
    by_domain = split_epochs(reps, domain)
    # Categories within a domain: compare each domain's two categories separately.
    within = []
    for d in np.unique(domain):
        part = reps.sel(item=reps["domain"] == d)
        within.append(split_epochs(part, part["category"].values))
    by_category = np.nanmax(np.vstack(within), axis=0)

    network, weights = pl.weights_from_dataset(ds)
    outputs = pl.inspect(network, weights, experiment.environment)["attribute"].values
    correct = (np.abs(outputs - experiment.environment.targets["attribute"]) < 0.5).all(axis=(1, 2))
    claims = [
        {
            "claim": "the network learns every item-relation pattern",
            "published": "all patterns learned",
            "measured": f"{correct.mean():.0%} of replicas have every output within 0.5 of its target; "
                        f"final error {float(ds['error'].isel(epoch=-1).sum('item').mean()):.2f} (mean)",
            "holds": bool(correct.all()),
        },
        {
            "claim": "plants and animals differentiate before the categories within them",
            "published": "domain split first, then trees/flowers and birds/fish",
            "measured": f"domain split at epoch {np.nanmean(by_domain):.0f} ± {np.nanstd(by_domain):.0f}, "
                        f"category split at {np.nanmean(by_category):.0f} ± {np.nanstd(by_category):.0f} "
                        f"(mean ± sd, {len(by_domain)} replicas)",
            "holds": bool(np.nanmean(by_domain) < np.nanmean(by_category)),
        },
    ]
    epochs = reps["epoch"].values
    stages = [epochs[len(epochs) // 8], epochs[len(epochs) // 3], epochs[-1]]
    names = [str(v) for v in reps["item_name"].values]
    figures = {"learning_curve": plots.learning_curves(ds, by="relation")}
    for e in stages:
        figures[f"dendrogram_epoch_{e}"] = plots.dendrogram(
            reps.isel(replica=0).sel(epoch=e).values, labels=names, title=f"epoch {e} (replica 0)")
    figures["mds_trajectories"] = plots.mds_trajectories(reps.isel(replica=0).values, labels=names,
                                                         title="representations over training (replica 0)")
    return claims, figures
