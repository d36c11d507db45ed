"""Saxe, McClelland & Ganguli (2019): a mathematical theory of semantic development.

A deep linear network learns the eight items' attributes mode by mode.  The
singular value decomposition of the items' input–output correlation gives
modes that follow the hierarchy (all items; plants vs animals; the
categories within each domain; the items within categories) — a property of
the stimuli, reported as such.  The theory (Saxe et al. 2014, eqs. 11–12)
says each mode's strength rises along a sigmoid and reaches half its
singular value s at t½ = ln(s/a₀ − 1)/(2sλ): stronger modes first, in
stage-like transitions.  Small random initial weights are not the theory's
decoupled initial conditions, so each replica gets one effective initial
strength a₀, fitted to all its modes at once; every mode's timing then
follows from its singular value alone, and the claim is that these
predicted half-times match the measured ones, and match them better than a
plain 1/s law with one constant per replica does.  A shallow (one-layer)
linear network, trained alike, learns every mode on the same time scale,
ln 2/λ: no stages.  A mode that never reaches half strength within the run
counts as infinitely late; replicas for which the theory predicts a mode's
half-learning epoch beyond 3/4 of the run are left out.
"""

import numpy as np

import pdplab as pl
from pdplab import claims as cl
from pdplab import plots
from pdplab.models import deep_linear as dl
from pdplab.models.semantic import quartiles

NAME = "saxe-2019"
TITLE = "Saxe, McClelland & Ganguli (2019): stage-like learning of singular modes in a deep linear network"
SPEC = "saxe_2019.toml"
RECORDED = ("attribute",)  # groups the analysis reads
#: Successive modes whose singular values differ by more than this share are "distinct".
DISTINCT = 0.05
#: The largest mean relative error of predicted half-times that counts as a match.
TOLERANCE = 0.1
#: Replicas whose predicted half-times all fall within this share of the run are tested.
WITHIN_RUN = 0.75
THEORY = "Saxe, McClelland & Ganguli 2014, eqs. 11–12; 2019"


def shallow_network(deep):
    item, out = deep.groups["item"], deep.groups["attribute"]
    return pl.Network([item, out], [pl.Projection("item", "attribute", init="normal", init_range=0.01)],
                      name="saxe-2019-shallow")


