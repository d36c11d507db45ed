"""What a training run records, and the xarray Dataset it returns.

A results Dataset has dimensions ``replica``, ``epoch``, ``item`` and one
``<group>_unit`` dimension per recorded group, and holds:

``error`` (replica, epoch, item)
    the error of each recorded item at the recorded epochs, from a test
    pass with the weights as they are after that epoch (epoch 0: before
    training), summed over output units, after the tolerance radii and
    without frequency scaling;
``train_error`` (replica, train_epoch, item)
    the error of each training item at every epoch, as the training pass
    met it (Lens's and PDPTool's error): during epoch ``e``, before the
    item's own update when updating pattern by pattern, and at the start of
    the epoch when updating once per epoch.  Measured like ``error``; the
    mean over an item's presentations with ``order="probabilistic"``; NaN
    for an item not trained in that epoch (held-out items, items missing
    from a scheduled environment, items not drawn);
``correct`` (replica, epoch, item), and ``correct_nearest`` when asked for
    whether each item's output is right: every output unit within 0.5 of
    its target, or nearer its own target than any other training item's
    (:mod:`pdplab.core.accuracy`);
``<group>`` (replica, epoch, item, <group>_unit)
    activations of each recorded group; ``<group>:net`` net inputs and
    ``<group>:delta`` deltas (δ = −∂E/∂net) when asked for;
``weight:<a>-><b>`` and ``bias:<b>``
    the parameters at the end of training;
``stopped_at`` (replica)
    the epoch each replica met the stopping criterion (NaN if it did not).

The item table's columns are coordinates on ``item``; each replica's seed
and optimizer settings are coordinates on ``replica``.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Sequence

import numpy as np
import xarray as xr

from ..exceptions import DivergenceError, NetworkError
from .network import RESERVED_NAMES, network_to_dict
from .accuracy import nearest, within
from .propagate import backward, error_values, forward, output_gradients

__all__ = ["Record", "Recorder", "as_record", "provenance", "weights_to_dataset", "weights_from_dataset"]


#: Per item and recorded epoch, whether the output is right, by each rule of :mod:`pdplab.core.accuracy`.
ACCURACY = ("correct", "correct_nearest")


@dataclass
class Record:
    """Which quantities to record, and when.

    Parameters
    ----------
    groups : sequence of str
        Groups whose activations are recorded on the test items.
    every : int
        Also record every this many epochs (0, the default: only before
        training and at the end, where the test pass always runs; the
        error of every training item at every epoch is ``train_error``,
        which costs no test pass).
    epochs : sequence of int, optional
        Further epochs to record.
    log_points : int
        Also record at this many epochs spaced evenly on a log scale from 1
        to the last epoch (fewer where they round to the same epoch): dense
        early in training, where representations change fastest, and sparse
        late.
    net_input, delta : bool
        Also record net inputs / deltas of ``groups``.
    accuracy : sequence of str
        Which accuracy variables to record: ``correct`` (every output within
        0.5 of its target; the default) and ``correct_nearest`` (nearer its
        own target than any other training target; left out when the
        training items have fewer than two distinct targets).  The nearest
        rule costs a product of items × distinct targets per record, so it
        is recorded only when asked for.  ``()`` records neither.
    weights : bool
        Store the final weights in the Dataset (default).
    train_error : bool
        Record ``train_error``, the error of every training item at every
        epoch from the training pass itself (default; it costs a copy of the
        outputs per update).
    ticks : bool
        Networks in time: record the activations of ``groups`` at every tick
        of the test interval (a ``tick`` dimension, with a ``time``
        coordinate), not only at the last tick of each event.
    """

    groups: Sequence[str] = ()
    every: int = 0
    epochs: Sequence[int] | None = None
    log_points: int = 0
    net_input: bool = False
    delta: bool = False
    weights: bool = True
    accuracy: Sequence[str] = ("correct",)
    train_error: bool = True
    ticks: bool = False

    def count_for(self, total, start=0):
        """How many epochs :meth:`epochs_for` gives at most, without building them."""
        every = int(self.every) if self.every else 0
        return (2 + ((total - start) // every + 1 if every else 0) + len(self.epochs or ())
                + (min(int(self.log_points), total) if self.log_points else 0))

    def epochs_for(self, total, start=0):
        """The sorted epochs to record in a run from epoch ``start`` to epoch
        ``total`` (multiples of ``every`` and log-spaced points counted from
        epoch 0, so that a continued run records where one long run would)."""
        every = int(self.every) if self.every else 0
        chosen = {start, total}
        if every > 0:
            chosen.update(range(-(-start // every) * every, total + 1, every))
        if self.epochs is not None:
            chosen.update(int(e) for e in self.epochs if start <= int(e) <= total)
        if self.log_points and total > 0:
            # More points than epochs would only repeat epochs.
            points = np.rint(np.geomspace(1, total, min(int(self.log_points), total))).astype(int)
            chosen.update(int(e) for e in points if e >= start)
        return np.array(sorted(chosen), dtype=int)


def as_record(record, network):
    """Accept a :class:`Record`, a dict of its fields, a list of group names or None."""
    if record is None:
        record = Record()
    elif isinstance(record, dict):
        try:
            record = Record(**record)
        except TypeError as exc:
            raise NetworkError(f"record: {exc}") from None
    elif isinstance(record, (list, tuple)):
        record = Record(groups=tuple(record))
    elif isinstance(record, str):
        record = Record(groups=(record,))
    elif not isinstance(record, Record):
        raise NetworkError(f"record must be a Record, a dict of its fields or a list of groups, not {record!r:.60}")
    for g in record.groups:
        if g not in network.groups:
            raise NetworkError(f"record: unknown group {g!r}; the network has {', '.join(network.groups)}")
        if g == "item":
            raise NetworkError("record: a group named 'item' cannot be recorded (it would hide the item dimension)")
    if isinstance(record.accuracy, str) or not set(record.accuracy) <= set(ACCURACY):
        raise NetworkError(f"record: accuracy must list some of {', '.join(ACCURACY)}, not {record.accuracy!r}")
    if record.epochs is not None:
        bad = [e for e in record.epochs if isinstance(e, bool) or not isinstance(e, (int, np.integer)) or e < 0]
        if bad:
            raise NetworkError(f"record: epochs must be integers ≥ 0, not {bad[0]!r}")
    for name in ("every", "log_points"):
        value = getattr(record, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0):
            raise NetworkError(f"record: {name} must be a non-negative integer, not {value!r}")
    return record


def check_names(record, environment):
    """Refuse to record a group named like a column of the item table."""
    for g in record.groups:
        if g in environment.items.columns:
            raise NetworkError(f"record: group {g!r} has the name of a column of the item table; rename one")


def provenance(**extra):
    """Attributes that say how a result was made."""
    import pandas
    import scipy

    from .. import __version__

    attrs = {
        "pdplab_version": __version__,
        "numpy_version": np.__version__,
        "scipy_version": scipy.__version__,
        "pandas_version": pandas.__version__,
        "xarray_version": xr.__version__,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    commit = _git_commit()
    if commit:
        attrs["git_commit"] = commit
    for k, v in extra.items():
        attrs[k] = v if isinstance(v, (str, int, float)) else json.dumps(v, default=_jsonable)
    return attrs


@functools.lru_cache(maxsize=1)
def _git_commit():
    """The commit of the pdplab checkout this runs from ("…-dirty" with local
    changes), or None for an installed package; asked once per process."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    if not (root / ".git").exists():
        return None
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=40"], cwd=root,
                             capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _jsonable(v):
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    return str(v)


