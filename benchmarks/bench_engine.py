"""Time pdplab's two paths against a plain PyTorch loop on the same networks.

Case 1: the Rumelhart & Todd (1993) semantic network (item 8 → 8 → 15 ← relation 4;
15 → 36 logistic, sum-squared error, 32 patterns in a new order each epoch, an update
after every pattern, learning rate 0.1), trained by

- pdplab's compiled kernel (the path ``pl.train`` takes by itself for pattern-wise
  training) and its numpy passes (``engine="numpy"``), for 1, 10 and 100 replicas
  trained at once, in float64 and float32, recording only at the start and the end;
- the same with pdplab's default record (every item's error every epoch, ``train_error``,
  and a test pass at the start and the end), for 100 replicas in float64;
- a plain PyTorch loop (autograd, ``torch.optim.SGD``), one network at a time.

Each figure is the time of a whole ``pl.train`` call (setup and results included) over
``--epochs`` epochs, divided by epochs × replicas; the best of ``--repeats``, the cases
taking turns so that each meets the same machine load.  The ratio is the PyTorch loop's
time per network-epoch over pdplab's.

Time to first result: a fresh process trains one semantic network for 1000 epochs, once
with an empty compilation cache (numba compiles the kernel) and once with the cache filled.

Case 2: a network of the size of Plaut et al.'s (1996) reading model (105 → 100 → 61
logistic, cross-entropy, 3000 patterns, one update per epoch with momentum), which
takes the numpy path (large batches), against PyTorch, float64 and float32.

Run ``python benchmarks/bench_engine.py`` (PyTorch comes with ``pip install -e .[bench]``;
without it only pdplab's times are printed).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

import pdplab as pl
from pdplab.stimuli import rumelhart_todd_1993


def best_of_each(fns, repeats):
    """Time each function ``repeats`` times, taking turns; return the shortest time of each."""
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            if fn is None:
                continue
            t = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t)
    return best


# -- case 1 -------------------------------------------------------------------

def semantic_network():
    return pl.Network(
        [pl.Group("item", 8), pl.Group("relation", 4), pl.Group("representation", 8),
         pl.Group("hidden", 15), pl.Group("attribute", 36, error="sse")],
        [("item", "representation"), ("representation", "hidden"),
         ("relation", "hidden"), ("hidden", "attribute")],
        init_range=0.9,
    )


#: Record only at the start and the end, as the PyTorch loop does.
BARE = {"every": 0, "train_error": False}


def pdplab_semantic(epochs, replicas, dtype="float64", engine="auto", record=BARE):
    net, env = semantic_network(), rumelhart_todd_1993()
    return lambda: pl.train(net, env, epochs=epochs, lr=0.1, replicas=replicas, order="permuted",
                            record=record, dtype=dtype, engine=engine)


def torch_semantic(epochs, dtype="float64"):
    import torch

    env = rumelhart_todd_1993()
    tdtype = {"float64": torch.float64, "float32": torch.float32}[dtype]
    items = torch.tensor(env.inputs["item"], dtype=tdtype)
    relations = torch.tensor(env.inputs["relation"], dtype=tdtype)
    targets = torch.tensor(env.targets["attribute"], dtype=tdtype)

    class Semantic(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.rep = torch.nn.Linear(8, 8)
            self.hid_rep = torch.nn.Linear(8, 15)
            self.hid_rel = torch.nn.Linear(4, 15, bias=False)
            self.out = torch.nn.Linear(15, 36)

        def forward(self, item, relation):
            r = torch.sigmoid(self.rep(item))
            h = torch.sigmoid(self.hid_rep(r) + self.hid_rel(relation))
            return torch.sigmoid(self.out(h))

    def run():
        torch.manual_seed(0)
        model = Semantic().to(tdtype)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for _ in range(epochs):
            for i in torch.randperm(len(items)).tolist():
                opt.zero_grad()
                o = model(items[i: i + 1], relations[i: i + 1])
                loss = 0.5 * ((o - targets[i: i + 1]) ** 2).sum()
                loss.backward()
                opt.step()
        return model

    return run


FIRST_RESULT = """
import time
t = time.perf_counter()
import pdplab as pl
from pdplab.stimuli import rumelhart_todd_1993
net = pl.Network([pl.Group("item", 8), pl.Group("relation", 4), pl.Group("representation", 8),
                  pl.Group("hidden", 15), pl.Group("attribute", 36, error="sse")],
                 [("item", "representation"), ("representation", "hidden"), ("relation", "hidden"),
                  ("hidden", "attribute")], init_range=0.9)
