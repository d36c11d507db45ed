"""Networks in time: gradients through time, training, records, settling times, bad input."""

import json

import numpy as np
import pytest
import xarray as xr

import pdplab as pl
from pdplab.core.time import TimePlan, Timing, forward_in_time, gradients_in_time, settling_time
from pdplab.core.train_time import evaluate_in_time, sequence_arrays
from pdplab.exceptions import DataError, NetworkError
from pdplab.spec import SpecError, load_spec

G = pl.Group


def attractor(error="cross_entropy"):
    """Input → hidden ↔ output, output → output (self-connections included), continuous."""
    return pl.Network([G("inp", 4), G("hid", 5), G("out", 3, error=error)],
                      [("inp", "hid"), ("hid", "out"), ("out", "hid"), ("out", "out")], time="continuous")


def srn(error="sse", out=4):
    return pl.Network([G("inp", 4), G("ctx", 5, copy_of="hid"), G("hid", 5), G("out", out, error=error)],
                      [("inp", "hid"), ("ctx", "hid"), ("hid", "out")], time="discrete")


def numeric_gradient(network, weights, inputs, targets, timing, key, index, h=1e-6):
    plus = {k: v.copy() for k, v in weights.items()}
    minus = {k: v.copy() for k, v in weights.items()}
    plus[key][index] += h
    minus[key][index] -= h
    e_plus = gradients_in_time(network, plus, inputs, targets, timing)[0]
    e_minus = gradients_in_time(network, minus, inputs, targets, timing)[0]
    return (e_plus - e_minus)[index[0]] / (2 * h)


@pytest.mark.parametrize("kind", ["continuous", "srn_full"])
def test_gradient_through_time_matches_finite_differences(kind):
    rng = np.random.default_rng(3)
    if kind == "continuous":
        net, timing, E = attractor(), dict(duration=2.0, dt=0.25, grace=1.0), 2
    else:
        net, timing, E = srn(), None, 5
    weights = net.init_weights([4, 9])
    B = 3
    inputs = {"inp": rng.integers(0, 2, (B, E, 4)).astype(float)}
    targets = {"out": rng.integers(0, 2, (B, E, net.groups["out"].size)).astype(float)}
    _, grads = gradients_in_time(net, weights, inputs, targets, timing)
    for key in grads:
        for _ in range(4):
            index = tuple(int(rng.integers(s)) for s in weights[key].shape)
            expected = numeric_gradient(net, weights, inputs, targets, timing, key, index)
            assert grads[key][index] == pytest.approx(expected, rel=1e-5, abs=1e-8), (key, index)


def test_elman_truncation_is_the_gradient_with_the_context_as_input():
    """bptt='none': each event's error reaches back through that event's pass only, so the gradient
    is a feedforward network's with the context's values as an input."""
    rng = np.random.default_rng(0)
    net = srn()
    weights = net.init_weights([2])
    inputs = {"inp": rng.integers(0, 2, (1, 4, 4)).astype(float)}
    targets = {"out": rng.integers(0, 2, (1, 4, 4)).astype(float)}
    _, truncated = gradients_in_time(net, weights, inputs, targets, dict(bptt="none"))
    hist = forward_in_time(TimePlan(net), weights, {"inp": inputs["inp"][None]})
    ff = pl.Network([G("inp", 4), G("ctx", 5), G("hid", 5), G("out", 4, error="sse")],
                    [("inp", "hid"), ("ctx", "hid"), ("hid", "out")])
    env = pl.Environment({"inp": inputs["inp"][0], "ctx": hist.acts["ctx"][1:, 0, 0]}, {"out": targets["out"][0]})
    _, expected = pl.gradients(ff, weights, env)
    for key in truncated:
        np.testing.assert_allclose(truncated[key], expected[key], rtol=1e-10, atol=1e-12)
    _, full = gradients_in_time(net, weights, inputs, targets)
    assert not np.allclose(full["ctx->hid"], truncated["ctx->hid"])


