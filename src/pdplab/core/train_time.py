"""Training and testing networks in time (:mod:`pdplab.core.time`).

:func:`train_in_time` is what :func:`pdplab.train` runs for a network with
``time`` set.  It keeps the rest of the engine's conventions: replicas in one
vectorized run, each drawing its weights and item order from its own seed;
the same optimizers, schedules and results Dataset.  Records gain an
``event`` dimension for items of several events and, with
``Record(ticks=True)``, a ``tick`` dimension; a continuous network's test
passes also record ``settling_time``.
"""

from __future__ import annotations

import time as clock
from dataclasses import asdict, dataclass

import numpy as np
import xarray as xr

from ..exceptions import DataError, DivergenceError, NetworkError
from .accuracy import within
from .network import STREAM_ORDER, replica_rng
from .optim import make_optimizer, per_replica
from .record import as_record, check_names, item_coords, network_attr, provenance, unit_coords, weight_variables
from .train import _check_finite, _check_schedule, _count, _dtype, _initial_weights, _seeds
from .time import TimePlan, as_timing, backward_in_time, forward_in_time, output_errors, settling_time, with_dt

__all__ = ["train_in_time", "evaluate_in_time", "evaluate_results", "SequenceArrays", "sequence_arrays",
           "timing_of"]

#: Memory for the unrolled activations of one replica at a time (bytes): larger batches are taken in parts.
UNROLL_BYTES = 64 * 2 ** 20
UPDATES_IN_TIME = ("event", "pattern", "minibatch", "batch")


@dataclass
class SequenceArrays:
    """Items as arrays for a network in time.

    ``inputs`` and ``targets``: (1, items, events, units) per group, with no
    NaN; ``present`` (items, events): the events an item has; ``given``: per
    output group, the events with a target there; ``has_target``: the events
    with a target in some output group.
    """

    inputs: dict
    targets: dict
    present: np.ndarray
    given: dict

    @property
    def has_target(self):
        return np.logical_or.reduce(list(self.given.values()))

    def __len__(self):
        return self.present.shape[0]

    def part(self, start, stop):
        """Items ``start`` to ``stop``."""
        return SequenceArrays({g: a[:, start:stop] for g, a in self.inputs.items()},
                              {g: a[:, start:stop] for g, a in self.targets.items()},
                              self.present[start:stop], {g: a[start:stop] for g, a in self.given.items()})

    def weights(self, tick_weights, dtype):
        """Each output group's error weight of each tick, (1, items, events, ticks)."""
        return {g: (a[None, :, :, None] * tick_weights).astype(dtype) for g, a in self.given.items()}


def sequence_arrays(environment, network, dtype):
    """The items of ``environment`` as :class:`SequenceArrays` for ``network``, after checking that they fit."""
    environment.arrays(network)  # groups, sizes and target ranges
    events = environment.events
    arrays, given = {}, {}
    for g, a in [*((g, environment.inputs[g]) for g in network.inputs),
                 *((g, environment.targets[g]) for g in network.outputs)]:
        a = np.asarray(a, dtype=np.float64)
        if a.ndim == 2:
            if events > 1:
                raise DataError(f"{environment.name}: the patterns of {g!r} are not sequences of events, those of "
                                f"other groups are; give every group's as (items, events, units)")
            a = a[:, None, :]
        given[g] = ~np.isnan(a).all(axis=-1)
        arrays[g] = np.nan_to_num(a, nan=0.0).astype(dtype)[None]
    present = np.logical_and.reduce([given[g] for g in network.inputs])
    labels = environment.labels
    gap = present[:, 1:] & ~present[:, :-1]
    if gap.any():
        i, e = np.argwhere(gap)[0]
        raise DataError(f"{environment.name}: item {labels[i]!r} has an absent event (NaN inputs) before event "
                        f"{e + 1}; only the end of an item may be absent")
    for g in network.outputs:
        stray = given[g] & ~present
        if stray.any():
            i, e = np.argwhere(stray)[0]
            raise DataError(f"{environment.name}: item {labels[i]!r} has a target for {g!r} at event {e}, whose "
                            f"inputs are absent")
    return SequenceArrays({g: arrays[g] for g in network.inputs}, {g: arrays[g] for g in network.outputs},
                          present, {g: given[g] for g in network.outputs})


