"""Learning curves, response trajectories and U-shaped development of
categorical outcomes.

The input is a DataArray of outcomes with dims (replica, epoch, item): either
labels — e.g. ``correct``, ``overregularized``, ``no change``, ``other
irregularization``, ``other`` for a past-tense model's responses — or
booleans (``ds["correct"]``; 0/1 numbers count as booleans).  Missing outcomes (None or NaN in a label
array, NaN in a 0/1 float array) are left out and counted.  The items'
classes (regular, vowel change …) and token frequencies are coordinates on
``item``.  Epochs are the recorded ones, in the order of their labels, and
need not be evenly spaced; nothing is interpolated between them.

- :func:`learning_curves`: the share of items with one outcome per replica,
  epoch and class;
- :func:`rates`: the share of every outcome, optionally among some items
  (the irregular verbs), some outcomes (Marcus et al.'s overregularization
  rate: overregularized / (overregularized + correct)) and weighted by token
  frequency (child-language rates are per token);
- :func:`trajectories`: each item's outcome at every epoch, a tidy table;
- :func:`u_shapes` and :func:`u_shape_share`: items that were correct, then
  made an error, then were correct again — the micro U-shapes of Plunkett &
  Marchman (1991) and Marcus et al. (1992);
- :func:`epochs_to_criterion`: the first epoch at which a class is learned.

With boolean outcomes the labels are ``False`` and ``True``, and the outcome
``"correct"`` means ``True``.  An outcome asked for must occur in the data,
so that a misspelt one is an error; to name one that may never occur (a
model that never overregularizes), give the full set of labels as
``levels``, which also refuses any other label in the data.

Examples
--------
>>> import numpy as np, xarray as xr
>>> out = xr.DataArray(np.array([[["correct", "correct"], ["overregularized", "correct"],
...                                ["correct", "correct"]]]), dims=("replica", "epoch", "item"),
...                    coords={"epoch": [10, 20, 50], "item": ["go", "walk"],
...                            "class": ("item", ["irregular", "regular"])})
>>> u_shapes(out)[["item", "u_shape", "first_correct", "first_error", "recovered", "count"]]
   item  u_shape  first_correct  first_error  recovered  count
0    go     True           10.0         20.0       50.0      1
1  walk    False           10.0          NaN        NaN      0
>>> learning_curves(out, "class").sel(replica=0).values
array([[1., 1.],
       [0., 1.],
       [1., 1.]])

References
----------
Marcus, G. F., Pinker, S., Ullman, M., Hollander, M., Rosen, T. J., & Xu, F.
(1992). Overregularization in language acquisition. *Monographs of the
Society for Research in Child Development*, 57(4) (overregularization rate
per token, as overregularizations / (overregularizations + correct
irregular past tenses); micro U-shapes).
Plunkett, K., & Marchman, V. (1991). U-shaped learning and frequency effects
in a multi-layered perceptron: Implications for child language acquisition.
*Cognition*, 38, 43-102.
Plunkett, K., & Marchman, V. (1993). From rote learning to system building:
Acquiring verb morphology in children and connectionist nets. *Cognition*,
48, 21-69.
Rumelhart, D. E., & McClelland, J. L. (1986). On learning the past tenses of
English verbs.  In *Parallel Distributed Processing*, Vol. 2, 216-271.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd
import xarray as xr

from ..exceptions import DataError
from .regularity import _observed_levels

__all__ = ["learning_curves", "rates", "trajectories", "u_shapes", "u_shape_share", "epochs_to_criterion",
           "U_SHAPE_COLUMNS"]

#: The columns of :func:`u_shapes` after the item's coordinates.
U_SHAPE_COLUMNS = ["u_shape", "first_correct", "first_error", "recovered", "count"]

#: A share counts as reaching a criterion when at most this far below it
#: (shares are ratios of counts: 0.9 is 9 / 10 up to rounding).
_EPS = 1e-12

_DIMS = ("replica", "epoch", "item")


# ---------------------------------------------------------------- coding

class _Coded(NamedTuple):
    """Outcomes as integer codes (replica, epoch, item), −1 where missing."""

    codes: np.ndarray
    labels: list
    boolean: bool
    outcomes: xr.DataArray  # transposed to (replica, epoch, item), epochs in order


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _text(labels):
    return ", ".join(repr(_plain(v)) for v in labels) or "none"


def _code(outcomes, where, levels=None):
    if not isinstance(outcomes, xr.DataArray):
        raise DataError(f"{where}: outcomes must be an xarray.DataArray (replica, epoch, item), "
                        f"not {type(outcomes).__name__}")
    for dim in _DIMS:
        if dim not in outcomes.dims:
            raise DataError(f"{where}: outcomes have no {dim!r} dimension (dims: {', '.join(outcomes.dims)})")
    if len(outcomes.dims) != 3:
        extra = [d for d in outcomes.dims if d not in _DIMS]
        raise DataError(f"{where}: outcomes have dimension(s) {', '.join(extra)}; "
                        f"select or reduce them first (dims allowed: replica, epoch, item)")
    if outcomes.size == 0:
        raise DataError(f"{where}: outcomes are empty (sizes: {dict(outcomes.sizes)})")
    outcomes = outcomes.transpose(*_DIMS)
    epochs = np.asarray(outcomes["epoch"].values)
    if epochs.dtype.kind not in "iuf" or not np.isfinite(epochs).all():
        raise DataError(f"{where}: epoch labels must be finite numbers, not {epochs.dtype} values")
    if len(np.unique(epochs)) < len(epochs):
        raise DataError(f"{where}: an epoch is recorded twice (epochs: {', '.join(map(str, epochs))})")
    if (np.diff(epochs) < 0).any():
        outcomes = outcomes.isel(epoch=np.argsort(epochs, kind="stable"))
    x = outcomes.values
    if x.dtype.kind in "biuf":
        if levels is not None:
            raise DataError(f"{where}: levels name the labels of label outcomes; these are {x.dtype} (True/False)")
        missing = np.isnan(x) if x.dtype.kind == "f" else np.zeros(x.shape, bool)
        bad = ~missing & (x != 0) & (x != 1)
        if bad.any():
            raise DataError(f"{where}: numeric outcomes must be 0/1 or True/False "
                            f"(got {_plain(x[bad][0])!r}); give labels as strings")
        codes = np.where(missing, 0, x).astype(np.int8)
        codes[missing] = -1
        return _Coded(codes, [False, True], True, outcomes)
    flat = x.reshape(-1).astype(object) if x.dtype.kind != "O" else x.reshape(-1)
    try:
        codes, uniques = pd.factorize(flat, sort=True)
    except TypeError:
        raise DataError(f"{where}: outcomes mix labels of different kinds (e.g. strings and numbers)") from None
    labels = [_plain(u) for u in uniques]
    boolean = bool(labels) and all(isinstance(v, (bool, np.bool_)) for v in labels)
    if boolean:
        if levels is not None:
            raise DataError(f"{where}: levels name the labels of label outcomes; these are True/False")
        codes = np.array([int(v) for v in labels] + [-1], dtype=np.int64)[codes]
        labels = [False, True]
    elif levels is not None:
        wanted = [levels] if isinstance(levels, str) else list(levels)
        if not wanted or len(set(wanted)) < len(wanted):
            raise DataError(f"{where}: levels must name each outcome once, not {wanted!r}")
        unknown = [v for v in labels if v not in wanted]
        if unknown:
            raise DataError(f"{where}: outcome {unknown[0]!r} is not among levels ({_text(wanted)})")
        remap = np.array([wanted.index(v) for v in labels] + [-1], dtype=np.int64)
        codes = remap[codes]
        labels = wanted
    return _Coded(codes.reshape(x.shape).astype(np.int16), labels, boolean, outcomes)


def _outcome(coded, value, where, what="value"):
    """The code of the outcome ``value``."""
    if np.ndim(value) != 0:
        raise DataError(f"{where}: {what} is one outcome label, not {type(value).__name__}")
    if coded.boolean and isinstance(value, str) and value == "correct":
        value = True
    for k, label in enumerate(coded.labels):
        if isinstance(label, str) == isinstance(value, str) and label == value:
            return k
    hint = "" if coded.boolean else "; pass levels=[...] to name outcomes that do not occur"
    raise DataError(f"{where}: {what}={value!r} is not an outcome (outcomes: {_text(coded.labels)}){hint}")


def _item_coord(outcomes, name, where, what="by"):
    if not isinstance(name, str) or name not in outcomes.coords or outcomes.coords[name].dims != ("item",):
        names = [str(k) for k, v in outcomes.coords.items() if v.dims == ("item",)]
        raise DataError(f"{where}: {what}={name!r} is not a coordinate on item "
                        f"(item coordinates: {', '.join(names) or 'none'})")
    return outcomes.coords[name]


def _groups(outcomes, by, where):
    """Each item's level of ``by`` (−1: no level) and the levels in order."""
    n = outcomes.sizes["item"]
    if by is None:
        return np.zeros(n, dtype=np.int64), None
    coord = _item_coord(outcomes, by, where).to_index()
    levels = _observed_levels(pd.Series(coord.values, dtype=coord.dtype))
    return pd.Index(levels).get_indexer(np.asarray(coord.values)), levels