def test_gradient_through_time_matches_autograd():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    net = attractor()
    weights = net.init_weights([5])
    x = rng.integers(0, 2, (3, 1, 4)).astype(float)
    t = rng.integers(0, 2, (3, 1, 3)).astype(float)
    timing = Timing(duration=1.5, dt=0.25, grace=0.5)
    error, grads = gradients_in_time(net, weights, {"inp": x}, {"out": t}, timing)
    w = {k: torch.tensor(v[0], requires_grad=True) for k, v in weights.items()}
    X, T = torch.tensor(x[:, 0]), torch.tensor(t[:, 0])
    n_hid, n_out = torch.zeros(3, 5, dtype=torch.float64), torch.zeros(3, 3, dtype=torch.float64)
    a_hid, a_out = torch.sigmoid(n_hid), torch.sigmoid(n_out)
    loss = 0.0
    for k in range(1, timing.ticks() + 1):
        i_hid = X @ w["inp->hid"] + a_out @ w["out->hid"] + w["hid.bias"]
        i_out = a_hid @ w["hid->out"] + a_out @ w["out->out"] + w["out.bias"]
        n_hid, n_out = n_hid + 0.25 * (i_hid - n_hid), n_out + 0.25 * (i_out - n_out)
        a_hid, a_out = torch.sigmoid(n_hid), torch.sigmoid(n_out)
        if k * 0.25 > 0.5:
            loss = loss + 0.25 * -(T * torch.log(a_out) + (1 - T) * torch.log(1 - a_out)).sum()
    loss.backward()
    assert error[0] == pytest.approx(loss.item(), rel=1e-12)
    for key, tensor in w.items():
        np.testing.assert_allclose(grads[key][0], tensor.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_error_integrates_over_the_error_interval_whatever_dt():
    """Each tick's error weighs dt, so a constant error counts (duration − grace) times, for any dt."""
    for dt in (0.2, 0.05, 0.01):
        timing = Timing(duration=2.0, dt=dt, grace=1.0)
        assert timing.error_weights(timing.ticks()).sum() == pytest.approx(1.0)


def test_integration_follows_the_differential_equation():
    """One linear unit driven by a constant input: n(k) = I (1 − (1 − dt)^k); its settling time
    is when it comes within the criterion of its final value."""
    net = pl.Network([G("inp", 1), G("out", 1, activation="linear", bias=False, error="sse")], [("inp", "out")],
                     time="continuous")
    w = {"inp->out": np.array([[[2.0]]])}
    hist = forward_in_time(TimePlan(net), w, {"inp": np.ones((1, 1, 1, 1))}, ticks_per_event=40, dt=0.1)
    k = np.arange(41)
    np.testing.assert_allclose(hist.nets["out"][:, 0, 0, 0], 2.0 * (1 - 0.9 ** k), rtol=1e-12)
    acts = hist.acts["out"]
    final = acts[-1, 0, 0, 0]
    first = int(np.argmax(np.abs(acts[:, 0, 0, 0] - final) < 0.05))
    assert settling_time([acts], 0.1, 0.05)[0, 0] == pytest.approx(first * 0.1)
    assert np.isnan(settling_time([acts[:3]], 0.1, 1e-9)[0, 0])  # still moving at the end
    # The side rule: the first time every unit is within the criterion of 0 or 1.
    o = np.array([[0.5, 0.7, 0.95, 0.85, 0.97], [0.5, 0.3, 0.02, 0.01, 0.0]]).T[:, None, None, :]
    assert settling_time([o], 0.5, 0.1, "side")[0, 0] == pytest.approx(1.0)
    assert np.isnan(settling_time([o[:2]], 0.5, 0.1, "side")[0, 0])


def test_attractor_network_learns_and_records_ticks_and_latencies():
    rng = np.random.default_rng(0)
    x = np.eye(4)
    t = rng.integers(0, 2, (4, 3)).astype(float)
    env = pl.Environment({"inp": x}, {"out": t}, items=list("abcd"))
    ds = pl.train(attractor(), env, epochs=150, optimizer="momentum", lr=0.5, momentum=0.9, update="batch",
                  replicas=2, seed=3, timing=dict(duration=2.0, dt=0.25, grace=1.0, test_duration=3.0),
                  record=dict(groups=["out"], ticks=True), schedule={100: {"dt": 0.125}})
    assert ds["correct"].isel(epoch=-1).all()
    first, last = (float(ds["train_error"].isel(train_epoch=e).sum()) for e in (0, -1))
    assert last < 0.2 * first
    assert ds["out"].dims == ("replica", "epoch", "item", "tick", "out_unit")
    assert ds.sizes["tick"] == 12 and float(ds["time"][-1]) == 3.0  # the first dt's ticks
    settle = ds["settling_time"].isel(epoch=-1)
    assert ((settle > 0) & (settle < 3.0)).all()
    assert ds.attrs["final_dt"] == 0.125
    # The answer is read at the end of the training interval (2.0); the test interval runs on to 3.0.
    answer = ds["out"].isel(epoch=-1).where(ds["time"] == 2.0, drop=True).squeeze("tick")
    np.testing.assert_array_equal(ds["correct"].isel(epoch=-1), (abs(answer - t) < 0.5).all("out_unit"))


def test_scheduled_reset_starts_the_optimizer_afresh():
    """With momentum, a run reset at epoch 3 equals one that starts at epoch 3 from the same weights."""
    env = pl.Environment({"inp": np.eye(4)}, {"out": np.eye(4)[:, :3]})
    opts = dict(optimizer="momentum", lr=0.2, momentum=0.9, update="batch", seed=2,
                timing=dict(duration=1.0, dt=0.25))
    reset = pl.train(attractor(), env, epochs=4, schedule={3: {"reset": True, "dt": 0.125}}, **opts)
    first = pl.train(attractor(), env, epochs=2, **opts)
    _, weights = pl.weights_from_dataset(first)
    then = pl.train(attractor(), env, epochs=2, weights=weights,
                    **{**opts, "timing": dict(duration=1.0, dt=0.125)})
    np.testing.assert_array_equal(reset["weight:out->hid"], then["weight:out->hid"])
    assert json.loads(reset.attrs["training"])["resets"] == [3]
    with pytest.raises(NetworkError, match="reset must be true"):
        pl.train(attractor(), env, epochs=2, schedule={2: {"reset": 1}}, **opts)


def test_replicas_in_time_are_bit_identical_alone_or_among_others():
    rng = np.random.default_rng(0)
    env = pl.Environment({"inp": rng.integers(0, 2, (6, 4)).astype(float)},
                         {"out": rng.integers(0, 2, (6, 3)).astype(float)})
    opts = dict(epochs=5, lr=0.3, update="minibatch", batch_size=2, timing=dict(duration=1.0, dt=0.25))
    together = pl.train(attractor(), env, seed=[7, 8, 9], **opts)
    alone = pl.train(attractor(), env, seed=[8], **opts)
    np.testing.assert_array_equal(together["weight:out->out"][1], alone["weight:out->out"][0])
    # Items of different lengths, met in each replica's own order, with momentum: each replica reads its
    # own stream of events.
    seqs = pl.Environment.from_sequences({"inp": [rng.integers(0, 2, (n, 4)).astype(float) for n in (1, 4, 2)]},
                                         {"out": [rng.integers(0, 2, (n, 4)).astype(float) for n in (1, 4, 2)]})
    opts = dict(epochs=3, update="event", optimizer="momentum", lr=0.2, momentum=0.9, timing=dict(bptt="none"))
    together = pl.train(srn(), seqs, seed=[1, 2, 3], **opts)
    alone = pl.train(srn(), seqs, seed=[2], **opts)
    np.testing.assert_array_equal(together["weight:ctx->hid"][1], alone["weight:ctx->hid"][0])
    np.testing.assert_array_equal(together["train_error"][1], alone["train_error"][0])


def memory_task(n=8, seed=0):
    """Two events: a bit, then a blank; the target of the second event is the first event's bit.
    Only a network that carries the past can learn it."""
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2, n)
    x = np.zeros((n, 2, 4))
    x[np.arange(n), 0, bits] = 1.0
    x[:, 1, 3] = 1.0
    t = np.full((n, 2, 1), np.nan)  # no target at the first event
    t[:, 1, 0] = bits
    return pl.Environment({"inp": x}, {"out": t})


