"""Parameter sweeps: a grid of spec settings × seeds, run on dask.distributed,
stored task by task in one Zarr store.

Settings that may differ between the replicas of one run (``training.lr``,
``training.momentum``, ``training.decay``, and the seed) are swept inside a
single vectorized run.  Every other combination of settings (architecture,
data, update mode …) is a separate *task*.  Tasks run on a dask cluster — a
:class:`distributed.LocalCluster` on this machine unless an address is given —
and each finished task is written to ``STORE.zarr/tasks/<id>`` under a
temporary name (``tasks/.<id>.partial``) and then renamed, so a sweep killed at
any point keeps every finished task and a rerun of the same command runs only
the missing ones.

Seeds come from ``--seeds`` alone (``N`` seeds per cell from the spec's
``training.seed`` on, or a list of seeds): ``training.seed`` and
``training.replicas`` cannot be swept, and ``training.replicas`` cannot be set,
since a task has one replica per seed and per combination of the per-replica
settings.

What a store holds
------------------
A store belongs to one sweep.  When it is made, its attributes record the
resolved base spec (the spec file with the ``--set`` overrides applied, the
swept keys marked ``"<swept>"``, and ``description``, ``sources`` and
``training.replicas``, which change no number, left out), the swept keys, the
seeds and per-replica values every task trains, and a SHA-256 digest of each
data file the base spec names.  Each task stores its fully resolved spec, the
digests of its own data files, its settings and seeds, and a hash of all of
them.  A later run on the store must agree on every one of these; otherwise
it is refused with a one-line :class:`~pdplab.exceptions.DataError` that names
the store and what differs (keys with stored and new values, seeds, data
files).  *Adding* values of a swept key that makes separate tasks (e.g.
``network.groups.hidden.size=2,3`` and later ``=2,3,4``) is allowed: the new
cells are appended as new tasks with the next free ids and the finished ones
are kept.  Adding a value of a per-replica setting (lr, momentum, decay) or a
seed changes every task and is refused; use another ``--out``.  Leaving a
value out runs nothing; :func:`open_sweep` still returns every task stored.

One sweep runs on a store at a time: a run holds an exclusive lock
(``fcntl.flock`` on ``STORE/.pdplab-sweep.lock``) from before it looks at the
store until its last task is written; a second run gets a one-line
``DataError``.  Under the lock a run removes only what an interrupted run of
this module left (``tasks/.<id>.partial``, folders or files), nothing else.

A task that fails with a pdplab error (a :class:`~pdplab.DivergenceError`,
say) is not written; every other task is, and then the run raises an error of
the same class, in one line naming the task, its settings and the settings of
the replica at fault.  A rerun retries only what is missing.

The store is read back with :func:`pdplab.sweep_store.open_sweep`.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
import shutil
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .core.train import RECORD_LIMIT_GB, check_record_size
from .exceptions import DataError, DivergenceError, NetworkError, PdplabError
from .sweep_store import TASKS, ZARR_FORMAT, _one_line, open_sweep  # noqa: F401 - open_sweep: part of this API
from .spec import PER_REPLICA, SpecError, apply_overrides, load_spec, parse_assignment

__all__ = ["Task", "plan_sweep", "run_sweep", "open_sweep", "parse_grid"]

#: The lock file a running sweep holds inside its store.
LOCK = ".pdplab-sweep.lock"
#: Temporary names of tasks being written (by this module only).
PARTIAL = re.compile(r"\.(\d{4,})\.partial")
#: The value a swept key takes in a store's recorded base spec.
SWEPT = "<swept>"
#: Grid keys a sweep sets itself, and what to use instead.
NOT_SWEPT = {
    "training.seed": "seeds are not a grid setting; use --seeds N for N seeds per cell from the spec's "
                     "training.seed on (and --set training.seed=S for another first seed)",
    "training.replicas": "a sweep trains one replica per seed and per combination of lr, momentum and "
                         "decay values; use --seeds N",
}


@dataclass
class Task:
    """One vectorized run of a sweep."""

    id: str
    overrides: dict  # settings that differ between tasks
    per_replica: dict  # training setting -> one value per replica
    seeds: list

    @property
    def label(self):
        return json.dumps({"overrides": self.overrides, "per_replica": self.per_replica, "seeds": self.seeds},
                          sort_keys=True)

    def describe(self):
        """The task's own settings, as ``key=value`` assignments."""
        own = [f"{k}={_toml(v)}" for k, v in self.overrides.items()]
        own += [f"training.{k}={','.join(map(str, v))} (one per replica)" for k, v in self.per_replica.items()]
        return ", ".join(own) or "no grid settings"

    def replica(self, r, training=None):
        """Replica ``r``'s seed and per-replica settings (from ``training``,
        the task's training arguments, when given), in words."""
        settings = {k: v for k, v in (training or {}).items() if k in PER_REPLICA}
        settings.update(self.per_replica)
        return ", ".join([f"seed {self.seeds[r]}",
                          *(f"{k}={v[r] if isinstance(v, list) else v}" for k, v in settings.items())])