def _weights(outcomes, weights, where):
    if weights is None:
        return None
    w = np.asarray(_item_coord(outcomes, weights, where, "weights").values)
    if w.dtype.kind not in "iuf" or not np.isfinite(w).all() or (w < 0).any():
        raise DataError(f"{where}: weights {weights!r} must be finite numbers ≥ 0 on every item")
    return w.astype(float)


def _among(outcomes, among, where):
    """Which items to keep."""
    n = outcomes.sizes["item"]
    if among is None:
        return np.ones(n, dtype=bool)
    if isinstance(among, Mapping):
        keep = np.ones(n, dtype=bool)
        for name, wanted in among.items():
            labels = pd.Series(np.asarray(_item_coord(outcomes, name, where, "among").values))
            wanted = [wanted] if isinstance(wanted, str) or np.ndim(wanted) == 0 else list(wanted)
            for level in wanted:
                if not (labels == level).any():
                    raise DataError(f"{where}: no item has {name}={level!r} "
                                    f"(levels: {_text(_observed_levels(labels))})")
            keep &= labels.isin(wanted).to_numpy()
    else:
        keep = np.asarray(among.values if isinstance(among, xr.DataArray) else among)
        if keep.dtype != bool or keep.shape != (n,):
            raise DataError(f"{where}: among must be a dict of item coordinates and levels, or {n} booleans "
                            f"(one per item), not {type(among).__name__} of shape {keep.shape}")
    if not keep.any():
        what = among if isinstance(among, Mapping) else "the items chosen"
        raise DataError(f"{where}: no item is left among {what}")
    return keep


