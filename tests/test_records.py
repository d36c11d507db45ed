"""Results Datasets, files and damage."""

import os

import numpy as np
import pandas as pd
import pytest

import pdplab as pl
from pdplab.core.propagate import Plan, forward

from helpers import random_environment, two_input_network


@pytest.fixture
def run():
    net = two_input_network()
    env = random_environment(net, n=4)
    env.items["kind"] = ["reg", "irr", "reg", "irr"]
    ds = pl.train(net, env, epochs=6, lr=0.2, replicas=3, seed=10,
                  record={"groups": ["h1", "out"], "every": 2, "net_input": True, "delta": True})
    return net, env, ds


def test_dataset_layout(run):
    net, env, ds = run
    assert ds["error"].dims == ("replica", "epoch", "item")
    assert ds["h1"].dims == ("replica", "epoch", "item", "h1_unit")
    assert list(ds["epoch"].values) == [0, 2, 4, 6]
    assert list(ds["seed"].values) == [10, 11, 12]
    assert list(ds["item"].values) == ["x0", "x1", "x2", "x3"]
    assert list(ds["kind"].values) == ["reg", "irr", "reg", "irr"]
    assert {"h1:net", "h1:delta", "out:net", "out:delta", "weight:a->h1", "bias:out"} <= set(ds.data_vars)
    assert "h2.bias" not in ds and "bias:h2" in ds
    for key in ("pdplab_version", "numpy_version", "network", "training", "created"):
        assert key in ds.attrs
    table = ds["error"].to_dataframe()
    assert {"error", "kind", "seed"} <= set(table.columns)
    assert table.groupby("kind")["error"].mean().shape == (2,)


def test_recorded_quantities_are_those_of_the_final_weights(run):
    net, env, ds = run
    _, w = pl.weights_from_dataset(ds)
    inputs, targets = env.arrays(net)
    nets, acts = forward(Plan(net), w, inputs)
    last = ds.isel(epoch=-1)
    np.testing.assert_allclose(last["h1"].values, acts["h1"])
    np.testing.assert_allclose(last["out:net"].values, nets["out"])
    # δ at the outputs: (t − o) f′(net) for sum-squared error.
    o = acts["out"]
    np.testing.assert_allclose(last["out:delta"].values, (targets["out"] - o) * o * (1 - o))
    err, _ = pl.gradients(net, w, env)
    np.testing.assert_allclose(last["error"].sum("item").values, err)


def test_save_and_load_round_trip(run, tmp_path):
    net, env, ds = run
    path = pl.save(ds, tmp_path / "run.nc")
    back = pl.load(path)
    for name in ds.data_vars:
        np.testing.assert_array_equal(back[name].values, ds[name].values)
    assert list(back["kind"].values) == ["reg", "irr", "reg", "irr"]
    assert back.attrs["network"] == ds.attrs["network"]
    assert os.listdir(tmp_path) == ["run.nc"]
    # The stored network and weights continue training exactly where they stopped.
    net2, w = pl.load_weights(path)
    assert [g.name for g in net2.groups.values()] == [g.name for g in net.groups.values()]
    more = pl.train(net2, env, epochs=1, lr=0.0, weights=w, replicas=3, seed=10)
    np.testing.assert_allclose(more["error"].isel(epoch=0), ds["error"].isel(epoch=-1))


def test_weights_file_round_trip(tmp_path):
    net = two_input_network()
    w = net.init_weights([1, 2])
    pl.save_weights(tmp_path / "w.nc", net, w)
    _, back = pl.load_weights(tmp_path / "w.nc")
    for k in w:
        np.testing.assert_array_equal(back[k], w[k])


def test_failed_write_leaves_nothing(run, tmp_path, monkeypatch):
    _, _, ds = run

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(type(ds), "to_netcdf", broken)
    with pytest.raises(pl.DataError, match="run.nc: could not be written .disk full"):
        pl.save(ds, tmp_path / "run.nc")
    assert os.listdir(tmp_path) == []


def test_loading_bad_files(tmp_path):
    with pytest.raises(pl.DataError, match="no such file"):
        pl.load(tmp_path / "missing.nc")
    (tmp_path / "junk.nc").write_text("not netcdf")
    with pytest.raises(pl.DataError, match="junk.nc"):
        pl.load(tmp_path / "junk.nc")
    with pytest.raises(pl.DataError, match="folder"):
        pl.save(None, tmp_path / "no" / "run.nc")


