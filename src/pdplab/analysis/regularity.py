"""Effects of conditions (frequency × regularity, consistency …) on a per-item
measure, over items and over replicas.

A per-item measure — cross-entropy error, correctness (0/1), naming latency —
is a DataArray with dims (replica, item) or (replica, epoch, item), and the
conditions are coordinates on ``item`` (e.g. ``frequency`` ∈ {high, low} and
``regularity`` ∈ {exception, ambiguous, regular-inconsistent,
regular-consistent} for Taraban & McClelland's words).  The analyses run on a
tidy table with one row per replica × item (:func:`by_condition`):

- :func:`cell_means`: each replica's mean in each cell, and their spread
  across replicas;
- :func:`anova_by_replicas` (F1): a repeated-measures ANOVA with replicas as
  the random unit, on each replica's cell means — the replicas play the part
  of a psycholinguist's subjects;
- :func:`anova_by_items` (F2): items as the random unit, each item's mean over
  replicas, the conditions between items;
- :func:`interaction_contrast`: a 2 × 2 difference of differences per
  replica, for a sign test over replicas (:func:`pdplab.claims.sign_test`);
- :func:`learning_curves`: the cell means at every recorded epoch.

Levels are taken in the order of a categorical column's categories (the
reading lists' condition columns are ordered categoricals), otherwise in the
order in which they first occur; levels with no value in the table are
ignored.

Examples
--------
>>> import numpy as np, xarray as xr
>>> err = xr.DataArray(np.array([[0.1, 0.9, 0.2, 0.3], [0.2, 0.7, 0.1, 0.2]]), dims=("replica", "item"),
...                    coords={"item": ["gave", "have", "pint", "mint"],
...                            "regularity": ("item", ["regular", "exception", "exception", "regular"])})
>>> table = by_condition(err, "regularity")
>>> cell_means(table, "regularity").summary[["regularity", "mean", "n"]]
  regularity   mean  n
0    regular  0.200  2
1  exception  0.475  2

References
----------
Clark, H. H. (1973). The language-as-fixed-effect fallacy: A critique of
language statistics in psychological research. *Journal of Verbal Learning
and Verbal Behavior*, 12, 335-359 (F1 by subjects and F2 by items).
Taraban, R., & McClelland, J. L. (1987). Conspiracy effects in word
pronunciation. *Journal of Memory and Language*, 26, 608-631.
Plaut, D. C., McClelland, J. L., Seidenberg, M. S., & Patterson, K. (1996).
Understanding normal and impaired word reading: Computational principles in
quasi-regular domains. *Psychological Review*, 103, 56-115 (frequency ×
consistency in the model's naming latencies and errors).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd
import xarray as xr

from ..exceptions import DataError

__all__ = ["by_condition", "cell_means", "CellMeans", "anova_by_replicas", "anova_by_items",
           "interaction_contrast", "learning_curves", "ANOVA_COLUMNS", "TOLERANCE"]

#: The columns of the ANOVA tables, one row per effect.
ANOVA_COLUMNS = ["F", "df", "df_error", "p", "note"]

#: An error term whose largest deviation is at most this share of the largest
#: absolute value analysed counts as no variance at all: F and p are NaN.
TOLERANCE = 1e-9

_RESERVED = ("replica", "epoch", "item", "value")


# ---------------------------------------------------------------- helpers

def _factor_names(factors, where):
    if isinstance(factors, str):
        names = [factors]
    elif isinstance(factors, Mapping):
        names = list(factors)
    else:
        names = list(factors)
    if not names:
        raise DataError(f"{where}: give at least one factor")
    for name in names:
        if not isinstance(name, str):
            raise DataError(f"{where}: a factor is the name of a column, not {name!r}")
        if name in _RESERVED:
            raise DataError(f"{where}: a factor may not be called {name!r} (a column of the table)")
    if len(set(names)) < len(names):
        raise DataError(f"{where}: a factor is named twice in {names}")
    return names


def _observed_levels(column):
    """The levels present in ``column``: in category order for a categorical, else in order of appearance."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        present = set(column.dropna().unique())
        return [c for c in column.cat.categories if c in present]
    return list(pd.unique(column.dropna()))


