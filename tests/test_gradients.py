"""The engine's gradients against finite differences, and the learning rules
and optimizers against their definitions."""

import numpy as np
import pytest

import pdplab as pl
from pdplab.core.optim import make_optimizer
from pdplab.core.rules import feedback_matrices

from helpers import random_environment, two_input_network

HIDDEN = ["logistic", "tanh", "linear", "relu", "softmax"]
OUTPUTS = [(act, "sse") for act in HIDDEN] + [("logistic", "cross_entropy"), ("softmax", "cross_entropy")]


def numerical_gradient(network, weights, env, key, eps=1e-6):
    grad = np.zeros_like(weights[key])
    flat = grad.reshape(grad.shape[0], -1)
    for j in range(flat.shape[1]):
        for sign in (1, -1):
            w = {k: v.copy() for k, v in weights.items()}
            w[key].reshape(grad.shape[0], -1)[:, j] += sign * eps
            err, _ = pl.gradients(network, w, env)
            flat[:, j] += sign * err / (2 * eps)
    return grad


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("output,error", OUTPUTS)
def test_backprop_matches_finite_differences(hidden, output, error):
    net = two_input_network(hidden, output, error)
    env = random_environment(net, seed=len(hidden) + len(output))
    weights = net.init_weights([11, 12])
    _, grads = pl.gradients(net, weights, env)
    assert set(grads) == {k for k, _, _ in net.parameter_specs()}
    for key in grads:
        numeric = numerical_gradient(net, weights, env, key)
        np.testing.assert_allclose(grads[key], numeric, rtol=1e-5, atol=1e-7, err_msg=key)


@pytest.mark.parametrize("radius", [{"target_radius": 0.1}, {"zero_error_radius": 0.1}])
def test_tolerance_radii_gradients_match_finite_differences(radius):
    net = two_input_network(error="sse", **radius)
    env = random_environment(net, seed=3)
    weights = net.init_weights([1])
    err, grads = pl.gradients(net, weights, env)
    for key in ("h2->out", "a->h1", "out.bias"):
        np.testing.assert_allclose(grads[key], numerical_gradient(net, weights, env, key), rtol=1e-5, atol=1e-7)


def test_radii_remove_error_inside_them():
    net = two_input_network(error="sse")
    env = random_environment(net)
    weights = net.init_weights([0])
    plain, _ = pl.gradients(net, weights, env)
    wide = two_input_network(error="sse", zero_error_radius=2.0)
    err, grads = pl.gradients(wide, weights, env)
    assert plain[0] > 0 and err[0] == 0
    assert all(np.all(g == 0) for g in grads.values())
    banded = two_input_network(error="sse", target_radius=0.05)
    err_band, _ = pl.gradients(banded, weights, env)
    assert 0 < err_band[0] < plain[0]


def test_cross_entropy_of_a_perfect_output_is_zero():
    net = pl.Network([pl.Group("i", 2), pl.Group("o", 2, error="cross_entropy")], [("i", "o")])
    w = {"i->o": np.zeros((1, 2, 2)), "o.bias": np.zeros((1, 2))}
    env = pl.Environment({"i": [[1, 0]]}, {"o": [[0.5, 0.5]]})
    err, _ = pl.gradients(net, w, env)
    assert err[0] == pytest.approx(0.0, abs=1e-12)


def test_gradient_is_the_negative_delta_times_input():
    """For a single-layer logistic network the generalized delta rule reads
    ∂E/∂wᵢⱼ = −(tⱼ − oⱼ) oⱼ (1 − oⱼ) xᵢ (Rumelhart, Hinton & Williams 1986)."""
    net = pl.Network([pl.Group("i", 3), pl.Group("o", 2, error="sse")], [("i", "o")])
    env = random_environment(net, n=1, seed=5)
    w = net.init_weights([2])
    _, grads = pl.gradients(net, w, env)
    x, t = env.inputs["i"][0], env.targets["o"][0]
    o = 1 / (1 + np.exp(-(x @ w["i->o"][0] + w["o.bias"][0])))
    delta = (t - o) * o * (1 - o)
    np.testing.assert_allclose(grads["i->o"][0], -np.outer(x, delta))


def test_feedback_alignment_sends_deltas_through_fixed_random_matrices():
    net = pl.Network(
        [pl.Group("i", 3), pl.Group("h", 4), pl.Group("o", 2, error="sse")],
        [("i", "h"), ("h", "o")],
    )
    env = random_environment(net, n=4, seed=9)
    w = net.init_weights([7, 8])
    _, true = pl.gradients(net, w, env)
    _, fa = pl.gradients(net, w, env, rule="feedback_alignment", seeds=[7, 8])
    B = feedback_matrices(net, w, "feedback_alignment", [7, 8])["h->o"]
    assert not np.allclose(B, w["h->o"])
    x, t = env.inputs["i"], env.targets["o"]
    for r in range(2):
        h = 1 / (1 + np.exp(-(x @ w["i->h"][r] + w["h.bias"][r])))
        o = 1 / (1 + np.exp(-(h @ w["h->o"][r] + w["o.bias"][r])))
        d_out = (o - t) * o * (1 - o)
        d_hid = (d_out @ B[r].T) * h * (1 - h)
        np.testing.assert_allclose(fa["h->o"][r], h.T @ d_out)
        np.testing.assert_allclose(fa["i->h"][r], x.T @ d_hid)
    np.testing.assert_allclose(fa["h->o"], true["h->o"])
    assert not np.allclose(fa["i->h"], true["i->h"])