class _TimeRecorder:
    """Test passes of a network in time: error, accuracy, chosen activations and settling times."""

    def __init__(self, plan, record, environment, seeds, timing, dtype, n_epochs):
        self.plan, self.record, self.seeds = plan, record, seeds
        self.network = plan.network
        self.items = sequence_arrays(environment, self.network, dtype)
        self.sequences = environment.events > 1
        self.epochs = []
        self.values = {}
        self.timing = timing
        self.n_epochs = n_epochs

    def take(self, epoch, params, timing):
        out = evaluate_in_time(self.plan, params, self.items, timing, groups=self.record.groups,
                               ticks=self.record.ticks)
        if self.record.ticks and timing.dt != self.timing.dt:
            # Activations over ticks are reported at the times of the first dt's ticks: at each, the
            # activation of the last tick at or before it (NaN before the first tick).
            times = np.arange(1, self.timing.ticks(test=True) + 1) * self.timing.dt
            at = np.floor(times / timing.dt + 1e-6).astype(int) - 1
            for g in self.record.groups:
                picked = out[g][..., np.maximum(at, 0), :]
                picked[..., at < 0, :] = np.nan
                out[g] = picked
        bad = [int(r) for r in np.flatnonzero(~np.isfinite(out["error"][:, self.items.has_target]).all(axis=1))]
        if bad:
            raise DivergenceError(f"training diverged at epoch {epoch}: the error of replica {bad[0]} "
                                  f"(seed {self.seeds[bad[0]]}) is not finite", epoch=epoch, replicas=bad,
                                  seeds=[self.seeds[r] for r in bad])
        if "correct" not in self.record.accuracy:
            del out["correct"]
        i = len(self.epochs)
        for name, arr in out.items():
            if name not in self.values:
                self.values[name] = np.zeros((arr.shape[0], self.n_epochs) + arr.shape[1:], arr.dtype)
            self.values[name][:, i] = arr
        self.epochs.append(epoch)

    def variables(self, environment):
        n = len(self.epochs)
        data = {name: _labelled(name, arr[:, :n], self.network, self.sequences, self.record.ticks, epochs=True)
                for name, arr in self.values.items()}
        coords = {"epoch": np.array(self.epochs), **item_coords(environment)}
        coords.update(unit_coords(self.network, self.record.groups, environment))
        if self.sequences:
            coords["event"] = np.arange(self.items.present.shape[1])
        if self.record.ticks:
            T = self.timing.ticks(test=True) if self.plan.continuous else 1
            coords["tick"] = np.arange(1, T + 1)
            coords["time"] = ("tick", np.arange(1, T + 1) * (self.timing.dt if self.plan.continuous else 1.0))
        return data, coords


