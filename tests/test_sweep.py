"""Sweeps on a real dask LocalCluster, stored task by task, resumable after a kill."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

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