def _coords(outcomes, dim):
    return {k: v for k, v in outcomes.coords.items() if v.dims == (dim,)}


def _counts(coded, group, n_groups, weights=None):
    """Per replica × epoch × group × outcome, the (weighted) number of items
    with that outcome; items whose group or outcome is −1 are left out."""
    codes = coded.codes.astype(np.int64)
    n_r, n_e, n_i = codes.shape
    k = max(len(coded.labels), 1)
    keep = (codes >= 0) & (group >= 0)
    index = ((np.arange(n_r * n_e).reshape(n_r, n_e, 1) * n_groups + group) * k + codes)[keep]
    w = None if weights is None else np.broadcast_to(weights, codes.shape)[keep]
    return np.bincount(index, weights=w, minlength=n_r * n_e * n_groups * k).reshape(n_r, n_e, n_groups, k)


def _share(count, total):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, count / np.where(total > 0, total, 1), np.nan)


# ---------------------------------------------------------------- curves and rates

def learning_curves(outcomes, by=None, value="correct", *, weights=None, levels=None):
    """The share of items with one outcome, per replica, epoch and class.

    Parameters
    ----------
    outcomes : xarray.DataArray
        Dims (replica, epoch, item): labels (strings) or booleans.
    by : str or None
        An item coordinate (e.g. ``"class"``); its levels are taken in
        category order for a categorical, otherwise in order of first
        occurrence.  Items with no level (NaN) are left out.  None: all
        items together.
    value : label
        The outcome counted (``"correct"``; ``True`` for booleans, which
        ``"correct"`` also means).
    weights : str or None
        A numeric item coordinate (e.g. ``"token_frequency"``): each item
        counts with its weight, giving the share of tokens.
    levels : list or None
        All outcome labels (see the module's notes).

    Returns
    -------
    xarray.DataArray
        Dims (replica, epoch, <by>), or (replica, epoch) without ``by``:
        the number (or weight) of items with outcome ``value`` over that of
        items with any outcome.  Missing outcomes are left out of both
        (``attrs["n_missing"]`` counts them over the items analysed); a cell
        with none left is NaN.  Coordinates: the replica and epoch
        coordinates of ``outcomes`` (epochs in order) and ``n_items``, the
        number of items in each level.

    Raises
    ------
    pdplab.exceptions.DataError
        If ``outcomes`` is not a (replica, epoch, item) DataArray, ``by`` or
        ``weights`` is not a coordinate on item, or ``value`` is not an
        outcome.
    """
    where = "learning_curves"
    coded = _code(outcomes, where, levels)
    k = _outcome(coded, value, where)
    group, by_levels = _groups(coded.outcomes, by, where)
    n_groups = 1 if by is None else len(by_levels)
    counts = _counts(coded, group, n_groups, _weights(coded.outcomes, weights, where))
    share = _share(counts[..., k], counts.sum(-1))
    n_items = np.bincount(group[group >= 0], minlength=n_groups)
    coords = {**_coords(coded.outcomes, "replica"), **_coords(coded.outcomes, "epoch")}
    if by is None:
        share = share[..., 0]
        dims = ["replica", "epoch"]
        coords["n_items"] = int(n_items[0])
    else:
        dims = ["replica", "epoch", by]
        coords[by] = by_levels
        coords["n_items"] = (by, n_items)
    out = xr.DataArray(share, dims=dims, coords=coords, name="share")
    n_missing = int(((coded.codes < 0) & (group >= 0)).sum())
    out.attrs.update(outcome=str(_plain(coded.labels[k])), weights=weights or "", n_missing=n_missing)
    return out


