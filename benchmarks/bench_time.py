"""Time the engine for networks in time against PyTorch with autograd (backpropagation through time).

Cases
-----
PMSP96 Simulation 3, one batch
    The attractor network of ``models/pmsp96_sim3.toml`` (105 grapheme units →
    100 hidden ↔ 61 phoneme units, phoneme → phoneme links, continuous time,
    dt 0.2 over 2 units of time: 10 ticks, error over the last 5) on the
    ≈3000 words of the corpus, one batch update per epoch with plain
    steepest descent (momentum 0), cross-entropy, float32 and float64, 1 replica.
    pdplab: ``pl.train`` over ``--epochs`` epochs and over 1; the time per
    epoch is the difference over ``epochs − 1``.  PyTorch: the same network
    unrolled in a loop of ticks, the loss's gradient by autograd, the same
    update; as many threads as numpy's BLAS uses.
Many small simple recurrent networks
    Elman's word-prediction network made small (31 → 20 hidden, 20 context
    units → 31, logistic, sum-squared error), a weight change after every
    word of a stream of about 2000 words of his sentences, the error stopped at the
    context (Elman's truncation).  pdplab trains 100 replicas in one run;
    PyTorch trains one network at a time (a hand-written script's loop,
    autograd per word), timed on 2 networks and reported per network-epoch.
Check
    Once per case, from the same initial weights, a few epochs on each side
    (float64): the largest absolute difference between the final weights.

Run ``python benchmarks/bench_time.py`` (``--epochs N``, ``--quick``).  Needs
``pip install torch==2.13.0`` (the ``bench`` extra) for the PyTorch columns.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import pdplab as pl
from pdplab.paths import data_dir
from pdplab.stimuli.elman import elman_1990_words


def sim3(epochs, dtype):
    exp = pl.load_spec(data_dir("models") / "pmsp96_sim3.toml", [
        "training.optimizer=momentum", "training.lr=0.001", "training.momentum=0.0", "training.schedule={}",
        "training.scale_by_frequency=false", "network.groups.phonology.target_radius=0.0",
        f"training.dtype={dtype}", "recording.groups=[]", "recording.train_error=false",
        "training.timing.test_duration=2.0"])
    return exp


def pdplab_epoch(exp, epochs, replicas=1, weights=None):
    def run(n):
        t = time.perf_counter()
        ds = pl.train(exp.network, exp.environment, **{**exp.training, "epochs": n}, replicas=replicas, seed=1,
                      weights=weights)
        return time.perf_counter() - t, ds

    one, _ = run(1)
    many, ds = run(epochs)
    return (many - one) / (epochs - 1), ds


def torch_sim3(exp, weights, epochs, dtype):
    import torch

    tdt = getattr(torch, dtype)
    x = torch.tensor(exp.environment.inputs["orthography"], dtype=tdt)
    t = torch.tensor(exp.environment.targets["phonology"], dtype=tdt)
    w = {k: torch.tensor(np.asarray(v[0], dtype=dtype), requires_grad=True) for k, v in weights.items()}
    timing = exp.training["timing"]
    dt, ticks = timing["dt"], int(round(timing["duration"] / timing["dt"]))
    lr = exp.training["lr"]

    def epoch():
        n_h = torch.zeros(len(x), 100, dtype=tdt)
        n_p = torch.zeros(len(x), 61, dtype=tdt)
        a_h, a_p = torch.sigmoid(n_h), torch.sigmoid(n_p)
        drive = x @ w["orthography->hidden"] + w["hidden.bias"]
        loss = 0.0
        for k in range(1, ticks + 1):
            i_h = drive + a_p @ w["phonology->hidden"]
            i_p = a_h @ w["hidden->phonology"] + a_p @ w["phonology->phonology"] + w["phonology.bias"]
            n_h, n_p = n_h + dt * (i_h - n_h), n_p + dt * (i_p - n_p)
            a_h, a_p = torch.sigmoid(n_h), torch.sigmoid(n_p)
            if k * dt > timing["grace"] + 1e-9:
                # From the net input: the same error, its gradient o − t exact however saturated the units.
                loss = loss + dt * torch.nn.functional.binary_cross_entropy_with_logits(n_p, t, reduction="sum")
        for v in w.values():
            v.grad = None
        loss.backward()
        with torch.no_grad():
            for v in w.values():
                v -= lr * v.grad

    epoch()
    start = time.perf_counter()
    for _ in range(epochs - 1):
        epoch()
    return (time.perf_counter() - start) / (epochs - 1), {k: v.detach().numpy() for k, v in w.items()}


def small_srn(events):
    exp = pl.load_spec(data_dir("models") / "elman_1990.toml", [
        "network.groups.hidden.size=20", "network.groups.context.size=20", "recording.train_error=false"])
    return exp, elman_1990_words(sentences=int(events / 2.75))


def torch_srn(env, weights, epochs, replica):
    import torch

    x = torch.tensor(np.nan_to_num(env.inputs["word"][0]))
    t = torch.tensor(np.nan_to_num(env.targets["prediction"][0]))
    w = {k: torch.tensor(np.array(v[replica]), requires_grad=True) for k, v in weights.items()}
    start = time.perf_counter()
    for _ in range(epochs):
        context = torch.full((20,), 0.5, dtype=torch.float64)
        for i in range(len(x) - 1):  # the last word has no next word
            hidden = torch.sigmoid(x[i] @ w["word->hidden"] + context @ w["context->hidden"] + w["hidden.bias"])
            out = torch.sigmoid(hidden @ w["hidden->prediction"] + w["prediction.bias"])
            loss = 0.5 * ((out - t[i]) ** 2).sum()
            for v in w.values():
                v.grad = None
            loss.backward()
            with torch.no_grad():
                for v in w.values():
                    v -= 0.1 * v.grad
            context = hidden.detach()
    return (time.perf_counter() - start) / epochs, {k: v.detach().numpy() for k, v in w.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="fewer epochs and replicas")
    args = parser.parse_args()
    try:
        import torch

        torch.set_num_threads(os.cpu_count())
    except ImportError:
        torch = None
        print("PyTorch is not installed (pip install torch==2.13.0): pdplab's times only")
    epochs = 3 if args.quick else args.epochs

    print("PMSP96 Simulation 3, one batch update of ≈3000 words over 10 ticks (per epoch)")
    for dtype in ("float32", "float64"):
        exp = sim3(epochs, dtype)
        weights = exp.network.init_weights([1], dtype=dtype)
        ours, ds = pdplab_epoch(exp, epochs, weights=weights)
        line = f"  {dtype}: pdplab {1e3 * ours:8.1f} ms"
        if torch is not None:
            theirs, final = torch_sim3(exp, weights, epochs, dtype)
            line += f"   PyTorch autograd {1e3 * theirs:8.1f} ms   ratio {theirs / ours:5.2f}×"
            if dtype == "float64":
                diff = max(float(np.abs(ds[f"weight:{k}"].values[0] - final[k]).max())
                           for k in final if "->" in k)
                line += f"   |Δw| after {epochs} epochs {diff:.1e}"
        print(line)

    replicas = 20 if args.quick else 100
    exp, env = small_srn(600 if args.quick else 2000)
    print(f"Simple recurrent networks (31 → 20 ↔ 20 context → 31), a change after each of {env.events} words "
          f"(per network-epoch)")
    train = {**exp.training, "epochs": 1}
    weights = exp.network.init_weights(range(1, replicas + 1))
    start = time.perf_counter()
    ds = pl.train(exp.network, env, **train, replicas=replicas, seed=1, weights=weights)
    ours = (time.perf_counter() - start) / replicas
    line = f"  {replicas} replicas: pdplab {1e3 * ours:8.1f} ms"
    if torch is not None:
        theirs, final = torch_srn(env, weights, 1, 0)
        torch_srn(env, weights, 1, 1)
        diff = max(float(np.abs(ds[f"weight:{k}"].values[0] - final[k]).max()) for k in final if "->" in k)
        line += f"   PyTorch loop {1e3 * theirs:8.1f} ms   ratio {theirs / ours:6.1f}×   |Δw| {diff:.1e}"
    print(line)


if __name__ == "__main__":
    main()