def evaluate_in_time(plan, params, items, timing, groups=(), ticks=False):
    """Run items through a network in time without learning.

    Parameters
    ----------
    items : SequenceArrays
    timing : Timing
    groups : sequence of str
        Groups whose activations to return: the answer (each event's
        activations at the end of its training duration: a longer test
        interval runs on only to measure settling), or every tick of the
        test interval with ``ticks``.

    Returns
    -------
    dict of str to ndarray
        ``error`` and ``correct`` (R, items, events; ``correct`` of the
        answer, False where the event has no target); ``settling_time``
        for continuous networks; each group in ``groups``:
        (R, items, events[, ticks], units).  Absent events are NaN, and so
        are the error and settling time of events without a target.
    """
    T = timing.ticks(test=True) if plan.continuous else 1
    read = timing.ticks() if plan.continuous else 1  # the tick of each event whose activations are the answer
    weights = _error_weights(plan, timing, T, test=True)
    R = next(iter(params.values())).shape[0]
    dtype = next(iter(params.values())).dtype
    N, E = items.present.shape
    out = {"error": np.empty((R, N, E)), "correct": np.zeros((R, N, E), bool)}
    if plan.continuous:
        out["settling_time"] = np.empty((R, N, E))
    for g in groups:
        out[g] = np.empty((R, N, E) + ((T,) if ticks else ()) + (plan.network.groups[g].size,), dtype)
    for s, e in _chunks(plan, N, E * T, params):
        part = items.part(s, e)
        hist = forward_in_time(plan, params, part.inputs, T, timing.dt if plan.continuous else 1.0)
        out["error"][:, s:e], _ = output_errors(plan, hist, part.targets, part.weights(weights, dtype),
                                                gradient=False)
        # Answers are read at the end of each event's training interval; a longer test interval
        # runs on only to measure settling.
        last = np.arange(E) * T + read
        # Right where every output group with a target at the event is within 0.5 of it.
        finals = {g: hist.acts[g][last].transpose(1, 2, 0, 3) for g, *_ in plan.outputs}
        wrong = np.zeros((R, e - s, E), bool)
        for g, o in finals.items():
            wrong |= ~within({g: o}, {g: part.targets[g][0]}) & part.given[g][None]
        out["correct"][:, s:e] = ~wrong & part.has_target[None]
        if plan.continuous:
            for ev in range(E):
                ticks_of = slice(ev * T, (ev + 1) * T + 1)
                out["settling_time"][:, s:e, ev] = settling_time(
                    [hist.acts[g][ticks_of] for g, *_ in plan.outputs], timing.dt, timing.settle, timing.settle_rule)
        for g in groups:
            if g in hist.acts:
                a = hist.acts[g][1:]
            else:  # an input group: its patterns, the same at every tick of an event
                a = np.broadcast_to(np.repeat(part.inputs[g].transpose(2, 0, 1, 3), T, axis=0),
                                    (E * T, R, e - s, part.inputs[g].shape[-1]))
            a = a.reshape(E, T, R, e - s, -1)
            out[g][:, s:e] = a.transpose(2, 3, 0, 1, 4) if ticks else a[:, read - 1].transpose(1, 2, 0, 3)
    for name in out:
        if name != "correct":
            out[name][:, ~(items.has_target if name in ("error", "settling_time") else items.present)] = np.nan
    return out


def evaluate_results(results, environment, groups=()):
    """Test the final weights of a network in time on ``environment``, as training ended.

    Returns
    -------
    xarray.Dataset
        ``error``, ``correct`` and (continuous networks) ``settling_time``,
        (replica, item[, event]), and the activations of ``groups`` at each
        event's last tick.
    """
    from .record import weights_from_dataset
    from .time import TimePlan

    network, weights = weights_from_dataset(results)
    dtype = next(iter(weights.values())).dtype
    out = evaluate_in_time(TimePlan(network), weights, sequence_arrays(environment, network, dtype),
                           timing_of(results, network), groups=groups)
    data = {name: _labelled(name, arr, network, environment.events > 1) for name, arr in out.items()}
    coords = {**item_coords(environment), **unit_coords(network, list(groups), environment),
              "replica": np.arange(out["error"].shape[0])}
    if "seed" in results.coords:
        coords["seed"] = ("replica", results["seed"].values)
    return xr.Dataset(data, coords=coords)


def _labelled(name, arr, network, sequences, ticks=False, epochs=False):
    """A variable of a test pass as (dims, array): the ``event`` axis dropped for items of one event."""
    dims = ["replica", *(["epoch"] if epochs else []), "item", "event"]
    if name in network.groups:
        dims += [*(["tick"] if ticks else []), f"{name}_unit"]
    if not sequences:
        arr = arr.take(0, axis=dims.index("event"))
        dims.remove("event")
    return tuple(dims), arr


