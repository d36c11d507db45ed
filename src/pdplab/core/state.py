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

import json

import numpy as np

from ..exceptions import NetworkError

__all__ = ["STATE_ATTR", "state_variables", "saved_state", "restore"]

STATE_ATTR = "training_state"


def state_variables(opt, keys, params, order_rngs, epoch, stopped_at):
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
    }
    return variables, json.dumps(attr)


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
    generators; return the epoch reached and the stopping epochs."""
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
    stopped = np.array([np.nan if s is None else s for s in state["stopped_at"]], dtype=float)
    return int(state["epoch"]), stopped
