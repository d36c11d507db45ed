"""Parameter sweeps: a grid of spec settings × seeds, run on dask.distributed,
stored cell by cell in one Zarr store.

Settings that may differ between the replicas of one run (``training.lr``,
``training.momentum``, ``training.decay``, and the seed) are swept inside a
single vectorized run.  Every other combination of settings (architecture,
data, update mode …) is a separate *task*.  Tasks run on a dask cluster — a
:class:`distributed.LocalCluster` on this machine unless an address is given —
and each finished task is written to ``STORE.zarr/tasks/<id>`` under a
temporary name and then renamed, so a sweep killed at any point keeps every
finished task and a rerun of the same command runs only the missing ones.

:func:`open_sweep` reads the store back as one Dataset whose ``replica``
dimension runs over every cell, with the swept settings as coordinates.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from .exceptions import DataError
from .spec import PER_REPLICA, SpecError, load_spec, parse_assignment

__all__ = ["Task", "plan_sweep", "run_sweep", "open_sweep", "parse_grid"]

TASKS = "tasks"
#: Zarr's version-2 format, which every Zarr reader understands, strings included.
ZARR_FORMAT = 2


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


def parse_grid(texts):
    """``["training.lr=0.01,0.1", …]`` → ``{"training.lr": [0.01, 0.1], …}``."""
    grid = {}
    for text in texts:
        key, sep, values = text.partition("=")
        if not sep or not values.strip():
            raise SpecError(f"--grid {text!r}: expected key.path=value1,value2,…")
        grid[key.strip()] = [parse_assignment(f"{key}={v}")[1] for v in values.split(",")]
    return grid


def plan_sweep(grid, seeds, base_seed=0):
    """Split a grid into tasks.

    Parameters
    ----------
    grid : dict of str to list
    seeds : int or sequence of int
        A number of seeds (``base_seed``, ``base_seed + 1`` …) or the seeds.
    """
    seed_list = list(range(base_seed, base_seed + seeds)) if np.isscalar(seeds) else [int(s) for s in seeds]
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


def _run_task(experiment, task):
    """Train one task (on a dask worker)."""
    ds = experiment.run(seed=task.seeds)
    for key, value in task.overrides.items():
        ds = ds.assign_coords({key: ("replica", [value] * ds.sizes["replica"])})
    ds.attrs["sweep_task"] = task.label
    return ds


def run_sweep(spec_path, grid, seeds, out, overrides=(), scheduler=None, workers=None, progress=True):
    """Run a sweep, skipping tasks already in the store.

    Returns
    -------
    list of str
        The ids of the tasks run now.
    """
    from dask.distributed import Client, LocalCluster, as_completed

    base = load_spec(spec_path, overrides)
    tasks = plan_sweep(grid, seeds, base_seed=base.seed)
    # Each task's spec is checked here, before anything runs.
    experiments = {
        t.id: load_spec(spec_path, [*overrides, *(f"{k}={_toml(v)}" for k, v in t.overrides.items()),
                                    *(f"training.{k}={_toml(v)}" for k, v in t.per_replica.items())])
        for t in tasks
    }
    out = Path(out)
    todo = _prepare_store(out, tasks)
    if not todo:
        return []
    if scheduler:
        cluster, client = None, Client(scheduler)
    else:
        n = workers or len(os.sched_getaffinity(0))
        cluster = LocalCluster(n_workers=min(n, len(todo)), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), unit="task", desc="sweep")
    done = []
    try:
        futures = {client.submit(_run_task, experiments[t.id], t, pure=False): t for t in todo}
        for future in as_completed(futures):
            task = futures[future]
            _write_task(out, task, future.result())
            done.append(task.id)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
        client.close()
        if cluster is not None:
            cluster.close()
    return done


def _toml(value):
    import tomli_w

    return tomli_w.dumps({"v": value})[4:].strip()


def _prepare_store(out, tasks):
    """Create the store if needed, clear unfinished writes, and return the
    tasks still to run; refuse a store made by a different sweep."""
    import zarr

    folder = out / TASKS
    if out.exists() and not (out / ".zgroup").exists():
        raise DataError(f"{out}: exists and is not a sweep store")
    root = zarr.open_group(str(out), mode="a", zarr_format=ZARR_FORMAT)
    root.require_group(TASKS)
    if "pdplab_version" not in root.attrs:
        from . import __version__

        root.attrs.update({"pdplab_version": __version__, "sweep": json.dumps([t.label for t in tasks])})
    for stale in folder.glob(".*.partial"):
        shutil.rmtree(stale)
    todo = []
    for task in tasks:
        path = folder / task.id
        if path.exists():
            stored = xr.open_zarr(path, consolidated=True).attrs.get("sweep_task")
            if stored != task.label:
                raise DataError(f"{out}: task {task.id} was made by a different sweep; use another --out")
        else:
            todo.append(task)
    return todo


def _write_task(out, task, ds):
    final = out / TASKS / task.id
    partial = out / TASKS / f".{task.id}.partial"
    ds.to_zarr(partial, mode="w", consolidated=True, zarr_format=ZARR_FORMAT)
    os.replace(partial, final)


def open_sweep(path):
    """Read a sweep store as one Dataset, replicas of every task along ``replica``."""
    path = Path(path)
    folder = path / TASKS
    if not folder.is_dir():
        raise DataError(f"{path}: not a sweep store (no {TASKS}/ folder)")
    parts = []
    for task in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        ds = xr.open_zarr(task, consolidated=True).load()
        parts.append(ds.assign_coords(task=("replica", [task.name] * ds.sizes["replica"])))
    if not parts:
        raise DataError(f"{path}: the sweep store holds no finished task")
    swept = sorted({c for ds in parts for c in ds.coords if "." in c})
    for i, ds in enumerate(parts):
        missing = {c: ("replica", [None] * ds.sizes["replica"]) for c in swept if c not in ds.coords}
        parts[i] = ds.drop_vars("replica").assign_coords(missing)
    combined = xr.concat(parts, dim="replica", join="outer", data_vars="all", coords="different",
                         compat="equals", combine_attrs="drop_conflicts")
    import zarr

    combined.attrs.update(dict(zarr.open_group(str(path), mode="r", zarr_format=ZARR_FORMAT).attrs))
    return combined.assign_coords(replica=np.arange(combined.sizes["replica"]))