@dataclass
class _Failed:
    """A pdplab error raised by a task on a worker, returned as a value (so
    that dask logs nothing) and raised again, naming the task, on the client."""

    error: type
    message: str
    epoch: int | None = None
    replicas: tuple = ()
    seeds: tuple = ()


def parse_grid(texts):
    """``["training.lr=0.01,0.1", …]`` → ``{"training.lr": [0.01, 0.1], …}``."""
    grid = {}
    for text in texts:
        key, sep, values = text.partition("=")
        key = key.strip()
        if not sep or not key or not values.strip():
            raise SpecError(f"--grid {text!r}: expected key.path=value1,value2,…")
        if key in grid:
            raise SpecError(f"--grid {key}: given twice; give all its values in one --grid")
        parts = [v.strip() for v in values.split(",")]
        if not all(parts):
            raise SpecError(f"--grid {text!r}: an empty value")
        grid[key] = [parse_assignment(f"{key}={v}")[1] for v in parts]
    return grid


def plan_sweep(grid, seeds, base_seed=0):
    """Split a grid into tasks.

    Parameters
    ----------
    grid : dict of str to list
        Key paths and their values; not ``training.seed`` nor ``training.replicas``.
    seeds : int or sequence of int
        A number of seeds (``base_seed``, ``base_seed + 1`` …) or the seeds.
    base_seed : int

    Returns
    -------
    list of Task

    Raises
    ------
    SpecError
        For a bad number or list of seeds, or a bad grid.
    """
    seed_list = _seed_list(seeds, base_seed)
    grid = _checked_grid(grid)
    vector = {k: v for k, v in grid.items() if k in {f"training.{name}" for name in PER_REPLICA}}
    structural = {k: v for k, v in grid.items() if k not in vector}
    combos = list(itertools.product(*vector.values())) or [()]
    tasks = []
    for i, values in enumerate(itertools.product(*structural.values())):
        overrides = dict(zip(structural, values))
        per_replica = {k.split(".")[1]: [] for k in vector}
        task_seeds = []
        for combo in combos:
            for s in seed_list:
                for k, v in zip(vector, combo):
                    per_replica[k.split(".")[1]].append(v)
                task_seeds.append(s)
        tasks.append(Task(f"{i:04d}", overrides, per_replica, task_seeds))
    return tasks


