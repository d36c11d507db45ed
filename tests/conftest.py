import pytest

import pdplab as pl


@pytest.fixture
def xor():
    net = pl.Network(
        [pl.Group("input", 2), pl.Group("hidden", 3), pl.Group("output", 1, error="sse")],
        [("input", "hidden"), ("hidden", "output")],
    )
    env = pl.Environment(
        {"input": [[0, 0], [0, 1], [1, 0], [1, 1]]},
        {"output": [[0], [1], [1], [0]]},
        items=["00", "01", "10", "11"],
    )
    return net, env
