"""Damage: lesions and weight noise, seeded and recorded.

Three kinds of damage, each at a *severity* between 0 (none) and its maximum:

``units``
    remove a fraction of a group's units (their outgoing weights are set to 0);
``connections``
    remove a fraction of the links of one projection or of every projection
    into a group;
``noise``
    add Gaussian noise of standard deviation ``severity`` to those weights,
    as Rogers & McClelland (2004) did to model semantic dementia.

:func:`evaluate` applies each severity to trained weights and tests the
damaged networks, giving a Dataset with a ``severity`` dimension.  Replica
``r`` draws its damage from its own seed, so results do not depend on which
other replicas are evaluated with it.

References
----------
Rogers, T. T., & McClelland, J. L. (2004). *Semantic Cognition: A Parallel
Distributed Processing Approach*. MIT Press.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..exceptions import NetworkError
from .network import STREAM_DAMAGE
from .propagate import Plan, error_values, float_weights, forward
from .record import as_record, check_names, item_coords, network_attr, provenance, unit_coords, weights_from_dataset

__all__ = ["KINDS", "lesion_units", "lesion_connections", "add_noise", "evaluate"]

KINDS = ("units", "connections", "noise")


def damage_rng(seed, severity, repeat=0):
    """The generator for one replica's damage at one severity: keyed by the
    severity's value, so that it draws the same damage wherever the
    severity stands in a list."""
    bits = int(np.float64(severity).view(np.uint64))
    return np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(STREAM_DAMAGE, bits, repeat)))


def lesion_units(network, weights, group, fraction, rngs):
    """Remove ``fraction`` of ``group``'s units in each replica (in place).

    A removed unit sends nothing: its outgoing weights are set to 0.
    """
    _check_fraction(fraction)
    size = network.groups[group].size
    n = int(round(fraction * size))
    keys = [p.key for p in network.outgoing[group]]
    for r, rng in enumerate(rngs):
        gone = rng.choice(size, size=n, replace=False)
        for k in keys:
            weights[k][r, gone, :] = 0.0
    return weights


def lesion_connections(network, weights, keys, fraction, rngs):
    """Set a random ``fraction`` of the links in projections ``keys`` to 0 (in place)."""
    _check_fraction(fraction)
    for r, rng in enumerate(rngs):
        for k in keys:
            w = weights[k][r]
            w[rng.random(w.shape) < fraction] = 0.0
    return weights


def add_noise(network, weights, keys, sd, rngs):
    """Add N(0, sd²) noise to the weights of projections ``keys`` (in place)."""
    if sd < 0:
        raise NetworkError(f"damage: noise sd must be non-negative, not {sd}")
    for r, rng in enumerate(rngs):
        for k in keys:
            w = weights[k][r]
            w += rng.normal(0.0, sd, size=w.shape)
    return weights


def evaluate(results, environment, kind, where, severities, record=(), repeats=1, network=None, seeds=None,
             timing=None):
    """Test damaged copies of trained networks.

    Parameters
    ----------
    results : xarray.Dataset or dict
        A results Dataset from :func:`pdplab.train` (which holds the final
        weights, the network and the seeds), or a parameter mapping (then
        give ``network`` and ``seeds``).
    environment : Environment
        The items to test.
    kind : {"units", "connections", "noise"}
    where : str
        A group (for ``units``: the group lesioned; otherwise: every
        projection into it) or a projection key ``"a->b"``.
    severities : sequence of float
        Fractions removed, or noise standard deviations.
    record : sequence of str
        Groups whose activations to keep.
    repeats : int
        Independent draws of the damage per severity (a ``repeat`` dimension
        when more than one).
    timing : Timing or dict, optional
        Networks in time: how the test passes run (default: as the results'
        training ended, :func:`pdplab.core.train_time.timing_of`).

    Returns
    -------
    xarray.Dataset
        ``error`` (replica, severity[, repeat], item) and recorded activations
        (networks in time: at the last tick of the last event), and, for
        continuous networks, ``settling_time``.
    """
    dataset = results if isinstance(results, xr.Dataset) else None
    if dataset is not None:
        network, weights = weights_from_dataset(results, network)
        if seeds is None and "seed" in results.coords:
            seeds = results["seed"].values
    else:
        weights = results
        if network is None:
            raise NetworkError("damage: pass network= with a weight mapping")
    R = network.check_weights(weights)
    seeds = list(range(R)) if seeds is None else [int(s) for s in seeds]
    if kind not in KINDS:
        raise NetworkError(f"damage: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    keys = _targets(network, kind, where)
    record = as_record(list(record), network)
    check_names(record, environment)
    try:
        severities = np.asarray(severities, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise NetworkError(f"damage: severities must be numbers, not {severities!r}") from None
    if not len(severities) or not np.isfinite(severities).all():
        raise NetworkError(f"damage: severities must be finite numbers, not {severities.tolist()}")
    if len(np.unique(severities)) < len(severities):
        raise NetworkError(f"damage: severities must differ from each other, not {severities.tolist()}")
    if isinstance(repeats, bool) or not isinstance(repeats, (int, np.integer)) or repeats < 1:
        raise NetworkError(f"damage: repeats must be an integer ≥ 1, not {repeats!r}")
    weights, dtype = float_weights(weights)
    if network.time is None:
        if timing is not None:
            raise NetworkError("damage: timing applies to networks in time")
        inputs, targets = environment.arrays(network, dtype)
        plan = Plan(network)
        test = None
    else:
        test = _time_test(network, environment, dtype, dataset, timing)
    settle = np.full((R, len(severities), repeats, len(environment)), np.nan)
    errors = np.empty((R, len(severities), repeats, len(environment)))
    acts_out = {g: np.empty((R, len(severities), repeats, len(environment), network.groups[g].size))
                for g in record.groups}
    for i, sev in enumerate(severities):
        for k in range(repeats):
            w = {key: arr.copy() for key, arr in weights.items()}
            rngs = [damage_rng(s, sev, k) for s in seeds]
            if kind == "units":
                lesion_units(network, w, where, sev, rngs)
            elif kind == "connections":
                lesion_connections(network, w, keys, sev, rngs)
            else:
                add_noise(network, w, keys, sev, rngs)
            if test is None:
                _, acts = forward(plan, w, inputs)
                errors[:, i, k] = error_values(plan, acts, targets)
            else:
                acts = test(w, record.groups)
                errors[:, i, k] = acts["error"]
                if "settling_time" in acts:
                    settle[:, i, k] = acts["settling_time"]
            for g in record.groups:
                acts_out[g][:, i, k] = acts[g]

    dims = ("replica", "severity", "repeat", "item")
    data = {"error": (dims, errors)}
    if network.time == "continuous":
        data["settling_time"] = (dims, settle)
    data.update({g: (dims + (f"{g}_unit",), a) for g, a in acts_out.items()})
    coords = {"replica": np.arange(R), "seed": ("replica", np.array(seeds)), "severity": severities,
              **item_coords(environment), **unit_coords(network, record.groups, environment)}
    ds = xr.Dataset(data, coords=coords)
    if repeats == 1:
        ds = ds.squeeze("repeat", drop=True)
    ds.attrs = provenance(network=network_attr(network), damage={"kind": kind, "where": where, "keys": keys,
                                                                  "repeats": repeats})
    return ds


def _time_test(network, environment, dtype, dataset, timing):
    """A test pass of a network in time on ``environment``: a function of the weights and the groups to record."""
    from .time import TimePlan, as_timing
    from .train_time import sequence_arrays, evaluate_in_time, timing_of

    if timing is None and dataset is not None:
        timing = timing_of(dataset, network)
    timing = as_timing(timing, network)
    plan = TimePlan(network)
    items = sequence_arrays(environment, network, dtype)
    last, every = items.present.sum(axis=1) - 1, np.arange(len(items))

    def test(weights, groups):
        """Each item's error summed over its events (NaN without a target); activations and settling
        time at its last event."""
        out = evaluate_in_time(plan, weights, items, timing, groups=groups)
        err = out.pop("error")
        at_last = {name: out[name][:, every, last] for name in (*groups, "settling_time") if name in out}
        return {"error": np.where(np.isnan(err).all(axis=2), np.nan, np.nansum(err, axis=2)), **at_last}

    return test


def _targets(network, kind, where):
    if kind == "units":
        if where not in network.groups:
            raise NetworkError(f"damage: unknown group {where!r}")
        if not network.outgoing[where]:
            raise NetworkError(f"damage: group {where!r} sends nothing, so removing its units would change "
                               f"nothing; lesion a group that projects, or use kind='connections' on {where!r}")
        return [p.key for p in network.outgoing[where]]
    keys = {p.key for p in network.projections}
    if where in keys:
        return [where]
    if where in network.groups:
        found = [p.key for p in network.incoming[where]]
        if not found:
            raise NetworkError(f"damage: group {where!r} receives no projection")
        return found
    raise NetworkError(f"damage: {where!r} is neither a group nor a projection")


def _check_fraction(fraction):
    if not 0.0 <= fraction <= 1.0:
        raise NetworkError(f"damage: a fraction must be in [0, 1], not {fraction}")
