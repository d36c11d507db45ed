"""Saxe, McClelland & Ganguli (2019): a mathematical theory of semantic development.

A deep linear network learns the eight items' attributes mode by mode: the
singular value decomposition of the input–output correlation gives modes
that follow the hierarchy (all items; plants vs animals; the categories
within them; items), each mode's strength rises along the theory's sigmoid,
and stronger modes are learned first, in stage-like transitions.  A shallow
(one-layer) linear network, trained alike, learns every mode on the same
exponential time scale: no stages.

The analytic curves take each mode's effective initial strength a₀ as a
fitted value per replica (small random weights are not the theory's exact
initial conditions); their shape and time scale are the theory's.
"""

import numpy as np
from scipy import stats

import pdplab as pl
from pdplab import plots
from pdplab.models import deep_linear as dl

NAME = "saxe-2019"
TITLE = "Saxe, McClelland & Ganguli (2019): stage-like learning of singular modes in a deep linear network"
SPEC = "saxe_2019.toml"


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

    a0 = np.array([[dl.fit_a0(deep[r, :, m], s[m], epochs, lr) for m in range(M)] for r in range(R)])
    theory = np.stack([np.stack([dl.deep_strength(s[m], a0[r, m], epochs, lr) for m in range(M)], -1)
                       for r in range(R)])
    deep_err = np.abs(deep - theory).max(axis=1) / s  # replica, mode
    shallow_theory = np.stack([dl.shallow_strength(s[m], shallow[:, 0, m][:, None], epochs, lr) for m in range(M)], -1)
    shallow_err = np.abs(shallow - shallow_theory).max(axis=1) / s
    t_deep = np.array([[dl.half_time(deep[r, :, m], s[m], epochs) for m in range(M)] for r in range(R)])
    t_shallow = np.array([[dl.half_time(shallow[r, :, m], s[m], epochs) for m in range(M)] for r in range(R)])
    rho = stats.spearmanr(s, t_deep.mean(0)).statistic
    distinct = np.flatnonzero(np.diff(s) < -0.05 * s[1:])  # successive modes more than 5% apart
    ordered = (np.diff(t_deep, axis=1)[:, distinct] > 0).all(axis=1)
    domains = env.items["domain"].to_numpy()
    second = u[:, 1]
    splits_domain = len(set(np.sign(second[domains == "plant"]))) == 1 and np.sign(
        second[domains == "plant"][0]) != np.sign(second[domains == "animal"][0])
    spread_deep = np.nanmax(t_deep.mean(0)) / np.nanmin(t_deep.mean(0))
    spread_shallow = np.nanmax(t_shallow.mean(0)) / np.nanmin(t_shallow.mean(0))

    claims = [
        {
            "claim": "the singular modes follow the hierarchy; the second separates plants from animals",
            "published": "modes: all items, plants vs animals, categories within domains, items",
            "measured": "singular values " + ", ".join(f"{x:.2f}" for x in s)
                        + f"; mode 2 {'separates' if splits_domain else 'does not separate'} plants from animals",
            "holds": bool(splits_domain),
        },
        {
            "claim": "each mode's strength follows the analytic sigmoid a(t) = s / (1 + (s/a0 − 1) e^(−2st/τ))",
            "published": "simulations match the analytic curves",
            "measured": "largest deviation / s, median over replicas, by mode: "
                        + ", ".join(f"{x:.3f}" for x in np.median(deep_err, axis=0)),
            "holds": bool(np.median(deep_err, axis=0).max() < 0.1),
        },
        {
            "claim": "stage-like learning in order of singular value: stronger modes first",
            "published": "half-learning time falls with s (≈ ln(s/a0)/(2λs))",
            "measured": "mean half-learning epochs by mode: " + ", ".join(f"{x:.0f}" for x in t_deep.mean(0))
                        + f"; Spearman(s, mean t) = {rho:.2f}; every pair of modes more than 5% apart in order "
                          f"in {int(ordered.sum())} of {R} single replicas (random initial strengths reorder "
                          f"close modes)",
            "holds": bool(rho < -0.9),
        },
        {
            "claim": "a shallow network learns every mode on one time scale (no stages)",
            "published": "a(t) = s − (s − a0) e^(−t/τ): the same half-time for every mode",
            "measured": f"half-learning epochs {np.nanmin(t_shallow.mean(0)):.0f}–{np.nanmax(t_shallow.mean(0)):.0f} "
                        f"(ratio {spread_shallow:.2f}; deep: {spread_deep:.1f}); largest deviation from the "
                        f"analytic curve / s: {np.median(shallow_err, axis=0).max():.3f}",
            "holds": bool(spread_shallow < 1.25 < spread_deep and np.median(shallow_err, axis=0).max() < 0.05),
        },
    ]
    figures = {
        "singular_modes": plots.singular_modes(s, u, list(env.labels)),
        "deep_mode_strengths": plots.mode_curves(epochs, deep, theory, s, "deep linear network"),
        "shallow_mode_strengths": plots.mode_curves(epochs, shallow, shallow_theory, s, "shallow linear network"),
    }
    return claims, figures