def unit_coords(network, groups, environment=None):
    """Coordinates for the unit dimensions of ``groups``: the groups' own
    labels, else the environment's, else 0, 1, 2 …"""
    coords = {}
    for g in groups:
        labels = network.groups[g].units
        if labels is None and environment is not None:
            labels = environment.units.get(g)
        coords[f"{g}_unit"] = list(labels) if labels is not None else list(range(network.groups[g].size))
    return coords


def weights_to_dataset(network, weights, environment=None):
    """Parameters as Dataset variables ``weight:a->b`` (replica, a_unit, b_unit)
    and ``bias:b`` (replica, b_unit)."""
    return xr.Dataset(*weight_variables(network, weights, environment))


def weight_variables(network, weights, environment=None):
    """The variables and coordinates of :func:`weights_to_dataset`."""
    data = {}
    coords = {}
    for p in network.projections:
        into = f"{p.target}_unit"
        if p.source == p.target:  # a group's links to itself: the receiving units get a dimension of their own
            into = f"{p.target}_unit_to"
            coords[into] = None
        data[f"weight:{p.key}"] = (("replica", f"{p.source}_unit", into), weights[p.key])
    for key, _, _ in network.parameter_specs():
        if key.endswith(".bias"):
            g = key[: -len(".bias")]
            data[f"bias:{g}"] = (("replica", f"{g}_unit"), weights[key])
    groups = sorted({g for p in network.projections for g in (p.source, p.target)})
    units = unit_coords(network, groups, environment)
    units.update({name: units[name[: -len("_to")]] for name in coords})
    return data, units


