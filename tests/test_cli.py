"""The pdplab command: runs, reports, exit codes and one-line errors."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import pdplab as pl
from pdplab.claims import COLUMNS
from pdplab.cli import main

MODELS = Path(__file__).resolve().parents[1] / "models"


def test_run_writes_results(tmp_path, capsys):
    out = tmp_path / "xor.nc"
    code = main(["run", str(MODELS / "xor.toml"), "--set", "training.epochs=30", "--replicas", "3",
                 "--seed", "5", "--out", str(out), "--quiet"])
    assert code == 0 and capsys.readouterr().out == ""
    ds = pl.load(out)
    assert list(ds["seed"].values) == [5, 6, 7] and int(ds["epoch"].values[-1]) == 30
    assert "spec" in ds.attrs
    assert main(["info", str(out)]) == 0
    assert "error (replica, epoch, item)" in capsys.readouterr().out
    assert main(["report", str(out), "--out", str(tmp_path / "fig")]) == 0
    assert (tmp_path / "fig" / "learning_curve.png").stat().st_size > 0
    assert (tmp_path / "fig" / "learning_curve_by_parity.png").exists()


@pytest.mark.parametrize(
    "argv, words",
    [
        (["run", "MODELS/xor.toml", "--set", "training.lrr=1", "--out", "OUT"], ["training.lrr", "unknown key"]),
        (["run", "MODELS/none.toml", "--out", "OUT"], ["none.toml", "no such file"]),
        (["run", "MODELS/xor.toml", "--out", "NOWHERE/x.nc"], ["does not exist"]),
        (["run", "MODELS/xor.toml", "--out", "DIR"], ["not a regular file"]),
        (["run", "MODELS/xor.toml", "--out", "LINK"], ["not a regular file"]),
        (["run", "MODELS/xor.toml", "--out", "OUT.csv"], ["must end with .nc"]),
        (["run", "MODELS/xor.toml", "--out", "/dev/null"], ["not a regular file"]),
        (["reproduce", "nope", "--out", "OUT"], ["unknown reproduction", "'nope'"]),
        (["info", "MODELS/xor.csv"], ["xor.csv", "not a readable netCDF"]),
    ],
)
def test_user_errors_exit_2_with_one_line(tmp_path, capsys, argv, words):
    (tmp_path / "dir.nc").mkdir()
    (tmp_path / "link.nc").symlink_to(tmp_path / "elsewhere.nc")
    argv = [a.replace("MODELS", str(MODELS)).replace("OUT", str(tmp_path / "out.nc"))
            .replace("NOWHERE", str(tmp_path / "nowhere")).replace("DIR", str(tmp_path / "dir.nc"))
            .replace("LINK", str(tmp_path / "link.nc")) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("pdplab: error:") and "Traceback" not in err
    for w in words:
        assert w in err, err
    assert not (tmp_path / "out.nc").exists()


def test_reproduce_list_and_console_script():
    result = subprocess.run([sys.executable, "-m", "pdplab", "reproduce", "--list"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "rumelhart-todd-1993" in result.stdout


def test_reproduce_writes_claims_report_and_figures(tmp_path, capsys):
    out = tmp_path / "rt"
    assert main(["reproduce", "rumelhart-todd-1993", "--out", str(out), "--replicas", "2", "--quiet",
                 "--set", "training.epochs=300"]) == 0
    printed = capsys.readouterr().out
    assert "claim" in printed and "holds" in printed
    claims = (out / "claims.csv").read_text().splitlines()
    assert claims[0] == ",".join(COLUMNS) and len(claims) >= 3
    report = (out / "report.md").read_text()
    assert "| claim | published | measured | statistic and test | n | effect [CI] | p | holds |" in report
    figures = sorted(p.name for p in (out / "figures").iterdir())
    assert "learning_curve.png" in figures and "mds_trajectories.png" in figures
    for name in figures:
        assert f"figures/{name}" in report
    assert pl.load(out / "results.nc").sizes["replica"] == 2
    assert "| `training.epochs` | `300` | **changed for this run**" in report
    assert "| `training.replicas` | `2` | **changed for this run**" in report


@pytest.mark.parametrize(
    "setup, argv, words",
    [
        (lambda out: out.write_text("x"), [], ["exists and is not a folder"]),
        (lambda out: (out / "report.md").mkdir(parents=True), [], ["report.md", "not a file"]),
        (lambda out: None, ["--replicas", "0"], ["--replicas", "≥ 1"]),
        (lambda out: None, ["--set", 'recording.groups=["attribute"]'], ["recording.groups", "representation"]),
    ],
)
def test_reproduce_checks_its_folder_and_spec_before_training(tmp_path, capsys, setup, argv, words):
    out = tmp_path / "rt"
    setup(out)
    assert main(["reproduce", "rumelhart-todd-1993", "--out", str(out), "--quiet", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    for w in words:
        assert w in err, err
    assert not (out / "results.nc").exists()


def test_reproduce_locks_its_folder_and_clears_what_a_killed_run_left(tmp_path, capsys):
    import fcntl

    out = tmp_path / "rt"
    (out / "figures").mkdir(parents=True)
    stale = [out / ".results.nc.abc123.nc", out / "figures" / ".damage.png.x1.png", out / "report.md"]
    for path in stale:
        path.write_text("left by a killed run")
    (out / "notes.txt").write_text("mine")
    with open(out / ".pdplab-reproduce.lock", "w") as lock:  # as a running reproduction holds it
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert main(["reproduce", "saxe-2019", "--out", str(out), "--quiet"]) == 2
        assert "another pdplab reproduce" in capsys.readouterr().err
    assert main(["reproduce", "saxe-2019", "--out", str(out), "--quiet", "--replicas", "6",
                 "--set", "training.epochs=300"]) == 0
    assert not any(path.exists() and path.read_text() == "left by a killed run" for path in stale)
    assert (out / "notes.txt").read_text() == "mine" and "6 replicas" in (out / "report.md").read_text()


@pytest.mark.parametrize("argv, words", [
    (["--seed", "-1"], ["--seed", "at least 0"]),
    (["--replicas", "0"], ["--replicas", "at least 1"]),
    (["--set", "training.lr=nan"], ["xor.toml", "training", "'lr'", "finite"]),
    (["--set", "training.lr=[0.1, 0.2]"], ["xor.toml", "training", "'lr'", "2 values for 10 replicas"]),
    (["--set", "training.seed=-3"], ["xor.toml", "training.seed"]),
    (["--set", "training.epochs=100000000", "--set", "recording.every=1"], ["GB", "--force"]),
])
def test_run_refuses_bad_settings_in_one_line(tmp_path, capsys, argv, words):
    out = tmp_path / "x.nc"
    assert main(["run", str(MODELS / "xor.toml"), "--out", str(out), "--quiet", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    for w in words:
        assert w in err, err
    assert not out.exists()


def test_every_argument_has_help():
    from pdplab.cli import build_parser

    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            assert action.help, f"pdplab {name} {action.dest}: no help"


def test_info_and_report_on_odd_files(tmp_path, capsys):
    import xarray as xr

    odd = xr.Dataset({"x": ("i", [1.0, 2.0])},
                     attrs={"network": "{not json", "training": "[" * 100000 + "]" * 100000})
    odd.to_netcdf(tmp_path / "odd.nc")
    assert main(["info", str(tmp_path / "odd.nc")]) == 0
    assert "not valid JSON" in capsys.readouterr().out
    assert main(["report", str(tmp_path / "odd.nc"), "--out", str(tmp_path / "figs")]) == 2
    err = capsys.readouterr().err
    assert "odd.nc" in err and "no error" in err and err.count("\n") == 1
    assert not (tmp_path / "figs").exists()


def test_continue_a_run_and_test_it_on_items_from_the_command_line(tmp_path, capsys):
    xor = str(MODELS / "xor.toml")
    first, rest, whole = tmp_path / "first.nc", tmp_path / "rest.nc", tmp_path / "whole.nc"
    base = ["--set", "training.criterion=0.0", "--quiet"]  # no early stop: every epoch trains
    assert main(["run", xor, "--epochs", "60", "--out", str(first), *base]) == 0
    assert main(["run", xor, "--from", str(first), "--epochs", "40", "--out", str(rest), *base]) == 0
    assert main(["run", xor, "--epochs", "100", "--out", str(whole), *base]) == 0
    a, b = pl.load(rest), pl.load(whole)
    assert int(a["epoch"][0]) == 60 and int(a["epoch"][-1]) == 100
    common = sorted(set(a["epoch"].values) & set(b["epoch"].values))
    assert common == [100]  # where both recorded; the continued run also records its start
    np.testing.assert_array_equal(a["error"].sel(epoch=common), b["error"].sel(epoch=common))
    for name in ("weight:input->hidden", "weight:hidden->output"):
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)
    assert main(["test", str(whole), "--items", str(MODELS / "xor.csv"), "--out", str(tmp_path / "t.nc")]) == 0
    tested = pl.load(tmp_path / "t.nc")
    assert tested["error"].dims == ("replica", "item") and list(tested["seed"].values) == list(b["seed"].values)
    np.testing.assert_allclose(tested["error"].values, b["error"].isel(epoch=-1).values)
    assert "correct" in capsys.readouterr().out
    assert main(["run", xor, "--from", str(tmp_path / "t.nc"), "--out", str(tmp_path / "x.nc"), "--quiet"]) == 2
    assert "no training state" in capsys.readouterr().err


def test_test_matches_columns_by_unit_name(tmp_path, capsys):
    run = tmp_path / "run.nc"
    assert main(["run", str(MODELS / "xor.toml"), "--epochs", "30", "--out", str(run), "--quiet"]) == 0
    lines = (MODELS / "xor.csv").read_text().splitlines()
    header = lines[[i for i, line in enumerate(lines) if line.startswith("item")][0]].split(",")
    rows = [line.split(",") for line in lines if line and line[0].isdigit()]
    order = [header.index(c) for c in ("item", "input.b", "input.a", "output.y")]
    (tmp_path / "swapped.csv").write_text("\n".join(",".join(r[i] for i in order) for r in [header, *rows]))
    for name in ("swapped.csv", "ok.csv"):
        items = tmp_path / name if name == "swapped.csv" else MODELS / "xor.csv"
        out = tmp_path / f"{name}.nc"
        assert main(["test", str(run), "--items", str(items), "--out", str(out), "--quiet"]) == 0
    np.testing.assert_array_equal(pl.load(tmp_path / "swapped.csv.nc")["error"],
                                  pl.load(tmp_path / "ok.csv.nc")["error"])
    (tmp_path / "other.csv").write_text("item,input.a,input.c,output.y\n00,0,0,0\n")
    assert main(["test", str(run), "--items", str(tmp_path / "other.csv"), "--out", str(tmp_path / "o.nc")]) == 2
    assert "'input.c'" in capsys.readouterr().err


def test_run_refuses_results_the_disk_has_no_room_for(tmp_path, capsys, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 10**5, 10**5))  # 100 kB free
    out = tmp_path / "xor.nc"
    code = main(["run", str(MODELS / "xor.toml"), "--set", "training.epochs=3000", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "xor.nc" in err and "GB free" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
    assert main(["run", str(MODELS / "xor.toml"), "--set", "training.epochs=3", "--out", str(out), "--quiet"]) == 0


def test_sweep_checks_record_sizes_before_running_and_can_be_forced(tmp_path, capsys):
    out = tmp_path / "big.zarr"
    argv = ["sweep", str(MODELS / "xor.toml"), "--grid", "network.groups.hidden.size=2,3", "--out", str(out),
            "--set", "training.epochs=1000000000", "--workers", "1"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "sweep task 0000 (network.groups.hidden.size=2)" in err and "--force" in err
    assert not out.exists()
    assert main([*argv[:-4], "--set", "training.epochs=2", "--set", "recording.every=0", "--workers", "1",
                 "--force", "--quiet"]) == 0


def test_the_command_starts_before_the_heavy_imports():
    # An interrupt while numpy, xarray or dask load must meet the command's own handler, not a traceback.
    code = "import sys, pdplab.cli, pdplab; print(sorted(m for m in ('numpy', 'xarray', 'dask') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_an_interrupt_while_loading_is_one_line(monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name.endswith("spec"):
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    assert main(["run", str(MODELS / "xor.toml"), "--out", "x.nc"]) == 130
    assert capsys.readouterr().err.strip() == "pdplab: interrupted; finished work is kept"