def _check_table(table, factors, where, one_epoch=True):
    """The table with the factors as categoricals of their observed levels."""
    if not isinstance(table, pd.DataFrame):
        raise DataError(f"{where}: expected the table of by_condition (a pandas DataFrame), not {type(table).__name__}")
    names = _factor_names(factors, where)
    for column in ["replica", "item", "value"] + names:
        if column not in table.columns:
            raise DataError(f"{where}: the table has no column {column!r} "
                            f"(columns: {', '.join(map(str, table.columns))})")
    if one_epoch and "epoch" in table.columns and table["epoch"].nunique() > 1:
        raise DataError(f"{where}: the table holds {table['epoch'].nunique()} epochs; "
                        f"choose one with by_condition(..., epoch=...)")
    if len(table) == 0:
        raise DataError(f"{where}: the table is empty")
    out = table.copy()
    for name in names:
        column = out[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            out[name] = column.cat.remove_unused_categories().cat.as_ordered()
        else:
            out[name] = pd.Categorical(column, categories=_observed_levels(column), ordered=True)
    return out, names


def _cells(levels):
    return list(itertools.product(*levels))


def _plain(value):
    """A numpy scalar as the Python value it holds, for messages."""
    return value.item() if isinstance(value, np.generic) else value


def _cell_text(names, cell):
    return ", ".join(f"{n}={_plain(v)}" for n, v in zip(names, cell))


def _multilevel(table, names, where):
    for name in names:
        levels = list(table[name].cat.categories)
        if len(levels) < 2:
            raise DataError(f"{where}: factor {name!r} has a single level ({levels[0]!r}) in the table: "
                            f"nothing to compare")


def _effects(names):
    """Every main effect and interaction, in AnovaRM's order."""
    return [":".join(c) for k in range(1, len(names) + 1) for c in itertools.combinations(names, k)]


def _nan_rows(effects, df, df_error, note):
    return pd.DataFrame({"F": np.nan, "df": df, "df_error": df_error, "p": np.nan, "note": note},
                        index=pd.Index(effects, name="effect"))[ANOVA_COLUMNS]


# ---------------------------------------------------------------- the table

def by_condition(values, factors, *, epoch=-1):
    """A tidy table of a per-item measure with the items' conditions.

    Parameters
    ----------
    values : xarray.DataArray
        Dims (replica, item) or (replica, epoch, item), e.g.
        ``ds["error"]``; the conditions are coordinates on ``item``.
        Booleans (``correct``) count as 0/1.
    factors : str, list of str, or dict
        The item coordinates that define the conditions.  A dict maps each
        to the levels to keep, in order (e.g. ``{"regularity": ["exception",
        "regular-consistent"]}``); items at other levels are left out.
    epoch : int or None
        The epoch to analyse, by *position* along ``epoch`` (−1: the last
        recorded).  To pick one by its label, select it first:
        ``values.sel(epoch=300)``.  None keeps every epoch and adds an
        ``epoch`` column (the labels).  Ignored without an epoch dimension.

    Returns
    -------
    pandas.DataFrame
        One row per replica (× epoch) × item, columns ``replica``
        [``epoch``], ``item``, one per factor (ordered categoricals) and
        ``value``.  Rows whose value is NaN are dropped; ``attrs`` holds
        their count as ``n_nan``, the number of items left out for a level
        not asked for (or a missing label) as ``n_excluded``, the epoch
        label chosen as ``epoch`` and the measure's name as ``measure``.

    Raises
    ------
    pdplab.exceptions.DataError
        If ``values`` lacks a replica or item dimension or has others, a
        factor is not a coordinate on ``item``, a level asked for has no
        item, or the epoch position is out of range.
    """
    if not isinstance(values, xr.DataArray):
        raise DataError(f"by_condition: values must be an xarray.DataArray (e.g. ds['error']), "
                        f"not {type(values).__name__}")
    for dim in ("replica", "item"):
        if dim not in values.dims:
            raise DataError(f"by_condition: values have no {dim!r} dimension (dims: {', '.join(values.dims)})")
    extra = [d for d in values.dims if d not in ("replica", "epoch", "item")]
    if extra:
        raise DataError(f"by_condition: values have dimension(s) {', '.join(extra)}; "
                        f"reduce or select them first (dims allowed: replica, epoch, item)")
    names = _factor_names(factors, "by_condition")
    for name in names:
        if name not in values.coords or values.coords[name].dims != ("item",):
            item_coords = [str(k) for k, v in values.coords.items() if v.dims == ("item",) and k != "item"]
            raise DataError(f"by_condition: {name!r} is not a coordinate on item "
                            f"(item coordinates: {', '.join(item_coords) or 'none'})")
    chosen = None
    if "epoch" in values.dims:
        if epoch is not None:
            if not isinstance(epoch, (int, np.integer)) or isinstance(epoch, bool):
                raise DataError(f"by_condition: epoch is a position (int) or None, not {epoch!r}; "
                                f"to select by label use values.sel(epoch=...)")
            n = values.sizes["epoch"]
            if not -n <= epoch < n:
                raise DataError(f"by_condition: epoch position {epoch} is out of range ({n} epochs recorded); "
                                f"to select by label use values.sel(epoch=...)")
            values = values.isel(epoch=int(epoch))
    if "epoch" in values.coords and values.coords["epoch"].ndim == 0:
        chosen = values.coords["epoch"].item()

    # The items' conditions, and which items are kept.
    keep = np.ones(values.sizes["item"], dtype=bool)
    columns = {}
    for name in names:
        labels = pd.Series(np.asarray(values.coords[name].values))
        if isinstance(factors, Mapping):
            wanted = list(factors[name])
            missing = [v for v in wanted if not (labels == v).any()]
            if missing:
                raise DataError(f"by_condition: no item has {name}={missing[0]!r} "
                                f"(levels: {', '.join(map(str, _observed_levels(labels)))})")
            levels = wanted
        else:
            coord = values.coords[name].to_index()
            levels = _observed_levels(pd.Series(coord.values, dtype=coord.dtype))
        keep &= labels.isin(levels).to_numpy()
        columns[name] = (labels, levels)

    dims = ["replica", "epoch", "item"] if "epoch" in values.dims else ["replica", "item"]
    x = values.transpose(*dims).values[..., keep].astype(float)
    shape = x.shape
    index = np.indices(shape).reshape(len(shape), -1)
    data = {"replica": np.asarray(values["replica"].values)[index[0]]}
    if "epoch" in dims:
        data["epoch"] = np.asarray(values["epoch"].values)[index[1]]
    data["item"] = np.asarray(values["item"].values)[keep][index[-1]]
    for name, (labels, levels) in columns.items():
        data[name] = pd.Categorical(labels.to_numpy()[keep][index[-1]], categories=levels, ordered=True)
    data["value"] = x.reshape(-1)
    table = pd.DataFrame(data)
    nan = table["value"].isna().to_numpy()
    table = table.loc[~nan].reset_index(drop=True)
    table.attrs.update(n_nan=int(nan.sum()), n_excluded=int((~keep).sum()), epoch=chosen,
                       measure=values.name)
    return table


# ---------------------------------------------------------------- cell means

class CellMeans(NamedTuple):
    """The result of :func:`cell_means`."""

    #: One row per replica (× epoch) × cell: ``replica``, [``epoch``,] the
    #: factors, ``value`` (the mean over the cell's items) and ``n_items``.
    per_replica: pd.DataFrame
    #: One row per cell (× epoch): the factors, then ``mean``, ``sd``
    #: (ddof 1), ``median``, ``q1``, ``q3``, ``iqr`` of the replicas' cell
    #: means and ``n``, the number of replicas.
    summary: pd.DataFrame


def cell_means(table, factors):
    """Each replica's mean in each cell, and their spread across replicas.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`by_condition`.  With an ``epoch`` column, the means are
        per epoch too.
    factors : str or list of str
        The factor columns defining the cells.

    Returns
    -------
    CellMeans
        ``(per_replica, summary)``; replicas in the order of the table, cells
        in the order of the levels.  A cell with no item in a replica has no
        row for it.
    """
    table, names = _check_table(table, factors, "cell_means", one_epoch=False)
    replicas = pd.unique(table["replica"])
    rep = pd.Categorical(table["replica"], categories=replicas, ordered=True)
    keys = ["epoch"] if "epoch" in table.columns else []
    grouped = table.assign(replica=rep).groupby(["replica"] + keys + names, observed=True, sort=True)["value"]
    per = grouped.agg(value="mean", n_items="size").reset_index()
    per["replica"] = np.asarray(replicas)[per["replica"].cat.codes.to_numpy()]
    by = per.groupby(keys + names, observed=True, sort=True)["value"]
    summary = by.agg(mean="mean", sd="std", median="median", n="size")
    summary.insert(3, "q1", by.quantile(0.25))  # grouped quantiles: a lambda per cell is 100 times slower
    summary.insert(4, "q3", by.quantile(0.75))
    summary = summary.reset_index()
    summary.insert(summary.columns.get_loc("n"), "iqr", summary["q3"] - summary["q1"])
    return CellMeans(per, summary)


# ---------------------------------------------------------------- ANOVAs

def _rm_degenerate(y, n_factors):
    """For each effect (in :func:`_effects` order), whether its error term —
    the effect × replica interaction of the cell means ``y`` (replica, level,
    level, …) — has no variance."""
    scale = np.abs(y).max()
    out = []
    for k in range(1, n_factors + 1):
        for axes in itertools.combinations(range(1, n_factors + 1), k):
            others = tuple(a for a in range(1, n_factors + 1) if a not in axes)
            z = y.mean(axis=others, keepdims=True) if others else y
            for a in axes:
                z = z - z.mean(axis=a, keepdims=True)
            deviation = z - z.mean(axis=0, keepdims=True)
            out.append(bool(np.abs(deviation).max() <= TOLERANCE * scale))
    return out


def anova_by_replicas(table, factors):
    """Repeated-measures ANOVA over replicas (F1): the replicas are the
    random unit, every factor is within replicas.

    Each replica's cell means (the mean over the cell's items) are the data,
    as a psycholinguist's F1 analyses each subject's condition means (Clark
    1973); computed with ``statsmodels.stats.anova.AnovaRM``.  The replicas
    share the items, so it generalizes over what differs between replicas
    (initial weights, order of training) but not over items: a difference
    between the particular items of two conditions shows in every replica.
    Pair it with :func:`anova_by_items`.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`by_condition`, at one epoch.
    factors : str or list of str

    Returns
    -------
    pandas.DataFrame
        Indexed by effect (``"frequency"``, ``"regularity"``,
        ``"frequency:regularity"`` …), columns ``F``, ``df``, ``df_error``,
        ``p`` and ``note``.  An effect whose error term has no variance
        (e.g. every value equal, or every replica showing exactly the same
        effect) has NaN F and p and says so in ``note``; so do all effects
        with a single replica.  ``attrs``: ``unit`` ("replica") and ``n``.

    Raises
    ------
    pdplab.exceptions.DataError
        If a replica has no value in some cell (naming it), a factor has a
        single level, or the table holds several epochs.
    """
    from statsmodels.stats.anova import AnovaRM

    where = "anova_by_replicas"
    table, names = _check_table(table, factors, where)
    _multilevel(table, names, where)
    per = cell_means(table, names).per_replica
    levels = [list(table[n].cat.categories) for n in names]
    replicas = pd.unique(per["replica"])
    present = set(zip(per["replica"], *(per[n] for n in names)))
    for r in replicas:
        for cell in _cells(levels):
            if (r, *cell) not in present:
                raise DataError(f"{where}: replica {_plain(r)!r} has no value in cell {_cell_text(names, cell)} "
                                f"(a repeated-measures ANOVA needs every cell in every replica)")
    effects = _effects(names)
    df = [int(np.prod([len(levels[names.index(f)]) - 1 for f in e.split(":")])) for e in effects]
    n = len(replicas)
    if n < 2:
        result = _nan_rows(effects, df, [0] * len(df), "one replica: no error term")
    else:
        # cell_means orders the rows by replica, then by the factors' levels: a full grid here.
        y = per["value"].to_numpy().reshape([n] + [len(lv) for lv in levels])
        safe = {name: f"f{k}" for k, name in enumerate(names)}
        data = per.rename(columns=safe).assign(replica=np.repeat(np.arange(n), y[0].size))
        for s in safe.values():
            data[s] = data[s].cat.codes
        fit = AnovaRM(data, "value", "replica", within=list(safe.values())).fit().anova_table
        fit.index = [":".join(names[int(p[1:])] for p in term.split(":")) for term in fit.index]
        fit = fit.reindex(effects)
        result = pd.DataFrame({"F": fit["F Value"].to_numpy(float), "df": df,
                               "df_error": [d * (n - 1) for d in df], "p": fit["Pr > F"].to_numpy(float),
                               "note": ""}, index=pd.Index(effects, name="effect"))
        if np.abs(y).max() == 0 or np.ptp(y) <= TOLERANCE * np.abs(y).max():
            note = "all cell means are equal: F undefined"
            flat = [True] * len(effects)
        else:
            note = "no variance between replicas in this effect: F undefined"
            flat = _rm_degenerate(y, len(names))
        result.loc[flat, ["F", "p"]] = np.nan
        result.loc[flat, "note"] = note
    result.attrs.update(unit="replica", n=n)
    return result


def anova_by_items(table, factors):
    """ANOVA over items (F2): the items are the random unit, the factors
    are between items.

    Each item's mean over replicas is the datum, as a psycholinguist's F2
    analyses each item's mean over subjects (Clark 1973).  Fitted by least
    squares (``statsmodels`` OLS with the factors and all their
    interactions) and tested with type II sums of squares (``anova_lm``), so
    cells may hold different numbers of items.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`by_condition`, at one epoch.
    factors : str or list of str

    Returns
    -------
    pandas.DataFrame
        As :func:`anova_by_replicas`: indexed by effect, columns ``F``,
        ``df``, ``df_error``, ``p``, ``note``; NaN F and p, with a note, when
        the residuals have no variance or no degrees of freedom (one item
        per cell).  ``attrs``: ``unit`` ("item") and ``n``.

    Raises
    ------
    pdplab.exceptions.DataError
        If a cell has no item (naming it), a factor has a single level, an
        item is in two conditions, or the table holds several epochs.
    """
    import statsmodels.formula.api as smf
    from statsmodels.stats.anova import anova_lm

    where = "anova_by_items"
    table, names = _check_table(table, factors, where)
    _multilevel(table, names, where)
    conditions = table.drop_duplicates(["item"] + names)
    if conditions["item"].duplicated().any():
        item = conditions["item"][conditions["item"].duplicated()].iloc[0]
        raise DataError(f"{where}: item {_plain(item)!r} is in more than one condition")
    items = table.groupby(["item"] + names, observed=True, sort=False)["value"].mean().reset_index()
    levels = [list(table[n].cat.categories) for n in names]
    present = set(zip(*(items[n] for n in names)))
    for cell in _cells(levels):
        if cell not in present:
            raise DataError(f"{where}: no item in cell {_cell_text(names, cell)}")
    effects = _effects(names)
    df = [int(np.prod([len(levels[names.index(f)]) - 1 for f in e.split(":")])) for e in effects]
    n = len(items)
    df_error = n - int(np.prod([len(lv) for lv in levels]))
    if df_error < 1:
        result = _nan_rows(effects, df, [df_error] * len(df), "one item per cell: no error term")
    else:
        safe = {name: f"f{k}" for k, name in enumerate(names)}
        data = items.rename(columns=safe)
        for s in safe.values():
            data[s] = data[s].cat.codes
        fit = smf.ols("value ~ " + " * ".join(f"C({s})" for s in safe.values()), data).fit()
        aov = anova_lm(fit, typ=2)
        aov.index = [":".join(names[int(p[3:-1])] for p in term.split(":")) if term != "Residual" else term
                     for term in aov.index]
        aov = aov.reindex(effects)
        result = pd.DataFrame({"F": aov["F"].to_numpy(float), "df": df, "df_error": df_error,
                               "p": aov["PR(>F)"].to_numpy(float), "note": ""},
                              index=pd.Index(effects, name="effect"))
        y = items["value"].to_numpy()
        scale = np.abs(y).max()
        if np.ptp(y) <= TOLERANCE * scale:
            result[["F", "p"]] = np.nan
            result["note"] = "all item means are equal: F undefined"
        elif np.abs(fit.resid.to_numpy()).max() <= TOLERANCE * scale:
            result[["F", "p"]] = np.nan
            result["note"] = "no variance among items within cells: F undefined"
    result.attrs.update(unit="item", n=n)
    return result


# ---------------------------------------------------------------- contrasts and curves

def interaction_contrast(table, factor_a, levels_a, factor_b, levels_b):
    """The 2 × 2 difference of differences, per replica.

    With ``levels_a = (a0, a1)`` and ``levels_b = (b0, b1)``::

        [m(a1, b1) − m(a0, b1)] − [m(a1, b0) − m(a0, b0)]

    where m is the replica's mean over the cell's items.  E.g. with
    ``"frequency", ("high", "low"), "regularity", ("regular-consistent",
    "exception")``: the frequency effect on error (low − high) for exception
    words minus that for regular words — positive in the frequency ×
    regularity interaction of Taraban & McClelland (1987) and PMSP96.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`by_condition`, at one epoch; other factors' levels are
        averaged over (each replica's mean over all the cell's items).
    factor_a, factor_b : str
    levels_a, levels_b : pair of levels

    Returns
    -------
    numpy.ndarray
        One value per replica, in the order of the table's replicas
        (``pd.unique(table["replica"])``); NaN for a replica missing one of
        the four cells.
    """
    where = "interaction_contrast"
    if factor_a == factor_b:
        raise DataError(f"{where}: the two factors must differ, not both {factor_a!r}")
    table, _ = _check_table(table, [factor_a, factor_b], where)
    for factor, levels in ((factor_a, levels_a), (factor_b, levels_b)):
        if isinstance(levels, str) or len(levels) != 2:
            raise DataError(f"{where}: give two levels of {factor!r}, not {levels!r}")
        known = list(table[factor].cat.categories)
        for level in levels:
            if level not in known:
                raise DataError(f"{where}: {factor!r} has no level {level!r} in the table "
                                f"(levels: {', '.join(map(str, known))})")
    replicas = pd.unique(table["replica"])
    means = table.groupby(["replica", factor_a, factor_b], observed=True)["value"].mean()
    (a0, a1), (b0, b1) = levels_a, levels_b

    def m(a, b):
        return np.array([means.get((r, a, b), np.nan) for r in replicas], dtype=float)

    return (m(a1, b1) - m(a0, b1)) - (m(a1, b0) - m(a0, b0))


def learning_curves(values, factors):
    """The mean over each condition's items, per replica and epoch.

    Parameters
    ----------
    values : xarray.DataArray
        Dims (replica, epoch, item), conditions as coordinates on ``item``.
    factors : str, list of str, or dict
        As in :func:`by_condition`.

    Returns
    -------
    xarray.DataArray
        Dims (replica, epoch, *factors), the factors' coordinates being their
        levels; the replica and epoch coordinates of ``values`` are kept, and
        ``n_items`` (dims: the factors) counts each condition's items.  NaN
        values are left out of the means (``attrs["n_nan"]`` counts them); a
        cell with none left is NaN.
    """
    if not isinstance(values, xr.DataArray) or "epoch" not in values.dims:
        dims = ", ".join(values.dims) if isinstance(values, xr.DataArray) else type(values).__name__
        raise DataError(f"learning_curves: values must be a DataArray with an epoch dimension (got {dims})")
    table = by_condition(values, factors, epoch=None)
    names = _factor_names(factors, "learning_curves")
    levels = [list(table[n].cat.categories) for n in names]
    per = cell_means(table, names).per_replica
    axes = [list(values["replica"].values), list(values["epoch"].values)] + levels
    x = np.full([len(a) for a in axes], np.nan)
    index = tuple(pd.Index(a).get_indexer(per[k]) for a, k in zip(axes, ["replica", "epoch"] + names))
    x[index] = per["value"].to_numpy(float)
    n_items = np.zeros([len(lv) for lv in levels], dtype=int)
    labels = [pd.Index(lv).get_indexer(np.asarray(values.coords[n].values)) for n, lv in zip(names, levels)]
    kept = np.all([k >= 0 for k in labels], axis=0)
    np.add.at(n_items, tuple(k[kept] for k in labels), 1)
    coords = {k: v for k, v in values.coords.items() if v.dims in (("replica",), ("epoch",))}
    coords.update({n: lv for n, lv in zip(names, levels)})
    coords["n_items"] = (names, n_items)
    out = xr.DataArray(x, dims=["replica", "epoch"] + names, coords=coords, name=values.name)
    out.attrs["n_nan"] = table.attrs["n_nan"]
    return out