def rates(outcomes, by=None, among=None, *, weights=None, denominator=None, levels=None):
    """The share of each outcome, per replica and epoch (and class).

    Parameters
    ----------
    outcomes : xarray.DataArray
        Dims (replica, epoch, item): labels or booleans.
    by : str or None
        An item coordinate whose levels get separate rates.
    among : dict or array of bool, optional
        The items to count: a dict of item coordinates and the level(s) to
        keep, e.g. ``{"class": ["vowel change", "no change", "arbitrary"]}``
        for the irregular verbs, or one boolean per item.
    weights : str or None
        A numeric item coordinate, e.g. ``"token_frequency"``: rates per
        token rather than per type (each item counts with its weight), as
        children's rates are measured (Marcus et al. 1992).
    denominator : list of labels, optional
        The outcomes whose total is the denominator; others are left out.
        Marcus et al.'s (1992) overregularization rate is
        ``denominator=["overregularized", "correct"]`` among the irregular
        verbs.  None: every outcome.
    levels : list or None
        All outcome labels (see the module's notes); rows are given for each.

    Returns
    -------
    pandas.DataFrame
        One row per replica × epoch [× level of ``by``] × outcome (in the
        order of the labels or of ``denominator``), zero shares included:
        ``replica``, ``epoch``, [``<by>``, an ordered categorical,]
        ``outcome``, ``share``, ``n`` (the items with one of the outcomes
        counted) and, weighted, ``weight`` (their total weight).  ``share``
        is NaN where ``n`` is 0.  ``attrs``: ``n_missing`` (missing
        outcomes among the items counted) and ``weights``.

    Raises
    ------
    pdplab.exceptions.DataError
        For bad outcomes, an unknown coordinate or level, an unknown
        outcome in ``denominator``, or no item left.
    """
    where = "rates"
    coded = _code(outcomes, where, levels)
    keep = _among(coded.outcomes, among, where)
    group, by_levels = _groups(coded.outcomes, by, where)
    group = np.where(keep, group, -1)
    n_groups = 1 if by is None else len(by_levels)
    w = _weights(coded.outcomes, weights, where)
    counts = _counts(coded, group, n_groups, w)
    if denominator is None:
        chosen = list(range(len(coded.labels)))
    else:
        wanted = [denominator] if isinstance(denominator, str) else list(denominator)
        if not wanted:
            raise DataError(f"{where}: denominator names no outcome")
        chosen = [_outcome(coded, v, where, "denominator") for v in wanted]
        if len(set(chosen)) < len(chosen):
            raise DataError(f"{where}: an outcome is named twice in denominator {wanted!r}")
    counts = counts[..., chosen]
    total = counts.sum(-1, keepdims=True)
    share = _share(counts, total)
    n = total if w is None else _counts(coded, group, n_groups)[..., chosen].sum(-1, keepdims=True)
    index = np.indices(share.shape).reshape(4, -1)
    data = {"replica": np.asarray(coded.outcomes["replica"].values)[index[0]],
            "epoch": np.asarray(coded.outcomes["epoch"].values)[index[1]]}
    if by is not None:
        data[by] = pd.Categorical(np.asarray(by_levels, dtype=object)[index[2]], categories=by_levels, ordered=True)
    labels = [coded.labels[k] for k in chosen]
    data["outcome"] = pd.Categorical.from_codes(index[3], categories=pd.Index(labels, dtype=object))
    data["share"] = share.reshape(-1)
    data["n"] = np.broadcast_to(n, share.shape).reshape(-1).astype(np.int64)
    if w is not None:
        data["weight"] = np.broadcast_to(total, share.shape).reshape(-1)
    table = pd.DataFrame(data)
    in_group = group >= 0
    table.attrs.update(n_missing=int(((coded.codes < 0) & in_group).sum()), weights=weights or "")
    return table