pl.train(net, rumelhart_todd_1993(), epochs=1000, lr=0.1)
print(time.perf_counter() - t)
"""


def time_to_first_result():
    """Seconds from a fresh process's start to a trained network: with an empty
    compilation cache, then with the cache filled."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        times = []
        for _ in range(2):
            t = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", FIRST_RESULT], env=env, capture_output=True, text=True,
                                 check=True)
            times.append((time.perf_counter() - t, float(out.stdout.strip())))
    return times


# -- case 2 -------------------------------------------------------------------

def reading_sized(n_patterns=3000, seed=0):
    rng = np.random.default_rng(seed)
    x = (rng.random((n_patterns, 105)) < 0.08).astype(float)
    t = (rng.random((n_patterns, 61)) < 0.1).astype(float)
    net = pl.Network(
        [pl.Group("orthography", 105), pl.Group("hidden", 100),
         pl.Group("phonology", 61, error="cross_entropy")],
        [("orthography", "hidden"), ("hidden", "phonology")],
        init_range=0.1,
    )
    return net, pl.Environment({"orthography": x}, {"phonology": t})


def pdplab_reading(epochs, dtype):
    net, env = reading_sized()
    return lambda: pl.train(net, env, epochs=epochs, optimizer="momentum", lr=0.001, momentum=0.9,
                            update="batch", record=BARE, dtype=dtype)


def torch_reading(epochs, dtype):
    import torch

    _, env = reading_sized()
    tdtype = {"float64": torch.float64, "float32": torch.float32}[dtype]
    x = torch.tensor(env.inputs["orthography"], dtype=tdtype)
    t = torch.tensor(env.targets["phonology"], dtype=tdtype)

    def run():
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(105, 100), torch.nn.Sigmoid(), torch.nn.Linear(100, 61)).to(tdtype)
        opt = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
        loss_fn = torch.nn.BCEWithLogitsLoss(reduction="sum")
        for _ in range(epochs):
            opt.zero_grad()
            loss = loss_fn(model(x), t)
            loss.backward()
            opt.step()
        return model

    return run


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=1000, help="epochs per timing of case 1")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    try:
        import torch

        torch.set_num_threads(2)
    except ImportError:
        torch = None
        print("PyTorch is not installed: printing pdplab's times only (pip install -e .[bench]).")

    E, rep = args.epochs, args.repeats
    pl.train(semantic_network(), rumelhart_todd_1993(), epochs=1)  # compiled (or read from the cache) once
    print(f"{'case 1: semantic network, µs per network-epoch':<58}{'compiled':>10}{'numpy':>10}{'PyTorch':>10}"
          f"{'ratio':>9}")
    for dtype in ("float64", "float32"):
        cases = [(f"{r} replica{'s' * (r > 1)}, {dtype}", r, BARE) for r in (1, 10, 100)]
        if dtype == "float64":
            cases.append(("100 replicas, float64, default record", 100, None))
        fns = [torch_semantic(E, dtype) if torch else None]
        for _, r, record in cases:
            fns += [pdplab_semantic(E, r, dtype, "compiled", record), pdplab_semantic(E, r, dtype, "numpy", record)]
        times = best_of_each(fns, rep)
        base = times[0] / E * 1e6 if torch else None
        for k, (name, r, _) in enumerate(cases):
            ours, numpy_path = (times[1 + 2 * k + i] / E / r * 1e6 for i in (0, 1))
            ratio = f"{base / ours:8.0f}x" if base else "      n/a"
            print(f"{name:<58}{ours:10.1f}{numpy_path:10.1f}{base or float('nan'):10.0f}{ratio}")

    (cold, cold_inner), (warm, warm_inner) = time_to_first_result()
    print(f"time to first result (1 network, 1000 epochs, a fresh process): empty cache {cold:.1f} s "
          f"({cold_inner:.1f} s after start-up), cache filled {warm:.1f} s ({warm_inner:.1f} s)")

    E2 = max(E // 10, 20)
    print(f"\n{'case 2: reading-sized, batch (numpy path), ms per epoch':<58}{'pdplab':>10}{'PyTorch':>10}{'ratio':>9}")
    for dtype in ("float64", "float32"):
        ours, theirs = best_of_each([pdplab_reading(E2, dtype), torch_reading(E2, dtype) if torch else None], rep)
        theirs = theirs / E2 * 1e3 if torch else None
        ratio = f"{theirs / (ours / E2 * 1e3):8.2f}x" if theirs else "      n/a"
        print(f"{dtype:<58}{ours / E2 * 1e3:10.2f}{theirs or float('nan'):10.2f}{ratio}")


if __name__ == "__main__":
    main()
