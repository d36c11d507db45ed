"""Sweeps on a real dask LocalCluster, stored task by task, resumable after a kill; stores that say
what they hold, refuse to mix sweeps, and are read without pickle."""

import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from pdplab import DivergenceError, SpecError, load_spec
from pdplab.exceptions import DataError
from pdplab.sweep import open_sweep, plan_sweep, run_sweep

MODELS = Path(__file__).resolve().parents[1] / "models"
XOR = str(MODELS / "xor.toml")


def test_per_replica_settings_share_a_task():
    tasks = plan_sweep({"training.lr": [0.1, 0.5], "training.momentum": [0.0, 0.9],
                        "network.groups.hidden.size": [2, 3]}, seeds=3, base_seed=10)
    assert len(tasks) == 2
    t = tasks[0]
    assert t.overrides == {"network.groups.hidden.size": 2}
    assert len(t.seeds) == 12 and t.seeds[:3] == [10, 11, 12]
    pairs = set(zip(t.per_replica["lr"], t.per_replica["momentum"], t.seeds))
    assert len(pairs) == 12


def test_two_worker_sweep_and_rerun(tmp_path):
    out = tmp_path / "sweep.zarr"
    grid = {"training.lr": [0.1, 0.5], "network.groups.hidden.size": [2, 3]}
    ran = run_sweep(XOR, grid, 2, out, overrides=["training.epochs=40"], workers=2, progress=False)
    assert sorted(ran) == ["0000", "0001"]
    from distributed import default_client

    with pytest.raises(ValueError):  # the sweep's client was never this process's default
        default_client()
    ds = open_sweep(out)
    assert ds.sizes["replica"] == 8
    table = ds["error"].isel(epoch=-1).sum("item").to_dataframe()
    assert table.groupby(["network.groups.hidden.size", "lr"])["error"].count().tolist() == [2, 2, 2, 2]
    assert sorted(set(ds["seed"].values)) == [1, 2]
    # Running the same command again finds nothing to do.
    assert run_sweep(XOR, grid, 2, out, overrides=["training.epochs=40"], workers=2, progress=False) == []
    with pytest.raises(DataError, match="different sweep"):
        run_sweep(XOR, {"training.lr": [0.2]}, 2, out, overrides=["training.epochs=40"], progress=False)


def sweep_command(out):
    return [sys.executable, "-m", "pdplab", "sweep", XOR, "--grid", "network.groups.hidden.size=1,2,3,4,5,6",
            "--seeds", "2", "--set", "training.epochs=6000", "--set", "training.criterion=0.0",
            "--set", "recording.every=1000", "--workers", "1", "--out", str(out), "--quiet"]