def weights_from_dataset(ds, network=None):
    """The parameter mapping stored in a results or weights Dataset.

    Parameters
    ----------
    ds : xarray.Dataset
    network : Network, optional
        Defaults to the network described in ``ds.attrs["network"]``.

    Returns
    -------
    network : Network
    weights : dict of str to ndarray
    """
    from .network import network_from_dict

    if network is None:
        if "network" not in ds.attrs:
            raise NetworkError("this Dataset does not describe its network; pass network=")
        network = network_from_dict(json.loads(ds.attrs["network"]))
    weights = {}
    for key, _, _ in network.parameter_specs():
        name = f"bias:{key[:-5]}" if key.endswith(".bias") else f"weight:{key}"
        if name not in ds:
            raise NetworkError(f"the Dataset has no variable {name!r}")
        weights[key] = np.array(ds[name].values)
    network.check_weights(weights, "stored weights")
    return network, weights


def item_coords(environment):
    """The item labels and the item table's columns as ``item`` coordinates."""
    labels = environment.labels
    # Text labels as fixed-width strings, the type a netCDF or Zarr file gives back.
    numeric = np.issubdtype(np.asarray(labels).dtype, np.number)
    coords = {"item": np.asarray(labels) if numeric else np.array(list(labels), dtype=str)}
    for col in environment.items.columns:
        name = str(col)
        if name in RESERVED_NAMES or name == "item":
            name = f"item_{name}"
        coords[name] = ("item", environment.items[col].to_numpy())
    return coords


def network_attr(network):
    return json.dumps(network_to_dict(network))



class Recorder:
    """Collects the error, the accuracy and chosen activations on the recorded items."""

    def __init__(self, plan, network, record, seeds, n_epochs, n_items, dtype, candidates=None):
        self.plan, self.network, self.record, self.seeds = plan, network, record, seeds
        replicas = len(seeds)
        self.epochs = []
        self.error = np.empty((replicas, n_epochs, n_items), dtype=dtype)
        self.arrays = {}
        for g in record.groups:
            size = network.groups[g].size
            names = [g]
            if record.net_input and g not in network.inputs:
                names.append(f"{g}:net")
            if record.delta and g not in network.inputs:
                names.append(f"{g}:delta")
            for name in names:
                self.arrays[name] = (g, np.empty((replicas, n_epochs, n_items, size), dtype=dtype))
        self.candidates = candidates
        rules = [r for r in record.accuracy if r != "correct_nearest" or candidates is not None]
        self.correct = {rule: np.empty((replicas, n_epochs, n_items), dtype=bool) for rule in rules}

    def take(self, epoch, params, feedback, inputs, targets):
        i = len(self.epochs)
        nets, acts = forward(self.plan, params, inputs)
        err = error_values(self.plan, acts, targets)
        self.error[:, i] = err
        if not np.isfinite(err).all():
            bad = np.flatnonzero(~np.isfinite(err).all(axis=1))
            raise DivergenceError(
                f"training diverged at epoch {epoch}: the error of replica {bad[0]} "
                f"(seed {self.seeds[bad[0]]}) is not finite",
                epoch=epoch, replicas=bad, seeds=[self.seeds[r] for r in bad],
            )
        outputs = {out.group: acts[out.group] for out in self.plan.outputs}
        if "correct" in self.correct:
            self.correct["correct"][:, i] = within(outputs, targets)
        if "correct_nearest" in self.correct:
            self.correct["correct_nearest"][:, i] = nearest(outputs, targets, self.candidates)
        deltas = None
        if self.record.delta:
            deltas = backward(self.plan, feedback, nets, acts, output_gradients(self.plan, nets, acts, targets))
        for name, (g, arr) in self.arrays.items():
            if name.endswith(":net"):
                arr[:, i] = nets[g]
            elif name.endswith(":delta"):
                arr[:, i] = -deltas[g]
            else:
                arr[:, i] = acts[g]
        self.epochs.append(epoch)

    def variables(self, test):
        """The recorded variables and their coordinates."""
        n = len(self.epochs)
        data = {"error": (("replica", "epoch", "item"), self.error[:, :n])}
        data.update({rule: (("replica", "epoch", "item"), arr[:, :n]) for rule, arr in self.correct.items()})
        for name, (g, arr) in self.arrays.items():
            data[name] = (("replica", "epoch", "item", f"{g}_unit"), arr[:, :n])
        coords = {"epoch": np.array(self.epochs), **item_coords(test)}
        coords.update(unit_coords(self.network, self.record.groups, test))
        return data, coords


