"""Lens's delta-bar-delta (``lens_delta_bar_delta``) against its definition,
in a training run, across schedules, replicas, frozen replicas and continued runs."""

import numpy as np
import pytest

import pdplab as pl
from pdplab.core.optim import make_optimizer

from helpers import random_environment, two_input_network

NAME = "lens_delta_bar_delta"


def lens_steps(w0, grads_seq, lr=0.1, momentum=0.9, increment=0.1, decrement=0.9, decay=0.0, mask=1.0,
               gains=None, last=None, grew=None):
    """Lens's deltaBarDelta, one connection at a time in plain numpy.

    Returns the weights, gains and last weight changes after the steps;
    ``grew``, a list, receives each step's mask of gains that grew.
    """
    w = w0.copy()
    gains = np.ones_like(w0) if gains is None else gains.copy()
    last = np.zeros_like(w0) if last is None else last.copy()
    for g in grads_seq:
        # The gain grows by the increment where the gradient's sign bit differs from
        # the last change's, and is multiplied by the decrement everywhere else.
        opposite = np.signbit(g) != np.signbit(last)
        gains = np.where(opposite, gains + increment, gains * decrement)
        if grew is not None:
            grew.append(opposite)
        change = -lr * gains * g + momentum * last
        change = change - decay * w * mask  # directly, not times the rate
        new = w + change
        last = new - w  # the change the weight actually made
        w = new
    return w, gains, last


def bound(w0, **settings):
    w = [w0.copy()]
    return w, make_optimizer(NAME, **settings).bind(w, replicas=w0.shape[0])


@pytest.fixture
def steps():
    rng = np.random.default_rng(0)
    w0 = rng.normal(size=(2, 3, 4))
    gs = [rng.normal(size=(2, 3, 4)) for _ in range(3)]
    return w0, gs + [gs[0], -gs[0], -gs[0]]  # repeats and sign flips


def test_the_first_step_grows_gains_of_negative_gradients_and_shrinks_the_others(steps):
    # Lens compares sign bits, and the last change starts at +0: a negative
    # gradient counts as opposite (gain + 0.1), a positive one as agreeing (gain × 0.9).
    w0, gs = steps
    w, opt = bound(w0, lr=0.1, momentum=0.0)
    opt.step([gs[0].copy()])
    np.testing.assert_array_equal(opt.gains[0], np.where(gs[0] < 0, 1.0 + 0.1, 1.0 * 0.9))
    np.testing.assert_allclose(w[0], w0 - 0.1 * opt.gains[0] * gs[0], rtol=1e-14)