def test_noise_damage_undoes_learning(xor):
    net, env = xor
    ds = pl.train(net, env, epochs=1500, optimizer="momentum", lr=0.5, update="batch", replicas=4)
    noise = pl.damage.evaluate(ds, env, "noise", "hidden", [0.0, 0.5, 4.0], record=["hidden"])
    assert noise["error"].dims == ("replica", "severity", "item")
    assert noise["hidden"].dims == ("replica", "severity", "item", "hidden_unit")
    np.testing.assert_allclose(noise["error"].sel(severity=0.0), ds["error"].isel(epoch=-1))
    mean = noise["error"].mean(("replica", "item")).values
    assert mean[0] < mean[1] < mean[2]
    assert '"kind": "noise"' in noise.attrs["damage"]


def test_lesions(run):
    net, env, ds = run

    units = pl.damage.evaluate(ds, env, "units", "h1", [1.0], record=["h2"])
    _, w = pl.weights_from_dataset(ds)
    # With every h1 unit removed, h2 sees only its other input and its bias.
    x = env.inputs["b"] @ w["b->h2"][0] - 0.5
    np.testing.assert_allclose(units["h2"].isel(replica=0, severity=0), 1 / (1 + np.exp(-x)))

    cut = pl.damage.evaluate(ds, env, "connections", "a->h1", [0.0, 1.0], repeats=2)
    assert cut["error"].dims == ("replica", "severity", "repeat", "item")


def test_damage_draws_are_per_replica(run):
    net, env, ds = run
    all3 = pl.damage.evaluate(ds, env, "noise", "out", [1.0])
    one = pl.damage.evaluate(ds.isel(replica=[1]), env, "noise", "out", [1.0])
    np.testing.assert_array_equal(one["error"].isel(replica=0), all3["error"].isel(replica=1))
    with pytest.raises(pl.NetworkError, match="neither a group nor a projection"):
        pl.damage.evaluate(ds, env, "noise", "h9", [1.0])
    with pytest.raises(pl.NetworkError, match="fraction"):
        pl.damage.evaluate(ds, env, "units", "h1", [1.5])
    for severities in ([np.nan], [np.inf], [], "big"):
        with pytest.raises(pl.NetworkError, match="severities"):
            pl.damage.evaluate(ds, env, "noise", "out", severities)
    with pytest.raises(pl.NetworkError, match="repeats"):
        pl.damage.evaluate(ds, env, "noise", "out", [1.0], repeats=0)


def test_items_table_and_frequency_column():
    items = pd.DataFrame({"word": ["a", "b"], "kf": [10, 0]}, index=["a", "b"])
    env = pl.Environment({"i": np.eye(2)}, {"o": np.eye(2)}, items=items, frequency="kf")
    assert list(env.frequency) == [10, 0]
    with pytest.raises(pl.DataError, match="'freq'"):
        pl.Environment({"i": np.eye(2)}, {"o": np.eye(2)}, items=items, frequency="freq")


def test_inspect_shows_the_generalized_delta_rule():
    net = pl.Network([pl.Group("i", 3), pl.Group("h", 2), pl.Group("o", 2, error="sse")],
                     [("i", "h"), ("h", "o")])
    env = random_environment(net, n=3, seed=6)
    w = net.init_weights([4, 5])
    ds = pl.inspect(net, w, env)
    assert ds["h:delta"].dims == ("replica", "item", "h_unit")
    o, t = ds["o"].values, env.targets["o"]
    np.testing.assert_allclose(ds["o:delta"], (t - o) * o * (1 - o))
    h = ds["h"].values
    back = np.einsum("rpk,rjk->rpj", ds["o:delta"].values, w["h->o"])
    np.testing.assert_allclose(ds["h:delta"], h * (1 - h) * back)
    err, grads = pl.gradients(net, w, env)
    np.testing.assert_allclose(ds["error"].sum("item"), err)
    # ∂E/∂w = −Σ_patterns δ_j o_i
    np.testing.assert_allclose(grads["h->o"], -np.einsum("rpi,rpj->rij", h, ds["o:delta"].values))


def test_log_spaced_recording_epochs():
    epochs = pl.Record(every=0, log_points=4).epochs_for(1000)
    assert list(epochs) == [0, 1, 10, 100, 1000]
    assert list(pl.Record(every=500, log_points=3).epochs_for(1000)) == [0, 1, 32, 500, 1000]
    # More points than epochs record every epoch, once.
    assert list(pl.Record(every=1, log_points=10**9).epochs_for(50)) == list(range(51))
    for bad in (-1, 1.5, True, "5"):
        with pytest.raises(pl.NetworkError, match="log_points"):
            pl.train(pl.Network([pl.Group("i", 1), pl.Group("o", 1, error="sse")], [("i", "o")]),
                     pl.Environment({"i": [[1.0]]}, {"o": [[1.0]]}), epochs=1, record={"log_points": bad})