def _is_integer(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _seed_list(seeds, base_seed):
    if _is_integer(seeds) and seeds >= 1 and _is_integer(base_seed):
        return list(range(int(base_seed), int(base_seed) + int(seeds)))
    if isinstance(seeds, (list, tuple, np.ndarray)) and len(seeds) and all(_is_integer(s) for s in seeds):
        return [int(s) for s in seeds]
    raise SpecError(f"--seeds {seeds!r:.60}: expected a number of seeds ≥ 1 or a non-empty list of integer seeds")


def _checked_grid(grid):
    if not isinstance(grid, dict):
        raise SpecError(f"--grid: expected a mapping of key paths to lists of values, got {grid!r:.60}")
    out = {}
    for key, values in grid.items():
        if key in NOT_SWEPT:
            raise SpecError(f"--grid {key}: {NOT_SWEPT[key]}")
        if not isinstance(values, (list, tuple)) or not values:
            raise SpecError(f"--grid {key}: expected a non-empty list of values, got {values!r:.60}")
        values = [v.item() if isinstance(v, np.generic) else v for v in values]
        seen = set()
        for v in values:
            text = json.dumps(v, sort_keys=True, default=str)
            if text in seen:
                raise SpecError(f"--grid {key}: the value {v!r} is given twice")
            seen.add(text)
        out[key] = values
    return out


def run_sweep(spec_path, grid, seeds, out, overrides=(), scheduler=None, workers=None, progress=True,
              record_limit_gb=RECORD_LIMIT_GB):
    """Run a sweep, skipping tasks already in the store.

    Parameters
    ----------
    spec_path : str or Path
    grid : dict of str to list
        As from :func:`parse_grid`.
    seeds : int or sequence of int
        Seeds per cell, from the spec's ``training.seed`` on, or the seeds.
    out : str or Path
        The Zarr store (a folder), made if absent.
    overrides : sequence of str
        ``--set`` assignments applied to the spec before the grid.
    scheduler : str, optional
        Address of a running dask scheduler; else a local cluster.
    workers : int, optional
        Local workers (default: one per core).
    progress : bool
    record_limit_gb : float or None
        Refuse, before anything runs, a task whose records would take more
        memory than this (None: no limit).

    Returns
    -------
    list of str
        The ids of the tasks run now.

    Raises
    ------
    SpecError
        For bad arguments or settings, before anything runs.
    DataError
        When the store belongs to another sweep, is in use, or cannot be read.
    PdplabError
        (e.g. DivergenceError) when a task failed; every other task is written first.
    """
    _check_workers(workers, scheduler)
    overrides = _checked_overrides(overrides)
    base = load_spec(spec_path, overrides)
    tasks = plan_sweep(grid, seeds, base_seed=base.seed)
    _check_lists(base, grid)
    # Each task's spec is checked here, before anything runs.
    jobs = [(t, _task_experiment(spec_path, overrides, t)) for t in tasks]
    for task, experiment in jobs:
        _check_task_size(experiment, task, record_limit_gb)
    identity = _sweep_identity(base, grid, tasks[0])
    out = Path(out)
    with _locked(out):
        todo = _prepare_store(out, identity, jobs)
        if not todo:
            return []
        done, failed, crashed = _compute(out, todo, scheduler, workers, progress)
    if crashed:
        raise crashed[0]
    if failed:
        raise _failure(out, failed)
    return done


def _check_task_size(experiment, task, limit_gb):
    settings = {k: experiment.training[k] for k in ("epochs", "record", "test", "dtype") if k in experiment.training}
    try:
        check_record_size(experiment.network, experiment.environment, replicas=len(task.seeds), limit_gb=limit_gb,
                          **settings)
    except NetworkError as exc:
        raise SpecError(f"{experiment.path}: sweep task {task.id} ({task.describe()}): {exc}") from None


def _check_workers(workers, scheduler):
    if workers is None:
        return
    if not _is_integer(workers) or workers < 1:
        raise SpecError(f"--workers {workers!r:.60}: expected a number of local workers ≥ 1 "
                        f"(leave it out for one per core)")
    if scheduler:
        raise SpecError("--workers: sets the size of a local cluster; leave it out with --scheduler")


def _checked_overrides(overrides):
    if isinstance(overrides, str):
        overrides = [overrides]
    elif isinstance(overrides, dict):
        overrides = [f"{k}={_toml(v)}" for k, v in overrides.items()]
    overrides = list(overrides)
    for text in overrides:
        if parse_assignment(text)[0] == "training.replicas":
            raise SpecError(f"--set {text}: {NOT_SWEPT['training.replicas']}")
    return overrides


def _check_lists(base, grid):
    """Refuse per-replica lists in the spec: their length would not match the sweep's replicas."""
    for name in PER_REPLICA:
        if f"training.{name}" not in grid and isinstance(base.training.get(name), list):
            raise SpecError(f"{base.path}: training.{name}: a list gives one value per replica; in a sweep, "
                            f"give the values with --grid training.{name}=v1,v2,…")


def _task_experiment(spec_path, overrides, task):
    return load_spec(spec_path, [*overrides, *(f"{k}={_toml(v)}" for k, v in task.overrides.items()),
                                 *(f"training.{k}={_toml(v)}" for k, v in task.per_replica.items())])


def _toml(value):
    import tomli_w

    return tomli_w.dumps({"v": value})[4:].strip()


# --- what a store and a task are -------------------------------------------------------------


def _identity_spec(spec):
    """The parts of a resolved spec that can change a number."""
    spec = {k: v for k, v in spec.items() if k not in ("description", "sources")}
    return apply_overrides(spec, {"training.replicas": SWEPT})


def _data_digests(spec, spec_path):
    """SHA-256 of every data file a spec names (``file`` keys, read beside the spec, and
    ``corpus`` paths, read from the current folder), by the name the spec gives."""
    out = {}

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "file" and isinstance(v, str) and v != SWEPT:
                    path = Path(v) if Path(v).is_absolute() else Path(spec_path).parent / v
                    out[v] = hashlib.sha256(path.read_bytes()).hexdigest()
                elif k == "corpus" and isinstance(v, str) and Path(v).expanduser().is_file():
                    out[v] = hashlib.sha256(Path(v).expanduser().read_bytes()).hexdigest()
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return out


def _sweep_identity(base, grid, task):
    """Store attributes that every task of one sweep shares."""
    import tomli_w

    masked = apply_overrides(_identity_spec(base.spec), {k: SWEPT for k in grid})
    return {
        "sweep_spec": tomli_w.dumps(masked),
        "sweep_keys": json.dumps(sorted(grid)),
        "sweep_replicas": json.dumps({"seeds": task.seeds, **task.per_replica}, sort_keys=True),
        "sweep_data": json.dumps(_data_digests(masked, base.path), sort_keys=True),
    }


def _task_record(experiment, task):
    """Task attributes: its settings, its data files' digests and a hash of
    those with its fully resolved spec (``spec``, which the run stores)."""
    import tomli_w

    spec = tomli_w.dumps(_identity_spec(experiment.spec))
    data = json.dumps(_data_digests(experiment.spec, experiment.path), sort_keys=True)
    digest = hashlib.sha256(f"{spec}\n{data}\n{task.label}".encode()).hexdigest()
    return {"sweep_task": task.label, "sweep_task_data": data, "sweep_task_hash": digest}


def _flatten(node, prefix=""):
    """A spec as {key path: value}, list elements named as in overrides."""
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list) and node and all(isinstance(x, dict) for x in node):
        items = ((x.get("name") or (f"{x.get('source')}->{x.get('target')}" if "source" in x else str(i)), x)
                 for i, x in enumerate(node))
    else:
        return {prefix: node}
    out = {}
    for key, value in items:
        out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


