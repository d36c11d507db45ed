"""The ``pdplab`` command.

    pdplab run SPEC [--set k=v …] [--replicas R] [--seed S] --out FILE.nc
    pdplab sweep SPEC --grid k=v1,v2 [--grid …] [--seeds N] --out STORE.zarr [--scheduler ADDRESS] [--workers N]
    pdplab reproduce --list
    pdplab reproduce NAME --out DIR
    pdplab report FILE [--out DIR]
    pdplab info FILE

Exit codes: 0 done, 2 a user error (reported in one line), 1 an internal failure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .core import RECORD_LIMIT_GB
from .exceptions import PdplabError

__all__ = ["main"]


def cmd_run(args):
    import numpy as np

    from .core.files import check_destination, load, save
    from .spec import load_spec

    _check_count(args.epochs, "--epochs", 0)
    exp = load_spec(args.spec, [*args.set, *([f"training.epochs={args.epochs}"] if args.epochs is not None else [])])
    out = check_destination(args.out, (".nc",))  # before training, not after
    _check_count(args.replicas, "--replicas", 1)
    _check_count(args.seed, "--seed", 0)
    start = None
    if args.from_file:
        start = load(args.from_file)
        if exp.network.time is not None:
            raise PdplabError(f"--from {args.from_file}: a network in time cannot continue a run")
        if "training_state" not in start.attrs:
            raise PdplabError(f"--from {args.from_file}: holds no training state to continue (not a results "
                              f"file of pdplab run, or recorded without weights)")
    _check_free_space(out, exp, args.replicas, args.force)
    ds = exp.run(replicas=args.replicas, seed=args.seed, progress=not args.quiet, weights=start,
                 record_limit_gb=None if args.force else RECORD_LIMIT_GB)
    save(ds, out)
    epochs = ds["epoch"].values
    stopped = " (every replica met training.criterion)" if "stopped_at" in ds and np.isfinite(
        ds["stopped_at"].values).all() else ""
    _say(args, f"wrote {out}: {ds.sizes['replica']} replicas, epochs {int(epochs[0])}–{int(epochs[-1])}{stopped}")


def _check_free_space(out, exp, replicas, force):
    """Refuse, before training, results that the disk of ``out`` has no room for."""
    import shutil

    from .core.train import record_size_gb

    need = record_size_gb(exp.network, exp.environment, replicas=replicas or exp.replicas or 1, **exp.training)
    if need > RECORD_LIMIT_GB and not force:
        return  # training refuses it first, for the memory it would take
    free = shutil.disk_usage(out.parent).free / 1e9
    if need > free:
        raise PdplabError(f"{out}: the results would take about {need:.3g} GB, but {out.parent} has only "
                          f"{free:.3g} GB free; record less (recording.every, recording.groups) or write elsewhere")


def cmd_test(args):
    from .core.files import check_destination, load, save
    from .core.propagate import inspect
    from .core.record import provenance, weights_from_dataset
    from .stimuli import read_patterns

    out = check_destination(args.out, (".nc",))
    results = load(args.results)
    try:
        network, weights = weights_from_dataset(results)
    except PdplabError as exc:
        raise PdplabError(f"{args.results}: {exc}") from None
    units = {g: [str(u) for u in results[f"{g}_unit"].values] for g in network.inputs + network.outputs
             if f"{g}_unit" in results.coords}
    items = read_patterns(args.items, network, units=units)
    try:
        rule = json.loads(results.attrs.get("training", "{}")).get("rule", "backprop")
    except (TypeError, ValueError):
        rule = "backprop"
    seeds = results["seed"].values if "seed" in results.coords else None
    if network.time is None:
        tested = inspect(network, weights, items, rule=rule, seeds=seeds)
    else:
        from .core.train_time import evaluate_results

        tested = evaluate_results(results, items, groups=[g for g in network.order if g not in network.inputs])
    if "seed" in results.coords:
        tested = tested.assign_coords(seed=("replica", results["seed"].values))
    tested.attrs = provenance(network=results.attrs.get("network", ""), tested_from=str(args.results),
                              items=str(args.items))
    save(tested, out)
    nearest = (f", {float(tested['correct_nearest'].mean()):.1%} (nearest target)" if "correct_nearest" in tested
               else "")
    settle = (f", settling time {float(tested['settling_time'].mean()):.3g}" if "settling_time" in tested else "")
    _say(args, f"wrote {out}: {tested.sizes['item']} items; error per item {float(tested['error'].mean()):.4g}, "
               f"correct {float(tested['correct'].mean()):.1%} (within 0.5){nearest}{settle}, means over replicas")


def cmd_sweep(args):
    from .sweep import open_sweep, parse_grid, run_sweep

    grid = parse_grid(args.grid)
    ran = run_sweep(args.spec, grid, args.seeds, args.out, overrides=args.set, scheduler=args.scheduler,
                    workers=args.workers, progress=not args.quiet,
                    record_limit_gb=None if args.force else RECORD_LIMIT_GB)
    ds = open_sweep(args.out)
    _say(args, f"{args.out}: ran {len(ran)} task(s) now; the store holds {ds.sizes['replica']} replicas")


def cmd_reproduce(args):
    import pandas as pd

    from .reproduce import reproduce, reproductions

    if args.list:
        for name, module in reproductions().items():
            print(f"{name:<28} {module.TITLE}")
        return
    if not args.name or not args.out:
        raise PdplabError("reproduce: give NAME and --out DIR, or --list")
    table = reproduce(args.name, args.out, replicas=args.replicas, overrides=args.set, progress=not args.quiet,
                      log=(lambda *a: None) if args.quiet else print,
                      record_limit_gb=None if args.force else RECORD_LIMIT_GB)
    shown = table[["claim", "n", "effect", "ci_low", "ci_high", "p", "holds"]].astype(object)
    shown = shown.map(lambda x: "" if pd.isna(x) else f"{x:.3g}" if isinstance(x, float) else x)
    print(shown.to_string(index=False, max_colwidth=70))
    _say(args, f"report: {Path(args.out) / 'report.md'}")


def cmd_report(args):
    from .plots import learning_curves, rdm_heatmap, save_figure

    ds = _open(args.file)
    source = Path(args.file)
    if "error" not in ds or ds["error"].dims[:2] != ("replica", "epoch"):
        raise PdplabError(f"{source}: has no error over epochs to draw; is it a results file of pdplab?")
    out = Path(args.out) if args.out else source.parent / f"{source.stem}_figures"
    out.mkdir(parents=True, exist_ok=True)
    sweep = source.is_dir()
    if sweep:  # one curve per condition, not every replica pooled
        from .sweep_report import sweep_figures

        written = [save_figure(fig, out / f"{name}.png") for name, (fig, _) in sweep_figures(ds).items()]
    else:
        written = [save_figure(learning_curves(ds), out / "learning_curve.png")]
    for name, var in ds.data_vars.items():
        # Final representations of each recorded group, replica 0 (its own units: sweeps pad with NaN).
        if var.dims[:3] == ("replica", "epoch", "item") and var.ndim == 4 and var.dims[-1].endswith("_unit") \
                and var.shape[-1] > 1 and ds.sizes["item"] <= 80:
            final = var.isel(replica=0, epoch=-1).dropna(var.dims[-1], how="all")
            if final.sizes[var.dims[-1]] > 1 and final.std("item").max() > 0:
                path = out / f"rdm_{name.replace(':', '_')}.png"
                title = f"{name}, epoch {int(ds['epoch'].values[-1])}, replica 0"
                written.append(save_figure(rdm_heatmap(final, title=title), path))
    for col in [] if sweep else ds["error"].coords:
        labels = ds[col].values
        if col != "item" and ds[col].dims == ("item",) and len(labels) and isinstance(labels[0], str):
            if 1 < len(set(labels)) <= 12:  # a classification of the items
                written.append(save_figure(learning_curves(ds, by=col), out / f"learning_curve_by_{col}.png"))
    _say(args, "wrote " + ", ".join(str(p) for p in written))


def cmd_info(args):
    ds = _open(args.file)
    print(args.file)
    print("dimensions: " + ", ".join(f"{d}={n}" for d, n in ds.sizes.items()))
    print("variables:")
    for name, var in ds.data_vars.items():
        print(f"  {name} ({', '.join(var.dims)}) {var.dtype}")
    print("provenance:")
    for key, value in ds.attrs.items():
        if key in ("network", "training"):
            try:
                value = json.dumps(json.loads(value))
            except (TypeError, ValueError, RecursionError):
                value = f"{value!s:.200} (not valid JSON)"
        text = " ".join(str(value).split())
        print(f"  {key}: {text if len(text) <= 200 else text[:197] + '...'}")


def _open(path):
    from .core.files import load
    from .sweep_store import open_sweep

    return open_sweep(path) if Path(path).is_dir() else load(path)


def _check_count(value, option, minimum):
    if value is not None and value < minimum:
        raise PdplabError(f"{option}: must be at least {minimum}, not {value}")


def _say(args, text):
    if not args.quiet:
        print(text)


def build_parser():
    parser = argparse.ArgumentParser(prog="pdplab", description="Connectionist models trained with backpropagation.")
    parser.add_argument("--version", action="version", version=f"pdplab {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    settings = dict(action="append", default=[], metavar="KEY=VALUE",
                    help="change a spec setting, e.g. training.lr=0.05 or network.groups.hidden.size=20; a "
                         "projection is named source->target (quote it for the shell) or source:target; repeatable")

    def common(p):
        p.add_argument("--quiet", action="store_true", help="no progress bars or messages")
        return p

    p = common(sub.add_parser("run", help="train a model spec", description="Train a model spec; write its results."))
    p.add_argument("spec", help="the model spec (a TOML file, e.g. models/xor.toml)")
    p.add_argument("--set", **settings)
    p.add_argument("--replicas", type=int, help="how many networks to train (default: the spec's training.replicas)")
    p.add_argument("--seed", type=int, help="seed of the first replica; replica r gets seed + r (default: the spec's)")
    p.add_argument("--out", required=True, help="the results file to write (.nc, netCDF)")
    p.add_argument("--epochs", type=int, help="how many epochs to train (with --from: how many more)")
    p.add_argument("--from", dest="from_file", metavar="RESULTS",
                   help="continue the run in this results file exactly where it stopped (same spec)")
    p.add_argument("--force", action="store_true", help=f"record even when the records would take more than "
                                                        f"{RECORD_LIMIT_GB:g} GB of memory")
    p.set_defaults(func=cmd_run)

    p = common(sub.add_parser("test", help="test trained networks on items",
                              description="Test the networks of a results file on the items of a pattern "
                                          "table: error, accuracy and every group's activation per item."))
    p.add_argument("results", help="a results file (.nc) with the trained weights")
    p.add_argument("--items", required=True, help="a pattern table (CSV) of the items to test, as for a spec's "
                                                  "environment.file")
    p.add_argument("--out", required=True, help="the file to write (.nc)")
    p.set_defaults(func=cmd_test)

    p = common(sub.add_parser("sweep", help="train a grid of settings × seeds",
                              description="Train every combination of the grid's settings, each with several "
                                          "seeds, on a dask cluster; finished tasks are kept in a Zarr store."))
    p.add_argument("spec", help="the model spec (a TOML file)")
    p.add_argument("--grid", action="append", required=True, metavar="KEY=V1,V2,…",
                   help="a setting and the values to try, e.g. training.lr=0.01,0.1; repeatable")
    p.add_argument("--seeds", type=int, default=1, help="seeds per cell, from the spec's training.seed on (default 1)")
    p.add_argument("--set", **settings)
    p.add_argument("--out", required=True, help="the sweep store to write (a folder, e.g. sweep.zarr)")
    p.add_argument("--scheduler", help="address of an existing dask scheduler, e.g. tcp://host:8786")
    p.add_argument("--workers", type=int, help="local worker processes (default: one per core)")
    p.add_argument("--force", action="store_true", help=f"record even when a task's records would take more "
                                                        f"than {RECORD_LIMIT_GB:g} GB of memory")
    p.set_defaults(func=cmd_sweep)

    p = common(sub.add_parser("reproduce", help="reproduce a published simulation",
                              description="Train (or reuse) a published simulation, test its claims over the "
                                          "replicas and write claims.csv, report.md, figures and results.nc."))
    p.add_argument("name", nargs="?", help="the reproduction (see --list)")
    p.add_argument("--list", action="store_true", help="list the reproductions")
    p.add_argument("--out", help="the folder to write into")
    p.add_argument("--replicas", type=int, help="how many networks to train (default: the spec's)")
    p.add_argument("--set", **settings)
    p.add_argument("--force", action="store_true", help=f"record even when the records would take more than "
                                                        f"{RECORD_LIMIT_GB:g} GB of memory")
    p.set_defaults(func=cmd_reproduce)

    p = common(sub.add_parser("report", help="figures for a results file or sweep store",
                              description="Draw learning curves and RDMs of a results file or sweep store."))
    p.add_argument("file", help="a results file (.nc) or sweep store (folder)")
    p.add_argument("--out", help="folder for the figures (default: FILE's name with _figures)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("info", help="describe a results file or sweep store",
                       description="Print the dimensions, variables and provenance of a results file or store.")
    p.add_argument("file", help="a results file (.nc) or sweep store (folder)")
    p.set_defaults(func=cmd_info, quiet=False)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except PdplabError as exc:
        print(f"pdplab: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("pdplab: interrupted; finished work is kept", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