def timing_of(ds, network):
    """The timing a results Dataset of a network in time ended its training with (the last scheduled dt)."""
    import json

    from .time import as_timing

    if "timing" not in ds.attrs:
        raise NetworkError("this Dataset does not say how its network's events unfold (no 'timing' attribute)")
    fields = json.loads(ds.attrs["timing"])
    if network.time == "continuous":
        fields["dt"] = float(ds.attrs.get("final_dt", fields["dt"]))
    else:
        fields = {"bptt": fields.get("bptt", "full")}
    return as_timing(fields, network)


def _error_weights(plan, timing, T, test=False):
    """Each tick's weight in its event's error: dt past the grace time (up to the training duration)."""
    if not plan.continuous:
        return np.ones(1)
    w = timing.error_weights(T)
    if test:
        w[timing.ticks():] = 0.0  # a longer test interval: error measured as in training
    return w


def _chunks(plan, n_items, ticks, params):
    """Item ranges whose unrolled activations fit :data:`UNROLL_BYTES` per replica (the same ranges
    for any number of replicas, so that each replica's sums are taken in the same order)."""
    units = sum(plan.network.groups[s.group].size for s in plan.steps)
    itemsize = next(iter(params.values())).dtype.itemsize
    per_item = max(1, 2 * (ticks + 1) * units * itemsize)
    size = max(1, UNROLL_BYTES // per_item)
    return [(s, min(s + size, n_items)) for s in range(0, n_items, size)]


def train_in_time(network, environment, *, epochs, optimizer="steepest", lr=None, momentum=None, decay=None,
                  optimizer_options=None, update="pattern", batch_size=None, order="permuted",
                  scale_by_frequency=False, rule="backprop", criterion=None, schedule=None, record=None, test=None,
                  replicas=None, seed=None, weights=None, dtype="float64", progress=False, record_limit_gb=None,
                  engine="auto", timing=None):
    """Train a network in time; see :func:`pdplab.train` for the arguments.

    ``timing`` (a :class:`~pdplab.core.time.Timing` or a dict of its fields)
    says how events unfold; ``update="event"`` updates the weights after
    every event of a sequence (Elman 1990; it needs ``bptt="none"``).
    ``schedule`` may change ``dt``.
    """
    started = clock.perf_counter()
    dtype = _dtype(dtype)
    epochs = _count(epochs, "epochs")
    timing = as_timing(timing, network)
    if update not in UPDATES_IN_TIME:
        raise NetworkError(f"update must be one of {', '.join(UPDATES_IN_TIME)}, not {update!r}")
    if update == "event" and (network.time != "discrete" or timing.bptt != "none"):
        raise NetworkError("update='event' (a weight change after every event, as Elman trained) applies to "
                           "discrete-time networks with timing bptt='none'")
    if update == "minibatch":
        batch_size = _count(batch_size, "batch_size", minimum=1)
    if order not in ("ordered", "permuted"):
        raise NetworkError(f"order must be 'ordered' or 'permuted' for a network in time, not {order!r}")
    for what, value, allowed in (("rule", rule, "backprop"), ("criterion", criterion, None),
                                 ("engine", engine, "auto")):
        if value != allowed and not (what == "engine" and value == "numpy"):
            raise NetworkError(f"{what}={value!r} is not available for networks in time")
    if isinstance(weights, xr.Dataset):
        raise NetworkError("weights: a network in time cannot continue a run; start from its weights with "
                           "pl.weights_from_dataset(ds)[1]")
    record = as_record(record, network)
    unavailable = [name for name, asked in (("net_input", record.net_input), ("delta", record.delta),
                                            ("accuracy correct_nearest", "correct_nearest" in record.accuracy))
                   if asked]
    if unavailable:
        raise NetworkError(f"record: {unavailable[0]} is not recorded for networks in time")
    recorded = environment if test is None else environment.with_test(test)
    check_names(record, recorded)
    plan = TimePlan(network)
    seeds = _seeds(0 if seed is None else seed, 1 if replicas is None else replicas)
    R = len(seeds)
    params = network.init_weights(seeds, dtype) if weights is None else _initial_weights(network, weights, R, dtype)
    trainable, lr_scales, decays = _trainable_keys(network)
    opt = make_optimizer(optimizer, lr=lr, momentum=momentum, decay=decay, **(optimizer_options or {}))
    opt.bind([params[k] for k in trainable], R, lr_scales=lr_scales, decays=decays)
    schedule, dts, resets = _time_schedule(schedule, opt, network, plan, timing)
    _check_size(record, network, recorded, timing, R, epochs, dtype, record_limit_gb)
    order_rngs = [replica_rng(s, STREAM_ORDER) for s in seeds]
    trainset = _Items(environment, network, dtype, scale_by_frequency)
    n_record = record.count_for(epochs)
    recorder = _TimeRecorder(plan, record, recorded, seeds, timing, dtype, n_record)
    record_epochs = set(record.epochs_for(epochs).tolist())
    train_error = np.full((R, epochs, len(recorded)), np.nan, dtype) if record.train_error else None
    positions = recorded.items.index.get_indexer(environment.labels)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=epochs, unit="epoch", desc="training")
    recorder.take(0, params, timing)
    initial_timing, initial_settings = timing, dict(opt.settings)
    for epoch in range(1, epochs + 1):
        if epoch in dts:
            timing = dts[epoch]
        if epoch in resets:
            opt.init_state()
        for key, value in schedule.get(epoch, {}).items():
            if key == "environment":
                trainset = _Items(value, network, dtype, scale_by_frequency)
                positions = recorded.items.index.get_indexer(value.labels)
            else:
                opt.set(**{key: value})
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is reported just below
            errors = _epoch(plan, params, opt, trainable, trainset, timing, update, batch_size, order, order_rngs)
        _check_finite(params, trainable, epoch, seeds)
        if train_error is not None:
            keep = positions >= 0
            train_error[:, epoch - 1][:, positions[keep]] = errors[:, keep]
        if epoch in record_epochs:
            recorder.take(epoch, params, timing)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    if epochs not in record_epochs:
        recorder.take(epochs, params, timing)
    data, coords = recorder.variables(recorded)
    if train_error is not None:
        data["train_error"] = (("replica", "train_epoch", "item"), train_error)
        coords["train_epoch"] = np.arange(1, epochs + 1)
    coords.update(replica=np.arange(R), seed=("replica", np.array(seeds)))
    for name in ("lr", "momentum", "decay"):
        if name in opt.settings:
            v = per_replica(opt.settings[name], R, name)
            coords[name] = ("replica", np.broadcast_to(v, (R,)).astype(float))
    if record.weights:
        more, their_coords = weight_variables(network, {k: np.array(v) for k, v in params.items()}, recorded)
        data.update(more)
        coords.update({k: v for k, v in their_coords.items() if k not in coords})
    ds = xr.Dataset(data, coords=coords)
    ds.attrs = provenance(
        network=network_attr(network),
        training=dict(epochs=epochs, start_epoch=0, optimizer=opt.name, optimizer_settings=initial_settings,
                      update=update, batch_size=batch_size, order=order, scale_by_frequency=scale_by_frequency,
                      rule=rule, dtype=np.dtype(dtype).name,
                      schedule={str(e): {k: getattr(v, "name", v) for k, v in ch.items()}
                                for e, ch in (schedule or {}).items()},
                      dt_schedule={str(e): t.dt for e, t in dts.items()}, resets=sorted(resets)),
        timing=asdict(initial_timing),
        final_dt=timing.dt,
        environment=environment.name,
        test_environment=recorded.name,
        seeds=[int(s) for s in seeds],
        engine="numpy",
        wall_time_s=round(clock.perf_counter() - started, 3),
    )
    return ds