@pytest.mark.parametrize("update, bptt", [("event", "none"), ("pattern", "full")])
def test_simple_recurrent_network_learns_what_needs_the_past(update, bptt):
    env = memory_task()
    ds = pl.train(srn(out=1), env, epochs=600, lr=1.0, update=update, replicas=2, seed=1, timing=dict(bptt=bptt))
    assert ds["error"].dims == ("replica", "epoch", "item", "event")
    assert ds["correct"].isel(epoch=-1, event=1).all()
    assert not ds["correct"].isel(epoch=-1, event=0).any()  # no target there
    assert np.isnan(ds["error"].isel(event=0)).all()
    # Without the context, the second event's input says nothing of the bit.
    cut = pl.Network([G("inp", 4), G("hid", 5), G("out", 1, error="sse")], [("inp", "hid"), ("hid", "out")],
                     time="discrete")
    blind = pl.train(cut, env, epochs=600, lr=1.0, update=update, replicas=2, seed=1, timing=dict(bptt=bptt))
    assert not blind["correct"].isel(epoch=-1, event=1).all()


def test_sequences_of_different_lengths_and_records_per_event():
    env = pl.Environment.from_sequences({"inp": [np.eye(4)[:2], np.eye(4)[:3]]},
                                        {"out": [np.eye(4)[1:3], np.eye(4)[1:4]]}, items=["short", "long"])
    assert env.events == 3
    ds = pl.train(srn(), env, epochs=2, record=["hid"], timing=dict(bptt="full"))
    assert ds["hid"].dims == ("replica", "epoch", "item", "event", "hid_unit")
    assert np.isnan(ds["error"].sel(item="short", event=2)).all()
    assert np.isnan(ds["hid"].sel(item="short", event=2)).all()  # the short item has ended
    assert np.isfinite(ds["error"].sel(item="long")).all() and np.isfinite(ds["hid"].sel(item="long")).all()
    mixed = pl.Environment({"inp": np.eye(4)[:2]}, {"out": np.zeros((2, 3, 4))})
    with pytest.raises(DataError, match="not sequences of events"):
        pl.train(srn(), mixed, epochs=1)


