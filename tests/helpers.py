"""Networks and environments shared by the tests."""

import numpy as np
import pdplab as pl


def two_input_network(hidden="logistic", output="logistic", error="sse", **group_options):
    """Two input groups, two hidden layers in sequence, one output group;
    one hidden bias fixed, the others trained."""
    return pl.Network(
        [
            pl.Group("a", 3),
            pl.Group("b", 2),
            pl.Group("h1", 4, activation=hidden),
            pl.Group("h2", 3, activation=hidden, bias=-0.5, learn_bias=False),
            pl.Group("out", 3, activation=output, error=error, **group_options),
        ],
        [("a", "h1"), ("b", "h1"), ("h1", "h2"), ("b", "h2"), ("h2", "out")],
        init_range=0.8,
    )


def random_environment(network, n=5, seed=0, binary_targets=False):
    rng = np.random.default_rng(seed)
    inputs = {g: rng.normal(size=(n, network.groups[g].size)) for g in network.inputs}
    targets = {}
    for g in network.outputs:
        size = network.groups[g].size
        if network.groups[g].activation == "softmax":
            t = np.eye(size)[rng.integers(0, size, n)]
        elif binary_targets:
            t = (rng.random((n, size)) < 0.5).astype(float)
        else:
            t = rng.uniform(0.05, 0.95, size=(n, size))
        targets[g] = t
    return pl.Environment(inputs, targets, items=[f"x{i}" for i in range(n)])