def _repeat(coord, index):
    """An item coordinate's values at ``index``: labels as a categorical
    (levels in order of first occurrence; a long table of strings is slow
    to build and large), numbers as they are."""
    values = np.asarray(coord.values)
    if values.dtype.kind in "OUS":
        return pd.Categorical(values, categories=_observed_levels(pd.Series(values))).take(index)
    return values[index]


def trajectories(outcomes, *, levels=None):
    """Each item's outcome at every recorded epoch, as a tidy table.

    Parameters
    ----------
    outcomes : xarray.DataArray
        Dims (replica, epoch, item): labels or booleans.
    levels : list or None
        All outcome labels (see the module's notes): the categories of
        ``outcome``.

    Returns
    -------
    pandas.DataFrame
        One row per replica × item × epoch, in that order (each item's
        trajectory reads down the table, epochs in order): ``replica``,
        ``item``, ``epoch``, ``outcome`` (a categorical of the outcome
        labels, NaN where missing — the row is kept) and every other
        coordinate on item (class, frequency …).  Item labels and other
        labels on item are categoricals (a table of 20 replicas × 200
        epochs × 600 items has 2.4 million rows).  ``attrs["n_missing"]``
        counts the missing outcomes.
    """
    coded = _code(outcomes, "trajectories", levels)
    codes = coded.codes.transpose(0, 2, 1)
    n_r, n_i, n_e = codes.shape
    r, i, e = (a.reshape(-1) for a in np.indices(codes.shape))
    out = coded.outcomes
    data = {"replica": np.asarray(out["replica"].values)[r], "item": _repeat(out["item"], i),
            "epoch": np.asarray(out["epoch"].values)[e],
            "outcome": pd.Categorical.from_codes(codes.reshape(-1), categories=pd.Index(coded.labels, dtype=object))}
    for name, coord in _coords(out, "item").items():
        if name not in data:
            data[name] = _repeat(coord, i)
    table = pd.DataFrame(data)
    table.attrs["n_missing"] = int((codes < 0).sum())
    return table