def test_results_in_time_round_trip_through_a_file(tmp_path):
    env = pl.Environment({"inp": np.eye(4)}, {"out": np.eye(4)[:, :3]})
    ds = pl.train(attractor(), env, epochs=2, timing=dict(duration=1.0, dt=0.5))
    pl.save(ds, tmp_path / "r.nc")
    back = xr.load_dataset(tmp_path / "r.nc")
    network, weights = pl.weights_from_dataset(back)
    assert network.time == "continuous" and network.groups["out"].error == "cross_entropy"
    np.testing.assert_array_equal(weights["out->out"], ds["weight:out->out"].values)
    assert back["weight:out->out"].dims == ("replica", "out_unit", "out_unit_to")


def test_damage_of_a_continuous_network_reports_settling_times():
    env = pl.Environment({"inp": np.eye(4)}, {"out": np.eye(4)[:, :3]})
    ds = pl.train(attractor(), env, epochs=3, replicas=2, timing=dict(duration=1.0, dt=0.25, test_duration=2.0))
    damaged = pl.damage.evaluate(ds, env, "connections", "inp->hid", [0.0, 1.0], record=["out"])
    assert damaged["settling_time"].dims == ("replica", "severity", "item")
    # With every input connection gone, every item gives the same outputs.
    out = damaged["out"].sel(severity=1.0).values
    np.testing.assert_allclose(out, out[:, :1].repeat(4, axis=1))


def test_float32_training_in_time():
    env = memory_task()
    ds = pl.train(srn(out=1), env, epochs=3, dtype="float32", timing=dict(bptt="full"))
    assert ds["weight:ctx->hid"].dtype == np.float32 and np.isfinite(ds["error"].isel(event=1)).all()


