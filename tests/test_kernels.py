"""The compiled kernel against the numpy passes: the same numbers to within rounding on every
feature, the same numbers bit for bit for a replica alone or among others, and the choice
of path."""

import numpy as np
import pytest

import pdplab as pl
from pdplab.core import kernels
from pdplab.core.compiled import choose_engine
from pdplab.core.optim import make_optimizer

from helpers import random_environment, two_input_network


def both(net, env, **settings):
    """Train on either path; return the two results."""
    settings.setdefault("record", {"every": 5})
    return [pl.train(net, env, engine=engine, **settings) for engine in ("numpy", "compiled")]


def assert_same(numpy_run, compiled_run, rtol=1e-9, atol=1e-11, skip=()):
    assert set(numpy_run.data_vars) == set(compiled_run.data_vars)
    assert compiled_run.attrs["engine"] == "compiled" and numpy_run.attrs["engine"] == "numpy"
    for name in numpy_run.data_vars:
        if name in skip or numpy_run[name].dtype.kind not in "fb":
            continue
        np.testing.assert_allclose(compiled_run[name].values.astype(float), numpy_run[name].values.astype(float),
                                   rtol=rtol, atol=atol, err_msg=name)


NETWORKS = {
    "logistic sse": dict(),
    "tanh hidden, cross-entropy": dict(hidden="tanh", error="cross_entropy"),
    "relu hidden, softmax cross-entropy": dict(hidden="relu", output="softmax", error="cross_entropy"),
    "linear hidden, softmax sse": dict(hidden="linear", output="softmax"),
    "radii": dict(target_radius=0.1, zero_error_radius=0.05),
    "cross-entropy with radii": dict(error="cross_entropy", target_radius=0.1, zero_error_radius=0.02),
}


@pytest.mark.parametrize("kind", NETWORKS)
@pytest.mark.parametrize("update", ["pattern", "minibatch", "batch"])
def test_both_paths_agree_on_every_network(kind, update):
    net = two_input_network(**NETWORKS[kind])
    env = random_environment(net, n=7, seed=1)
    runs = both(net, env, epochs=25, lr=0.3, update=update, batch_size=3, seed=[4, 5])
    assert_same(*runs)
    assert np.ptp(runs[1]["error"].sum("item").values) > 0  # it learned something


@pytest.mark.parametrize("optimizer, options", [
    ("steepest", {"decay": 0.01}),
    ("momentum", {"momentum": 0.8, "decay": 0.001}),
    ("dougs_momentum", {"momentum": 0.9, "lr": 2.0}),
    ("delta_bar_delta", {"momentum": 0.5, "lr": 0.05}),
    ("lens_delta_bar_delta", {"decay": 0.001}),
    ("adam", {"lr": 0.05, "decay": 0.001}),
])
@pytest.mark.parametrize("update", ["pattern", "minibatch"])
def test_both_paths_agree_on_every_optimizer(optimizer, options, update):
    net = two_input_network(error="cross_entropy")
    env = random_environment(net, n=6, seed=3)
    options = {"lr": 0.2, **options}
    assert_same(*both(net, env, epochs=20, optimizer=optimizer, update=update, batch_size=4, seed=[1, 2, 3],
                      **options))


@pytest.mark.parametrize("settings", [
    {"order": "ordered"},
    {"order": "probabilistic"},
    {"scale_by_frequency": True},
    {"order": "probabilistic", "scale_by_frequency": True, "update": "minibatch", "batch_size": 2},
    {"rule": "feedback_alignment"},
    {"lr": [0.1, 0.5, 1.0]},
    {"dtype": "float32"},
])
def test_both_paths_agree_on_orders_rules_and_settings(settings):
    net = two_input_network()
    env = random_environment(net, n=6, seed=2)
    env.frequency = np.array([1.0, 2, 3, 0.5, 1, 4])
    float32 = settings.get("dtype") == "float32"
    runs = both(net, env, epochs=20, seed=[7, 8, 9], **{"lr": 0.3, **settings})
    assert_same(*runs, rtol=2e-4 if float32 else 1e-9, atol=1e-5 if float32 else 1e-11)


