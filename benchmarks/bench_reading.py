"""Time the PMSP96 reading model, Simulation 1, in pdplab against plain PyTorch.

The model is the spec ``models/pmsp96_sim1.toml``: the feedforward network of
Plaut, McClelland, Seidenberg & Patterson (1996), 105 grapheme units → 100
logistic hidden units → 61 logistic phoneme units, cross-entropy with Lens's
target radius 0.1 (an output within 0.1 of its 0/1 target gives no error;
otherwise the error and its gradient are measured against 0.1 or 0.9), each
word's error scaled by its frequency, one batch update per epoch over the
≈3000 words of the corpus, and Lens's delta-bar-delta (a gain per connection,
biases included, multiplying the learning rate 0.001; momentum 0 for epochs
1–10, then 0.9).

Cases
-----
pdplab, no recording
    ``pl.train`` on the spec's network, corpus and training settings with
    ``record={"every": 0, "accuracy": [], "train_error": False}`` (the error
    of every word at the first and the last epoch only), 1 and 8 replicas,
    float32 and float64.  Each configuration is timed over ``--epochs``
    epochs (default 20; the cost of an epoch does not change with training)
    and over 1 epoch: the time per epoch is the difference over
    ``epochs - 1``, and the setup (everything a run does besides its epochs:
    arrays, initial weights, the records at the start and the end, the
    results) is printed beside it.
pdplab, the spec's recording
    8 replicas in float32 (the spec's own run) with the spec's record: the
    phonology of every word every 50 epochs and at the start and the end, and
    every word's error every epoch (``train_error``), and a row with the same
    record but no ``train_error``.  The time per epoch shows what
    ``train_error`` adds to each epoch; the records of the phonology, at the
    start and the end of these short runs, fall in the setup column (the
    300-epoch run makes 7 of them).
PyTorch
    The same arithmetic as a plain loop without autograd: forward pass with
    the bias as a weight from a unit that is always on (as pdplab fuses it),
    output deltas ``(o − clip(o, t − 0.1, t + 0.1)) · frequency``, logistic
    back-propagation, summed gradients, and Lens's gain and weight-change
    update with the momentum schedule; it also computes every word's error at
    the start and the end, as pdplab's minimal record does.  Two layouts of
    the replicas are timed and the faster one is reported, named in the
    table: ``loop`` (one replica at a time, 2-D ``torch.mm``; its activations,
    3011 × 100, stay in cache) and ``bmm`` (all replicas at once with
    ``torch.bmm``, the input broadcast over them).  Which is faster depends
    on the threads and the load: on the 2-core machine this was written on,
    ``bmm`` by up to 20% with 2 threads, ``loop`` by 15% or more with one.
    PyTorch uses as many threads as the machine has cores (``--threads``), as
    numpy's BLAS does.
Check
    Once, from the same initial weights (pdplab's, seeds 1–8), 20 epochs on
    each side (the momentum schedule included); the largest absolute
    difference between the final weights and biases is printed for float64
    and float32 and each layout.  float32 results may part by more than
    one rounding: a gain grows or shrinks by the sign of a gradient, and a
    gradient near zero may have either sign in the two summation orders.
End to end
    ``pdplab reproduce pmsp96-sim1 --out <tmp> --quiet`` timed once as a
    subprocess (its output discarded): corpus build, 300 epochs with the
    spec's recording, scoring and report; the training's own wall time, as
    stored in ``results.nc``, is printed beside it.

Both sides run in this process on the same data and take turns, and each
timing is the best of ``--repeats`` repeats.  The ratio is PyTorch's time over
pdplab's (above 1: pdplab is faster).  Run ``python benchmarks/bench_reading.py``
(PyTorch comes with ``pip install -e .[bench]``; without it only pdplab's
times are printed).  The load average is printed first: on a busy machine
multithreaded code waits for cores, PyTorch's thread pool most of all.

References
----------
Plaut, D. C., McClelland, J. L., Seidenberg, M. S., & Patterson, K. (1996).
Understanding normal and impaired word reading: Computational principles in
quasi-regular domains. *Psychological Review*, 103, 56-115.
Rohde, D. L. T. (1999). *Lens: The light, efficient network simulator*.
Carnegie Mellon University.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np

import pdplab as pl
from pdplab.core.optim import LensDeltaBarDelta

HERE = Path(__file__).resolve().parent
SPEC = HERE.parent / "models" / "pmsp96_sim1.toml"
NO_RECORD = {"every": 0, "accuracy": [], "train_error": False}
CHECK_EPOCHS = 20

try:
    sys.path.insert(0, str(HERE))
    from bench_engine import best_of_each
except ImportError:  # bench_engine not beside this file
    def best_of_each(fns, repeats):
        """Time each function ``repeats`` times, taking turns; the shortest time of each."""
        best = [float("inf")] * len(fns)
        for _ in range(repeats):
            for i, fn in enumerate(fns):
                if fn is not None:
                    t = time.perf_counter()
                    fn()
                    best[i] = min(best[i], time.perf_counter() - t)
        return best


# -- pdplab -------------------------------------------------------------------

def pdplab_run(exp, epochs, replicas, dtype, record=NO_RECORD, weights=None):
    """A function that trains the spec's model with ``pl.train``."""
    kw = {**exp.training, "epochs": epochs, "replicas": replicas, "seed": exp.seed, "dtype": dtype, "record": record}
    if weights is not None:
        kw["weights"] = weights
    return lambda: pl.train(exp.network, exp.environment, **kw)