# ---------------------------------------------------------------- U-shapes

def _compact(state, position, keep):
    """Shift the kept entries of each row to its front, in order; the rest
    become −1.  ``position`` follows them (the epoch index of each entry)."""
    order = np.argsort(~keep, axis=1, kind="stable")
    state = np.take_along_axis(np.where(keep, state, -1), order, axis=1)
    return state, np.take_along_axis(position, order, axis=1)


def _run_lengths(state):
    """The length of the run of equal states that each entry belongs to."""
    n, m = state.shape
    pos = np.broadcast_to(np.arange(m), (n, m))
    change = np.ones((n, m), dtype=bool)
    change[:, 1:] = state[:, 1:] != state[:, :-1]
    end = np.ones((n, m), dtype=bool)
    end[:, :-1] = change[:, 1:]
    first = np.maximum.accumulate(np.where(change, pos, 0), axis=1)
    last = np.minimum.accumulate(np.where(end, pos, m)[:, ::-1], axis=1)[:, ::-1]
    return last - first + 1


def _first(mask, default):
    return np.where(mask.any(axis=1), mask.argmax(axis=1), default)


def u_shapes(outcomes, correct="correct", error=None, min_run=1, *, levels=None):
    """Whether each item shows a U-shape: correct, then an error, then
    correct again.

    Each replica's outcomes for an item are read as a sequence of states
    over the recorded epochs in order (missing outcomes skipped): *correct*
    (outcome ``correct``), *error* (outcome ``error``; any other outcome if
    ``error`` is None) and, when ``error`` is given, *other*.  A run of
    fewer than ``min_run`` consecutive recorded epochs in one state is
    noise and ignored, and the runs on either side of it join: with
    ``min_run=2``, correct, correct, overregularized, correct, correct is
    no U-shape, and an item correct only at the last recorded epoch has not
    recovered.  Runs are counted in recorded epochs, whatever their spacing.

    An *episode* is a stretch of non-correct states between two correct
    ones that contains the error; the item shows a U-shape if it has at
    least one.  With ``error="overregularized"``, correct → other → correct
    is not an episode, but correct → other → overregularized → correct is.

    Parameters
    ----------
    outcomes : xarray.DataArray
        Dims (replica, epoch, item): labels or booleans.
    correct : label
        The correct outcome (``"correct"``; ``True`` for booleans).
    error : label or None
        The error of the dip, e.g. ``"overregularized"``; None: any outcome
        other than ``correct``.
    min_run : int
        The number of consecutive recorded epochs a state must last to
        count (1: every epoch counts).
    levels : list or None
        All outcome labels (see the module's notes).

    Returns
    -------
    pandas.DataFrame
        One row per replica × item (in the order of both): ``replica``,
        ``item``, every other coordinate on item, then
        :data:`U_SHAPE_COLUMNS`: ``u_shape`` (bool), ``first_correct`` (the
        first epoch of the first correct run), ``first_error`` (the first
        epoch of the first error run after it), ``recovered`` (the first
        epoch of the first correct run after that) — epoch labels, NaN
        where there is none, so an item that errs and never recovers has
        ``first_error`` but no ``recovered`` — and ``count``, the number of
        episodes (several dips: micro U-shapes).  ``attrs``: ``correct``,
        ``error``, ``min_run``.
    """
    where = "u_shapes"
    if isinstance(min_run, bool) or not isinstance(min_run, (int, np.integer)) or min_run < 1:
        raise DataError(f"{where}: min_run must be a whole number of epochs ≥ 1, not {min_run!r}")
    coded = _code(outcomes, where, levels)
    kc = _outcome(coded, correct, where, "correct")
    codes = coded.codes.transpose(0, 2, 1).reshape(-1, coded.codes.shape[1])  # (replica × item, epoch)
    if error is None:
        ke = None
        state = np.where(codes < 0, -1, np.where(codes == kc, 0, 1))
    else:
        ke = _outcome(coded, error, where, "error")
        if ke == kc:
            raise DataError(f"{where}: error and correct are the same outcome ({correct!r})")
        state = np.where(codes < 0, -1, np.where(codes == kc, 0, np.where(codes == ke, 1, 2)))
    n, m = state.shape
    position = np.broadcast_to(np.arange(m), (n, m))
    state, position = _compact(state, position, state >= 0)
    if min_run > 1:
        state, position = _compact(state, position, (state >= 0) & (_run_lengths(state) >= min_run))

    pos = np.broadcast_to(np.arange(m), (n, m))
    is_c, is_e = state == 0, state == 1
    first_c = _first(is_c, m)
    first_e = _first(is_e & (pos > first_c[:, None]), m)
    recovered = _first(is_c & (pos > first_e[:, None]), m)
    last_c = np.maximum.accumulate(np.where(is_c, pos, -1), axis=1)
    last_e = np.maximum.accumulate(np.where(is_e, pos, -1), axis=1)
    back = is_c[:, 1:] & ~is_c[:, :-1] & (state[:, :-1] >= 0)
    count = (back & (last_c[:, :-1] >= 0) & (last_e[:, :-1] > last_c[:, :-1])).sum(axis=1)

    epochs = np.asarray(coded.outcomes["epoch"].values, dtype=float)

    def epoch_at(p):
        index = np.take_along_axis(position, np.minimum(p, m - 1)[:, None], axis=1)[:, 0]
        return np.where(p < m, epochs[index], np.nan)

    out = coded.outcomes
    n_r, n_i = out.sizes["replica"], out.sizes["item"]
    data = {"replica": np.repeat(np.asarray(out["replica"].values), n_i),
            "item": np.tile(np.asarray(out["item"].values), n_r)}
    for name, coord in _coords(out, "item").items():
        if name not in data:
            data[name] = np.tile(np.asarray(coord.values), n_r)
    data.update(u_shape=count > 0, first_correct=epoch_at(first_c), first_error=epoch_at(first_e),
                recovered=epoch_at(recovered), count=count.astype(np.int64))
    table = pd.DataFrame(data)
    table.attrs.update(correct=_plain(coded.labels[kc]), error=None if ke is None else _plain(coded.labels[ke]),
                       min_run=int(min_run))
    return table