def test_both_paths_agree_on_frozen_and_scaled_projections():
    net = pl.Network(
        [pl.Group("a", 3), pl.Group("h", 4, bias=False), pl.Group("g", 3, learn_bias=False),
         pl.Group("mid", 2, error="sse"), pl.Group("out", 2, error="cross_entropy")],
        [pl.Projection("a", "h", frozen=True), pl.Projection("a", "g", lr_scale=0.5), ("h", "mid"), ("g", "mid"),
         ("mid", "out"), pl.Projection("h", "out", lr_scale=2.0)],
        init_range=0.7,
    )
    env = random_environment(net, n=5, seed=4)
    runs = both(net, env, epochs=30, optimizer="momentum", lr=0.2, seed=[1, 2])
    assert_same(*runs)
    np.testing.assert_array_equal(runs[1]["weight:a->h"], pl.train(net, env, epochs=0, seed=[1, 2])["weight:a->h"])


def test_both_paths_stop_at_the_same_epoch(xor):
    net, env = xor
    numpy_run, compiled_run = both(net, env, epochs=3000, lr=0.5, criterion=0.3, seed=[3, 4, 5, 6],
                                   optimizer="momentum", momentum=0.5)
    np.testing.assert_array_equal(compiled_run["stopped_at"], numpy_run["stopped_at"])
    assert np.isfinite(compiled_run["stopped_at"]).all() and compiled_run.sizes["train_epoch"] < 3000
    # A stopped replica's optimizer state is not used again; the paths may leave it differently.
    assert_same(numpy_run, compiled_run, skip=[n for n in numpy_run.data_vars if n.startswith("optimizer:")])


def test_both_paths_agree_on_schedules_and_growing_vocabularies():
    net = two_input_network()
    env = random_environment(net, n=8, seed=5)
    first, later = env.subset(["x0", "x1", "x2"]), env
    schedule = {6: {"lr": 0.05}, 11: {"environment": later}, 16: {"momentum": 0.5}}
    runs = both(net, first, epochs=25, optimizer="momentum", lr=0.3, schedule=schedule, test=later, seed=[2, 3],
                record={"every": 1})
    assert_same(*runs)
    assert np.isnan(runs[1]["train_error"].sel(train_epoch=5, item="x5")).all()


def test_a_run_continued_on_the_other_path_matches_one_long_run(tmp_path):
    net = two_input_network()
    env = random_environment(net, n=6, seed=2)
    settings = dict(optimizer="lens_delta_bar_delta", lr=0.2, seed=[5, 6], record={"every": 6})
    whole = pl.train(net, env, epochs=30, engine="compiled", **settings)
    first = pl.train(net, env, epochs=18, engine="numpy", **settings)
    rest = pl.train(net, env, epochs=12, weights=first, engine="compiled", **settings)
    for name in ("weight:h2->out", "bias:out", "optimizer:gains:0"):
        np.testing.assert_allclose(rest[name], whole[name], rtol=1e-9, err_msg=name)
    np.testing.assert_allclose(rest["train_error"], whole["train_error"].sel(train_epoch=rest["train_epoch"]),
                               rtol=1e-9)


@pytest.mark.parametrize("threads", ["1", "2"])
def test_a_replica_is_bit_identical_alone_or_among_others(monkeypatch, threads):
    monkeypatch.setenv("PDPLAB_THREADS", threads)
    monkeypatch.setattr("pdplab.core.compiled._THREADED", 0)  # split even this small run
    net = two_input_network(error="cross_entropy")
    env = random_environment(net, n=6, seed=3)
    settings = dict(epochs=40, optimizer="adam", lr=0.05, engine="compiled")
    among = pl.train(net, env, seed=list(range(10, 21)), **settings)
    alone = pl.train(net, env, seed=[17], **settings)
    for name in alone.data_vars:
        if "replica" in alone[name].dims:
            np.testing.assert_array_equal(alone[name].isel(replica=0), among[name].isel(replica=7), err_msg=name)


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
@pytest.mark.parametrize("engine", ["numpy", "compiled"])
def test_a_diverging_run_is_named_on_either_path(engine):
    net = two_input_network(hidden="linear", output="linear")
    env = random_environment(net, n=5, seed=1)
    with pytest.raises(pl.DivergenceError) as e:
        pl.train(net, env, epochs=200, lr=[0.01, 5.0, 0.01], seed=[1, 2, 3], engine=engine)
    assert e.value.replicas == [1] and e.value.seeds == [2] and "replica 1 (seed 2)" in str(e.value)
    assert e.value.epoch < 200