# -- PyTorch ------------------------------------------------------------------

def momentum_schedule(training, epochs):
    """The momentum of each epoch 1..epochs under the spec's schedule."""
    changes = {int(e): ch["momentum"] for e, ch in (training.get("schedule") or {}).items() if "momentum" in ch}
    out, m = [], training["momentum"]
    for e in range(1, epochs + 1):
        m = changes.get(e, m)
        out.append(float(m))
    return out


def torch_run(exp, epochs, replicas, dtype, layout="loop", init=None):
    """A function that trains the spec's model in plain PyTorch and returns its
    fused parameters ``[(R, 106, 100), (R, 101, 61)]`` (bias in the last row).

    ``init`` is a pdplab weight dict (:meth:`Network.init_weights`); without it
    the weights are drawn uniformly in ±init_range inside the timed function.
    """
    import torch

    td = {"float32": torch.float32, "float64": torch.float64}[dtype]
    net, env, tr = exp.network, exp.environment, exp.training
    inputs, targets = env.arrays(net)
    (src,), (dst,) = inputs, targets
    hidden = next(g for g in net.order if g not in (src, dst))
    radius = float(net.groups[dst].target_radius)
    opt = {**LensDeltaBarDelta.defaults, "lr": tr["lr"], "decay": tr["decay"]}
    if opt["decay"] or tr["optimizer"] != "lens_delta_bar_delta" or tr["update"] != "batch":
        raise SystemExit("bench_reading: the PyTorch loop assumes batch updates, lens_delta_bar_delta, no decay")
    neg_lr, inc, dec = -float(opt["lr"]), float(opt["increment"]), float(opt["decrement"])
    moms = momentum_schedule(tr, epochs)

    x = torch.tensor(inputs[src][0], dtype=td)
    n_items = x.shape[0]
    xa = torch.cat([x, torch.ones(n_items, 1, dtype=td)], 1)  # the bias as a weight from an always-on unit
    xaT = xa.T.contiguous()
    t = torch.tensor(targets[dst][0], dtype=td)
    lo, hi = t - radius, t + radius
    freq = torch.tensor(env.frequency if tr["scale_by_frequency"] else np.ones(n_items), dtype=td)[:, None]
    n_in, n_hid, n_out = x.shape[1], net.groups[hidden].size, t.shape[1]
    shapes = [(replicas, n_in + 1, n_hid), (replicas, n_hid + 1, n_out)]
    if init is not None:
        start = [torch.tensor(np.concatenate([init[f"{a}->{b}"], init[f"{b}.bias"][:, None]], 1), dtype=td)
                 for a, b in ((src, hidden), (hidden, dst))]
    ones_h = torch.ones(n_items, 1, dtype=td)
    eps = max(1e-12, float(torch.finfo(td).eps))

    def error(params):
        """Every word's cross-entropy after the target radius, per replica (as pdplab records)."""
        h = torch.sigmoid(xa @ params[0])
        o = torch.sigmoid(torch.cat([h, ones_h.expand(replicas, -1, -1)], 2) @ params[1])
        tt = torch.clamp(o, lo, hi)
        oc = o.clamp(eps, 1 - eps)
        e = -(tt * oc.log() + (1 - tt) * torch.log1p(-oc)) + torch.xlogy(tt, tt) + torch.xlogy(1 - tt, 1 - tt)
        return e.clamp_min(0).sum(2)

    def one_replica(w1, w2, g1, g2):
        """Write ∂E/∂W of one replica into g1, g2."""
        h = torch.sigmoid(xa @ w1)
        ha = torch.cat([h, ones_h], 1)
        o = torch.sigmoid(ha @ w2)
        d_o = (o - torch.clamp(o, lo, hi)).mul_(freq)
        d_h = (d_o @ w2[:-1].T).mul_((1 - h).mul_(h))
        torch.mm(xaT, d_h, out=g1)
        torch.mm(ha.T, d_o, out=g2)

    def all_replicas(w1, w2, g1, g2):
        h = torch.sigmoid(torch.bmm(xa.expand(replicas, -1, -1), w1))
        ha = torch.cat([h, ones_h.expand(replicas, -1, -1)], 2)
        o = torch.sigmoid(torch.bmm(ha, w2))
        d_o = (o - torch.clamp(o, lo, hi)).mul_(freq)
        d_h = torch.bmm(d_o, w2[:, :-1].transpose(1, 2)).mul_((1 - h).mul_(h))
        torch.bmm(xaT.expand(replicas, -1, -1), d_h, out=g1)
        torch.bmm(ha.transpose(1, 2), d_o, out=g2)

    def run():
        if init is None:
            r = float(net.init_range)
            params = [torch.rand(s, dtype=td).mul_(2 * r).sub_(r) for s in shapes]
        else:
            params = [p.clone() for p in start]
        grads = [torch.empty_like(p) for p in params]
        gains = [torch.ones_like(p) for p in params]
        last = [torch.zeros_like(p) for p in params]  # the last weight change
        error(params)
        for mom in moms:
            if layout == "bmm":
                all_replicas(*params, *grads)
            else:
                for r in range(replicas):
                    one_replica(params[0][r], params[1][r], grads[0][r], grads[1][r])
            for p, g, gain, v in zip(params, grads, gains, last):
                # Lens: the gain grows by κ where g and the last change differ in sign bit, else × φ.
                grow = torch.signbit(g) != torch.signbit(v)
                gain.copy_(torch.where(grow, gain + inc, gain * dec))
                g.mul_(gain).mul_(neg_lr)
                v.mul_(mom).add_(g)
                before = p.clone()
                p.add_(v)
                torch.sub(p, before, out=v)  # the change the weight actually made
        error(params)
        return params

    return run


