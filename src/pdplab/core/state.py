"""What a run needs, beyond its weights, to go on exactly where it stopped.

A results Dataset keeps, beside the final weights, the optimizer's state
(velocities, per-connection rates, moments), each replica's random
generator for the order of items, the epoch reached and each replica's
stopping epoch.  ``pl.train(..., weights=ds)`` restores all of it, so that
training 100 epochs and then 100 more gives the same numbers as 200 at once.

The optimizer's arrays are stored as ``optimizer:<name>:<k>`` (replica,
``optimizer_<k>``), flattened, in the layout the training loop uses; the
rest is JSON in the ``training_state`` attribute.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np

from ..exceptions import NetworkError
from .record import _jsonable

__all__ = ["STATE_ATTR", "state_variables", "saved_state", "check_same_run", "restore"]

STATE_ATTR = "training_state"


def state_variables(opt, keys, params, order_rngs, epoch, stopped_at, seeds, environment):
    """The variables and the attribute that let a run continue.

    Parameters
    ----------
    opt : Optimizer
        Bound to ``[params[k] for k in keys]``.
    keys : list of str
        The trainable parameters, in the optimizer's order.
    order_rngs : list of numpy.random.Generator
        Each replica's generator of item orders.
    epoch : int
        The last epoch trained.
    stopped_at : ndarray (replicas,)
        Each replica's stopping epoch (NaN while it trains).
    seeds : list of int
        The replicas' seeds, in order.
    environment : Environment
        The training items (a digest of their patterns is kept).

    Returns
    -------
    variables : dict of str to (dims, array)
    attr : str
        JSON for the ``training_state`` attribute.
    """
    state = opt.get_state()
    variables = {}
    for name in opt.state_names:
        for k, array in enumerate(state[name]):
            variables[f"optimizer:{name}:{k}"] = (("replica", f"optimizer_{k}"),
                                                  np.asarray(array).reshape(array.shape[0], -1).copy())
    attr = {
        "epoch": int(epoch),
        "optimizer": opt.name,
        "parameters": [[key, list(params[key].shape)] for key in keys],
        "scalars": {k: v for k, v in state.items() if k not in opt.state_names},
        "order_rngs": [rng.bit_generator.state for rng in order_rngs],
        "stopped_at": [None if np.isnan(s) else int(s) for s in stopped_at],
        "seeds": [int(s) for s in seeds],
        "items": items_digest(environment),
    }
    return variables, json.dumps(attr)


def environment_digest(environment, test=None):
    """A digest of the items a run trains and records: their labels, patterns and
    frequencies, and those of the held-out items."""
    h = hashlib.sha256()
    for env in (environment, test):
        if env is not None:
            h.update(items_digest(env).encode())
            h.update("\0".join(map(str, env.labels)).encode())
    return h.hexdigest()


def items_digest(environment):
    """A digest of the training items' patterns and frequencies."""
    h = hashlib.sha256()
    for group, arrays in (("in", environment.inputs), ("out", environment.targets)):
        for g in sorted(arrays):
            h.update(f"{group}:{g}".encode())
            h.update(np.ascontiguousarray(arrays[g], dtype=np.float64).tobytes())
    if environment.frequency is not None:
        h.update(np.ascontiguousarray(environment.frequency, dtype=np.float64).tobytes())
    return h.hexdigest()


def check_same_run(ds, network_json, settings, environment):
    """Refuse to continue ``ds`` with another network, other settings or other
    training items: the numbers would be those of no single run."""
    if ds.attrs.get("network") != network_json:
        raise NetworkError("weights: the run to continue had another network (sizes, activations, biases, "
                           "projections); continue with the same network")
    try:
        stored = json.loads(ds.attrs.get("training", ""))
    except (TypeError, ValueError):
        raise NetworkError("weights: the Dataset does not say how its run was trained") from None
    now = json.loads(json.dumps(settings, default=_jsonable))
    for key, value in now.items():
        if key == "optimizer_settings":
            for name, v in value.items():
                if stored.get(key, {}).get(name) != v:
                    raise NetworkError(f"weights: the run to continue had {name} = "
                                       f"{stored.get(key, {}).get(name)!r}, not {v!r}; continue with the same "
                                       f"settings, or start afresh from its weights alone")
        elif stored.get(key) != value:
            raise NetworkError(f"weights: the run to continue had {key} = {stored.get(key)!r}, not {value!r}; "
                               f"continue with the same settings, or start afresh from its weights alone")
    saved = saved_state(ds)
    if saved.get("items") not in (None, items_digest(environment)):
        raise NetworkError("weights: the run to continue was trained on other items (their patterns or "
                           "frequencies differ)")


def saved_state(ds):
    """The saved state of a results Dataset (a dict), or None if it has none."""
    text = ds.attrs.get(STATE_ATTR) if hasattr(ds, "attrs") else None
    if text is None:
        return None
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        raise NetworkError(f"weights: the Dataset's {STATE_ATTR} attribute is not valid JSON") from None


def restore(ds, state, opt, keys, params, order_rngs):
    """Put a saved state back into a bound optimizer and the order
    generators; return the replicas' stopping epochs."""
    if state["optimizer"] != opt.name:
        raise NetworkError(f"weights: the run to continue used optimizer {state['optimizer']!r}, not {opt.name!r}; "
                           f"continue with the same optimizer, or start afresh from its weights alone")
    layout = [[key, list(params[key].shape)] for key in keys]
    if layout != state["parameters"]:
        raise NetworkError("weights: the run to continue trained other parameters (a frozen projection or fixed "
                           "bias differs); continue with the same network")
    arrays = {}
    for name in opt.state_names:
        arrays[name] = []
        for k, key in enumerate(keys):
            var = f"optimizer:{name}:{k}"
            if var not in ds:
                raise NetworkError(f"weights: the Dataset has no variable {var!r} to continue from")
            arrays[name].append(np.asarray(ds[var].values).reshape(params[key].shape))
    opt.set_state({**arrays, **state["scalars"]})
    for rng, saved in zip(order_rngs, state["order_rngs"]):
        rng.bit_generator.state = saved
    return np.array([np.nan if s is None else s for s in state["stopped_at"]], dtype=float)