def test_the_compiled_permutations_are_numpys():
    for n in (1, 2, 31, 500):
        ours, theirs = np.random.default_rng(11), np.random.default_rng(11)
        out = np.empty((7, n), dtype=np.int64)
        kernels.permutations(ours, out)
        np.testing.assert_array_equal(out, np.stack([theirs.permutation(n) for _ in range(7)]))
        assert ours.bit_generator.state == theirs.bit_generator.state


def test_the_compiled_exp_is_within_an_ulp_or_two_of_libm():
    x = np.concatenate([np.linspace(-700, 700, 20001), np.linspace(-1, 1, 2001), [0.0, -0.0, 1e-300]])
    ours = np.array([kernels._exp(v) for v in x[::37]])
    np.testing.assert_allclose(ours, np.exp(x[::37]), rtol=3e-16, atol=0)
    assert kernels._exp(800.0) == kernels._exp(700.0) and 0 < kernels._exp(-800.0) == kernels._exp(-700.0)


def test_the_path_is_chosen_by_batch_size_never_by_replicas(monkeypatch):
    monkeypatch.delenv("PDPLAB_ENGINE", raising=False)
    opt = make_optimizer("momentum")
    assert choose_engine("auto", opt, "pattern", None, 3000) == "compiled"
    assert choose_engine("auto", opt, "minibatch", 64, 3000) == "compiled"
    assert choose_engine("auto", opt, "minibatch", 65, 3000) == "numpy"
    assert choose_engine("auto", opt, "batch", None, 32) == "compiled"
    assert choose_engine("auto", opt, "batch", None, 3000) == "numpy"
    assert choose_engine("numpy", opt, "pattern", None, 3) == "numpy"
    monkeypatch.setenv("PDPLAB_ENGINE", "numpy")
    assert choose_engine("auto", opt, "pattern", None, 3) == "numpy"
    monkeypatch.setenv("PDPLAB_ENGINE", "fast")
    with pytest.raises(pl.PdplabError, match="PDPLAB_ENGINE must be one of auto, compiled, numpy, not 'fast'"):
        choose_engine("auto", opt, "pattern", None, 3)
    with pytest.raises(pl.NetworkError, match="engine must be one of"):
        choose_engine("gpu", opt, "pattern", None, 3)
    monkeypatch.setenv("PDPLAB_ENGINE", "auto")
    monkeypatch.setenv("PDPLAB_THREADS", "two")
    monkeypatch.setattr("pdplab.core.compiled._THREADED", 0)
    with pytest.raises(pl.PdplabError, match="PDPLAB_THREADS must be a whole number of threads, not 'two'") as e:
        pl.train(*sample_network_and_items(), epochs=1)
    assert not isinstance(e.value, pl.NetworkError)  # not reported against a spec file


def sample_network_and_items():
    net = two_input_network()
    return net, random_environment(net, n=4, seed=1)


def test_an_optimizer_of_ones_own_takes_the_numpy_path(xor, monkeypatch):
    monkeypatch.delenv("PDPLAB_ENGINE", raising=False)

    class Halved(pl.core.optim.Steepest):
        def update(self, i, g):
            return super().update(i, g) / 2

    net, env = xor
    assert pl.train(net, env, epochs=2, optimizer=Halved()).attrs["engine"] == "numpy"
    with pytest.raises(pl.NetworkError, match="not one of pdplab's own"):
        pl.train(net, env, epochs=2, optimizer=Halved(), engine="compiled")


