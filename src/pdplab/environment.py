"""Environments: the items a network is trained and tested on.

An :class:`Environment` is a pandas table with one row per item (its words,
classes, frequencies …), an input array per input group and a target array
per output group, each with one row per item.  This is Lens's example set
with its metadata kept beside it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .exceptions import DataError

__all__ = ["Environment"]


class Environment:
    """Items with their input and target patterns.

    Parameters
    ----------
    inputs : dict of str to array_like
        For each input group, an array of shape (items, units), or, for a
        network in time whose items are sequences of events, (items,
        events, units); a row of NaN is an absent event (an item shorter
        than others, or, in targets, an event without a target).  See
        :meth:`from_sequences`.
    targets : dict of str to array_like
        For each output group, an array of shape (items, units) or (items,
        events, units).
    items : pandas.DataFrame or sequence of str, optional
        One row per item; the index labels the items.  Its columns become
        coordinates on the ``item`` dimension of results.  Defaults to
        items labelled 0, 1, 2 …
    frequency : str or array_like, optional
        Each item's frequency: a column of ``items`` or an array.  Used to
        sample items (``order="probabilistic"``) or to scale their error
        (``scale_by_frequency=True``).
    units : dict of str to sequence of str, optional
        Labels of the columns of each group's patterns (e.g. attribute
        names); results use them as unit coordinates when the network's
        groups have none.
    name : str, optional

    Examples
    --------
    >>> import numpy as np, pdplab as pl
    >>> xor = pl.Environment(
    ...     inputs={"input": [[0, 0], [0, 1], [1, 0], [1, 1]]},
    ...     targets={"output": [[0], [1], [1], [0]]},
    ...     items=["00", "01", "10", "11"])
    >>> len(xor)
    4
    """

    def __init__(self, inputs, targets, items=None, frequency=None, units=None, name="environment"):
        self.name = name
        self.inputs = {g: _as_patterns(a, f"inputs[{g!r}]") for g, a in dict(inputs).items()}
        self.targets = {g: _as_patterns(a, f"targets[{g!r}]") for g, a in dict(targets).items()}
        counts = {k: v.shape[0] for k, v in {**self.inputs, **self.targets}.items()}
        events = {k: v.shape[1] for k, v in {**self.inputs, **self.targets}.items() if v.ndim == 3}
        if len(set(events.values())) > 1:
            (a, na), (b, nb) = sorted(events.items(), key=lambda kv: kv[1])[::len(events) - 1]
            raise DataError(f"{name}: the sequences of {a!r} have {na} events, those of {b!r} {nb}")
        if 0 in events.values():
            raise DataError(f"{name}: sequences of no events")
        if not counts:
            raise DataError("an environment needs input and target patterns")
        n = next(iter(counts.values()))
        if n == 0:
            raise DataError(f"{name}: has no items")
        for group, c in counts.items():
            if c != n:
                raise DataError(f"{name}: group {group!r} has {c} patterns, others have {n}")
        if items is None:
            items = pd.DataFrame(index=pd.RangeIndex(n, name="item"))
        elif not isinstance(items, pd.DataFrame):
            items = pd.DataFrame(index=pd.Index([_label(i, name) for i in items], name="item"))
        if len(items) != n:
            raise DataError(f"{name}: the item table has {len(items)} rows but there are {n} patterns")
        if not pd.api.types.is_numeric_dtype(items.index):
            for label in items.index:
                _label(label, name)
        if not items.index.is_unique:
            dup = items.index[items.index.duplicated()][0]
            raise DataError(f"{name}: item {dup!r} appears twice in the item table")
        self.items = items
        source = "frequencies"
        if isinstance(frequency, str):
            if frequency not in items.columns:
                raise DataError(f"{name}: no item column {frequency!r} to take frequencies from")
            source = f"frequency column {frequency!r}"
            frequency = items[frequency].to_numpy()
        if frequency is not None:
            try:
                frequency = np.asarray(frequency, dtype=float)
            except (TypeError, ValueError):
                raise DataError(f"{name}: the {source} must hold numbers") from None
            if frequency.shape != (n,):
                raise DataError(f"{name}: {frequency.size} frequencies for {n} items")
            bad = ~np.isfinite(frequency) | (frequency < 0)
            if bad.any():
                raise DataError(
                    f"{name}: item {items.index[np.argmax(bad)]!r} has frequency {frequency[np.argmax(bad)]}; "
                    "frequencies must be finite and non-negative"
                )
            if frequency.sum() <= 0:
                raise DataError(f"{name}: every frequency is zero")
        self.frequency = frequency
        self.units = {}
        for g, labels in (units or {}).items():
            arrays = {**self.inputs, **self.targets}
            if g not in arrays:
                raise DataError(f"{name}: unit labels given for {g!r}, which has no patterns")
            if len(labels) != arrays[g].shape[-1]:
                raise DataError(f"{name}: {len(labels)} unit labels for the {arrays[g].shape[-1]} columns of {g!r}")
            self.units[g] = [str(u) for u in labels]

    @classmethod
    def from_sequences(cls, inputs, targets, items=None, frequency=None, units=None, name="environment"):
        """Items that are sequences of events of different lengths.

        ``inputs`` and ``targets`` map each group to a list with one
        (events, units) array per item; shorter items are padded with
        absent (NaN) events.  A NaN row in a target is an event without a
        target.
        """
        groups = {**dict(inputs), **dict(targets)}
        lengths = None
        for g, seqs in groups.items():
            seqs = [_as_patterns(a, f"{name}: sequence {i} of {g!r}", ndim=2, absent_rows=True)
                    for i, a in enumerate(seqs)]
            empty = [i for i, a in enumerate(seqs) if len(a) == 0]
            if empty:
                raise DataError(f"{name}: sequence {empty[0]} of {g!r} has no events")
            mine = [len(a) for a in seqs]
            if lengths is not None and mine != lengths:
                raise DataError(f"{name}: the sequences of {g!r} have other lengths than those of other groups")
            lengths = mine
            groups[g] = seqs
        if not lengths:
            raise DataError(f"{name}: has no items")
        longest = max(lengths)

        def padded(seqs):
            out = np.full((len(seqs), longest, seqs[0].shape[-1]), np.nan)
            for i, a in enumerate(seqs):
                if a.shape[-1] != out.shape[-1]:
                    raise DataError(f"{name}: sequence {i} has {a.shape[-1]} units per event, others "
                                    f"{out.shape[-1]}")
                out[i, : len(a)] = a
            return out

        return cls({g: padded(groups[g]) for g in inputs}, {g: padded(groups[g]) for g in targets},
                   items=items, frequency=frequency, units=units, name=name)

    @property
    def events(self):
        """The number of events of the longest item (1 for items of one pattern)."""
        return max(a.shape[1] if a.ndim == 3 else 1 for a in {**self.inputs, **self.targets}.values())

    def __len__(self):
        return len(self.items)

    def __repr__(self):
        groups = ", ".join(f"{g}:{a.shape[-1]}" for g, a in {**self.inputs, **self.targets}.items())
        return f"Environment({self.name!r}: {len(self)} items; {groups})"

    @property
    def labels(self):
        """Item labels, as used on the ``item`` dimension."""
        return self.items.index

    def subset(self, mask, name=None):
        """The items where ``mask`` (booleans, one per item, or item labels) holds."""
        as_array = np.asarray(mask)
        if as_array.dtype == bool:
            if as_array.shape != (len(self),):
                raise DataError(f"{self.name}: a mask of {as_array.size} booleans for {len(self)} items")
            mask = as_array
        else:
            mask = self.items.index.isin(mask)
        return Environment(
            {g: a[mask] for g, a in self.inputs.items()},
            {g: a[mask] for g, a in self.targets.items()},
            items=self.items[mask],
            frequency=None if self.frequency is None else self.frequency[mask],
            units=self.units,
            name=name or self.name,
        )

    def with_test(self, test, column="set"):
        """These (training) items followed by the items of ``test`` that are
        not among them, with a ``column`` saying which set each belongs to.

        An item of ``test`` labelled like a training item is the same item
        and appears once, as a training item; if its patterns differ, that
        is an error.
        """
        if column in self.items.columns or column in test.items.columns:
            raise DataError(f"{test.name}: an item column is named {column!r}, which marks training and test "
                            f"items; rename it")
        test = test.ordered_like(self)
        for col in set(self.items.columns) & set(test.items.columns):
            kinds = {pd.api.types.is_numeric_dtype(t.items[col]) for t in (self, test)}
            if len(kinds) > 1:
                raise DataError(f"{test.name}: item column {col!r} holds numbers in one set of items and text "
                                f"in the other")
        shared = test.labels.intersection(self.labels)
        for label in shared:
            for kind, mine, theirs in (("inputs", self.inputs, test.inputs), ("targets", self.targets, test.targets)):
                for g in mine:
                    a, b = mine[g][self.labels.get_loc(label)], theirs.get(g)
                    if b is None or not np.array_equal(a, b[test.labels.get_loc(label)], equal_nan=True):
                        raise DataError(f"{test.name}: test item {label!r} has the label of a training item "
                                        f"but other {kind}; rename it")
        new = ~test.labels.isin(shared)
        if not new.any():
            items = self.items.assign(**{column: "train"})
            return Environment(self.inputs, self.targets, items=items, units=self.units, name=self.name)
        if set(self.inputs) != set(test.inputs) or set(self.targets) != set(test.targets):
            raise DataError(f"{test.name}: the test items have other groups than the training items")
        items = pd.concat([self.items.assign(**{column: "train"}), test.items[new].assign(**{column: "test"})])
        return Environment(
            {g: _stacked(a, test.inputs[g][new]) for g, a in self.inputs.items()},
            {g: _stacked(a, test.targets[g][new]) for g, a in self.targets.items()},
            items=items, units={**test.units, **self.units}, name=f"{self.name}+{test.name}",
        )

    def ordered_like(self, other):
        """These items with each group's units in the order of ``other``'s
        labels (where both label them); the same units must be there."""
        inputs, targets = dict(self.inputs), dict(self.targets)
        changed = False
        for arrays in (inputs, targets):
            for g in arrays:
                mine, theirs = self.units.get(g), other.units.get(g)
                if mine is None or theirs is None or mine == theirs:
                    continue
                if sorted(mine) != sorted(theirs):
                    raise DataError(f"{self.name}: the units of {g!r} ({', '.join(mine)}) are not those of "
                                    f"{other.name} ({', '.join(theirs)})")
                arrays[g] = arrays[g][..., [mine.index(u) for u in theirs]]
                changed = True
        if not changed:
            return self
        return Environment(inputs, targets, items=self.items, frequency=self.frequency,
                           units={**self.units, **{g: other.units[g] for g in other.units if g in self.units}},
                           name=self.name)

    def arrays(self, network, dtype=np.float64):
        """Input and target arrays shaped ``(1, items, units)`` for ``network``,
        after checking that they fit it."""
        for kind, have, need in (
            ("inputs", self.inputs, network.inputs),
            ("targets", self.targets, network.outputs),
        ):
            missing = [g for g in need if g not in have]
            if missing:
                raise DataError(f"{self.name}: no {kind} for group {missing[0]!r}")
            extra = [g for g in have if g not in need]
            if extra:
                raise DataError(
                    f"{self.name}: {kind} given for {extra[0]!r}, which is not an "
                    f"{'input' if kind == 'inputs' else 'output'} group of {network.name!r}"
                )
            for g in need:
                size = network.groups[g].size
                if have[g].shape[-1] != size:
                    raise DataError(
                        f"{self.name}: {kind}[{g!r}] has {have[g].shape[-1]} columns, "
                        f"but group {g!r} has {size} units"
                    )
        if getattr(network, "time", None) is None:
            sequences = [g for g, a in {**self.inputs, **self.targets}.items() if a.ndim == 3]
            if sequences:
                raise DataError(f"{self.name}: the patterns of {sequences[0]!r} are sequences of events, which "
                                f"only a network in time (Network(time=...)) reads")
        for g in network.outputs:
            group = network.groups[g]
            t = self.targets[g]
            t = t.reshape(len(t), -1, t.shape[-1])
            t = np.where(np.isnan(t), 0.0, t)
            if group.error == "cross_entropy" and ((t < 0) | (t > 1)).any():
                i = int(np.argmax(((t < 0) | (t > 1)).any(axis=(1, 2))))
                raise DataError(
                    f"{self.name}: item {self.labels[i]!r} has a target outside [0, 1] for group {g!r}, "
                    "which uses cross_entropy"
                )
            if group.error == "cross_entropy" and group.activation == "softmax":
                given = ~np.isnan(self.targets[g].reshape(t.shape)).all(axis=-1)
                sums = t.sum(axis=-1)
                off = np.flatnonzero((np.abs(sums - 1) > 1e-6) & given)
                if off.size:
                    i, e = divmod(int(off[0]), t.shape[1])
                    raise DataError(
                        f"{self.name}: item {self.labels[i]!r} has targets summing to "
                        f"{sums[i, e]:.6g} for group {g!r}, a softmax group with cross_entropy (they must "
                        f"sum to 1)")
        inputs = {g: self.inputs[g].astype(dtype, copy=False)[None] for g in network.inputs}
        targets = {g: self.targets[g].astype(dtype, copy=False)[None] for g in network.outputs}
        return inputs, targets


def _as_patterns(a, what, ndim=None, absent_rows=False):
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        raise DataError(f"{what} must be numeric") from None
    if arr.ndim not in ((2, 3) if ndim is None else (ndim,)):
        raise DataError(f"{what} must be 2-D (items, units) or, for sequences, 3-D (items, events, units), not "
                        f"shape {arr.shape}")
    bad = ~np.isfinite(arr)
    events = arr.ndim == 3 or absent_rows
    if events:
        bad &= ~np.isnan(arr).all(axis=-1, keepdims=True)  # a row of NaN: an absent event, or no target
    if bad.any():
        where = np.argwhere(bad)[0]
        raise DataError(f"{what} has a non-finite value in " + (
            f"event {where[-2]} (only whole events may be absent, as rows of NaN)" if events
            else f"pattern {where[0]}"))
    return arr


def _stacked(a, b):
    """Items of ``a`` then of ``b``, the shorter sequences padded with absent events."""
    if a.ndim == 3 or b.ndim == 3:
        a, b = (x[:, None] if x.ndim == 2 else x for x in (a, b))
        longest = max(a.shape[1], b.shape[1])
        a, b = (np.concatenate([x, np.full((len(x), longest - x.shape[1], x.shape[2]), np.nan)], axis=1)
                for x in (a, b))
    return np.concatenate([a, b])


def _label(label, name):
    """An item label as text; None, NaN and text a file cannot hold are refused."""
    if label is None or (isinstance(label, float) and np.isnan(label)):
        raise DataError(f"{name}: an item has no label ({label!r})")
    text = str(label)
    if "\x00" in text or not text:
        raise DataError(f"{name}: item label {text!r} is empty or holds a NUL character")
    return text