def test_damage_is_the_same_wherever_its_severity_stands(run):
    net, env, ds = run
    forward = pl.damage.evaluate(ds, env, "noise", "out", [0.5, 1.0, 2.0])
    backward = pl.damage.evaluate(ds, env, "noise", "out", [2.0, 1.0])
    np.testing.assert_array_equal(forward["error"].sel(severity=1.0), backward["error"].sel(severity=1.0))
    np.testing.assert_array_equal(forward["error"].sel(severity=2.0), backward["error"].sel(severity=2.0))
    with pytest.raises(pl.NetworkError, match="sends nothing"):
        pl.damage.evaluate(ds, env, "units", "out", [0.5])


def test_gradients_take_integer_weights_and_need_a_seed_per_replica():
    net = pl.Network([pl.Group("i", 3), pl.Group("h", 2), pl.Group("o", 2, error="sse")], [("i", "h"), ("h", "o")])
    env = random_environment(net, n=3, seed=6)
    w = {k: np.rint(3 * v).astype(int) for k, v in net.init_weights([4, 5]).items()}
    err, grads = pl.gradients(net, w, env)
    err_f, grads_f = pl.gradients(net, {k: v.astype(float) for k, v in w.items()}, env)
    np.testing.assert_allclose(err, err_f)
    for k in grads:
        assert grads[k].dtype == np.float64
        np.testing.assert_allclose(grads[k], grads_f[k])
    for call in (pl.gradients, pl.inspect):
        with pytest.raises(pl.NetworkError, match="2 replicas"):
            call(net, w, env, rule="feedback_alignment", seeds=[1])