def _spec_differences(stored, now):
    """``key (stored X, now Y)`` for each key path where two spec texts differ."""
    a, b = _flatten(tomllib.loads(stored)), _flatten(tomllib.loads(now))
    keys = sorted(k for k in a.keys() | b.keys() if a.get(k, "<absent>") != b.get(k, "<absent>"))
    return [f"{k} (stored {_short(a.get(k, '<absent>'))}, now {_short(b.get(k, '<absent>'))})" for k in keys]


def _json_differences(what, stored, now):
    a, b = json.loads(stored), json.loads(now)
    if what == "data":
        return [f"data file {k} changed" for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k)]
    if what == "replicas":
        return [f"{'seeds' if k == 'seeds' else 'training.' + k} per replica (stored {_short(a.get(k))}, "
                f"now {_short(b.get(k))})" for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k)]
    return [f"swept keys (stored {', '.join(a) or 'none'}; now {', '.join(b) or 'none'})"]


def _short(value, width=40):
    text = json.dumps(value, default=str) if not isinstance(value, str) else value
    return text if len(text) <= width else text[: width - 1] + "…"


def _refusal(out, problems, what="made by a different sweep"):
    shown = "; ".join(problems[:4]) + (f"; and {len(problems) - 4} more" if len(problems) > 4 else "")
    return DataError(_one_line(f"{out}: {what}: {shown}; use another --out"))