class TrainingErrors:
    """``train_error``: the error of each training item as the training pass met it, every epoch.

    The outputs of each update are copied, in the order the items were
    presented, into a buffer; at the end of the epoch their errors are
    measured in one pass and put back in item order.
    """

    def __init__(self, plan, replicas, epochs, n_items, start, dtype):
        self.plan, self.start = plan, start
        self.values = np.full((replicas, epochs, n_items), np.nan, dtype=dtype)
        self.outputs = {}
        self.filled = 0

    def keep(self, acts, offset, total):
        """Copy one update's outputs, presented from position ``offset`` of an epoch of ``total``."""
        for out in self.plan.outputs:
            a = acts[out.group]
            buf = self.outputs.get(out.group)
            if buf is None or buf.shape[:2] != (a.shape[0], total):
                self.outputs[out.group] = buf = np.empty((a.shape[0], total, a.shape[2]), dtype=a.dtype)
            buf[:, offset: offset + a.shape[1]] = a

    def end_epoch(self, epoch, trainset):
        """Measure the epoch's errors and file them under the recorded items."""
        order = trainset.presented
        targets = trainset.targets if order is None else {g: a[0][order] for g, a in trainset.targets.items()}
        err = error_values(self.plan, self.outputs, targets)
        self.file(epoch, err[:, None], None if order is None else order[:, None], trainset)

    def file(self, first, errors, order, trainset):
        """File the errors of epochs ``first, first + 1, …``, (replicas, epochs, presentations), met
        in the order ``order`` (same shape; None: table order), under the recorded items."""
        if order is not None and trainset.order == "permuted":
            # Presentation order back to item order: each item was presented once.
            in_order = np.empty_like(errors)
            np.put_along_axis(in_order, order, errors, axis=2)
            errors, order = in_order, None
        if order is not None:
            # Presentation order back to item order; an item drawn several times gets its mean error.
            R, E, L = errors.shape
            n = len(trainset)
            flat = (np.arange(R * E)[:, None] * n + order.reshape(R * E, L)).ravel()
            sums = np.bincount(flat, weights=errors.ravel(), minlength=R * E * n).reshape(R, E, n)
            counts = np.bincount(flat, minlength=R * E * n).reshape(R, E, n)
            with np.errstate(invalid="ignore", divide="ignore"):
                errors = np.where(counts > 0, sums / counts, np.nan)
        keep = trainset.positions >= 0
        i = first - self.start - 1
        self.values[:, i: i + errors.shape[1]][:, :, trainset.positions[keep]] = errors[:, :, keep]
        self.filled = first + errors.shape[1] - 1 - self.start

    def variables(self):
        """``train_error`` and its ``train_epoch`` coordinate."""
        epochs = np.arange(self.start + 1, self.start + self.filled + 1)
        return ({"train_error": (("replica", "train_epoch", "item"), self.values[:, : self.filled])},
                {"train_epoch": epochs})
