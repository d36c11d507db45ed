"""Reading a sweep store (written by :func:`pdplab.sweep.run_sweep`) back as one Dataset.

:func:`open_sweep` reads the store as one Dataset whose ``replica`` dimension
runs over every cell, with the swept settings (and ``task``) as coordinates.

* Tasks may end at different epochs (a ``training.criterion`` ends a task
  once all its replicas met it).  Each task's last recorded values are
  carried forward to the later epochs of the sweep, so ``isel(epoch=-1)`` is
  every replica's final state; ``trained (replica, epoch)`` says whether the
  replica's task had reached the epoch (False where values are carried), and
  ``recorded (replica, epoch)`` whether the task recorded that epoch; ``train_error``
  likewise carries each task's last epoch forward along ``train_epoch``, and
  ``last_epoch (replica)`` says which epoch that was.  A
  task's last epoch that other tasks did not record is left out of the joint
  ``epoch`` axis (its values are those carried to the next epoch); an epoch
  that one task recorded during training and another did not (different
  recording schedules) is kept, NaN for the task that did not record it
  (``trained`` true, ``recorded`` false).
* A dimension whose labels differ between tasks (``hidden_unit`` when the
  hidden layer's size is swept, ``item`` when the data are) is padded with NaN.
  ``ds.attrs["padded_dims"]`` lists such dimensions (JSON), and
  ``<dim>_present (replica, <dim>)`` is True where the replica has that unit
  or item.  ``ds.attrs["padded_variables"]`` lists variables some tasks lack.
* ``stopped_at (replica)`` is present when any task had a criterion, NaN for
  a replica that never met it.

Nothing is ever unpickled: an array whose codecs are not plain numeric or
string codecs (e.g. numcodecs' ``pickle``) is refused, as is a store that
cannot be read, with a one-line ``DataError``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .exceptions import DataError

__all__ = ["open_sweep", "TASKS", "ZARR_FORMAT", "SAFE_CODECS"]

#: The folder of a store that holds one Zarr group per finished task.
TASKS = "tasks"
#: Zarr's version-2 format, which every Zarr reader understands, strings included.
ZARR_FORMAT = 2
#: Codecs open_sweep reads: plain numbers and strings.  Anything else (pickle above all) is refused.
SAFE_CODECS = frozenset({"blosc", "zstd", "zlib", "gzip", "bz2", "lzma", "lz4", "vlen-utf8", "vlen-bytes",
                         "delta", "fixedscaleoffset", "quantize", "bitround", "packbits", "astype", "shuffle"})


def _one_line(text):
    return " ".join(str(text).split())


def open_sweep(path):
    """Read a sweep store as one Dataset, replicas of every task along ``replica``.

    Tasks that ended at different epochs are aligned on one ``epoch`` axis
    with each task's final state carried forward (see ``trained`` and
    ``recorded``); dimensions padded because tasks differ in size are listed
    in ``attrs["padded_dims"]`` and masked by ``<dim>_present``.

    Raises
    ------
    DataError
        In one line, for a folder that is not a sweep store, a task that
        cannot be read, or an array that would need pickle to read.
    """
    path = Path(path)
    folder = path / TASKS
    if not folder.is_dir():
        raise DataError(f"{path}: not a sweep store (no {TASKS}/ folder)")
    parts = [_read_task(path, task)
             for task in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))]
    if not parts:
        raise DataError(f"{path}: the sweep store holds no finished task")
    combined = _combine(path, parts)
    combined.attrs.update(_root_attrs(path))
    return combined.assign_coords(replica=np.arange(combined.sizes["replica"]))


def _read_json(path, store, what):
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise DataError(f"{store}: {what} cannot be read ({_one_line(exc)})") from None
    if not isinstance(value, dict):
        raise DataError(f"{store}: {what} is not a JSON object")
    return value


def _root_attrs(store):
    attrs = store / ".zattrs"
    return _read_json(attrs, store, ".zattrs") if attrs.exists() else {}


def _check_codecs(store, task):
    """Refuse a task with an array stored with a codec outside :data:`SAFE_CODECS`."""
    where = f"task {task.name}"
    consolidated = _read_json(task / ".zmetadata", store, f"{where}: .zmetadata").get("metadata")
    if not isinstance(consolidated, dict):
        raise DataError(f"{store}: {where}: .zmetadata holds no metadata")
    arrays = {k[: -len("/.zarray")]: v for k, v in consolidated.items() if k.endswith(".zarray")}
    for file in task.rglob(".zarray"):
        arrays[f"{file.parent.relative_to(task)} (file)"] = _read_json(file, store, f"{where}: {file.name}")
    for name, meta in arrays.items():
        if not isinstance(meta, dict) or not isinstance(meta.get("filters") or [], list):
            raise DataError(f"{store}: {where}: the metadata of array {name} is malformed")
        for codec in [meta.get("compressor"), *(meta.get("filters") or [])]:
            if codec is None:
                continue
            cid = codec.get("id") if isinstance(codec, dict) else codec
            if cid not in SAFE_CODECS:
                raise DataError(f"{store}: {where}: array {name} is stored with codec {cid!r:.40}, which pdplab "
                                f"does not read (only plain numeric and string codecs; never pickle)")


def _read_task(store, task):
    _check_codecs(store, task)
    try:
        ds = xr.open_zarr(task, consolidated=True, zarr_format=ZARR_FORMAT, chunks=None)
        try:
            ds = ds.load()
        finally:
            ds.close()
    except Exception as exc:  # noqa: BLE001 - a corrupt store can fail in any of zarr's layers
        raise DataError(f"{store}: task {task.name} cannot be read ({_one_line(exc)[:200]})") from None
    if "replica" not in ds.dims or "epoch" not in ds.dims or ds.sizes["epoch"] == 0:
        raise DataError(f"{store}: task {task.name} is not a pdplab result (no replica or epoch dimension)")
    # The state that continues one task's training (pdplab.core.state) stays in the task's own store.
    ds = ds.drop_vars([v for v in ds.data_vars if v.startswith("optimizer:")])
    ds.attrs.pop("training_state", None)
    return ds.assign_coords(task=("replica", [task.name] * ds.sizes["replica"]))


def _combine(store, parts):
    swept = sorted({c for ds in parts for c in ds.coords if "." in c})
    for i, ds in enumerate(parts):
        missing = {c: ("replica", [None] * ds.sizes["replica"]) for c in swept if c not in ds.coords}
        parts[i] = ds.drop_vars("replica", errors="ignore").assign_coords(missing)
    parts = _align_epochs(parts)
    padded = _padded_dims(parts)
    absent = sorted({v for ds in parts for v in ds.data_vars} - set.intersection(*(set(ds.data_vars) for ds in parts)))
    parts = [_mark_present(ds, padded) for ds in parts]
    masks = {"fill_value": {f"{d}_present": False for d in padded}} if padded else {}
    try:
        combined = xr.concat(parts, dim="replica", join="outer", data_vars="all", coords="different",
                             compat="equals", combine_attrs="drop_conflicts", **masks)
    except (ValueError, TypeError, KeyError) as exc:
        raise DataError(f"{store}: its tasks cannot be joined ({_one_line(exc)[:200]})") from None
    combined.attrs["padded_dims"] = json.dumps(padded)
    combined.attrs["padded_variables"] = json.dumps(absent)
    return combined


def _align_epochs(parts):
    """Put every task on one epoch axis, final states carried forward."""
    epochs = [np.asarray(ds["epoch"].values) for ds in parts]
    union = np.unique(np.concatenate(epochs))
    recorded = np.array([np.isin(union, e) for e in epochs])
    last = np.array([e.max() for e in epochs])[:, None]
    covered = (recorded | (union[None, :] > last)).all(axis=0)
    # A task's last epoch is dropped where others lack it: its values reappear, carried, at the next epoch.
    during = (recorded & (union[None, :] < last)).any(axis=0)
    kept = union[covered | during]
    parts = [_on_epochs(ds, kept) for ds in parts]
    if any("train_epoch" in ds.dims for ds in parts):
        every = np.unique(np.concatenate([ds["train_epoch"].values for ds in parts if "train_epoch" in ds.dims]))
        parts = [_on_train_epochs(ds, every) for ds in parts]
    return parts


def _on_epochs(ds, kept):
    own = np.asarray(ds["epoch"].values)
    order = np.argsort(own, kind="stable")
    own = own[order]
    pos = np.minimum(np.searchsorted(own, kept), len(own) - 1)
    recorded = own[pos] == kept
    trained = kept <= own[-1]
    take = order[np.where(recorded, pos, len(own) - 1)]
    out = ds.isel(epoch=take).assign_coords(epoch=kept)
    hole = xr.DataArray(trained & ~recorded, dims="epoch")
    if hole.any():
        for name, var in out.data_vars.items():
            if "epoch" in var.dims:
                out[name] = var.where(~hole)
    shape = (ds.sizes["replica"], len(kept))
    out["trained"] = xr.DataArray(np.broadcast_to(trained, shape).copy(), dims=("replica", "epoch"), attrs={
        "description": "the replica's task had reached this epoch; where false, its final values are carried"})
    out["recorded"] = xr.DataArray(np.broadcast_to(recorded, shape).copy(), dims=("replica", "epoch"), attrs={
        "description": "the replica's task recorded this epoch (NaN where trained but not recorded)"})
    return out


def _on_train_epochs(ds, every):
    """``train_error`` on every epoch any task trained, a task's last epoch carried
    forward (``last_epoch`` says which epoch each replica's task trained last)."""
    if "train_epoch" not in ds.dims or ds.sizes["train_epoch"] == 0:
        return ds
    last = int(ds["train_epoch"].values.max())
    ds = ds.reindex(train_epoch=every, method="ffill")
    ds["last_epoch"] = xr.DataArray(np.full(ds.sizes["replica"], last), dims="replica", attrs={
        "description": "the last epoch the replica's task trained; later train_error values are carried"})
    return ds


def _padded_dims(parts):
    """Dimensions (other than replica and epochs) whose labels differ between tasks."""
    dims = sorted({d for ds in parts for d in ds.dims} - {"replica", "epoch", "train_epoch"})
    padded = []
    for d in dims:
        labels = [_labels(ds, d) for ds in parts]
        if any(lab is None for lab in labels) or not all(labels[0].equals(lab) for lab in labels[1:]):
            padded.append(d)
    return padded


def _labels(ds, dim):
    if dim not in ds.dims:
        return None
    return ds.indexes[dim] if dim in ds.indexes else pd.RangeIndex(ds.sizes[dim])


def _mark_present(ds, padded):
    for d in padded:
        if d in ds.dims:
            ds[f"{d}_present"] = xr.DataArray(np.ones((ds.sizes["replica"], ds.sizes[d]), bool),
                                              dims=("replica", d), coords={d: ds[d]} if d in ds.coords else {},
                                              attrs={"description": f"the replica has this {d} (else padding)"})
    return ds