def test_one_pattern_step_is_steepest_descent():
    net = two_input_network()
    env = random_environment(net, n=1, seed=4)
    w0 = net.init_weights([3])
    _, grads = pl.gradients(net, w0, env)
    ds = pl.train(net, env, epochs=1, lr=0.25, update="pattern", order="ordered", seed=3)
    _, w1 = pl.weights_from_dataset(ds)
    for key, _, learn in net.parameter_specs():
        expected = w0[key] - 0.25 * grads[key] if learn else w0[key]
        np.testing.assert_allclose(w1[key], expected, rtol=1e-12, atol=1e-14, err_msg=key)


def test_batch_epoch_is_one_step_on_the_summed_gradient():
    net = two_input_network(output="softmax", error="cross_entropy")
    env = random_environment(net, n=6, seed=8)
    w0 = net.init_weights([5])
    _, grads = pl.gradients(net, w0, env)
    ds = pl.train(net, env, epochs=1, lr=0.1, update="batch", seed=5, decay=0.01)
    _, w1 = pl.weights_from_dataset(ds)
    for key, _, learn in net.parameter_specs():
        decay = 0.01 * w0[key] if "->" in key else 0
        expected = w0[key] - 0.1 * (grads[key] + decay) if learn else w0[key]
        np.testing.assert_allclose(w1[key], expected, rtol=1e-12, atol=1e-14, err_msg=key)


def run_optimizer(name, grads_seq, w0, **settings):
    w = [w0.copy()]
    opt = make_optimizer(name, **settings).bind(w, replicas=w0.shape[0])
    for g in grads_seq:
        opt.step([g.copy()])
    return w[0]


@pytest.fixture
def steps():
    rng = np.random.default_rng(0)
    return rng.normal(size=(2, 3, 4)), [rng.normal(size=(2, 3, 4)) for _ in range(3)]


def test_momentum_follows_its_definition(steps):
    w0, gs = steps
    w, dw = w0.copy(), np.zeros_like(w0)
    for g in gs:
        dw = -0.1 * g + 0.9 * dw
        w = w + dw
    np.testing.assert_allclose(run_optimizer("momentum", gs, w0, lr=0.1, momentum=0.9), w)


def test_per_replica_settings(steps):
    w0, gs = steps
    both = run_optimizer("momentum", gs, w0, lr=[0.1, 0.3], momentum=[0.5, 0.0])
    first = run_optimizer("momentum", [g[:1] for g in gs], w0[:1], lr=0.1, momentum=0.5)
    second = run_optimizer("momentum", [g[1:] for g in gs], w0[1:], lr=0.3, momentum=0.0)
    np.testing.assert_allclose(both, np.concatenate([first, second]))


def test_dougs_momentum_bounds_the_step(steps):
    w0, gs = steps
    big = [g * 100 for g in gs]
    w, dw = w0.copy(), np.zeros_like(w0)
    for g in big:
        norm = np.sqrt((g**2).sum(axis=(1, 2), keepdims=True))
        dw = -0.2 * g / np.maximum(norm, 1) + 0.5 * dw
        w = w + dw
    np.testing.assert_allclose(run_optimizer("dougs_momentum", big, w0, lr=0.2, momentum=0.5), w)
    first = run_optimizer("dougs_momentum", big[:1], w0, lr=0.2, momentum=0.5)
    assert np.allclose(np.sqrt(((first - w0) ** 2).sum(axis=(1, 2))), 0.2)


def test_delta_bar_delta_follows_jacobs_1988(steps):
    w0, gs = steps
    gs = gs + [gs[0], -gs[0]]
    k, phi, theta, lr = 0.01, 0.2, 0.7, 0.05
    w, eps, bar = w0.copy(), np.full_like(w0, lr), np.zeros_like(w0)
    for g in gs:
        eps = np.where(bar * g > 0, eps + k, np.where(bar * g < 0, eps * (1 - phi), eps))
        bar = (1 - theta) * g + theta * bar
        w = w - eps * g
    got = run_optimizer("delta_bar_delta", gs, w0, lr=lr, increment=k, decrement=phi, averaging=theta)
    np.testing.assert_allclose(got, w)


def test_adam_follows_kingma_and_ba(steps):
    w0, gs = steps
    w, m, v = w0.copy(), np.zeros_like(w0), np.zeros_like(w0)
    for t, g in enumerate(gs, start=1):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w = w - 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    np.testing.assert_allclose(run_optimizer("adam", gs, w0, lr=0.01), w)