def analyse(ds, experiment):
    env = experiment.environment
    lr = float(experiment.training["lr"])
    s, u, v = dl.svd_modes(env)
    epochs = ds["epoch"].values
    deep = dl.mode_strengths(ds["attribute"], u, v).values  # replica, epoch, mode
    shallow_ds = pl.train(shallow_network(experiment.network), env, **experiment.training, seed=ds["seed"].values)
    shallow = dl.mode_strengths(shallow_ds["attribute"], u, v).values
    R, M = deep.shape[0], len(s)

    roles = dl.mode_roles(u, env.items["domain"].to_numpy(), env.items["category"].to_numpy())
    expected = ["all items", "domains"] + sorted(f"categories within {d}" for d in set(env.items["domain"]))
    hierarchy = roles[:2] + sorted(roles[2:4]) == expected and all(r == "items within categories" for r in roles[4:])

    a0 = np.array([dl.fit_common_a0(deep[r], s, epochs, lr) for r in range(R)])
    theory = dl.deep_strength(s, a0[:, None, None], epochs[None, :, None], lr)
    predicted = dl.deep_half_time(s, a0[:, None], lr)  # replica, mode
    # A mode not at half strength by the end of the run is infinitely late.
    measured = np.nan_to_num(np.array([[dl.half_time(deep[r, :, m], s[m], epochs) for m in range(M)]
                                       for r in range(R)]), nan=np.inf)
    ratio = measured / predicted
    miss = np.abs(np.log(ratio)).mean(axis=1)  # per replica, mean over modes
    # The simplest rival: t½ = c/s, one constant c per replica (least squares in log time).
    c = np.exp(np.mean(np.log(np.where(np.isfinite(measured), measured, np.nan) * s), axis=1, keepdims=True))
    rival_miss = np.abs(np.log(measured / (c / s))).mean(axis=1)
    testable = (predicted <= WITHIN_RUN * epochs[-1]).all(axis=1)
    in_run = (testable, f"the theory puts every mode's half-learning epoch within {WITHIN_RUN:.0%} of the run")
    t_shallow = np.nan_to_num(np.array([[dl.half_time(shallow[r, :, m], s[m], epochs) for m in range(M)]
                                        for r in range(R)]), nan=np.inf)
    shallow_miss = np.abs(t_shallow / dl.shallow_half_time(lr) - 1).max(axis=1)
    shallow_in_run = (np.full(R, dl.shallow_half_time(lr) <= WITHIN_RUN * epochs[-1]),
                      f"ln 2/λ lies within {WITHIN_RUN:.0%} of the run")
    shallow_theory = dl.shallow_strength(s, shallow[:, :1, :], epochs[None, :, None], lr)

    distinct = [m for m in range(M - 1) if s[m] - s[m + 1] > DISTINCT * s[m + 1]]
    pairs = [cl.ordered(f"mode {m + 1} (s = {s[m]:.2f}) before mode {m + 2} (s = {s[m + 1]:.2f})", "",
                        measured[:, m], measured[:, m + 1], precondition=in_run) for m in distinct]
    claims = [
        cl.about_data(
            "the singular modes of the items' input–output correlation follow the hierarchy",
            "modes: all items; plants vs animals; the categories within each domain; individual items",
            "singular values " + ", ".join(f"{x:.2f}" for x in s) + "; modes: " + "; ".join(
                f"{m + 1}: {r}" for m, r in enumerate(roles)),
            hierarchy),
        cl.below(
            "with one initial strength per network, the theory predicts every mode's half-learning epoch",
            f"t½ = ln(s/a₀ − 1)/(2sλ): the analytic curves match simulations from small random weights ({THEORY})",
            miss, TOLERANCE,
            "per replica: mean over modes of |ln(measured / predicted half-learning epoch)| (≈ relative error)",
            measured="measured / predicted half-learning epoch, median [IQR] over replicas, by mode: " + "; ".join(
                f"{m + 1}: {quartiles(ratio[:, m], 3)}" for m in range(M))
                     + f"; fitted a₀ {quartiles(a0 * 1e4, 2)} × 10⁻⁴",
            precondition=in_run),
        cl.greater(
            "the theory's timing beats a plain 1/s law",
            f"learning time ∝ ln(s/a₀ − 1)/s, not simply 1/s ({THEORY})",
            rival_miss, miss,
            "per replica: mean |ln(measured / predicted)| of the law t½ = c/s (one fitted c) minus the theory's",
            measured=f"mean relative miss, median [IQR]: theory {quartiles(miss, 3)}, 1/s law "
                     f"{quartiles(rival_miss, 3)}",
            precondition=in_run),
        cl.every(
            "stage-like learning in order of singular value: each mode reaches half strength before the next "
            "weaker one",
            f"the learning time of a mode falls with its singular value ({THEORY})", pairs,
            measured="measured half-learning epochs, median by mode: "
                     + ", ".join(f"{x:.0f}" for x in np.median(measured, axis=0))
                     + f"; pairs of successive modes more than {DISTINCT:.0%} apart in s tested: "
                     + ", ".join(f"{m + 1}–{m + 2}" for m in distinct)
                     + "; in order per pair: " + ", ".join(
                         f"{int((measured[testable, m] < measured[testable, m + 1]).sum())}/{int(testable.sum())}"
                         for m in distinct)),
        cl.below(
            "a shallow network learns every mode on one time scale (no stages)",
            f"one-layer network: a(t) = s − (s − a₀) e^(−λt), half strength at ln 2/λ = "
            f"{dl.shallow_half_time(lr):.0f} epochs for every mode ({THEORY})",
            shallow_miss, TOLERANCE,
            "per replica: the largest relative deviation of a mode's half-learning epoch from ln 2/λ",
            precondition=shallow_in_run,
            measured=f"shallow half-learning epochs {t_shallow.min():.0f}–{t_shallow.max():.0f} over "
                     f"all modes and replicas (deep: {measured.min():.0f}–{measured.max():.0f})"),
    ]
    figures = {
        "singular_modes": (plots.singular_modes(s, u, list(env.labels)),
                           "Singular values of the items' input–output correlation and each mode's item loadings."),
        "deep_mode_strengths": (
            plots.mode_curves(epochs, deep, theory, s, "deep linear network"),
            "Mode strengths of the deep network: median over replicas of the simulated strengths (solid) and of "
            "the analytic sigmoids with each replica's fitted a₀ (dashed)."),
        "half_times": (plots.half_times(predicted, measured, s),
                       "Each replica's measured half-learning epoch of each mode against the theory's prediction "
                       "(one a₀ per replica); grey: identity."),
        "shallow_mode_strengths": (
            plots.mode_curves(epochs, shallow, shallow_theory, s, "shallow linear network"),
            "Mode strengths of the shallow network: simulated (solid) and analytic from each replica's initial "
            "strengths (dashed), medians over replicas."),
    }
    return claims, figures