def test_a_killed_save_leaves_nothing_behind_for_long(tmp_path, run):
    import subprocess
    import sys

    _, _, ds = run
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = tmp_path / f".run.nc.{dead.pid}-x1y2.nc"  # as a save killed mid-write leaves it
    leftover.write_bytes(b"half a netCDF file")
    live = tmp_path / f".run.nc.{os.getpid()}-z3.nc"  # a save in progress in a live process
    live.write_bytes(b"being written")
    pl.save(ds, tmp_path / "run.nc")
    assert not leftover.exists() and live.exists()
    assert pl.load(tmp_path / "run.nc").sizes == ds.sizes
    assert oct((tmp_path / "run.nc").stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("labels", [["00", "01", "10", "11"], ["é", "ü", "x", "y y"], [1, 2, 3, 4]])
def test_item_labels_survive_a_round_trip_with_one_type(xor, tmp_path, labels):
    net, env = xor
    env = pl.Environment(env.inputs, env.targets, items=labels)
    ds = pl.train(net, env, epochs=2)
    pl.save(ds, tmp_path / "run.nc")
    back = pl.load(tmp_path / "run.nc")
    assert list(back["item"].values) == list(ds["item"].values) == [str(x) for x in labels]
    assert back["item"].dtype == ds["item"].dtype and ds["item"].dtype.kind == "U"


@pytest.mark.parametrize("labels, words", [(["a", None, "c", "d"], ["no label"]),
                                           (["a\x00b", "c", "d", "e"], ["NUL"])])
def test_item_labels_a_file_cannot_hold_are_refused(xor, labels, words):
    net, env = xor
    with pytest.raises(pl.DataError) as e:
        pl.Environment(env.inputs, env.targets, items=labels)
    assert all(w in str(e.value) for w in words)


def test_small_write_and_damage_edges(tmp_path, run):
    _, env, ds = run
    dead = tmp_path / ".run[1].nc.999999999-abc.nc"  # a name with glob characters, a process that is gone
    dead.write_bytes(b"left over")
    pl.save(ds, tmp_path / "run[1].nc")
    assert not dead.exists()
    with pytest.raises(pl.NetworkError, match="differ"):
        pl.damage.evaluate(ds, env, "noise", "out", [0.0, 0.5, 0.5])


def test_train_error_is_the_error_the_training_pass_met(xor):
    net, env = xor
    kw = dict(epochs=6, lr=0.5, replicas=2, seed=3, order="ordered", record={"every": 1})
    batch = pl.train(net, env, update="batch", **kw)
    assert batch["train_error"].dims == ("replica", "train_epoch", "item")
    assert list(batch["train_epoch"].values) == [1, 2, 3, 4, 5, 6]
    # One update per epoch: the training pass of epoch e sees the weights after epoch e − 1.
    np.testing.assert_allclose(batch["train_error"].values, batch["error"].sel(epoch=range(0, 6)).values)
    pattern = pl.train(net, env, update="pattern", **kw)
    # Pattern by pattern, the first item of an epoch is met before any of the epoch's updates ...
    np.testing.assert_allclose(pattern["train_error"].isel(item=0).values,
                               pattern["error"].isel(item=0).sel(epoch=range(0, 6)).values)
    # ... and the others after some of them: the record is not the test pass.
    assert not np.allclose(pattern["train_error"].isel(item=3).values,
                           pattern["error"].isel(item=3).sel(epoch=range(0, 6)).values)


def test_train_error_in_any_order_is_filed_under_its_item(xor):
    net, env = xor
    kw = dict(epochs=4, lr=0.5, replicas=3, seed=3, record={"every": 0})
    ordered = pl.train(net, env, update="batch", order="ordered", **kw)
    permuted = pl.train(net, env, update="minibatch", batch_size=4, order="permuted", **kw)
    np.testing.assert_allclose(permuted["train_error"].values, ordered["train_error"].values)
    # Drawn by frequency: the mean over an item's draws, NaN where it was not drawn.
    rare = pl.Environment(env.inputs, env.targets, items=env.items, frequency=[1e-9, 1, 1, 1])
    drawn = pl.train(net, rare, update="batch", order="probabilistic", **kw)
    assert np.isnan(drawn["train_error"].sel(item="00")).all()
    # Four draws among three items: most are drawn in an epoch, but not always all.
    assert 0.5 < float(np.isfinite(drawn["train_error"].sel(item=["01", "10", "11"])).mean()) < 1
    alone = pl.train(net, rare, update="batch", order="probabilistic", **{**kw, "replicas": 1, "seed": 5})
    np.testing.assert_array_equal(alone["train_error"].isel(replica=0), drawn["train_error"].isel(replica=2))


def test_train_error_covers_training_items_only_and_every_epoch(xor):
    net, env = xor
    train_part = env.subset([True, True, True, False], name="three")
    ds = pl.train(net, train_part, test=env.subset([False, False, False, True], name="held out"), epochs=100,
                  lr=2.0, record={"every": 10}, criterion=0.4, update="batch", replicas=2)
    assert list(ds["epoch"].values)[:2] == [0, 10]
    assert list(ds["stopped_at"].values) == [52, 44]
    assert ds.sizes["train_epoch"] == 52  # every epoch trained, until the last replica stopped
    assert np.isnan(ds["train_error"].sel(item="11")).all()
    assert np.isfinite(ds["train_error"].sel(item=["00", "01", "10"])).all()
    off = pl.train(net, env, epochs=3, lr=0.5, record={"train_error": False})
    assert "train_error" not in off and "train_epoch" not in off.dims


def test_train_error_continues_where_the_run_stopped(xor):
    net, env = xor
    kw = dict(lr=0.5, momentum=0.5, optimizer="momentum", replicas=2, seed=1)
    whole = pl.train(net, env, epochs=10, **kw)
    first = pl.train(net, env, epochs=4, **kw)
    rest = pl.train(net, env, epochs=6, weights=first, optimizer="momentum", lr=0.5, momentum=0.5)
    assert list(rest["train_epoch"].values) == list(range(5, 11))
    np.testing.assert_array_equal(rest["train_error"].values, whole["train_error"].sel(train_epoch=range(5, 11)))


def test_weights_with_padding_are_refused(run):
    net, env, ds = run
    padded = ds.copy(deep=True)
    padded["weight:a->h1"][1, 0, 0] = np.nan  # as a sweep over layer sizes pads a smaller layer
    for use in (lambda: pl.weights_from_dataset(padded),
                lambda: pl.damage.evaluate(padded, env, kind="noise", where="h1", severities=[0.1]),
                lambda: pl.train(net, env, epochs=1, weights=pl.weights_from_dataset(ds)[1] | {
                    "a->h1": padded["weight:a->h1"].values})):
        with pytest.raises(pl.NetworkError, match=r"'a->h1' of replica 1 is not finite"):
            use()


def test_learning_curves_come_from_train_error_unless_items_are_held_out(xor):
    from pdplab.plots import curve_error

    net, env = xor
    ds = pl.train(net, env, epochs=30, lr=0.5, replicas=2)
    assert ds.sizes["epoch"] == 2 and curve_error(ds).sizes["epoch"] == 30  # every epoch, not two
    np.testing.assert_array_equal(curve_error(ds).values, ds["train_error"].values)
    held = pl.train(net, env.subset(["00", "01", "10"]), epochs=30, lr=0.5, test=env.subset(["11"]))
    assert curve_error(held).identical(held["error"])  # the held-out item has no train_error
    assert curve_error(pl.train(net, env, epochs=30, record={"train_error": False})).sizes["epoch"] == 2