def test_a_killed_sweep_resumes_without_losing_or_repeating_work(tmp_path):
    killed = tmp_path / "killed.zarr"
    proc = subprocess.Popen(sweep_command(killed), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tasks = killed / "tasks"
    deadline = time.time() + 120
    while time.time() < deadline:
        if tasks.is_dir() and any(p.is_dir() and not p.name.startswith(".") for p in tasks.iterdir()):
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = sorted(p.name for p in tasks.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert 1 <= len(finished) < 6, finished

    assert subprocess.run(sweep_command(killed)).returncode == 0
    whole = tmp_path / "whole.zarr"
    assert subprocess.run(sweep_command(whole)).returncode == 0
    a, b = open_sweep(killed), open_sweep(whole)
    assert a.sizes["replica"] == b.sizes["replica"] == 12
    assert not list(tasks.glob(".*.partial"))
    for name in b.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)


# --- tasks that end at different epochs; padded unit dimensions -----------------------------

CRITERION = ["training.epochs=600", "recording.every=50"]  # hidden=2 runs all 600 epochs, hidden=3 stops at 196
SIZES = {"network.groups.hidden.size": [2, 3]}


@pytest.fixture(scope="module")
def criterion_store(tmp_path_factory):
    out = tmp_path_factory.mktemp("criterion") / "sweep.zarr"
    assert sorted(run_sweep(XOR, SIZES, 2, out, overrides=CRITERION, workers=2, progress=False)) == ["0000", "0001"]
    return out


def direct_run(size, overrides=CRITERION, seeds=(1, 2)):
    return load_spec(XOR, [*overrides, f"network.groups.hidden.size={size}"]).run(seed=list(seeds))


def of_size(ds, size):
    return ds.isel(replica=np.flatnonzero(ds["network.groups.hidden.size"].values == size))


def test_tasks_that_stopped_early_keep_their_final_state(criterion_store):
    ds = open_sweep(criterion_store)
    final = ds["error"].isel(epoch=-1).sum("item")  # the README's recipe
    ends = {}
    for size in (2, 3):
        alone = direct_run(size)
        ends[size] = int(alone["epoch"][-1])
        mine = of_size(ds, size)
        np.testing.assert_array_equal(of_size(final, size).values,
                                      alone["error"].isel(epoch=-1).sum("item").values)
        np.testing.assert_array_equal(mine["stopped_at"].values, alone["stopped_at"].values)
        assert (mine["trained"].values == (ds["epoch"].values <= ends[size])).all()
        # After its end, a task shows its final values; before, what it recorded.
        after = ds["epoch"].values > ends[size]
        dims = ("replica", "epoch", "item", "hidden_unit")
        hidden = mine["hidden"].isel(hidden_unit=slice(None, size)).transpose(*dims).values
        assert (hidden[:, after] == alone["hidden"].transpose(*dims).values[:, -1:]).all()
        np.testing.assert_array_equal(mine["error"].sel(epoch=[0, 100, 150]).values,
                                      alone["error"].sel(epoch=[0, 100, 150]).values)
        # The error of every epoch: the task's own, then its last carried forward.
        own = alone["train_error"]
        np.testing.assert_array_equal(mine["train_error"].sel(train_epoch=own["train_epoch"]).values, own.values)
        np.testing.assert_array_equal(mine["train_error"].isel(train_epoch=-1).values, own.isel(train_epoch=-1))
    assert list(ds["train_epoch"].values) == list(range(1, 601))
    assert ends[2] == 600 and ends[3] < 600  # the tasks really ended at different epochs
    assert np.isnan(of_size(ds, 2)["stopped_at"].values[0])  # hidden=2, seed 1 never met the criterion
    assert int(ds["epoch"][-1]) == 600 and final.notnull().all() and (final > 0).all()


def test_padded_unit_dimensions_are_declared(criterion_store):
    ds = open_sweep(criterion_store)
    assert json.loads(ds.attrs["padded_dims"]) == ["hidden_unit"]
    present = ds["hidden_unit_present"]
    expected = ds["hidden_unit"].values[None, :] < ds["network.groups.hidden.size"].values[:, None]
    np.testing.assert_array_equal(present.transpose("replica", "hidden_unit").values, expected)
    # Padding is NaN, and only padding is.
    np.testing.assert_array_equal(ds["hidden"].isnull().all(("epoch", "item")).values, ~expected)
    np.testing.assert_array_equal(ds["weight:input->hidden"].isnull().all("input_unit").values, ~expected)
    assert "input_unit_present" not in ds and "item_present" not in ds


def write_task(store, name, ds):
    """A hand-made task in a hand-made store (no training)."""
    import zarr

    zarr.open_group(str(store), mode="a", zarr_format=2).require_group("tasks")
    ds.to_zarr(store / "tasks" / name, consolidated=True, zarr_format=2)


def tiny_result(epochs, replicas=2, offset=0.0):
    epochs = np.asarray(epochs)
    error = offset + np.arange(replicas * len(epochs) * 2, dtype=float).reshape(replicas, len(epochs), 2)
    return xr.Dataset({"error": (("replica", "epoch", "item"), error)},
                      coords={"replica": np.arange(replicas), "epoch": epochs, "item": ["a", "b"],
                              "seed": ("replica", np.arange(replicas))})


def test_tasks_on_different_recording_schedules(tmp_path):
    store = tmp_path / "hand.zarr"
    write_task(store, "0000", tiny_result([0, 10, 20, 30]))
    write_task(store, "0001", tiny_result([0, 20, 25], offset=100))  # ended at epoch 25
    ds = open_sweep(store)
    # 25 is only task 0001's end: its values are carried to 30.  10 was recorded by task 0000 only.
    assert ds["epoch"].values.tolist() == [0, 10, 20, 30]
    b = ds.isel(replica=[2, 3])
    assert b["trained"].values.tolist() == [[True, True, True, False]] * 2
    assert b["recorded"].values.tolist() == [[True, False, True, False]] * 2
    assert b["error"].sel(epoch=10).isnull().all()
    np.testing.assert_array_equal(b["error"].sel(epoch=30).values, tiny_result([0, 20, 25], offset=100)["error"]
                                  .isel(epoch=-1).values)
    a = ds.isel(replica=[0, 1])
    assert a["trained"].all() and a["recorded"].all() and a["error"].notnull().all()


# --- what a store holds: the resolved spec of every task ------------------------------------


def copy_store(store, tmp_path):
    return Path(shutil.copytree(store, tmp_path / "copy.zarr"))


def task_names(store):
    return sorted(p.name for p in (store / "tasks").iterdir())


def test_a_store_refuses_tasks_from_another_resolved_spec(criterion_store, tmp_path):
    store = copy_store(criterion_store, tmp_path)
    before = task_names(store)
    with pytest.raises(DataError, match=r"training\.epochs \(stored 600, now 700\)") as info:
        run_sweep(XOR, SIZES, 2, store, overrides=["training.epochs=700", "recording.every=50"], progress=False)
    assert str(store) in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(DataError, match=r"seeds per replica \(stored \[1, 2\], now \[1, 2, 3\]\)"):
        run_sweep(XOR, SIZES, 3, store, overrides=CRITERION, progress=False)
    with pytest.raises(DataError, match=r"different sweep: swept keys"):
        run_sweep(XOR, {**SIZES, "training.lr": [0.5, 1.0]}, 2, store, overrides=CRITERION, progress=False)
    # The same spec elsewhere is the same sweep; an edited copy, or edited data, is not.
    spec, data = tmp_path / "xor.toml", tmp_path / "xor.csv"
    shutil.copy(MODELS / "xor.csv", data)
    spec.write_text((MODELS / "xor.toml").read_text())
    assert run_sweep(spec, SIZES, 2, store, overrides=CRITERION, progress=False) == []
    spec.write_text((MODELS / "xor.toml").read_text().replace("momentum = 0.9", "momentum = 0.8"))
    with pytest.raises(DataError, match=r"training\.momentum \(stored 0\.9, now 0\.8\)"):
        run_sweep(spec, SIZES, 2, store, overrides=CRITERION, progress=False)
    spec.write_text((MODELS / "xor.toml").read_text())
    data.write_text((MODELS / "xor.csv").read_text().replace("11,even,1,1,0", "11,even,1,1,0.1"))
    with pytest.raises(DataError, match="data file xor.csv changed"):
        run_sweep(spec, SIZES, 2, store, overrides=CRITERION, progress=False)
    assert task_names(store) == before


def test_adding_a_grid_value_appends_a_task(criterion_store, tmp_path):
    store = copy_store(criterion_store, tmp_path)
    ran = run_sweep(XOR, {"network.groups.hidden.size": [4, 2, 3]}, 2, store, overrides=CRITERION, workers=1,
                    progress=False)
    assert ran == ["0002"]
    ds, old = open_sweep(store), open_sweep(criterion_store)
    assert ds["task"].values.tolist() == ["0000", "0000", "0001", "0001", "0002", "0002"]
    for size in (2, 3):
        np.testing.assert_array_equal(of_size(ds, size)["error"].isel(epoch=-1).values,
                                      of_size(old, size)["error"].isel(epoch=-1).values)
    np.testing.assert_array_equal(of_size(ds, 4)["error"].isel(epoch=-1).values,
                                  direct_run(4)["error"].isel(epoch=-1).values)


def test_seed_and_replicas_are_not_grid_settings(tmp_path):
    for key in ("training.seed", "training.replicas"):
        with pytest.raises(SpecError, match=rf"^--grid {key}: .*use --seeds N"):
            plan_sweep({key: [1, 2]}, seeds=2)
    with pytest.raises(SpecError, match=r"^--set training.replicas=3: .*use --seeds N"):
        run_sweep(XOR, SIZES, 2, tmp_path / "s.zarr", overrides=["training.replicas=3"], progress=False)
    result = subprocess.run([sys.executable, "-m", "pdplab", "sweep", XOR, "--grid", "training.seed=1,2",
                             "--out", str(tmp_path / "s.zarr")], capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "--seeds N" in result.stderr
    assert not (tmp_path / "s.zarr").exists()


def test_grids_are_checked(tmp_path):
    from pdplab.sweep import parse_grid

    with pytest.raises(SpecError, match="given twice"):
        parse_grid(["training.lr=0.1", "training.lr=0.2"])
    with pytest.raises(SpecError, match="the value 2 is given twice"):
        plan_sweep({"network.groups.hidden.size": [2, 3, 2]}, seeds=1)
    with pytest.raises(SpecError, match="an empty value"):
        parse_grid(["training.lr=0.1,,0.2"])


# --- one sweep at a time; only its own leftovers are cleared ----------------------------------


def test_a_rerun_clears_only_what_a_killed_sweep_left(criterion_store, tmp_path):
    store = copy_store(criterion_store, tmp_path)
    tasks = store / "tasks"
    # Killed while writing task 0001, and while zarr wrote a file of its own.
    shutil.rmtree(tasks / "0001")
    (tasks / ".0001.partial" / "error").mkdir(parents=True)
    (tasks / ".0001.partial" / "error" / ".zarray.0b5e2f7c.partial").write_text("{")
    (tasks / ".0002.partial").write_text("")
    zarrs_own = tasks / ".zattrs.5d1c2b9e0a4f.partial"
    zarrs_own.write_text("{")
    assert run_sweep(XOR, SIZES, 2, store, overrides=CRITERION, workers=1, progress=False) == ["0001"]
    assert not (tasks / ".0001.partial").exists() and not (tasks / ".0002.partial").exists()
    assert zarrs_own.exists()
    a, b = open_sweep(store), open_sweep(criterion_store)
    for name in b.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)


def test_a_second_sweep_on_a_busy_store_is_refused(tmp_path):
    out = tmp_path / "busy.zarr"
    first = subprocess.Popen([sys.executable, "-m", "pdplab", "sweep", XOR, "--grid", "network.groups.hidden.size=2,3",
                              "--set", "training.epochs=60000", "--set", "training.criterion=0.0",
                              "--set", "recording.every=20000", "--workers", "1", "--out", str(out), "--quiet"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not (out / "tasks").is_dir() and time.time() < deadline:
        time.sleep(0.02)
    with pytest.raises(DataError, match="another sweep is running on this store") as info:
        run_sweep(XOR, {"network.groups.hidden.size": [2, 3]}, 1, out,
                  overrides=["training.epochs=60000", "training.criterion=0.0", "recording.every=20000"],
                  workers=1, progress=False)
    assert str(out) in str(info.value)
    assert first.poll() is None, "the first sweep ended before the second started; the test proves nothing"
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert open_sweep(out)["task"].values.tolist() == ["0000", "0001"]


# --- a diverging task --------------------------------------------------------------------------


def test_a_diverging_task_is_named_after_the_others_are_written(tmp_path, capfd):
    out = tmp_path / "diverging.zarr"
    overrides = ["training.lr=1e6", "training.epochs=50"]
    with pytest.raises(DivergenceError), np.errstate(all="ignore"):  # a linear output really diverges
        load_spec(XOR, [*overrides, "network.groups.output.activation=linear"]).run(seed=[1, 2])
    capfd.readouterr()
    with pytest.raises(DivergenceError) as info:
        run_sweep(XOR, {"network.groups.output.activation": ["logistic", "linear"]}, 2, out,
                  overrides=overrides, workers=2, progress=False)
    message = str(info.value)
    assert "\n" not in message and str(out) in message
    assert 'task 0001 (network.groups.output.activation="linear")' in message
    assert "training diverged at epoch" in message
    assert re.search(r"replica \d of that task has seed \d, lr=1000000.0, momentum=0.9", message), message
    assert info.value.epoch is not None and info.value.seeds
    err = capfd.readouterr().err
    assert "Compute Failed" not in err and "Traceback" not in err and "RuntimeWarning" not in err, err
    ds = open_sweep(out)  # the task that did not diverge is written
    assert ds["task"].values.tolist() == ["0000", "0000"]
    assert ds["network.groups.output.activation"].values.tolist() == ["logistic", "logistic"]


# --- arguments checked up front ----------------------------------------------------------------


@pytest.mark.parametrize("seeds", [0, -2, [], [1.5], True, "3"])
def test_bad_seeds_are_named(tmp_path, seeds):
    with pytest.raises(SpecError, match=r"^--seeds .*: expected a number of seeds ≥ 1"):
        run_sweep(XOR, {"training.lr": [0.1, 0.5]}, seeds, tmp_path / "s.zarr", progress=False)
    assert not (tmp_path / "s.zarr").exists()


@pytest.mark.parametrize("workers", [0, 1.5, "2", True])  # -1 (which hung) is tried in a subprocess below
def test_bad_workers_are_named(tmp_path, workers):
    with pytest.raises(SpecError, match=r"^--workers .*: expected a number of local workers ≥ 1"):
        run_sweep(XOR, SIZES, 1, tmp_path / "s.zarr", workers=workers, progress=False)
    assert not (tmp_path / "s.zarr").exists()


def test_workers_and_scheduler(tmp_path):
    with pytest.raises(SpecError, match=r"^--workers: .*leave it out with --scheduler"):
        run_sweep(XOR, SIZES, 1, tmp_path / "s.zarr", workers=2, scheduler="tcp://127.0.0.1:8786", progress=False)
    with pytest.raises(SpecError, match=r"^--scheduler nonsense://x: cannot connect \(unknown address scheme"):
        run_sweep(XOR, SIZES, 1, tmp_path / "s.zarr", scheduler="nonsense://x", progress=False)


def test_negative_workers_on_the_command_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pdplab", "sweep", XOR, "--grid", "network.groups.hidden.size=2",
                             "--workers", "-1", "--out", str(tmp_path / "s.zarr"), "--quiet"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("pdplab: error: --workers -1")


# --- reading never unpickles; a corrupt store is one line ---------------------------------------


class Trap:
    """Creates a file when unpickled."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_open_sweep_never_unpickles(tmp_path, monkeypatch):
    import numcodecs.pickles

    # As if the user's environment allowed numcodecs to unpickle: pdplab must refuse by itself.
    monkeypatch.setattr(numcodecs.pickles, "ALLOW_UNSAFE_PICKLE_DECODE", True)
    store, trap = tmp_path / "pickled.zarr", tmp_path / "unpickled"
    write_task(store, "0000", tiny_result([0, 1]).assign_coords(item=np.array(["a", "b"], dtype=object)))
    task = store / "tasks" / "0000"
    meta = json.loads((task / "item" / ".zarray").read_text())
    meta.update(compressor=None, filters=[{"id": "vlen-utf8"}, {"id": "pickle", "protocol": 5}])
    (task / "item" / ".zarray").write_text(json.dumps(meta))
    consolidated = json.loads((task / ".zmetadata").read_text())
    consolidated["metadata"]["item/.zarray"] = meta
    (task / ".zmetadata").write_text(json.dumps(consolidated))
    for chunk in (task / "item").glob("[0-9]*"):
        chunk.unlink()
    (task / "item" / "0").write_bytes(pickle.dumps(Trap(trap)))
    with pytest.raises(DataError, match=r"task 0000: array item is stored with codec 'pickle'") as info:
        open_sweep(store)
    assert "\n" not in str(info.value) and str(store) in str(info.value)
    assert not trap.exists()


def corrupt_metadata(task):
    (task / ".zmetadata").write_text('{"metadata": {')


def corrupt_chunk(task):
    for chunk in (task / "error").glob("[0-9]*"):
        chunk.write_bytes(b"not blosc")


def empty_task(task):
    shutil.rmtree(task)
    task.mkdir()


@pytest.mark.parametrize("damage", [corrupt_metadata, corrupt_chunk, empty_task])
def test_a_corrupt_store_is_one_line(tmp_path, damage):
    store = tmp_path / "corrupt.zarr"
    write_task(store, "0000", tiny_result([0, 1]))
    damage(store / "tasks" / "0000")
    with pytest.raises(DataError, match=r"task 0000") as info:
        open_sweep(store)
    assert "\n" not in str(info.value) and str(store) in str(info.value)


def test_sweep_figures_draw_one_curve_per_condition(criterion_store):
    from pdplab.sweep_report import sweep_figures

    ds = open_sweep(criterion_store)
    figures = sweep_figures(ds)
    fig, caption = figures["learning_curves_by_condition"]
    assert "network.groups.hidden.size" in caption
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["hidden.size=2 (n=2)", "hidden.size=3 (n=2)"]
    for line, size in zip(lines, (2, 3)):
        alone = direct_run(size)
        x = line.get_xdata()
        # The curve (the training pass's error, every epoch) stops where the task stopped; no carried
        # epochs are drawn.
        assert x.max() == int(alone["train_epoch"][-1]) and len(x) == alone.sizes["train_epoch"]
        expected = alone["train_error"].sum("item").sel(train_epoch=x).median("replica").values
        np.testing.assert_allclose(line.get_ydata(), expected)
    fig, caption = figures["final_error_by_condition"]
    from matplotlib.collections import PathCollection

    points = [c.get_offsets()[:, 1] for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    final = ds["error"].isel(epoch=-1).sum("item")
    for values, size in zip(points, (2, 3), strict=True):
        np.testing.assert_array_equal(values, of_size(final, size).values)
    assert "median" in caption