def _time_schedule(schedule, opt, network, plan, timing):
    """The schedule's optimizer and environment changes (checked as :func:`pdplab.train` checks them), and
    its changes of ``dt`` (epoch → Timing) and restarts of the optimizer's state (``reset = true``)."""
    own = ("dt", "reset")
    if isinstance(schedule, dict):
        rest = {e: ({k: v for k, v in ch.items() if k not in own} if isinstance(ch, dict) else ch)
                for e, ch in schedule.items()}
    else:
        rest = schedule
    checked = _check_schedule(rest, opt, network)  # epochs and changes; the epochs are whole numbers from here
    dts, resets = {}, set()
    for epoch, changes in (schedule or {}).items():
        e = int(epoch)
        if "dt" in changes:
            if not plan.continuous:
                raise NetworkError(f"schedule: epoch {e}: dt applies to continuous networks")
            try:
                dts[e] = with_dt(timing, changes["dt"])
            except NetworkError as exc:
                raise NetworkError(f"schedule: epoch {e}: {exc}") from None
        if "reset" in changes:
            if changes["reset"] is not True:
                raise NetworkError(f"schedule: epoch {e}: reset must be true (start the optimizer's adapted "
                                   f"rates and momentum afresh), not {changes['reset']!r}")
            resets.add(e)
    return checked, dts, resets