def weight_differences(exp, dtype, layouts):
    """Largest |pdplab − PyTorch| over all weights and biases after CHECK_EPOCHS
    epochs from pdplab's initial weights, for each layout; and the largest |weight|."""
    seeds = [exp.seed + r for r in range(exp.replicas)]
    init = exp.network.init_weights(seeds, dtype=dtype)
    ds = pdplab_run(exp, CHECK_EPOCHS, exp.replicas, dtype, weights={k: v.copy() for k, v in init.items()})()
    _, ours = pl.weights_from_dataset(ds, exp.network)
    (src,), (dst,) = exp.environment.inputs, exp.environment.targets
    hidden = next(g for g in exp.network.order if g not in (src, dst))
    diffs, big = {}, 0.0
    for layout in layouts:
        theirs = torch_run(exp, CHECK_EPOCHS, exp.replicas, dtype, layout, init=init)()
        diff = 0.0
        for (a, b), fused in zip(((src, hidden), (hidden, dst)), theirs):
            fused = fused.numpy()
            for mine, other in ((ours[f"{a}->{b}"], fused[:, :-1]), (ours[f"{b}.bias"], fused[:, -1])):
                diff = max(diff, float(np.abs(mine.astype(float) - other).max()))
                big = max(big, float(np.abs(mine).max()))
        diffs[layout] = diff
    return diffs, big


# -- end to end ---------------------------------------------------------------