def u_shape_share(shapes, by=None, **options):
    """The share of items showing a U-shape, per replica (and class).

    Parameters
    ----------
    shapes : pandas.DataFrame or xarray.DataArray
        The table of :func:`u_shapes`, or outcomes, which are passed to it
        with ``options`` (``correct``, ``error``, ``min_run``, ``levels``).
    by : str or None
        A column of the table (an item coordinate, e.g. ``"class"``).

    Returns
    -------
    pandas.DataFrame
        One row per replica [× level of ``by``]: ``replica``, [``<by>``,]
        ``n_items``, ``n_ever_correct`` (items with a correct run: only
        these can show a U-shape), ``n_u_shaped``, ``share`` (n_u_shaped /
        n_items), ``share_of_correct`` (n_u_shaped / n_ever_correct; NaN
        where none) and ``episodes`` (the dips over all the items).
        ``attrs``: those of the table.
    """
    where = "u_shape_share"
    if isinstance(shapes, xr.DataArray):
        shapes = u_shapes(shapes, **options)
    elif options:
        raise DataError(f"{where}: options ({', '.join(options)}) apply to outcomes, not to a table of u_shapes")
    if not isinstance(shapes, pd.DataFrame):
        raise DataError(f"{where}: expected the table of u_shapes or outcomes (a DataArray), "
                        f"not {type(shapes).__name__}")
    for column in ["replica", "item"] + U_SHAPE_COLUMNS + ([] if by is None else [by]):
        if column not in shapes.columns:
            raise DataError(f"{where}: the table has no column {column!r} "
                            f"(columns: {', '.join(map(str, shapes.columns))})")
    if by in ("replica", "item") + tuple(U_SHAPE_COLUMNS):
        raise DataError(f"{where}: by must be an item coordinate, not {by!r}")
    keys = ["replica"] + ([] if by is None else [by])
    table = shapes.assign(replica=pd.Categorical(shapes["replica"], categories=pd.unique(shapes["replica"]),
                                                 ordered=True))
    if by is not None:
        column = shapes[by]
        table[by] = pd.Categorical(column, categories=_observed_levels(column), ordered=True)
    grouped = table.groupby(keys, observed=True, sort=True)
    out = grouped.agg(n_items=("item", "size"), n_ever_correct=("first_correct", "count"),
                      n_u_shaped=("u_shape", "sum"), episodes=("count", "sum")).reset_index()
    out["replica"] = out["replica"].astype(shapes["replica"].dtype)
    out["n_u_shaped"] = out["n_u_shaped"].astype(np.int64)
    out.insert(len(keys) + 3, "share", out["n_u_shaped"] / out["n_items"])
    out.insert(len(keys) + 4, "share_of_correct", _share(out["n_u_shaped"].to_numpy(float),
                                                         out["n_ever_correct"].to_numpy(float)))
    out.attrs.update(shapes.attrs)
    return out


