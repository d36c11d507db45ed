"""The training loop.

:func:`train` trains R replicas of a network at once: every parameter has a
leading replica axis.  Two loops train them: on the numpy path each step is one
numpy call per operation for all replicas (:func:`_numpy_epochs`); on the
compiled path a kernel runs many epochs per call (:func:`_compiled_epochs`,
:mod:`pdplab.core.kernels`).  Replica ``r`` draws its initial weights, its
pattern order and its feedback matrices from its own seed alone, so it gives
the same numbers whether it trains alone or beside others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import xarray as xr

from ..exceptions import DataError, DivergenceError, NetworkError
from . import RECORD_LIMIT_GB
from .compiled import CompiledRun, choose_engine
from .network import STREAM_ORDER, _positive, replica_rng
from .optim import make_optimizer, per_replica
from .propagate import (
    Plan,
    ones_name,
    Workspace,
    backward,
    forward,
    output_gradients,
    parameter_gradients,
)
from .record import Recorder, TrainingErrors, as_record, check_names, network_attr, provenance, weight_variables
from .accuracy import candidates
from .rules import feedback_matrices
from .state import STATE_ATTR, check_same_run, restore, saved_state, state_variables

__all__ = ["train", "UPDATES", "ORDERS"]

UPDATES = ("pattern", "minibatch", "batch")
ORDERS = ("ordered", "permuted", "probabilistic")


def train(
    network,
    environment,
    *,
    epochs,
    optimizer="steepest",
    lr=None,
    momentum=None,
    decay=None,
    optimizer_options=None,
    update="pattern",
    batch_size=None,
    order="permuted",
    scale_by_frequency=False,
    rule="backprop",
    criterion=None,
    schedule=None,
    record=None,
    test=None,
    replicas=None,
    seed=None,
    weights=None,
    dtype="float64",
    progress=False,
    record_limit_gb=RECORD_LIMIT_GB,
    engine="auto",
    timing=None,
):
    """Train ``replicas`` copies of ``network`` on ``environment``.

    Parameters
    ----------
    network : Network
    environment : Environment
        The training items.
    epochs : int
        Number of passes through the training items (at most, with ``criterion``).
    optimizer : str or Optimizer
        ``steepest``, ``momentum``, ``dougs_momentum`` (Lens), ``delta_bar_delta`` (Jacobs 1988),
        ``lens_delta_bar_delta`` (Lens's form: a gain per connection multiplying ``lr``) or ``adam``.
    lr, momentum, decay : float or sequence of float, optional
        Learning rate η, momentum α and weight decay λ; a sequence gives one
        value per replica.  Unset values keep the optimizer's defaults.
    optimizer_options : dict, optional
        Further optimizer settings (e.g. ``increment`` for delta-bar-delta).
    update : {"pattern", "minibatch", "batch"}
        Update the weights after every pattern, every ``batch_size`` patterns,
        or once per epoch.
    order : {"ordered", "permuted", "probabilistic"}
        Present items in table order, in a new random order each epoch, or
        drawn with replacement in proportion to their frequency (Lens's
        PROBABILISTIC).
    scale_by_frequency : bool
        Multiply each item's error gradient by its frequency (Plaut et al. 1996).
    rule : {"backprop", "feedback_alignment"}
        How deltas flow back (see :mod:`pdplab.core.rules`).
    criterion : float, optional
        A replica stops learning once every output of every training item is
        within ``criterion`` of its target; training ends when all have.
    schedule : dict of int to dict, optional
        ``{epoch: {setting: value}}``: from that epoch on, change optimizer
        settings (``lr``, ``momentum`` …) or replace the training items
        (``environment``).
    record : Record, dict, list of str or None
        What to record (see :class:`pdplab.Record`); a list names groups
        whose activations to record.  The error is always recorded.
    test : Environment, optional
        Held-out items, recorded after the training items; the records'
        ``set`` coordinate says which items are ``train`` and which ``test``
        (a test item labelled like a training item is that item).
    replicas : int, optional
        Number of networks trained together (default 1).
    seed : int or sequence of int, optional
        Replica ``r`` uses seed ``seed + r`` (default 0); a sequence gives
        each replica's seed (and sets ``replicas``).  Replicas may share a
        seed, e.g. to start several learning rates from the same weights.
    weights : dict or xarray.Dataset, optional
        Start from these parameters instead of random ones.  A results
        Dataset from :func:`train` continues that run exactly: its epochs
        go on from where it stopped (``epochs`` more of them), with its
        optimizer state, order of items, stopped replicas and seeds (see
        :mod:`pdplab.core.state`).  To start afresh from its weights alone,
        pass ``pl.weights_from_dataset(ds)[1]``.
    dtype : {"float64", "float32"}
    progress : bool
        Show a progress bar.
    record_limit_gb : float or None
        Refuse, before training, a run whose records would take more memory
        than this (None: no limit).
    engine : {"auto", "compiled", "numpy"}
        The compiled kernel (:mod:`pdplab.core.kernels`) or the numpy passes;
        ``auto`` takes the compiled path for updates of at most 64 patterns
        (see :func:`pdplab.core.compiled.choose_engine`).  Both give the same
        numbers to within rounding.
    timing : Timing or dict, optional
        For a network in time (``Network(time=...)``): how long events last,
        the tick length ``dt`` (which ``schedule`` may change), the grace time
        and the test interval (see :class:`pdplab.core.time.Timing` and
        :func:`pdplab.core.train_time.train_in_time`, which trains it).

    Returns
    -------
    xarray.Dataset
        See :mod:`pdplab.core.record`.

    Raises
    ------
    DivergenceError
        When a weight or error becomes NaN or infinite; the message names the
        epoch, replicas and seeds.
    """
    if getattr(network, "time", None) is not None:
        from .train_time import train_in_time

        return train_in_time(
            network, environment, epochs=epochs, optimizer=optimizer, lr=lr, momentum=momentum, decay=decay,
            optimizer_options=optimizer_options, update=update, batch_size=batch_size, order=order,
            scale_by_frequency=scale_by_frequency, rule=rule, criterion=criterion, schedule=schedule, record=record,
            test=test, replicas=replicas, seed=seed, weights=weights, dtype=dtype, progress=progress,
            record_limit_gb=record_limit_gb, engine=engine, timing=timing)
    if timing is not None:
        raise NetworkError("timing applies to networks in time (Network(time='discrete' or 'continuous'))")
    started = time.perf_counter()
    dtype = _dtype(dtype)
    epochs = _count(epochs, "epochs")
    if update not in UPDATES:
        raise NetworkError(f"update must be one of {', '.join(UPDATES)}, not {update!r}")
    if order not in ORDERS:
        raise NetworkError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    if update == "minibatch":
        batch_size = _count(batch_size, "batch_size", minimum=1)
    if criterion is not None:
        criterion = _positive(criterion, "criterion", allow_zero=True)
    if optimizer_options is not None and not isinstance(optimizer_options, dict):
        raise NetworkError(f"optimizer_options must be a dict of settings, not {optimizer_options!r:.60}")
    if record_limit_gb is not None:
        record_limit_gb = _positive(record_limit_gb, "record_limit_gb", allow_zero=True)
    record = as_record(record, network)
    for what, env in (("the training items", environment), ("test", test)):
        if env is not None and not callable(getattr(env, "arrays", None)):
            raise NetworkError(f"{what} must be an Environment, not {env!r:.60}")
    environment.arrays(network)
    if test is not None:
        test.arrays(network)  # fits the network, before it joins the training items
    recorded = environment if test is None else environment.with_test(test)
    resumed = saved_state(weights) if isinstance(weights, xr.Dataset) else None
    start = 0 if resumed is None else int(resumed["epoch"])
    # Before the seeds, weights or records are built: a run too big to record is refused at once.
    _check_record_size(record, network, start + epochs, _replica_count(seed, replicas, weights, resumed),
                       len(recorded), dtype, record_limit_gb, start)
    if resumed is not None:
        seeds = _continued_seeds(weights, seed, replicas, resumed)
    else:
        seeds = _seeds(0 if seed is None else seed, 1 if replicas is None else replicas)
    R = len(seeds)

    if weights is None:
        params = network.init_weights(seeds, dtype=dtype)
    else:
        params = _initial_weights(network, weights, R, dtype)
    plan = Plan(network)  # records and the stopping criterion
    fast = Plan(network, fuse_biases=True)  # training steps
    params = fast.fuse(params)
    trainable, lr_scales, decays = _trainable(network, fast, params)
    opt = make_optimizer(optimizer, lr=lr, momentum=momentum, decay=decay, **(optimizer_options or {}))
    opt.bind([params[k] for k in trainable], R, lr_scales=lr_scales, decays=decays)
    schedule = _check_schedule(schedule, opt, network)
    _mark_scheduled_items(recorded, schedule)
    feedback = feedback_matrices(network, params, rule, seeds)
    order_rngs = [replica_rng(s, STREAM_ORDER) for s in seeds]
    trainset = _TrainingSet(environment, network, fast, dtype, scale_by_frequency, order)
    settings = _settings(opt, update, batch_size, order, scale_by_frequency, rule, criterion, dtype, schedule)
    stopped_at = np.full(R, np.nan)
    if resumed is not None:
        check_same_run(weights, network_attr(network), settings, environment)
        # What the schedule had changed by then, then the state on top (it holds, e.g., rates already adapted).
        for e in sorted(e for e in schedule if e <= start):
            trainset = _apply_schedule(schedule[e], opt, trainset, network, fast, dtype, scale_by_frequency, order)
        stopped_at = restore(weights, resumed, opt, trainable, params, order_rngs)
    engine = choose_engine(engine, opt, update, batch_size, len(trainset))
    compiled = None
    if engine == "compiled":
        compiled = CompiledRun(network, fast, params, trainable, opt, feedback, rule)
        params = compiled.params
        if rule == "backprop":
            feedback = feedback_matrices(network, params, rule, seeds)

    test = recorded
    check_names(record, test)
    test_in, test_tg = test.arrays(network, dtype)
    end = start + epochs
    record_epochs = record.epochs_for(end, start)
    recorder = Recorder(plan, network, record, seeds, len(record_epochs), len(test), dtype,
                        candidates(environment.targets, network.outputs))
    trainset.locate(test)
    run = _Run(
        network=network, plan=plan, fast=fast, opt=opt, params=params, trainable=trainable, feedback=feedback,
        trainset=trainset, schedule=schedule, order_rngs=order_rngs, update=update, batch_size=batch_size,
        order=order, scale_by_frequency=scale_by_frequency, dtype=dtype, criterion=criterion, seeds=seeds,
        stopped_at=stopped_at, done=np.isfinite(stopped_at), recorder=recorder,
        record_epochs=set(record_epochs.tolist()),
        train_errors=TrainingErrors(plan, R, epochs, len(test), start, dtype) if record.train_error else None,
        test=test, test_in=test_in, test_tg=test_tg, bar=_progress(epochs, progress),
    )
    opt.freeze(run.done)
    recorder.take(start, params, feedback, test_in, test_tg)
    last = _compiled_epochs(run, compiled, start, end) if compiled else _numpy_epochs(run, start, end)
    if run.bar is not None:
        run.bar.close()
    if last not in recorder.epochs:
        recorder.take(last, params, feedback, test_in, test_tg)
    train_errors = run.train_errors

    data, coords = recorder.variables(test)
    if train_errors is not None:
        more, their_coords = train_errors.variables()
        data.update(more)
        coords.update(their_coords)
    coords.update(replica=np.arange(R), seed=("replica", np.array(seeds)))
    for name in ("lr", "momentum", "decay"):
        if name in opt.settings:
            v = per_replica(opt.settings[name], R, name)
            coords[name] = ("replica", np.broadcast_to(v, (R,)).astype(float))
    if criterion is not None:
        data["stopped_at"] = ("replica", stopped_at)
    state_attr = {}
    if record.weights:
        more, unit_coords = weight_variables(network, {k: np.array(v) for k, v in params.items()}, test)
        data.update(more)
        coords.update({k: v for k, v in unit_coords.items() if k not in coords})
        variables, state_attr[STATE_ATTR] = state_variables(opt, trainable, params, order_rngs, last, stopped_at,
                                                            seeds, environment)
        data.update(variables)
    ds = xr.Dataset(data, coords=coords)
    ds.attrs = provenance(
        network=network_attr(network),
        training=dict(epochs=epochs, start_epoch=start, **settings),
        environment=environment.name,
        test_environment=test.name,
        seeds=[int(s) for s in seeds],
        engine=engine,
        wall_time_s=round(time.perf_counter() - started, 3),
        **state_attr,
    )
    return ds


@dataclass
class _Run:
    """What the epoch loops share: the network, its parameters and optimizer, the items, the records."""

    network: object
    plan: Plan
    fast: Plan
    opt: object
    params: dict
    trainable: list
    feedback: dict
    trainset: object
    schedule: dict
    order_rngs: list
    update: str
    batch_size: int | None
    order: str
    scale_by_frequency: bool
    dtype: object
    criterion: float | None
    seeds: list
    stopped_at: np.ndarray
    done: np.ndarray
    recorder: Recorder
    record_epochs: set
    train_errors: TrainingErrors | None
    test: object
    test_in: dict
    test_tg: dict
    bar: object

    def apply_schedule(self, epoch):
        if epoch in self.schedule:
            self.trainset = _apply_schedule(self.schedule[epoch], self.opt, self.trainset, self.network, self.fast,
                                            self.dtype, self.scale_by_frequency, self.order)
            self.trainset.locate(self.test)

    def batch(self):
        """Patterns per update."""
        return {"pattern": 1, "minibatch": self.batch_size, "batch": len(self.trainset)}[self.update]

    def record(self, epoch):
        if epoch in self.record_epochs:
            self.recorder.take(epoch, self.params, self.feedback, self.test_in, self.test_tg)


def _numpy_epochs(run, start, end):
    """Train epochs ``start + 1 … end`` with the numpy passes; return the last epoch trained."""
    params, fast, opt, R = run.params, run.fast, run.opt, len(run.seeds)
    trainable_set = set(run.trainable)
    grad_buffers = {k: np.empty_like(params[k]) for k in run.trainable}
    workspaces = {}
    last = start
    for epoch in range(start + 1, end + 1):
        if run.done.all():
            break
        run.apply_schedule(epoch)
        scaled = _can_scale_deltas(opt, run.network)  # a scheduled decay or rate may change it
        trainset = run.trainset
        offset = 0
        for inputs, targets, weights_s in trainset.batches(run.batch(), run.order_rngs):
            b = next(iter(targets.values())).shape[1]
            ws = workspaces.get(b) or workspaces.setdefault(b, Workspace(fast, R, b, run.dtype))
            nets, acts = forward(fast, params, inputs, ws)
            if run.train_errors is not None:
                run.train_errors.keep(acts, offset, len(trainset))
                offset += b
            grads_out = output_gradients(fast, nets, acts, targets, weights_s, ws)
            if scaled:
                # Deltas are linear in the output deltas, so multiplying those
                # by −η makes every gradient a ready-made steepest-descent step.
                for g in grads_out.values():
                    g *= opt.neg_lr[0]
            d = backward(fast, run.feedback, nets, acts, grads_out, ws)
            grads = parameter_gradients(fast, acts, d, trainable_set, out=grad_buffers)
            opt.step([grads[k] for k in run.trainable], scaled=scaled)
        _check_finite(params, run.trainable, epoch, run.seeds)
        if run.train_errors is not None:
            run.train_errors.end_epoch(epoch, trainset)
        if run.criterion is not None:
            newly = trainset.within(run.plan, params, run.criterion) & ~run.done
            run.stopped_at[newly] = epoch
            run.done |= newly
            opt.freeze(run.done)
        last = epoch
        if run.bar is not None:
            run.bar.update(1)
        run.record(epoch)
    return last


def _compiled_epochs(run, compiled, start, end):
    """Train epochs ``start + 1 … end`` with the compiled kernel, many epochs per call, up to each
    recorded epoch and each scheduled change; return the last epoch trained."""
    last = start
    stops = sorted(run.record_epochs | {e - 1 for e in run.schedule} | {end})
    while last < end and not run.done.all():
        first = last + 1
        run.apply_schedule(first)
        trainset, batch = run.trainset, run.batch()
        count = next(e for e in stops if e >= first) - first + 1
        count = min(count, compiled.chunk(len(trainset)))
        if run.bar is not None:
            count = min(count, max(1, (end - start) // 100))
        steps_before = getattr(run.opt, "t", 0)
        loading = run.bar is not None and not compiled.kernels.train_epochs.signatures
        if loading:  # the first call in a process compiles the kernel, or reads it from numba's cache
            run.bar.set_description("training (the kernel loads or compiles on first use)")
        errors, orders, diverged = compiled.epochs(first, count, trainset, batch, run.order_rngs, run.criterion,
                                                   run.stopped_at, steps_before)
        if loading:
            run.bar.set_description("training")
        if hasattr(run.opt, "t"):
            run.opt.t = steps_before + count * -(-errors.shape[2] // batch)
        if np.isfinite(diverged).any():
            _diverged(np.nan_to_num(diverged, nan=np.inf), run.seeds)
        run.done |= np.isfinite(run.stopped_at)
        trained = count if not run.done.all() else int(np.nanmax(run.stopped_at)) - first + 1
        if run.train_errors is not None:
            run.train_errors.file(first, errors[:, :trained], None if orders is None else orders[:, :trained],
                                  trainset)
        last = first + trained - 1
        if run.bar is not None:
            run.bar.update(trained)
        run.record(last)
    return last


def _settings(opt, update, batch_size, order, scale_by_frequency, rule, criterion, dtype, schedule):
    """The training settings as given (before any scheduled change), as stored with the results and
    compared when a run continues."""
    return dict(
        optimizer=opt.name, optimizer_settings=dict(opt.settings), update=update, batch_size=batch_size, order=order,
        scale_by_frequency=scale_by_frequency, rule=rule, criterion=criterion, dtype=np.dtype(dtype).name,
        schedule={str(k): {s: (getattr(v, "name", v)) for s, v in ch.items()} for k, ch in schedule.items()},
    )


def _replica_count(seed, replicas, weights, resumed):
    if resumed is not None and "seed" in weights.coords:
        return weights.sizes["replica"]
    return len(seed) if np.ndim(seed) else _count(1 if replicas is None else replicas, "replicas", minimum=1)


def _mark_scheduled_items(recorded, schedule):
    """Items that a scheduled environment trains are training items (``set``), not test items."""
    scheduled = [ch["environment"].labels for ch in schedule.values() if "environment" in ch]
    if scheduled and "set" in recorded.items.columns:
        trained = recorded.items.index.isin(scheduled[0].append(scheduled[1:]))
        recorded.items.loc[trained, "set"] = "train"


def _apply_schedule(changes, opt, trainset, network, plan, dtype, scale_by_frequency, order):
    """Apply one epoch's scheduled changes; return the training set in effect."""
    for key, value in changes.items():
        if key == "environment":
            trainset = _TrainingSet(value, network, plan, dtype, scale_by_frequency, order)
        else:
            opt.set(**{key: value})
    return trainset


def _continued_seeds(ds, seed, replicas, state):
    """The seeds of the run ``ds`` continues (``seed`` and ``replicas``, if
    given, must agree); its replicas must be the run's, in the run's order."""
    if "seed" not in ds.coords:
        raise NetworkError("weights: the Dataset to continue has no seeds")
    seeds = [int(s) for s in ds["seed"].values]
    if seeds != state.get("seeds", seeds):
        raise NetworkError("weights: the Dataset's replicas are not those of the run it continues (reordered, or "
                           "a selection); continue the whole run, or start afresh from its weights alone")
    if replicas not in (None, len(seeds)):
        raise NetworkError(f"replicas: the run to continue has {len(seeds)} replicas, not {replicas}")
    if seed is not None:
        asked = list(range(int(seed), int(seed) + len(seeds))) if np.ndim(seed) == 0 else [int(s) for s in seed]
        if asked != seeds:
            raise NetworkError(f"seed: the run to continue has seeds {seeds[:5]}{'…' if len(seeds) > 5 else ''}; "
                               f"leave seed out to continue it")
    return seeds


class _TrainingSet:
    """The training items as arrays, and the batches of one epoch."""

    def __init__(self, environment, network, plan, dtype, scale_by_frequency, order):
        self.plain_inputs, self.targets = environment.arrays(network, dtype)
        # Inputs read by fused projections are kept only with their column of ones.
        self.augmented = [(g, ones_name(g)) for g in plan.augmented & set(self.plain_inputs)]
        self.inputs = {
            g: a for g, a in plan.augment(self.plain_inputs).items() if g not in plan.augmented
        }
        self.order = order
        self.n = len(environment)
        freq = environment.frequency
        if (scale_by_frequency or order == "probabilistic") and freq is None:
            raise DataError(f"{environment.name}: has no frequencies to sample or scale by")
        self.weights = freq.astype(dtype)[None, :, None] if scale_by_frequency else None
        self.p = freq / freq.sum() if order == "probabilistic" else None
        self.labels = environment.items.index
        #: The order the last epoch presented the items in, (replicas, items), or None for table order.
        self.presented = None
        self.positions = None
        self._whole_inputs = None

    def locate(self, recorded):
        """Find each training item among the recorded items (−1 where it is not recorded)."""
        self.positions = recorded.items.index.get_indexer(self.labels)

    def __len__(self):
        return self.n

    def _epoch_order(self, rngs):
        if self.order == "ordered":
            return None
        if self.order == "permuted":
            return np.stack([rng.permutation(self.n) for rng in rngs])
        return np.stack([rng.choice(self.n, size=self.n, p=self.p) for rng in rngs])

    def orders(self, epochs, size, rngs):
        """The items each replica presents in each of the next ``epochs`` epochs, (replicas, epochs,
        presentations), drawn as :meth:`batches` draws them; None for table order."""
        if self.order == "ordered" or (size >= self.n and self.order == "permuted"):
            return None
        out = np.empty((len(rngs), epochs, self.n), dtype=np.int64)
        for e in range(epochs):
            out[:, e] = self._epoch_order(rngs)
        return out

    def batches(self, size, rngs):
        """Yield (inputs, targets, pattern weights) for each update of one epoch."""
        # A whole permuted epoch in one update is the ordered batch: no order to draw.
        whole = size >= self.n and self.order == "permuted"
        idx = None if whole else self._epoch_order(rngs)
        self.presented = idx
        if idx is None and size >= self.n:
            yield self._whole(), self.targets, self.weights
            return
        if idx is None:
            ins, tgs, ws = self.inputs, self.targets, self.weights
        else:
            ins = {g: a[0][idx] for g, a in self.inputs.items()}
            tgs = {g: a[0][idx] for g, a in self.targets.items()}
            ws = None if self.weights is None else self.weights[0][idx]
        for s in range(0, self.n, size):
            e = s + size
            step_inputs = {g: a[:, s:e] for g, a in ins.items()}
            for g, with_ones in self.augmented:
                step_inputs[g] = step_inputs[with_ones][..., :-1]
            yield (
                step_inputs,
                {g: a[:, s:e] for g, a in tgs.items()},
                None if ws is None else ws[:, s:e],
            )

    def _whole(self):
        """The inputs of an update over the whole training set, sparse where they are
        (:mod:`pdplab.core.sparse`), made once."""
        if self._whole_inputs is None:
            from .sparse import sparse_or_none

            whole = {}
            for g, a in self.inputs.items():
                sparse = sparse_or_none(a)
                whole[g] = a if sparse is None else sparse
            for g, with_ones in self.augmented:
                whole[g] = self.plain_inputs[g]
            self._whole_inputs = whole
        return self._whole_inputs

    def within(self, plan, params, criterion):
        """Replicas whose every output is within ``criterion`` of its target."""
        _, acts = forward(plan, params, self.plain_inputs)
        ok = None
        for out in plan.outputs:
            diff = np.abs(acts[out.group] - self.targets[out.group])
            this = (diff < criterion).reshape(diff.shape[0], -1).all(axis=1)
            ok = this if ok is None else ok & this
        return ok


def _trainable(network, plan, params):
    """The parameters the optimizer updates (fused where the plan fuses them),
    with their learning-rate scales and weight-decay masks."""
    specs = {key: learn for key, _, learn in network.parameter_specs()}
    scale = {p.key: p.lr_scale for p in network.projections}
    fused_parts = {k for pair in plan.fused.values() for k in pair}
    keys, lr_scales, decays = [], [], []
    for key, (wkey, _) in plan.fused.items():
        if specs[wkey]:
            keys.append(key)
            lr_scales.append(1.0)
            mask = np.ones((1, params[key].shape[1], 1), params[key].dtype)
            mask[:, -1] = 0.0  # no decay on the bias row
            decays.append(mask)
    for key, learn in specs.items():
        if learn and key not in fused_parts:
            keys.append(key)
            lr_scales.append(scale.get(key, 1.0))
            decays.append(not key.endswith(".bias"))
    return keys, lr_scales, decays


def _can_scale_deltas(opt, network):
    """Whether every trainable parameter shares one learning rate and no decay,
    so that deltas can be scaled by −η before the gradients are formed."""
    if not opt.takes_scaled or any(opt.use_decay) or not opt.params:
        return False
    if any(p.lr_scale != 1.0 for p in network.projections):
        return False
    return all(p.ndim == 3 for p in opt.params[:1])


#: Seeds are stored as int64 coordinates.
MAX_SEED = 2 ** 63 - 1


def _seeds(seed, replicas):
    if np.ndim(seed) == 0:
        replicas = _count(replicas, "replicas", minimum=1)
        base = _count(seed, "seed")
        seeds = [base + r for r in range(replicas)]
    else:
        seeds = [_count(s, "seed") for s in seed]
        if not seeds:
            raise NetworkError("seed: an empty list of seeds")
    if max(seeds) > MAX_SEED:
        raise NetworkError(f"seed: {max(seeds)} is too large; seeds must be below 2**63")
    return seeds


def _count(value, what, minimum=0):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise NetworkError(f"{what} must be an integer ≥ {minimum}, not {value!r}")
    return int(value)


def record_size_gb(network, environment, *, epochs, replicas, record=None, test=None, dtype="float64", **_):
    """The memory the records of a run would take, in GB (and about the size of its
    results file, which is not compressed); other training settings are ignored."""
    recorded = environment if test is None else environment.with_test(test)
    sizes = _record_sizes(as_record(record, network), network, epochs, replicas, len(recorded), _dtype(dtype))
    return sizes[0] + sizes[1]


def check_record_size(network, environment, *, epochs, replicas, record=None, test=None, dtype="float64",
                      limit_gb=RECORD_LIMIT_GB):
    """Refuse, as :func:`train` would before it starts, a run whose records would take more than
    ``limit_gb`` (raises :class:`~pdplab.NetworkError`)."""
    recorded = environment if test is None else environment.with_test(test)
    _check_record_size(as_record(record, network), network, epochs, replicas, len(recorded), _dtype(dtype),
                       limit_gb)


def _record_sizes(record, network, epochs, replicas, items, dtype, start=0):
    """GB of the recorded epochs and of ``train_error``, the recorded epochs' count and values per item."""
    values = 1 + sum(network.groups[g].size * (1 + record.net_input + record.delta) for g in record.groups)
    count = record.count_for(epochs, start)
    itemsize = np.dtype(dtype).itemsize
    per_item = values * itemsize + len(record.accuracy)  # accuracy: a byte per rule
    size = count * replicas * items * per_item / 1e9
    every_epoch = (epochs - start) * replicas * items * itemsize / 1e9 if record.train_error else 0.0
    return size, every_epoch, count, values


def _check_record_size(record, network, epochs, replicas, items, dtype, limit_gb, start=0):
    """Refuse a recording that would not fit in ``limit_gb`` before any of it is built."""
    if limit_gb is None:
        return
    size, every_epoch, count, values = _record_sizes(record, network, epochs, replicas, items, dtype, start)
    if size + every_epoch > limit_gb:
        also = f" and {every_epoch:.3g} GB of train_error (every epoch)" if every_epoch else ""
        raise NetworkError(
            f"record: the records would take {size:.3g} GB ({count} epochs × {replicas} "
            f"replicas × {items} items × {values} values){also}, more than {limit_gb:g} GB; record less often "
            f"(every, log_points), fewer groups or no train_error, or lift the limit (record_limit_gb=None; --force)")


def _dtype(dtype):
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise NetworkError(f"dtype must be float32 or float64, not {dtype!r}") from None
    if dt not in (np.float32, np.float64):
        raise NetworkError(f"dtype must be float32 or float64, not {dtype!r}")
    return dt


def _check_schedule(schedule, opt, network):
    """Validate every scheduled change before training starts."""
    from ..environment import Environment

    out = {}
    if schedule is not None and not isinstance(schedule, dict):
        raise NetworkError(f"schedule must map epochs to settings, not {schedule!r:.60}")
    for epoch, changes in (schedule or {}).items():
        try:
            e = int(epoch)
        except (TypeError, ValueError):
            raise NetworkError(f"schedule: epoch {epoch!r} is not an integer") from None
        if e != epoch and not (isinstance(epoch, str) and epoch.strip().isdigit()):
            raise NetworkError(f"schedule: epoch {epoch!r} is not an integer")
        if e < 1 or not isinstance(changes, dict):
            raise NetworkError(f"schedule: entry {epoch!r} must map an epoch ≥ 1 to settings")
        for key, value in changes.items():
            if key == "environment":
                if not isinstance(value, Environment):
                    raise NetworkError(f"schedule: epoch {e}: environment must be an Environment")
                value.arrays(network)  # fails now, not mid-run, if it does not fit
            elif key not in opt.defaults:
                raise NetworkError(
                    f"schedule: epoch {e}: optimizer {opt.name!r} has no setting {key!r}; "
                    f"it takes {', '.join(opt.defaults)} (or environment)"
                )
            else:
                per_replica(value, opt.replicas, f"schedule: epoch {e}: {key}")
                try:
                    opt.check_settings({key: value})
                except NetworkError as exc:
                    raise NetworkError(f"schedule: epoch {e}: {exc}") from None
        out[e] = changes
    return out


def _initial_weights(network, weights, replicas, dtype):
    if isinstance(weights, xr.Dataset):
        from .record import weights_from_dataset

        _, weights = weights_from_dataset(weights, network)
    n = network.check_weights(weights)
    if n != replicas:
        raise NetworkError(f"weights: {n} replicas given, but training {replicas}")
    return {k: np.array(weights[k], dtype=dtype) for k, _, _ in network.parameter_specs()}


def _check_finite(params, keys, epoch, seeds):
    R = len(seeds)
    total = np.zeros(R)
    for k in keys:
        total += params[k].reshape(R, -1).sum(axis=1)
    if np.isfinite(total).all():
        return
    bad = [r for r in range(R) if not all(np.isfinite(params[k][r]).all() for k in keys)]
    at = np.full(R, np.inf)
    at[bad or list(np.flatnonzero(~np.isfinite(total)))] = epoch
    _diverged(at, seeds)


def _diverged(at, seeds):
    """Raise :class:`DivergenceError` for the replicas whose weights became non-finite first
    (``at``: the epoch each replica's did, inf where they did not)."""
    epoch = int(at.min())
    bad = [int(r) for r in np.flatnonzero(at == epoch)]
    raise DivergenceError(
        f"training diverged at epoch {epoch}: replica {bad[0]} (seed {seeds[bad[0]]}) has non-finite weights"
        + (f", and {len(bad) - 1} other replicas" if len(bad) > 1 else ""),
        epoch=epoch, replicas=bad, seeds=[seeds[r] for r in bad],
    )


def _progress(epochs, progress):
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=epochs, unit="epoch", desc="training")