def end_to_end():
    """Seconds for ``pdplab reproduce pmsp96-sim1`` in a subprocess, and the
    training's own wall time as stored in results.nc (None if unreadable)."""
    exe = shutil.which("pdplab", path=str(Path(sys.executable).parent)) or shutil.which("pdplab")
    cmd = [exe] if exe else [sys.executable, "-m", "pdplab"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pmsp96-sim1"
        t = time.perf_counter()
        done = subprocess.run(cmd + ["reproduce", "pmsp96-sim1", "--out", str(out), "--quiet"],
                              capture_output=True, text=True)
        total = time.perf_counter() - t
        if done.returncode:
            sys.exit(f"pdplab reproduce pmsp96-sim1 failed:\n{done.stderr}")
        training = None
        try:
            import xarray as xr

            with xr.open_dataset(out / "results.nc") as ds:
                training = float(ds.attrs["wall_time_s"])
        except Exception:  # the report is what is timed; the split is a bonus
            pass
    return total, training


def per_epoch(makers, epochs, repeats):
    """Time ``maker(epochs=n)()`` for n = ``epochs`` and n = 1, all makers taking
    turns; return (ms per epoch, ms of setup) for each maker: the time an epoch
    adds, and what a run costs besides its epochs (None makers give None)."""
    fns = []
    for make in makers:
        fns += [make(epochs=epochs), make(epochs=1)] if make else [None, None]
    t = best_of_each(fns, repeats)
    out = []
    for i, make in enumerate(makers):
        long, short = t[2 * i], t[2 * i + 1]
        epoch = (long - short) / (epochs - 1)
        out.append((epoch * 1e3, (short - epoch) * 1e3) if make else None)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=20, help="epochs of the longer timed runs (default 20, at least 2)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)),
                    help="PyTorch's threads (default: the cores, as numpy's BLAS uses)")
    ap.add_argument("--torch-layout", choices=("fastest", "loop", "bmm"), default="fastest",
                    help="replicas looped over, batched with torch.bmm, or both timed and the faster shown (default)")
    ap.add_argument("--no-reproduce", action="store_true", help="skip the end-to-end run")
    args = ap.parse_args(argv)
    if args.epochs < 2:
        ap.error("--epochs must be at least 2")
    try:
        import torch

        torch.set_num_threads(args.threads)
    except ImportError:
        torch = None
        print("PyTorch is not installed: printing pdplab's times only (pip install -e .[bench]).")

    E, rep = args.epochs, args.repeats
    layouts = ("loop", "bmm") if args.torch_layout == "fastest" else (args.torch_layout,)
    about = f"; PyTorch {torch.__version__}, {args.threads} threads, layouts {', '.join(layouts)}" if torch else ""
    print(f"{len(os.sched_getaffinity(0))} cores, load average {os.getloadavg()[0]:.2f}; "
          f"{E} epochs per timing, best of {rep}{about}")
    t = time.perf_counter()
    exp = pl.load_spec(SPEC)
    print(f"spec and corpus ({len(exp.environment)} words): {time.perf_counter() - t:.1f} s")

    if torch:
        for dtype in ("float64", "float32"):
            diffs, big = weight_differences(exp, dtype, layouts)
            print(f"check, {dtype}: after {CHECK_EPOCHS} epochs from the same weights, max |pdplab - PyTorch| = "
                  + ", ".join(f"{d:.3g} ({lay})" for lay, d in diffs.items()) + f"; max |w| = {big:.3g}")

    rows = []
    R = exp.replicas
    for dtype in ("float32", "float64"):
        for replicas in (1, R):
            makers = [partial(pdplab_run, exp, replicas=replicas, dtype=dtype)]
            makers += [partial(torch_run, exp, replicas=replicas, dtype=dtype, layout=lay) if torch else None
                       for lay in layouts]
            recording = replicas == R and dtype == exp.training["dtype"]
            if recording:
                spec_record = exp.training["record"]
                no_errors = {k: getattr(spec_record, k) for k in ("groups", "every", "accuracy")}
                makers.append(partial(pdplab_run, exp, replicas=replicas, dtype=dtype, record=spec_record))
                makers.append(partial(pdplab_run, exp, replicas=replicas, dtype=dtype,
                                      record={**no_errors, "train_error": False}))
            times = per_epoch(makers, E, rep)
            name = f"{replicas} replica{'s' * (replicas > 1)}, {dtype}"
            theirs = {lay: t for lay, t in zip(layouts, times[1:])} if torch else {}
            fastest = min(theirs, key=lambda lay: theirs[lay][0]) if torch else None
            rows.append((name, times[0], theirs.get(fastest), fastest))
            if recording:
                rows.append((name + ", spec's record", times[-2], None, None))
                rows.append((name + ", no train_error", times[-1], None, None))

    print(f"\n{'':<36}{'ms per epoch':^28}{'setup, ms':^16}")
    print(f"{'case':<36}{'pdplab':>10}{'PyTorch':>10}{'ratio':>8}{'pdplab':>8}{'PyTorch':>8}  PyTorch layout")
    for name, ours, theirs, lay in rows:
        line = f"{name:<36}{ours[0]:10.1f}"
        line += f"{theirs[0]:10.1f}{theirs[0] / ours[0]:8.2f}" if theirs else f"{'':>18}"
        line += f"{ours[1]:8.0f}" + (f"{theirs[1]:8.0f}  {lay}" if theirs else "")
        print(line)
    print(f"ratio: PyTorch / pdplab (above 1: pdplab is faster); load average now {os.getloadavg()[0]:.2f}")

    if not args.no_reproduce:
        total, training = end_to_end()
        split = f" (training {training:.1f} s, by results.nc)" if training is not None else ""
        print(f"end to end, pdplab reproduce pmsp96-sim1 ({exp.training['epochs']} epochs, "
              f"{R} replicas): {total:.1f} s{split}")


if __name__ == "__main__":
    main()