def test_diverging_run_in_time_is_named():
    env = pl.Environment({"inp": np.eye(4)}, {"out": np.eye(4)[:, :3]})
    linear = pl.Network([G("inp", 4), G("out", 3, activation="linear", error="sse")], [("inp", "out"), ("out", "out")],
                        time="continuous")
    with pytest.raises(pl.DivergenceError, match="diverged at epoch"):
        pl.train(linear, env, epochs=200, lr=1e3, update="batch", timing=dict(duration=1.0, dt=0.5))


@pytest.mark.parametrize("build, message", [
    (lambda: pl.Network([G("a", 2), G("b", 2, error="sse")], [("a", "b"), ("b", "b")]), "time='continuous'"),
    (lambda: pl.Network([G("a", 2), G("c", 3, copy_of="b"), G("b", 2, error="sse")], [("a", "b"), ("c", "b")],
                        time="discrete"), "cannot copy"),
    (lambda: pl.Network([G("a", 2), G("c", 2, copy_of="b"), G("b", 2, error="sse")], [("a", "b"), ("c", "b")],
                        time="continuous"), "time='discrete'"),
    (lambda: pl.Network([G("a", 2), G("b", 2, error="sse")], [("a", "b")], time="later"), "time must be"),
])
def test_bad_networks_in_time(build, message):
    with pytest.raises(NetworkError, match=message):
        build()


@pytest.mark.parametrize("options, message", [
    (dict(timing=dict(duration=1.0, dt=0.3)), "whole number of ticks"),
    (dict(timing=dict(duration=1.0, dt=0.5, grace=1.0)), "leaves no time"),
    (dict(timing=dict(duration=1.0, dt=0.5, test_duration=0.5)), "shorter than"),
    (dict(timing=dict(duration=1.0, dt=1e-7)), "more than"),
    (dict(timing=dict(duration="1", dt=0.5)), "must be a number"),
    (dict(timing=dict(duration=1.0, dt=0.5, bptt="none")), "discrete-time"),
    (dict(timing=dict(dt=0.5, speed=2)), "speed"),
    (dict(timing=dict(duration=1.0, dt=0.5), schedule={2: {"dt": 0.3}}), "whole number"),
    (dict(timing=dict(duration=1.0, dt=0.5), update="event"), "bptt='none'"),
    (dict(timing=dict(duration=1.0, dt=0.5), criterion=0.1), "not available"),
    (dict(timing=dict(duration=1.0, dt=0.5), schedule={"x": {"dt": 0.25}}), "not an integer"),
    (dict(timing=dict(duration=1.0, dt=0.5), weights=xr.Dataset()), "cannot continue a run"),
])
def test_bad_timing_is_refused_before_training(options, message):
    env = pl.Environment({"inp": np.eye(4)}, {"out": np.eye(4)[:, :3]})
    with pytest.raises(NetworkError, match=message):
        pl.train(attractor(), env, epochs=1, **options)


def test_sequences_need_a_network_in_time_and_whole_absent_events():
    ff = pl.Network([G("inp", 4), G("out", 3, error="sse")], [("inp", "out")])
    seqs = pl.Environment({"inp": np.zeros((2, 3, 4))}, {"out": np.zeros((2, 3, 3))})
    with pytest.raises(DataError, match="only a network in time"):
        pl.train(ff, seqs, epochs=1)
    half = np.zeros((2, 3, 4))
    half[0, 1, 2] = np.nan
    with pytest.raises(DataError, match="only whole events"):
        pl.Environment({"inp": half}, {"out": np.zeros((2, 3, 3))})
    with pytest.raises(NetworkError, match="timing applies"):
        pl.train(ff, pl.Environment({"inp": np.eye(4)}, {"out": np.eye(4)[:, :3]}), epochs=1, timing={})


