"""The semantic network (Rumelhart & Todd 1993; Rogers & McClelland 2004):
its item representations, their progressive differentiation, the
illusory-correlation effect and the loss of knowledge under damage.

Progressive differentiation is measured as Rogers & McClelland describe it:
the Euclidean distances between the representation layer's patterns for
the items.  Each level of the hierarchy has a *separation*, the mean
distance between items that differ at that level but share the level above
(plants vs animals; categories within a domain; items within a category),
and *differentiates* when its separation has covered half of its rise from
its value before training to its peak (:func:`pdplab.analysis.rsa.split_epoch`).

References
----------
Rogers, T. T., & McClelland, J. L. (2004). *Semantic Cognition: A Parallel
Distributed Processing Approach*. MIT Press.
Rumelhart, D. E., & Todd, P. M. (1993). Learning and connectionist
representations. In *Attention and Performance XIV*. MIT Press.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from ..analysis import rsa
from ..core import damage

__all__ = ["LEVELS", "FACT_LEVELS", "SETTLED", "RESOLUTION", "item_patterns", "level_separation",
           "differentiation", "item_split", "fact_outputs", "control_facts", "illusion", "fact_levels",
           "damage_by_level", "all_facts_known", "median", "quartiles"]

#: The levels of the hierarchy, from the most general.
LEVELS = ("domain", "category", "item")
#: The share of its rise a separation must have covered at 80% of training
#: for its split epoch to count (see :func:`differentiation`).
SETTLED = 0.9
#: The widest gap between the recorded epochs around a split, as a share of
#: the split epoch, for the split to count.
RESOLUTION = 0.1
#: Levels of the facts the network knows, from the most general (see :func:`fact_levels`).
FACT_LEVELS = ("universal", "general", "intermediate", "specific", "name", "other")


def item_patterns(ds, group="representation"):
    """One pattern per item: ``group``'s activations for the first relation,
    relabelled by item name.  (The representation layer sees only the item.)"""
    first = ds["relation"].values[0]
    keep = np.flatnonzero(ds["relation"].values == first)
    acts = ds[group].isel(item=keep)
    return acts.assign_coords(item=acts["item_name"].values)


def level_separation(acts):
    """The separation of each level of the hierarchy over training.

    Parameters
    ----------
    acts : xarray.DataArray
        (…, epoch, item, unit), one pattern per item (:func:`item_patterns`),
        with ``domain`` and ``category`` coordinates on ``item``.

    Returns
    -------
    xarray.Dataset
        ``domain``, ``category`` and ``item`` (…, epoch): the mean Euclidean
        distance between items in different domains; in the same domain but
        different categories; in the same category.
    """
    d = rsa.rdm(acts, "euclidean")
    names, domain, category = acts["item"].values, acts["domain"].values, acts["category"].values
    return xr.Dataset({
        "domain": rsa.separation(d, domain),
        "category": rsa.separation(d, category, within=domain),
        "item": rsa.separation(d, names, within=category),
    })


def differentiation(acts, fraction=0.5, min_rise=0.5, until=None, settled=SETTLED, resolution=RESOLUTION):
    """The epoch at which each level differentiates, per replica.

    NaN where a level's separation never rose by ``min_rise`` of its
    starting value, was still rising at the end (at 80% of the epochs it
    had covered less than ``settled`` of its rise: its split would move with
    longer training), or was recorded too sparsely around its split (epochs
    more than ``resolution`` of the split epoch apart).  See
    :func:`level_separation` and :func:`pdplab.analysis.rsa.split_epoch`.
    """
    sep = level_separation(acts)
    return xr.Dataset({level: rsa.split_epoch(sep[level], fraction, min_rise, until, settled, resolution)
                       for level in LEVELS})


def item_split(acts, item, fraction=0.5, min_rise=0.5, until=None, settled=SETTLED, resolution=RESOLUTION):
    """The epoch at which ``item`` moves away from the other items of its
    category (its mean distance to them covers half its rise), per replica;
    NaN as in :func:`differentiation`."""
    names = acts["item"].values
    if item not in names:
        raise ValueError(f"item_split: no item {item!r}; the items are {', '.join(map(str, names))}")
    sep = rsa.separation(rsa.rdm(acts, "euclidean"), names, within=acts["category"].values, among=names == item)
    return rsa.split_epoch(sep, fraction, min_rise, until, settled, resolution)


def _pattern(ds, item, relation):
    found = np.flatnonzero((ds["item_name"].values == item) & (ds["relation"].values == relation))
    if len(found) != 1:
        raise KeyError(f"no pattern for {item!r} under {relation!r}")
    return int(found[0])


def fact_outputs(ds, facts, group="attribute"):
    """The output of each ``(item, relation, unit)`` fact at every recorded
    epoch: (replica, epoch, fact)."""
    unit_dim = f"{group}_unit"
    curves = [ds[group].isel(item=_pattern(ds, i, r)).sel({unit_dim: u}).drop_vars(["item", unit_dim])
              for i, r, u in facts]
    labels = [f"{i} {r} {u}" for i, r, u in facts]
    out = xr.concat(curves, dim="fact", coords="minimal", compat="override")
    return out.assign_coords(fact=labels).transpose("replica", "epoch", "fact")


def control_facts(environment, item, relation, unit, group="attribute"):
    """The false facts that control for an illusory correlation: the other
    false answers to the same question about ``item`` (among the answers the
    relation ever takes), and the same answer about the items of which it is
    false.  A list of (item, relation, unit)."""
    truth = _fact_table(environment, group)
    asked = truth[truth["relation"] == relation].set_index("item_name")
    if item not in asked.index or unit not in asked.columns:
        raise ValueError(f"no fact {item!r} {relation!r} {unit!r} in {environment.name}")
    if asked.loc[item, unit]:
        raise ValueError(f"{item} {relation} {unit} is true: an illusory correlation is about a false fact")
    answers = [u for u in environment.units[group] if asked[u].any()]
    controls = [(item, relation, u) for u in answers if u != unit and not asked.loc[item, u]]
    controls += [(other, relation, unit) for other in asked.index if other != item and not asked.loc[other, unit]]
    return controls


def illusion(ds, environment, item, relation, unit, after, before, group="attribute"):
    """The illusory correlation of Rogers & McClelland (2004, ch. 3): a fact
    false of ``item`` but true of its neighbours ("pine has leaves") is
    believed for a while, then unlearned.

    ``ds`` holds the outputs recorded on ``environment``'s patterns.  Per
    replica, from the epoch ``after`` (the item's domain split: before it
    every item is represented alike) to the end: the fact's peak output and
    its epoch, and the highest output of the :func:`control_facts`.  The
    replica shows the illusion when the fact peaks above 0.5, above every
    control, before ``before`` (the epoch the item moves away from its
    category mates), and ends below 0.5 (unlearned).

    Returns
    -------
    xarray.Dataset
        (replica): ``peak``, ``peak_epoch``, ``control_peak``, ``final`` (the
        fact's output after training), ``unlearned`` (final < 0.5) and
        ``shown``.
    """
    fact = fact_outputs(ds, [(item, relation, unit)], group).isel(fact=0).values  # replica, epoch
    ctrl = fact_outputs(ds, control_facts(environment, item, relation, unit, group), group).values
    epochs = ds["epoch"].values
    start = np.asarray(after, dtype=float)
    window = epochs[None, :] >= np.where(np.isfinite(start), start, np.inf)[:, None]
    has_window = window.any(axis=1)
    masked = np.where(window, fact, -np.inf)
    peak = np.where(has_window, masked.max(axis=1), np.nan)
    peak_epoch = np.where(has_window, epochs[masked.argmax(axis=1)], np.nan)
    control_peak = np.where(has_window, np.where(window[..., None], ctrl, -np.inf).max(axis=(1, 2)), np.nan)
    final = fact[:, -1]
    shown = (peak > 0.5) & (peak > control_peak) & (peak_epoch < np.asarray(before, dtype=float)) & (final < 0.5)
    return xr.Dataset(
        {"peak": ("replica", peak), "peak_epoch": ("replica", peak_epoch), "control_peak": ("replica", control_peak),
         "final": ("replica", final), "unlearned": ("replica", final < 0.5), "shown": ("replica", shown)},
        coords={"replica": ds["replica"].values},
    )


def _fact_table(environment, group="attribute"):
    t = pd.DataFrame(environment.targets[group] > 0.5, columns=list(environment.units[group]))
    t.insert(0, "relation", environment.items["relation"].to_numpy())
    t.insert(0, "item_name", environment.items["item_name"].to_numpy())
    return t


def fact_levels(environment, naming, group="attribute"):
    """Every true fact (pattern, output unit) with its level in the hierarchy.

    Under the fact's relation, the items that share it are compared with
    the item's domain and category: a fact is *universal* when every item
    has it (``can grow``: it needs no knowledge of the item), *general* when
    the whole domain shares it (``can move``, ``ISA animal``), *intermediate* when
    exactly the item's category does (``can fly``, ``ISA bird``), *specific*
    when only the item has it (``can sing``) and a *name* when that specific
    fact is under a naming relation (``ISA canary``).  Facts shared across
    branches of the hierarchy (``is red``: a flower, a bird and a fish) are
    *other*: they belong to no level.

    Parameters
    ----------
    environment : Environment
        The semantic training set (items with ``item_name``, ``relation``,
        ``domain`` and ``category``).
    naming : sequence of str
        The relations whose specific answers are names.

    Returns
    -------
    pandas.DataFrame
        One row per true fact: ``pattern`` (row of the environment),
        ``item_name``, ``relation``, ``unit``, ``level``.
    """
    naming = (naming,) if isinstance(naming, str) else tuple(naming)
    items = environment.items
    names = items["item_name"].to_numpy()
    truth = _fact_table(environment, group)
    rows = []
    for p, (name, relation, domain, category) in enumerate(
            items[["item_name", "relation", "domain", "category"]].itertuples(index=False)):
        asked = items["relation"].to_numpy() == relation
        members = set(names[items["category"].to_numpy() == category])
        for unit in environment.units[group]:
            if not truth.iloc[p][unit]:
                continue
            holders = set(names[asked & truth[unit].to_numpy()])
            if holders == set(names[asked]):
                level = "universal"
            elif set(names[items["domain"].to_numpy() == domain]) <= holders:
                level = "general"
            elif holders == members and len(members) > 1:
                level = "intermediate"
            elif holders == {name}:
                level = "name" if relation in naming else "specific"
            else:
                level = "other"
            rows.append((p, name, relation, unit, level))
    return pd.DataFrame(rows, columns=["pattern", "item_name", "relation", "unit", "level"])


def damage_by_level(results, environment, levels, severities, where="item->representation", repeats=5,
                    group="attribute"):
    """Knowledge left at each level of generality under Gaussian noise of
    increasing sd on the weights ``where`` (Rogers & McClelland's model of
    semantic dementia).

    Parameters
    ----------
    levels : pandas.DataFrame
        The facts and their levels, from :func:`fact_levels`.

    Returns
    -------
    xarray.Dataset
        ``hits`` (replica, severity, level): the share of the level's true
        facts still active above 0.5 (1 − omissions); ``false_alarms``
        (replica, severity): the share of false facts active above 0.5;
        both averaged over ``repeats`` draws of the noise.
    """
    damaged = damage.evaluate(results, environment, "noise", where, severities, record=[group], repeats=repeats)
    out = damaged[group]
    if "repeat" not in out.dims:
        out = out.expand_dims("repeat")
    active = out.transpose("replica", "severity", "repeat", "item", f"{group}_unit").values > 0.5
    true = environment.targets[group] > 0.5
    unit_index = {u: k for k, u in enumerate(environment.units[group])}
    hits = []
    names = [lv for lv in FACT_LEVELS if (levels["level"] == lv).any()]
    for level in names:
        rows = levels[levels["level"] == level]
        hit = active[..., rows["pattern"].to_numpy(), [unit_index[u] for u in rows["unit"]]]
        hits.append(hit.mean(axis=(2, 3)))
    false_alarms = active[..., ~true].mean(axis=(2, 3))
    coords = {"replica": results["replica"].values, "severity": np.asarray(severities, dtype=float)}
    return xr.Dataset(
        {"hits": (("replica", "severity", "level"), np.stack(hits, axis=-1)),
         "false_alarms": (("replica", "severity"), false_alarms)},
        coords={**coords, "level": names},
    )


def all_facts_known(outputs, targets):
    """Per replica: is every output within 0.5 of its target (every fact
    right)?  ``outputs`` is (replica, item, unit)."""
    return (np.abs(np.asarray(outputs) - np.asarray(targets)) < 0.5).all(axis=(1, 2))


def median(values):
    """The median of the finite values (NaN if there is none)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    return float(np.median(x)) if len(x) else np.nan


def quartiles(values, digits=0):
    """Per-replica values as "median [IQR low–high]" ("never" if none is finite)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if not len(x):
        return "never"
    q1, q2, q3 = np.percentile(x, [25, 50, 75])
    return f"{q2:.{digits}f} [{q1:.{digits}f}–{q3:.{digits}f}]"