# --- the store --------------------------------------------------------------------------------


@contextmanager
def _locked(out):
    """Make ``out`` if needed and hold its lock; refuse a folder that is not a
    sweep store, and a store another sweep is running on."""
    import fcntl

    if out.exists() and not out.is_dir():
        raise DataError(f"{out}: exists and is not a sweep store (not a folder)")
    if out.is_dir() and not (out / ".zgroup").exists() and any(p.name != LOCK for p in out.iterdir()):
        raise DataError(f"{out}: exists and is not a sweep store")
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / LOCK).touch()
    except OSError as exc:
        raise DataError(f"{out}: cannot write there ({exc.strerror or exc})") from None
    with open(out / LOCK, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise DataError(f"{out}: another sweep is running on this store; wait for it to finish "
                            f"or use another --out") from None
        yield


def _prepare_store(out, identity, jobs):
    """Create the store if needed, refuse one made by a different sweep,
    clear unfinished writes, and return the (task, experiment, record) still
    to run, new tasks numbered after the stored ones."""
    import zarr

    try:
        root = zarr.open_group(str(out), mode="a", zarr_format=ZARR_FORMAT)
        root.require_group(TASKS)
        stored = dict(root.attrs)
    except Exception as exc:  # noqa: BLE001 - any failure to read a store is the store's fault
        raise DataError(f"{out}: not a readable sweep store ({_one_line(exc)})") from None
    existing = _stored_tasks(out)
    _check_identity(out, root, stored, identity, existing)
    _remove_partials(out / TASKS)
    by_settings = {settings: (i, attrs) for i, (settings, attrs) in existing.items()}
    next_id = max((int(i) for i in existing if i.isdigit()), default=-1) + 1
    todo = []
    for task, experiment in jobs:
        record = _task_record(experiment, task)
        match = by_settings.get(json.dumps(task.overrides, sort_keys=True))
        if match is None:
            todo.append((replace(task, id=f"{next_id:04d}"), experiment, record))
            next_id += 1
        elif match[1].get("sweep_task_hash") != record["sweep_task_hash"]:
            raise _refusal(out, _task_problems(match[1], experiment, record),
                           f"task {match[0]} ({task.describe()}) was made differently")
    return todo


def _check_identity(out, root, stored, identity, existing):
    """Record the sweep's identity in a new store; refuse a store made by another sweep."""
    from . import __version__

    if "sweep_spec" not in stored:
        if existing:
            raise DataError(f"{out}: made by an older pdplab that did not record its spec; use another --out")
        root.attrs.update({"pdplab_version": __version__, **identity})
        return
    problems = [p for key in ("keys", "replicas", "spec", "data") for p in _identity_problems(key, stored, identity)]
    if problems:
        raise _refusal(out, problems)


def _remove_partials(folder):
    """Remove the temporary tasks a killed run of this module left, and nothing else."""
    for path in folder.iterdir():
        if PARTIAL.fullmatch(path.name):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()


def _identity_problems(key, stored, identity):
    name = f"sweep_{key}"
    if stored.get(name) == identity[name]:
        return []
    if key == "spec":
        return _spec_differences(stored[name], identity[name])
    return _json_differences(key, stored.get(name, "{}"), identity[name])


def _task_problems(stored, experiment, record):
    import tomli_w

    problems = []
    if stored.get("sweep_task") != record["sweep_task"]:
        problems += _json_differences("replicas", _replica_layout(stored.get("sweep_task")),
                                      _replica_layout(record["sweep_task"]))
    if "spec" in stored:
        problems += _spec_differences(tomli_w.dumps(_identity_spec(tomllib.loads(stored["spec"]))),
                                      tomli_w.dumps(_identity_spec(experiment.spec)))
    problems += _json_differences("data", stored.get("sweep_task_data", "{}"), record["sweep_task_data"])
    return problems or ["its resolved spec differs"]


def _replica_layout(label):
    task = json.loads(label or "{}")
    return json.dumps({"seeds": task.get("seeds"), **task.get("per_replica", {})}, sort_keys=True)


def _stored_tasks(out):
    """{id: (its settings as JSON, its attributes)} of the finished tasks in a store."""
    tasks = {}
    for path in sorted((out / TASKS).iterdir()):
        if path.name.startswith(".") or not path.is_dir():
            continue
        try:
            attrs = json.loads((path / ".zattrs").read_text())
            settings = json.loads(attrs["sweep_task"])["overrides"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DataError(f"{out}: task {path.name} is not a finished pdplab sweep task "
                            f"({type(exc).__name__}: {_one_line(exc)})") from None
        tasks[path.name] = (json.dumps(settings, sort_keys=True), attrs)
    return tasks


def _write_task(out, task, ds, record):
    final = out / TASKS / task.id
    partial = out / TASKS / f".{task.id}.partial"
    ds.attrs.update(record)
    try:
        ds.to_zarr(partial, mode="w-", consolidated=True, zarr_format=ZARR_FORMAT)
        os.replace(partial, final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


# --- running ----------------------------------------------------------------------------------


def _run_task(experiment, task):
    """Train one task (on a dask worker); a pdplab error comes back as a value."""
    try:
        # A diverging task is reported by its DivergenceError; numpy's overflow warnings would only add noise.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            ds = experiment.run(seed=task.seeds, record_limit_gb=None)  # sizes were checked before submitting
    except PdplabError as exc:
        return _Failed(type(exc), str(exc), getattr(exc, "epoch", None), tuple(getattr(exc, "replicas", ())),
                       tuple(getattr(exc, "seeds", ())))
    for key, value in task.overrides.items():
        ds = ds.assign_coords({key: ("replica", [value] * ds.sizes["replica"])})
    return ds


def _cores():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _client(scheduler, workers, n_tasks):
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            return None, Client(scheduler, set_as_default=False)
        except (OSError, ValueError, TypeError) as exc:
            raise SpecError(_one_line(f"--scheduler {scheduler}: cannot connect ({exc})")) from None
    # The scheduler's HTTP server on a free loopback port: no clash with another cluster's 8787.
    cluster = LocalCluster(n_workers=min(workers or _cores(), n_tasks), threads_per_worker=1, processes=True,
                           dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                           silence_logs=logging.CRITICAL)  # no shutdown noise: failures come back as values
    # Not the process's default client: after the sweep, xarray must not reach for its (closed) scheduler.
    return cluster, Client(cluster, set_as_default=False)


def _compute(out, todo, scheduler, workers, progress):
    """Run the tasks; write each as it finishes.  Returns the ids written,
    the pdplab failures as (task, experiment, _Failed), and any other exceptions."""
    from dask.distributed import as_completed

    cluster, client = _client(scheduler, workers, len(todo))
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), unit="task", desc="sweep")
    done, failed, crashed = [], [], []
    try:
        futures = {client.submit(_run_task, exp, t, pure=False): (t, exp, record) for t, exp, record in todo}
        for future in as_completed(futures, loop=client.loop):
            task, experiment, record = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - an internal failure, raised once the others are written
                crashed.append(exc)
                continue
            if isinstance(result, _Failed):
                failed.append((task, experiment, result))
            else:
                _write_task(out, task, result, record)
                done.append(task.id)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
        client.close()
        if cluster is not None:
            cluster.close()
    return done, failed, crashed


def _failure(out, failed):
    """The error to raise for failed tasks: the first one's class, one line."""
    failed = sorted(failed, key=lambda item: item[0].id)
    task, experiment, f = failed[0]
    text = f"{out}: sweep task {task.id} ({task.describe()}) failed: {f.message}"
    if f.replicas and 0 <= f.replicas[0] < len(task.seeds):
        text += f"; replica {f.replicas[0]} of that task has {task.replica(f.replicas[0], experiment.training)}"
    if len(failed) > 1:
        text += f"; {len(failed) - 1} other task(s) failed too ({', '.join(t.id for t, _, _ in failed[1:])})"
    text = _one_line(text + "; every other task is written, and a rerun retries only the failed ones")
    if issubclass(f.error, DivergenceError):
        return f.error(text, epoch=f.epoch, replicas=f.replicas, seeds=f.seeds)
    try:
        return f.error(text)
    except TypeError:
        return PdplabError(text)