def test_spec_of_a_network_in_time(tmp_path):
    spec = tmp_path / "srn.toml"
    spec.write_text("""
[network]
time = "discrete"
groups = [{ name = "inp", size = 4 }, { name = "ctx", size = 5, copy_of = "hid" }, { name = "hid", size = 5 },
          { name = "out", size = 4, error = "sse" }]
projections = [{ source = "inp", target = "hid" }, { source = "ctx", target = "hid" },
               { source = "hid", target = "out" }]
[environment]
file = "seq.csv"
[training]
epochs = 2
update = "event"
[training.timing]
bptt = "none"
""")
    (tmp_path / "seq.csv").write_text("item,inp.0,inp.1,inp.2,inp.3,out.0,out.1,out.2,out.3\n"
                                      "a,1,0,0,0,0,1,0,0\nb,0,1,0,0,0,0,1,0\n")
    ds = load_spec(spec).run()
    assert ds.attrs["engine"] == "numpy" and "timing" in ds.attrs
    with pytest.raises(SpecError, match="training.timing: bptt"):
        load_spec(spec, ["training.timing.bptt=some"])
    with pytest.raises(SpecError, match="unknown key"):
        load_spec(spec, ["training.timing.speed=2"])
    with pytest.raises(SpecError, match="update"):
        load_spec(spec, ["training.update=sometimes"])


def test_shipped_specs_in_time_load():
    from pdplab.paths import data_dir

    sim3 = load_spec(data_dir("models") / "pmsp96_sim3.toml")
    assert sim3.network.time == "continuous" and sim3.training["timing"]["duration"] == 2.0
    elman = load_spec(data_dir("models") / "elman_1990.toml")
    assert elman.environment.events > 27000 and elman.network.contexts == ["context"]


def test_evaluation_reads_each_events_last_tick():
    net = attractor()
    w = net.init_weights([0])
    env = pl.Environment({"inp": np.eye(4)}, {"out": np.eye(4)[:, :3]})
    items = sequence_arrays(env, net, np.float64)
    out = evaluate_in_time(TimePlan(net), w, items, Timing(duration=1.0, dt=0.25), groups=["out"], ticks=True)
    hist = forward_in_time(TimePlan(net), w, items.inputs, 4, 0.25)
    np.testing.assert_array_equal(out["out"][:, :, 0], hist.acts["out"][1:].transpose(1, 2, 0, 3))


def test_each_output_group_keeps_its_own_targets():
    """An event with a target for one output group and none for another counts the first's error."""
    two = pl.Network([G("inp", 2), G("ctx", 3, copy_of="hid"), G("hid", 3), G("out", 2, error="sse"),
                      G("o2", 1, error="sse")], [("inp", "hid"), ("ctx", "hid"), ("hid", "out"), ("hid", "o2")],
                     time="discrete")
    weights = two.init_weights([1])
    x = np.array([[[1.0, 0.0], [0.0, 1.0]]])
    both = pl.Environment({"inp": x}, {"out": np.array([[[1.0, 0.0], [0.0, 1.0]]]),
                                       "o2": np.array([[[np.nan], [1.0]]])})
    err, grads = pl.gradients(two, weights, both)
    one = pl.Network([g for g in two.groups.values() if g.name != "o2"],
                     [p for p in two.projections if p.target != "o2"], time="discrete")
    alone = pl.Environment({"inp": x}, {"out": both.targets["out"]})
    err_one, grads_one = pl.gradients(one, {k: v for k, v in weights.items() if "o2" not in k}, alone)
    only_o2 = pl.gradients(two, weights, pl.Environment({"inp": x}, {"out": np.full((1, 2, 2), np.nan),
                                                                       "o2": both.targets["o2"]}))[0]
    assert err[0] == pytest.approx(err_one[0] + only_o2[0])
    np.testing.assert_allclose(grads["hid->out"], grads_one["hid->out"])


@pytest.mark.parametrize("inputs, targets, message", [
    (np.array([[[1.0, 0], [np.nan, np.nan], [0, 1.0]]]), np.zeros((1, 3, 4)), "absent event"),
    (np.array([[[1.0, 0], [np.nan, np.nan], [np.nan, np.nan]]]), np.ones((1, 3, 4)), "inputs are absent"),
])
def test_absent_events_only_at_the_end(inputs, targets, message):
    net = pl.Network([G("inp", 2), G("ctx", 5, copy_of="hid"), G("hid", 5), G("out", 4, error="sse")],
                     [("inp", "hid"), ("ctx", "hid"), ("hid", "out")], time="discrete")
    with pytest.raises(DataError, match=message):
        pl.train(net, pl.Environment({"inp": inputs}, {"out": targets}), epochs=1)


