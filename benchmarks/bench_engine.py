"""Time pdplab's engine against a plain PyTorch version of the same networks.

Case 1: the Rumelhart & Todd (1993) semantic network (item 8 → 8 → 15 ← relation 4;
15 → 36 logistic, sum-squared error, 32 patterns, an update after every pattern,
learning rate 0.1): one network, then 100 replicas at once, in float64 and float32.
Case 2: a network of the size of Plaut et al.'s (1996) reading model (105 → 100 → 61
logistic, cross-entropy, 3000 patterns, one update per epoch with momentum), in
float64 and float32.

Both sides run in this process on the same data; each figure is the best of
several repeats.  Run ``python benchmarks/bench_engine.py`` (PyTorch comes with
``pip install -e .[bench]``; without it only pdplab's times are printed).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import pdplab as pl
from pdplab.stimuli import rumelhart_todd_1993


def best_of(fn, repeats):
    """The shortest of ``repeats`` timings of ``fn()``, in seconds."""
    return min(best_of_each([fn], repeats))


def best_of_each(fns, repeats):
    """Time each function ``repeats`` times, taking turns so that both sides
    meet the same machine load; return the shortest time of each."""
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


def pdplab_semantic(epochs, replicas, dtype="float64"):
    net, env = semantic_network(), rumelhart_todd_1993()
    # Record only at the start and the end, as the PyTorch loop does.
    return lambda: pl.train(net, env, epochs=epochs, lr=0.1, replicas=replicas,
                            order="permuted", record={"every": 0}, dtype=dtype)


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
                o = model(items[i : i + 1], relations[i : i + 1])
                loss = 0.5 * ((o - targets[i : i + 1]) ** 2).sum()
                loss.backward()
                opt.step()
        return model

    return run


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
                            update="batch", record={"every": 0}, dtype=dtype)


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
    ap.add_argument("--epochs", type=int, default=300, help="epochs per timing of case 1")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    try:
        import torch

        torch.set_num_threads(2)
    except ImportError:
        torch = None
        print("PyTorch is not installed: printing pdplab's times only (pip install -e .[bench]).")

    E, rep = args.epochs, args.repeats
    rows = []
    for dtype in ("float64", "float32"):
        one, hundred, base = best_of_each(
            [pdplab_semantic(E, 1, dtype), pdplab_semantic(E, 100, dtype),
             torch_semantic(E, dtype) if torch else None], rep
        )
        base = base / E * 1e3 if torch else None
        rows.append((f"semantic, 1 network, {dtype} (ms/epoch)", one / E * 1e3, base))
        rows.append((f"semantic, 100 replicas, {dtype} (ms/network-epoch)", hundred / E / 100 * 1e3, base))
    E2 = max(E // 2, 20)
    for dtype in ("float64", "float32"):
        ours, theirs = best_of_each([pdplab_reading(E2, dtype), torch_reading(E2, dtype) if torch else None], rep)
        theirs = theirs / E2 * 1e3 if torch else None
        rows.append((f"reading-sized, batch, {dtype} (ms/epoch)", ours / E2 * 1e3, theirs))

    print(f"{'case':<55}{'pdplab':>10}{'PyTorch':>10}{'speed-up':>10}")
    for name, ours, theirs in rows:
        ratio = f"{theirs / ours:9.1f}x" if theirs else "      n/a"
        theirs_s = f"{theirs:10.3f}" if theirs else "       n/a"
        print(f"{name:<55}{ours:10.3f}{theirs_s}{ratio}")


if __name__ == "__main__":
    main()