def sparse_network_and_items(n=300, seed=0):
    """An input group mostly zeros (as orthographic codes are), read by two projections."""
    rng = np.random.default_rng(seed)
    net = pl.Network(
        [pl.Group("letters", 40), pl.Group("h", 12), pl.Group("g", 5, bias=False),
         pl.Group("out", 6, error="cross_entropy")],
        [("letters", "h"), ("letters", "g"), ("h", "out"), ("g", "out")],
        init_range=0.5,
    )
    x = (rng.random((n, 40)) < 0.1) * rng.uniform(0.5, 1.0, (n, 40))
    t = (rng.random((n, 6)) < 0.3).astype(float)
    return net, pl.Environment({"letters": x}, {"out": t})


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_sparse_input_batches_match_the_dense_products(monkeypatch, dtype):
    net, env = sparse_network_and_items()
    settings = dict(epochs=15, optimizer="momentum", lr=0.01, update="batch", seed=[1, 2], dtype=dtype)
    sparse = pl.train(net, env, **settings)
    monkeypatch.setattr("pdplab.core.sparse.sparse_or_none", lambda dense: None)
    dense = pl.train(net, env, **settings)
    float32 = dtype == "float32"
    for name in ("weight:letters->h", "weight:letters->g", "bias:h", "weight:h->out", "train_error", "error"):
        np.testing.assert_allclose(sparse[name], dense[name], rtol=1e-4 if float32 else 1e-10,
                                   atol=1e-5 if float32 else 1e-12, err_msg=name)