@pytest.mark.parametrize("settings", [
    dict(lr=0.1, momentum=0.0, increment=0.1, decrement=0.9),
    dict(lr=0.3, momentum=0.5, increment=0.05, decrement=0.7),
    dict(lr=0.2, momentum=0.9, increment=0.2, decrement=0.5, decay=0.01),
], ids=["no-momentum", "momentum", "momentum-decay"])
def test_lens_delta_bar_delta_follows_its_definition(steps, settings):
    w0, gs = steps
    grew = []
    want_w, want_gains, want_last = lens_steps(w0, gs, **settings, grew=grew)
    w, opt = bound(w0, **settings)
    for g in gs:
        opt.step([g.copy()])
    np.testing.assert_allclose(w[0], want_w, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(opt.gains[0], want_gains, rtol=1e-12)
    np.testing.assert_allclose(opt.velocity[0], want_last, rtol=1e-10, atol=1e-14)
    # Both branches were taken, and some gains grew and later shrank.
    grew = np.array(grew)
    assert (grew[:-1] & ~grew[1:]).any() and (~grew).any()


def test_a_gain_shrinks_when_the_gradient_turns_against_the_last_change(steps):
    w0, gs = steps
    g = np.abs(gs[0]) + 0.1  # positive: the weight moves down, the last change is negative
    w, opt = bound(w0, lr=0.1, momentum=0.0)
    opt.step([-g])  # negative gradient: gains 1.1, weights move up
    opt.step([-g])  # same direction again: 1.2
    np.testing.assert_allclose(opt.gains[0], 1.2, rtol=1e-15)
    opt.step([g])   # the gradient turns: × 0.9
    np.testing.assert_allclose(opt.gains[0], 1.2 * 0.9, rtol=1e-15)


def test_the_remembered_change_is_the_one_the_weight_made():
    # A step too small to change a large weight leaves a last change of +0, so the
    # next positive gradient shrinks the gain again (Lens keeps w_new − w_old, not the step).
    w0 = np.full((1, 1, 2), 1e8)
    g = np.full((1, 1, 2), 1e-12)
    w, opt = bound(w0, lr=0.1, momentum=0.0)
    opt.step([g.copy()])
    opt.step([g.copy()])
    np.testing.assert_array_equal(w[0], w0)
    np.testing.assert_array_equal(opt.velocity[0], 0.0)
    np.testing.assert_allclose(opt.gains[0], 0.9 * 0.9, rtol=1e-15)


def test_decay_enters_the_change_directly_and_spares_masked_entries(steps):
    w0, gs = steps
    mask = np.ones((1, 3, 1))
    mask[:, -1] = 0.0  # a bias row, as in a fused weight-and-bias array
    want, _, _ = lens_steps(w0, gs, lr=0.05, momentum=0.5, decay=0.1, mask=mask)
    w = [w0.copy()]
    opt = make_optimizer(NAME, lr=0.05, momentum=0.5, decay=0.1).bind(w, replicas=2, decays=[mask])
    for g in gs:
        opt.step([g.copy()])
    np.testing.assert_allclose(w[0], want, rtol=1e-12, atol=1e-14)
    # With no learning, only decay (carried by momentum) moves the weights, and never the bias row.
    w, opt = [w0.copy()], make_optimizer(NAME, lr=0.0, momentum=0.0, decay=0.1)
    opt.bind(w, replicas=2, decays=[mask])
    opt.step([gs[0].copy()])
    np.testing.assert_allclose(w[0][:, :-1], 0.9 * w0[:, :-1], rtol=1e-14)
    np.testing.assert_array_equal(w[0][:, -1], w0[:, -1])


def test_lr_scales_multiply_the_rate_per_parameter(steps):
    w0, gs = steps
    w = [w0.copy(), w0.copy()]
    opt = make_optimizer(NAME, lr=0.2, momentum=0.5).bind(w, replicas=2, lr_scales=[0.5, 2.0])
    for g in gs:
        opt.step([g.copy(), g.copy()])
    for got, scale in zip(w, (0.5, 2.0)):
        np.testing.assert_allclose(got, lens_steps(w0, gs, lr=0.2 * scale, momentum=0.5)[0], rtol=1e-12)


def test_per_replica_settings(steps):
    w0, gs = steps
    settings = dict(lr=[0.1, 0.3], momentum=[0.5, 0.0], increment=[0.1, 0.2], decrement=[0.9, 0.5],
                    decay=[0.0, 0.01])
    w, opt = bound(w0, **settings)
    for g in gs:
        opt.step([g.copy()])
    for r in range(2):
        want, _, _ = lens_steps(w0[r:r + 1], [g[r:r + 1] for g in gs], **{k: v[r] for k, v in settings.items()})
        np.testing.assert_allclose(w[0][r:r + 1], want, rtol=1e-12, atol=1e-14)


def test_changing_the_rate_or_momentum_keeps_the_gains(steps):
    w0, gs = steps
    w, opt = bound(w0, lr=0.2, momentum=0.5)
    for g in gs[:3]:
        opt.step([g.copy()])
    gains, last = opt.gains[0].copy(), opt.velocity[0].copy()
    assert not np.allclose(gains, 1.0)
    opt.set(lr=0.05, momentum=0.8)
    np.testing.assert_array_equal(opt.gains[0], gains)
    np.testing.assert_array_equal(opt.velocity[0], last)
    for g in gs[3:]:
        opt.step([g.copy()])
    before, _, _ = lens_steps(w0, gs[:3], lr=0.2, momentum=0.5)
    want, _, _ = lens_steps(before, gs[3:], lr=0.05, momentum=0.8, gains=gains, last=last)
    np.testing.assert_allclose(w[0], want, rtol=1e-12, atol=1e-14)


def test_frozen_replicas_keep_weights_gains_and_last_changes(steps):
    w0, gs = steps
    w, opt = bound(w0, lr=0.2, momentum=0.5, decay=0.01)
    opt.step([gs[0].copy()])
    held = [a[0].copy() for a in (w[0], opt.gains[0], opt.velocity[0])]
    opt.freeze(np.array([True, False]))
    for g in gs[1:]:
        opt.step([g.copy()])
    for got, was in zip((w[0], opt.gains[0], opt.velocity[0]), held):
        np.testing.assert_array_equal(got[0], was)
    want, _, _ = lens_steps(w0[1:], [g[1:] for g in gs], lr=0.2, momentum=0.5, decay=0.01)
    np.testing.assert_allclose(w[0][1:], want, rtol=1e-12, atol=1e-14)


def test_batch_training_steps_by_the_definition():
    # Three batch epochs of pl.train against the definition applied to the
    # gradients pl.gradients gives: fused and separate biases (never decayed),
    # a fixed bias, and a projection with its own rate scale.
    base = two_input_network()
    projections = [pl.Projection(p.source, p.target, lr_scale=0.5 if p.key == "b->h2" else 1.0)
                   for p in base.projections]
    net = pl.Network(list(base.groups.values()), projections, init_range=0.8)
    env = random_environment(net, n=6, seed=8)
    settings = dict(lr=0.3, momentum=0.6, increment=0.1, decrement=0.8, decay=0.01)
    ds = pl.train(net, env, epochs=3, update="batch", optimizer=NAME, seed=5, lr=0.3, momentum=0.6, decay=0.01,
                  optimizer_options={"increment": 0.1, "decrement": 0.8})
    _, got = pl.weights_from_dataset(ds)
    w = net.init_weights([5])
    gains = {k: np.ones_like(v) for k, v in w.items()}
    last = {k: np.zeros_like(v) for k, v in w.items()}
    learned = {key for key, _, learn in net.parameter_specs() if learn}
    for _ in range(3):
        _, grads = pl.gradients(net, w, env)
        for key in learned:
            scale = 0.5 if key == "b->h2" else 1.0
            decay = settings["decay"] if "->" in key else 0.0
            w[key], gains[key], last[key] = lens_steps(
                w[key], [grads[key]], **{**settings, "lr": settings["lr"] * scale, "decay": decay},
                gains=gains[key], last=last[key])
    for key, _, learn in net.parameter_specs():
        np.testing.assert_allclose(got[key], w[key], rtol=1e-11, atol=1e-13, err_msg=key)
    assert not np.allclose(gains["h2->out"], 1.0)


RUNS = [
    dict(update="batch", lr=0.2, momentum=0.5, decay=0.001),
    dict(update="pattern", order="permuted", lr=0.1, momentum=0.9, optimizer_options={"increment": 0.05}),
    dict(update="minibatch", batch_size=2, lr=0.2, momentum=0.5, optimizer_options={"decrement": 0.7},
         schedule={5: {"lr": 0.05, "momentum": 0.8}}),
]


@pytest.mark.parametrize("settings", RUNS, ids=lambda s: s["update"])
def test_a_replica_is_the_same_alone_or_among_others(settings):
    net = two_input_network()
    env = random_environment(net, n=6, seed=2)
    alone = pl.train(net, env, epochs=12, seed=[5], optimizer=NAME, **settings)
    among = pl.train(net, env, epochs=12, seed=[3, 4, 5, 6, 7], optimizer=NAME, **settings)
    for name in alone.data_vars:
        np.testing.assert_array_equal(alone[name].isel(replica=0).values, among[name].isel(replica=2).values,
                                      err_msg=name)
    assert not np.array_equal(among["error"].isel(replica=0), among["error"].isel(replica=1))


def test_per_replica_settings_match_separate_runs():
    net = two_input_network()
    env = random_environment(net)
    both = pl.train(net, env, epochs=8, update="batch", optimizer=NAME, seed=[1, 2], lr=[0.05, 0.3],
                    optimizer_options={"decrement": [0.9, 0.5], "increment": [0.1, 0.2]})
    one = pl.train(net, env, epochs=8, update="batch", optimizer=NAME, seed=1, lr=0.05,
                   optimizer_options={"decrement": 0.9, "increment": 0.1})
    two = pl.train(net, env, epochs=8, update="batch", optimizer=NAME, seed=2, lr=0.3,
                   optimizer_options={"decrement": 0.5, "increment": 0.2})
    np.testing.assert_array_equal(both["error"].isel(replica=0), one["error"].isel(replica=0))
    np.testing.assert_array_equal(both["error"].isel(replica=1), two["error"].isel(replica=0))


def test_a_schedule_that_changes_the_rate_keeps_the_gains():
    # Setting the rate to the value it already has changes nothing (the Jacobs
    # form, which starts every rate afresh, would); halving it halves the next step.
    net = two_input_network()
    env = random_environment(net, n=6, seed=2)
    kw = dict(epochs=6, update="batch", optimizer=NAME, lr=0.2, momentum=0.0, seed=[5, 6])
    plain = pl.train(net, env, **kw)
    same = pl.train(net, env, schedule={4: {"lr": 0.2}}, **kw)
    for name in plain.data_vars:
        np.testing.assert_array_equal(plain[name].values, same[name].values, err_msg=name)
    jacobs = {**kw, "optimizer": "delta_bar_delta"}
    assert not np.array_equal(pl.train(net, env, **jacobs)["error"],
                              pl.train(net, env, schedule={4: {"lr": 0.2}}, **jacobs)["error"])
    # Epoch 4 at half the rate steps from the gains and last changes epoch 3 left.
    three = pl.train(net, env, **{**kw, "epochs": 3})
    halved = pl.train(net, env, schedule={4: {"lr": 0.1}}, **{**kw, "epochs": 4})
    (_, w3), (_, w4) = pl.weights_from_dataset(three), pl.weights_from_dataset(halved)
    _, grads = pl.gradients(net, w3, env)
    # The first trainable array is a->h1 fused with h1's bias (a bias row below the weights).
    fused = np.concatenate([w3["a->h1"], w3["h1.bias"][:, None, :]], axis=1)
    g = np.concatenate([grads["a->h1"], grads["h1.bias"][:, None, :]], axis=1)
    gains = three["optimizer:gains:0"].values.reshape(fused.shape)
    last = three["optimizer:velocity:0"].values.reshape(fused.shape)
    assert not np.allclose(gains, 1.0)
    want, _, _ = lens_steps(fused, [g], lr=0.1, momentum=0.0, gains=gains, last=last)
    np.testing.assert_allclose(w4["a->h1"], want[:, :-1], rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(w4["h1.bias"], want[:, -1], rtol=1e-11, atol=1e-13)


def test_a_replica_stops_alike_alone_or_among_others(xor):
    net, env = xor
    kw = dict(epochs=3000, criterion=0.3, update="batch", optimizer=NAME, lr=0.3, momentum=0.5)
    among = pl.train(net, env, seed=[3, 4, 5, 6], **kw)
    alone = pl.train(net, env, seed=[5], **kw)
    stops = among["stopped_at"].values
    assert np.isfinite(stops).all() and len(set(stops)) > 1
    assert stops[2] == alone["stopped_at"].values[0]
    for name in ("weight:input->hidden", "weight:hidden->output", "bias:hidden", "bias:output",
                 "optimizer:gains:0", "optimizer:velocity:0"):
        np.testing.assert_array_equal(alone[name].isel(replica=0), among[name].isel(replica=2), err_msg=name)


@pytest.mark.parametrize("settings", [
    {"update": "batch", "lr": 0.2, "momentum": 0.5, "decay": 0.001, "schedule": {12: {"lr": 0.1}}},
    {"update": "pattern", "lr": 0.1, "momentum": 0.9, "schedule": {26: {"momentum": 0.5}}},
    {"update": "batch", "lr": 0.5, "momentum": 0.5, "criterion": 0.25},
], ids=["batch-schedule", "pattern-later-schedule", "batch-criterion"])
def test_continuing_a_run_gives_the_numbers_of_one_long_run(tmp_path, settings):
    net = two_input_network()
    env = random_environment(net, n=6, seed=2)
    settings = {"optimizer": NAME, "record": {"every": 6}, **settings}
    whole = pl.train(net, env, epochs=30, seed=[5, 6, 7], **settings)
    first = pl.train(net, env, epochs=24, seed=[5, 6, 7], **settings)
    assert not np.allclose(first["optimizer:gains:0"], 1.0)  # the gains carry something to continue
    pl.save(first, tmp_path / "first.nc")
    rest = pl.train(net, env, epochs=6, weights=pl.load(tmp_path / "first.nc"), **settings)
    assert int(rest["epoch"][0]) == 24 and int(rest["epoch"][-1]) == 30
    for name in whole.data_vars:
        same = {d: rest[d] for d in ("epoch", "train_epoch") if d in whole[name].dims}
        np.testing.assert_array_equal(rest[name].values, whole[name].sel(same).values, err_msg=name)


@pytest.mark.parametrize("bad, words", [
    ({"optimizer_options": {"decrement": 1.5}}, "decrement must be in [0, 1], not 1.5"),
    ({"optimizer_options": {"increment": -0.1}}, "increment must be ≥ 0, not -0.1"),
    ({"momentum": 1.0}, "momentum must be in [0, 1), not 1.0"),
    ({"lr": [0.1, -0.2]}, "lr must be ≥ 0, not [0.1, -0.2]"),
    ({"decay": 2.0}, "decay must be in [0, 1], not 2.0"),
])
def test_a_bad_setting_fails_in_one_line(bad, words):
    net = two_input_network()
    env = random_environment(net)
    with pytest.raises(pl.NetworkError) as e:
        pl.train(net, env, epochs=1, optimizer=NAME, seed=[1, 2], **bad)
    message = str(e.value)
    assert words in message and NAME in message and "\n" not in message, message


def test_a_bad_setting_mid_run_fails_and_leaves_the_settings_alone(steps):
    w0, _ = steps
    _, opt = bound(w0, decrement=0.8)
    with pytest.raises(pl.NetworkError, match="decrement must be in"):
        opt.set(decrement=1.5)
    assert opt.settings["decrement"] == 0.8
    make_optimizer(NAME, decrement=1.0, increment=0.0, momentum=0.0, decay=1.0, lr=0.0)  # the edges are allowed


def test_a_bad_scheduled_setting_fails_before_training():
    net = two_input_network()
    env = random_environment(net)
    with pytest.raises(pl.NetworkError, match=r"^schedule: epoch 3: .*momentum must be in \[0, 1\), not 1.5$"):
        pl.train(net, env, epochs=5, optimizer="lens_delta_bar_delta", schedule={3: {"momentum": 1.5}})