# ---------------------------------------------------------------- criterion

def epochs_to_criterion(outcomes, by=None, criterion=1.0, sustained=True, *, value="correct", weights=None,
                        levels=None):
    """The first recorded epoch at which each class reaches a criterion.

    Parameters
    ----------
    outcomes : xarray.DataArray
        Dims (replica, epoch, item): labels or booleans (``ds["correct"]``).
    by : str or None
        An item coordinate; None: all items together.
    criterion : float
        The share of the class's items with outcome ``value`` (see
        :func:`learning_curves`) to reach, in (0, 1].
    sustained : bool
        If true, the share must also stay at or above the criterion at
        every later recorded epoch (epochs where the class has no outcome
        are skipped); otherwise the first epoch reaching it counts.
    value, weights, levels
        As in :func:`learning_curves`.

    Returns
    -------
    xarray.DataArray
        Dims (replica, <by>), or (replica,): the epoch label, NaN where the
        criterion is never reached (or not sustained to the last recorded
        epoch).  Only recorded epochs are candidates — nothing is
        interpolated, so the answer is as fine as the recording schedule
        (an epoch recorded every 50 gives multiples of 50).  Coordinates as
        :func:`learning_curves`; ``attrs``: ``criterion`` and
        ``sustained`` (0/1: netCDF has no booleans).
    """
    where = "epochs_to_criterion"
    if isinstance(criterion, bool) or not isinstance(criterion, (int, float, np.number)) \
            or not 0 < criterion <= 1:
        raise DataError(f"{where}: criterion is a share in (0, 1], not {criterion!r}")
    curves = learning_curves(outcomes, by, value, weights=weights, levels=levels)
    share = curves.transpose("epoch", ...).values
    m = share.shape[0]
    pos = np.arange(m).reshape((m,) + (1,) * (share.ndim - 1))
    reached = share >= criterion - _EPS
    if sustained:
        failed = share < criterion - _EPS
        last_failure = np.where(failed, pos, -1).max(axis=0)
        reached &= pos > last_failure
    first = np.where(reached.any(axis=0), reached.argmax(axis=0), m)
    epochs = np.asarray(curves["epoch"].values, dtype=float)
    result = np.where(first < m, epochs[np.minimum(first, m - 1)], np.nan)
    coords = {k: v for k, v in curves.coords.items() if "epoch" not in v.dims}
    dims = [d for d in curves.dims if d != "epoch"]
    out = xr.DataArray(result, dims=dims, coords=coords, name="epochs_to_criterion")
    out.attrs.update(curves.attrs)
    out.attrs.update(criterion=float(criterion), sustained=int(bool(sustained)))
    return out