def _trainable_keys(network):
    """The trained parameters, their learning-rate scales and whether weight decay applies to each."""
    scale = {p.key: p.lr_scale for p in network.projections}
    keys = [key for key, _, learn in network.parameter_specs() if learn]
    return keys, [scale.get(k, 1.0) for k in keys], [not k.endswith(".bias") for k in keys]


class _Items:
    """The training items as arrays, and the batches of an epoch."""

    def __init__(self, environment, network, dtype, scale_by_frequency):
        self.arrays = sequence_arrays(environment, network, dtype)
        if not self.arrays.has_target.any():
            raise DataError(f"{environment.name}: no event has a target")
        self.dtype = dtype
        self.freq = None
        if scale_by_frequency:
            if environment.frequency is None:
                raise DataError(f"{environment.name}: has no frequencies to scale by")
            self.freq = environment.frequency.astype(dtype)

    def __len__(self):
        return len(self.arrays)

    def batch(self, sel, tick_weights):
        """Inputs, targets, each output group's tick weights (R or 1, b, events, ticks) and each item's
        gradient scale (R or 1, b; None without frequency scaling) of the items ``sel`` (a slice, or one row
        of item indices per replica)."""
        a = self.arrays
        if isinstance(sel, slice):
            pick = (lambda x: x[:, sel]), (lambda x: x[sel][None])
        else:
            pick = (lambda x: x[0][sel]), (lambda x: x[sel])
        ins = {g: pick[0](x) for g, x in a.inputs.items()}
        tgs = {g: pick[0](x) for g, x in a.targets.items()}
        w = {g: (pick[1](x)[..., None] * tick_weights).astype(self.dtype) for g, x in a.given.items()}
        return ins, tgs, w, None if self.freq is None else pick[1](self.freq)


def _epoch(plan, params, opt, trainable, items, timing, update, batch_size, order, rngs):
    """One epoch of training; the error of each item as met, (R, items), in item order (NaN for items
    with no target)."""
    R, N = len(rngs), len(items)
    size = {"event": 1, "pattern": 1, "minibatch": batch_size, "batch": N}[update]
    # A whole permuted epoch in one update is the ordered batch: no order to draw.
    idx = None if order == "ordered" or size >= N else np.stack([rng.permutation(N) for rng in rngs])
    if update == "event":
        errors = _event_epoch(plan, params, opt, trainable, items, idx, R)
    else:
        T = timing.ticks() if plan.continuous else 1
        dt = timing.dt if plan.continuous else 1.0
        tick_weights = _error_weights(plan, timing, T)
        errors = np.empty((R, N))
        keys = set(trainable)
        for s in range(0, N, size):
            e = min(s + size, N)
            sel = slice(s, e) if idx is None else idx[:, s:e]
            ins, tgs, w, scale = items.batch(sel, tick_weights)
            grads, err = _gradient(plan, params, ins, tgs, w, scale, T, dt, timing.bptt, keys)
            opt.step([grads[k] for k in trainable])
            if idx is None:
                errors[:, s:e] = err
            else:
                np.put_along_axis(errors, idx[:, s:e], err, axis=1)
    errors[:, ~items.arrays.has_target.any(axis=1)] = np.nan
    return errors