def test_sparse_products_are_the_dense_ones():
    from pdplab.core.sparse import SparsePatterns, sparse_or_none

    _, env = sparse_network_and_items()
    x = env.inputs["letters"][None]
    sparse = sparse_or_none(x)
    assert isinstance(sparse, SparsePatterns)
    assert sparse_or_none(np.ones_like(x)) is None and sparse_or_none(x[:, :10]) is None  # dense; too few
    rng = np.random.default_rng(1)
    w, g = rng.normal(size=(3, 40, 7)), rng.normal(size=(3, 300, 7))
    np.testing.assert_allclose(sparse.matmul(w), x @ w, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(sparse.tmatmul(g), x.transpose(0, 2, 1) @ g, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("threads", ["1", "2"])
def test_a_replica_is_bit_identical_alone_or_among_others_on_sparse_batches(monkeypatch, threads):
    monkeypatch.setenv("PDPLAB_THREADS", threads)
    net, env = sparse_network_and_items()
    settings = dict(epochs=10, optimizer="lens_delta_bar_delta", lr=0.01, update="batch")
    among = pl.train(net, env, seed=[4, 5, 6], **settings)
    alone = pl.train(net, env, seed=[5], **settings)
    for name in ("weight:letters->h", "weight:letters->g", "train_error"):
        np.testing.assert_array_equal(alone[name].isel(replica=0), among[name].isel(replica=1), err_msg=name)


def four_way_items(seed=2):
    rng = np.random.default_rng(seed)
    return pl.Environment({"a": rng.normal(size=(6, 4))}, {"o": np.eye(4)[rng.integers(0, 4, 6)]})


@pytest.mark.parametrize("output", [
    dict(error="cross_entropy", target_radius=0.1),  # the gradient sums the targets the radius moved
    dict(error="sse", zero_error_radius=0.3),  # the radius masks ∂E/∂net, after softmax mixes the units
    dict(error="sse", zero_error_radius=0.3, target_radius=0.1),
])
def test_both_paths_agree_on_softmax_outputs_with_radii(output):
    net = pl.Network([pl.Group("a", 4), pl.Group("h", 3), pl.Group("o", 4, activation="softmax", **output)],
                     [("a", "h"), ("h", "o")], init_range=1.0)
    runs = both(net, four_way_items(), epochs=20, lr=0.5, seed=1)
    assert_same(*runs)
    assert runs[1]["error"].isel(epoch=-1).sum() < runs[1]["error"].isel(epoch=0).sum() / 2


@pytest.mark.parametrize("engine", ["numpy", "compiled"])
@pytest.mark.parametrize("optimizer", ["steepest", "momentum"])
def test_a_scheduled_weight_decay_takes_effect(engine, optimizer):
    net = pl.Network([pl.Group("a", 4), pl.Group("h", 3), pl.Group("o", 4, error="sse")], [("a", "h"), ("h", "o")],
                     init_range=1.0)
    settings = dict(epochs=10, lr=0.3, optimizer=optimizer, seed=1, engine=engine)
    from_start = pl.train(net, four_way_items(), decay=0.1, **settings)
    scheduled = pl.train(net, four_way_items(), schedule={1: {"decay": 0.1}}, **settings)
    np.testing.assert_allclose(scheduled["weight:h->o"], from_start["weight:h->o"], rtol=1e-12)
    later = pl.train(net, four_way_items(), schedule={3: {"decay": 0.1}, 6: {"decay": 0.0}}, **settings)
    assert not np.allclose(later["weight:h->o"], pl.train(net, four_way_items(), **settings)["weight:h->o"])


def test_the_compiled_log_is_within_a_few_ulps_of_libm():
    x = np.concatenate([np.geomspace(1e-300, 1e300, 20001), np.linspace(0.5, 2.0, 2001)])
    ours = np.array([kernels._log(v) for v in x])
    ulps = np.abs(ours - np.log(x)) / np.spacing(np.abs(np.log(x)) + 1e-300)
    assert ulps.max() <= 4
    c = np.geomspace(1e-17, 0.999, 2001)
    np.testing.assert_allclose([kernels._log1m(v) for v in c], np.log1p(-c), rtol=1e-15)


@pytest.mark.parametrize("softmax", [False, True])
@pytest.mark.parametrize("radii", [(0.0, 0.0), (0.1, 0.0), (0.0, 0.05), (0.1, 0.02)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_large_cross_entropy_records_match_the_numpy_measure(softmax, radii, dtype):
    from pdplab.core.activations import get_activation
    from pdplab.core.compiled import cross_entropy
    from pdplab.core.errors import effective_target, get_error

    rng = np.random.default_rng(0)
    o = rng.uniform(0, 1, (3, 200, 9)).astype(dtype)
    if softmax:
        o /= o.sum(-1, keepdims=True)
        t = np.eye(9, dtype=dtype)[rng.integers(0, 9, 200)][None]
    else:
        t = (rng.random((1, 200, 9)) < 0.3).astype(dtype)
        t[0, :5] = 0.5  # fractional targets: the target's own entropy is subtracted
    error = get_error("cross_entropy", get_activation("softmax" if softmax else "logistic"))
    moved, mask = effective_target(o, t, *radii)
    numpy_measure = error.value(o, moved if mask is None else np.where(mask > 0, moved, o))
    np.testing.assert_allclose(cross_entropy(o, t, *radii, softmax), numpy_measure,
                               rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-6 if dtype == np.float32 else 1e-14)


@pytest.mark.parametrize("order", ["permuted", "probabilistic"])
def test_large_cross_entropy_train_errors_agree_on_both_paths(order):
    # 300 items × 6 outputs: the numpy path measures train_error with the compiled cross-entropy,
    # each replica against its own order of targets; the kernel measures it pattern by pattern.
    net, env = sparse_network_and_items()
    env.frequency = np.linspace(0.5, 2.0, 300)
    runs = both(net, env, epochs=4, optimizer="momentum", lr=0.05, order=order, seed=[3, 4], record={"every": 2})
    assert_same(*runs)


@pytest.mark.parametrize("engine", ["numpy", "compiled"])
def test_the_engine_tests_pass_with_either_path_forced(engine):
    """The training, optimizer, record, gradient and bad-input tests, rerun with every run
    forced onto one path (``PDPLAB_ENGINE``), large batches and one's own optimizers aside."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    here = Path(__file__).parent
    files = [str(here / f"test_{name}.py") for name in ("training", "optimizers", "records", "gradients", "bad_input")]
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files],
                            env={**os.environ, "PDPLAB_ENGINE": engine}, capture_output=True, text=True,
                            cwd=here.parent, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.parametrize("softmax", [False, True])
def test_a_nan_output_gives_a_nan_error_on_the_compiled_measure(softmax):
    from pdplab.core.compiled import cross_entropy

    o = np.full((1, 2, 300), 1 / 300)
    t = np.zeros((1, 2, 300))
    t[0, :, 0] = 1.0
    o[0, 0, 0] = np.nan  # on the target unit
    o[0, 1, 3] = np.nan  # on another unit
    assert np.isnan(cross_entropy(o, t, 0.0, 0.0, softmax)).all()
    assert np.isnan(kernels._exp(np.nan)) and np.isnan(kernels._log(np.nan))