def test_train_error_is_not_scaled_by_frequency():
    env = pl.Environment({"inp": np.eye(4)}, {"out": np.eye(4)[:, :3]}, frequency=[1.0, 2.0, 4.0, 8.0])
    ds = pl.train(attractor(), env, epochs=1, lr=0.0, scale_by_frequency=True, update="batch",
                  timing=dict(duration=1.0, dt=0.5))
    np.testing.assert_allclose(ds["train_error"].isel(train_epoch=0), ds["error"].isel(epoch=0))


def test_damage_reads_each_items_last_event():
    env = pl.Environment.from_sequences({"inp": [np.eye(4)[:1], np.eye(4)[:3]]}, {"out": [np.eye(4)[1:2],
                                                                                        np.eye(4)[1:4]]})
    ds = pl.train(srn(), env, epochs=2, replicas=2)
    damaged = pl.damage.evaluate(ds, env, "units", "hid", [0.0], record=["out"])
    assert np.isfinite(damaged["out"]).all() and np.isfinite(damaged["error"]).all()


@pytest.mark.parametrize("build, message", [
    (lambda: pl.Network([G("a", 2), G("c", 2, copy_of="a"), G("b", 2, error="sse")], [("a", "b"), ("c", "b")],
                        time="discrete"), "copies a group that receives"),
    (lambda: pl.Network([G("a", 2), G("c", 2, copy_of="c"), G("b", 2, error="sse")], [("a", "b"), ("c", "b")],
                        time="discrete"), "copies a group that receives"),
    (lambda: pl.Network([G("a", 2), G("b", 2, error="sse")], [("a", "b"), ("b", "a")], time="continuous"),
     "no input group"),
    (lambda: pl.Network([G("a", 2), G("tick", 2, error="sse")], [("a", "tick")], time="discrete"), "reserved"),
])
def test_more_bad_networks_in_time(build, message):
    with pytest.raises(NetworkError, match=message):
        build()


def test_continuous_networks_need_their_timing_and_valid_scheduled_ticks():
    env = pl.Environment({"inp": np.eye(4)}, {"out": np.eye(4)[:, :3]})
    with pytest.raises(NetworkError, match="needs its timing"):
        pl.train(attractor(), env, epochs=1)
    for dt, message in ((2.0, "at most 1"), (True, "must be a number")):
        with pytest.raises(NetworkError, match=message):
            pl.train(attractor(), env, epochs=2, timing=dict(duration=4.0, dt=0.5), schedule={2: {"dt": dt}})


def test_sequences_are_not_written_as_one_event_files(tmp_path):
    from pdplab.stimuli import write_examples, write_patterns

    seqs = memory_task()
    for write in (write_patterns, write_examples):
        with pytest.raises(DataError, match="sequences of events"):
            write(seqs, tmp_path / "x")


def test_learning_curves_of_sequences_without_train_error():
    from pdplab import plots

    ds = pl.train(srn(out=1), memory_task(), epochs=2, replicas=2, record=dict(train_error=False))
    assert plots.curve_error(ds).dims == ("replica", "epoch", "item")
    plots.learning_curves(ds)


def test_tick_records_after_a_coarser_dt_never_show_the_future():
    env = pl.Environment({"inp": np.eye(4)}, {"out": np.eye(4)[:, :3]})
    ds = pl.train(attractor(), env, epochs=2, timing=dict(duration=1.0, dt=0.25), schedule={2: {"dt": 0.5}},
                  record=dict(groups=["out"], ticks=True))
    last = ds["out"].isel(epoch=-1)
    assert np.isnan(last.sel(tick=1)).all()  # t = 0.25: before the first tick of 0.5
    np.testing.assert_array_equal(last.sel(tick=2), last.sel(tick=3))  # t = 0.5 and 0.75: the tick at 0.5
    assert not np.isnan(last.sel(tick=4)).any()