def _gradient(plan, params, inputs, targets, weights, scale, T, dt, bptt, keys):
    """``∂E/∂p`` summed over a batch of items (taken in parts that fit memory) and each item's error."""
    b = next(iter(weights.values())).shape[1]
    E = next(iter(weights.values())).shape[2]
    total, errors = None, []
    for s, e in _chunks(plan, b, E * T, params):
        ins = {g: a[:, s:e] for g, a in inputs.items()}
        tgs = {g: a[:, s:e] for g, a in targets.items()}
        hist = forward_in_time(plan, params, ins, T, dt)
        err, out_grads = output_errors(plan, hist, tgs, {g: w[:, s:e] for g, w in weights.items()},
                                       scale=None if scale is None else scale[:, s:e])
        grads = backward_in_time(plan, params, hist, ins, out_grads, bptt, keys)
        if total is None:
            total = grads
        else:
            for k in total:
                total[k] += grads[k]
        errors.append(err.sum(axis=2))
    return total, np.concatenate(errors, axis=1)


def _event_epoch(plan, params, opt, trainable, items, order, R):
    """Elman's training: each replica reads the events of its items, in its order, as one stream (the
    context groups starting afresh at each item), the weights changed after every event.  Every replica
    reads as many events, so that the replicas keep in step; returns each item's error (R, items)."""
    a = items.arrays
    lengths = a.present.sum(axis=1)
    rows = np.broadcast_to(np.arange(len(items)), (R, len(items))) if order is None else order
    item_of = np.stack([np.repeat(row, lengths[row]) for row in rows])
    event_of = np.stack([np.concatenate([np.arange(lengths[i]) for i in row]) for row in rows])
    keys = set(trainable)
    errors = np.zeros((R, len(items)))
    replicas = np.arange(R)
    state = None
    for t in range(item_of.shape[1]):
        it, ev = item_of[:, t], event_of[:, t]
        ins = {g: x[0][it, ev][:, None, None, :] for g, x in a.inputs.items()}
        tgs = {g: x[0][it, ev][:, None, None, :] for g, x in a.targets.items()}
        w = {g: x[it, ev].astype(items.dtype)[:, None, None, None] for g, x in a.given.items()}
        scale = None if items.freq is None else items.freq[it][:, None]
        hist = forward_in_time(plan, params, ins, 1, 1.0, state, fresh=None if state is None else ev == 0)
        err, out_grads = output_errors(plan, hist, tgs, w, scale=scale)
        np.add.at(errors, (replicas, it), err[:, 0, 0])
        grads = backward_in_time(plan, params, hist, ins, out_grads, "none", keys)
        opt.step([grads[k] for k in trainable])
        state = hist.final_state()
    return errors


def _check_size(record, network, recorded, timing, replicas, epochs, dtype, limit_gb):
    """Refuse, before training, records that would take more than ``limit_gb``."""
    if limit_gb is None:
        return
    events = recorded.events
    ticks = (timing.ticks(test=True) if network.time == "continuous" else 1) if record.ticks else 1
    values = 3 + sum(network.groups[g].size for g in record.groups) * ticks
    itemsize = np.dtype(dtype).itemsize
    size = record.count_for(epochs) * replicas * len(recorded) * events * values * itemsize / 1e9
    size += epochs * replicas * len(recorded) * itemsize / 1e9 if record.train_error else 0.0
    if size > limit_gb:
        raise NetworkError(f"record: the records would take {size:.3g} GB, more than {limit_gb:g} GB; record fewer "
                           f"groups, epochs or ticks, or lift the limit (record_limit_gb=None; --force)")
