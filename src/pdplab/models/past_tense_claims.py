"""Plunkett & Marchman's (1993) results as claims over replicas.

Every recorded output is decoded and classified
(:func:`pdplab.models.past_tense.classify`): correct, overregularized,
no change, other irregularization, other.  A verb counts from the epoch it
joined the vocabulary (item column ``enters``); novel stems are never
trained and test generalization.  Overregularization is counted per token,
as in child-language studies (Marcus et al. 1992): each irregular verb
weighs its token frequency.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from .. import claims as cl
from ..analysis import curves
from . import past_tense as pt
from .semantic import quartiles

__all__ = ["outcomes", "pm_claims", "figures", "analyse", "IRREGULAR", "ONSET_RATE", "LOW_RATE"]

IRREGULAR = ("arbitrary", "identity", "vowel change")
#: Overregularization has begun when this share of the trained irregular tokens is overregularized.
ONSET_RATE = 0.02
#: The bound of a "low" overall overregularization rate (children: 4.2%, Marcus et al. 1992).
LOW_RATE = 0.10


def outcomes(ds, joins="enters"):
    """Each replica's outcome for each verb at each recorded epoch, None before the verb
    joined the vocabulary (item column ``joins``, the spec's ``environment.grow``; novel
    stems: always classified).

    Returns
    -------
    xarray.DataArray of str (replica, epoch, item)
    """
    group = pt.OUTPUT
    responses = pt.decode(ds[group].transpose("replica", "epoch", "item", f"{group}_unit"))
    table = {c: ds[c].values for c in ("stem", "past", "suffix", "class")}
    import pandas as pd

    outcome, _ = pt.classify(responses, pd.DataFrame(table))
    outcome = np.asarray(outcome, dtype=object)
    novel = ds["class"].values == "novel"
    joined = (ds[joins].values[None, :] <= ds["epoch"].values[:, None]) | novel[None, :]
    outcome = np.where(joined[None], outcome, None)
    return xr.DataArray(outcome, dims=("replica", "epoch", "item"),
                        coords={k: v for k, v in ds["item"].coords.items()} | {"epoch": ds["epoch"],
                                                                                 "replica": ds["replica"]})


def _token_rate(out, ds, mask_items):
    """Per replica and epoch, the token-weighted share of the masked (trained) items overregularized."""
    w = np.where(mask_items, ds["token_frequency"].values, 0.0)
    present = np.array([[o is not None for o in row] for row in out.reshape(-1, out.shape[-1])]).reshape(out.shape)
    weights = w[None, None, :] * present
    over = (out == "overregularized") * weights
    with np.errstate(invalid="ignore", divide="ignore"):
        return over.sum(-1) / weights.sum(-1)


def _mean_over_epochs(rate):
    """Per replica, the mean of a (replica, epoch) rate over the epochs where it is defined (NaN if none)."""
    defined = np.isfinite(rate)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(defined, rate, 0).sum(axis=1) / defined.sum(axis=1)


def pm_claims(ds, joins="enters"):
    """The claims, and the tables behind the figures (``joins``: the item column giving
    the epoch each verb joins the vocabulary)."""
    out = outcomes(ds, joins)
    values = out.values
    cls = ds["class"].values
    epochs = ds["epoch"].values
    irregular = np.isin(cls, IRREGULAR)
    rate = _token_rate(values, ds, irregular)  # replica, epoch
    vocabulary = (ds[joins].values[None, :] <= epochs[:, None]).sum(axis=1)  # epoch
    first = int(vocabulary[0])
    onset_index = [np.flatnonzero(r >= ONSET_RATE) for r in rate]
    onset = np.array([vocabulary[i[0]] if len(i) else np.nan for i in onset_index], dtype=float)
    after = [r[i[0]:] if len(i) else r[-1:] for r, i in zip(rate, onset_index)]
    overall = np.array([_mean_over_epochs(a[None])[0] for a in after])

    by_class = {c: _token_rate(values, ds, cls == c) for c in IRREGULAR}
    mean_by_class = {c: _mean_over_epochs(v) for c, v in by_class.items()}
    token = ds["token"].values
    high = _mean_over_epochs(_token_rate(values, ds, irregular & (token == "high")))
    low = _mean_over_epochs(_token_rate(values, ds, irregular & (token == "low")))

    shapes = curves.u_shapes(out.where(xr.DataArray(irregular, dims="item")), error="overregularized",
                             levels=list(pt.OUTCOMES))
    per_replica = shapes.groupby("replica")["u_shape"].sum().reindex(ds["replica"].values, fill_value=0)
    u_verbs = per_replica.to_numpy()

    novel = cls == "novel"
    generalised = (values[:, -1, novel] == "correct").mean(axis=1)

    onset_claim = [] if vocabulary.min() == vocabulary.max() else [
        cl.greater(
            "overregularization begins only once the vocabulary has grown past its first verbs",
            "errors begin after a period of rote learning, once the vocabulary passes a critical mass "
            "(Plunkett & Marchman 1993)",
            onset, np.full_like(onset, first),
            f"per replica: vocabulary size when {ONSET_RATE:.0%} of the trained irregular tokens are first "
            f"overregularized − the first vocabulary ({first} verbs)",
            measured=f"vocabulary at onset, median [IQR] {quartiles(onset, 0)} verbs")]
    claims = onset_claim + [
        cl.below(
            "the overregularization rate stays low",
            "a few per cent of irregular tokens (Plunkett & Marchman 1993; children 4.2%, Marcus et al. 1992)",
            overall, LOW_RATE,
            "per replica: mean over the recorded epochs from onset on of the token-weighted share of trained "
            f"irregular verbs overregularized; bound {LOW_RATE:.0%} (this project's choice)",
            measured=f"median [IQR] {quartiles(100 * overall, 1)}%; by class: " + ", ".join(
                f"{c} {quartiles(100 * v, 1)}%" for c, v in mean_by_class.items())),
        cl.share(
            "micro U-shapes: irregular verbs are right, then overregularized, then right again",
            "U-shaped development verb by verb, not across the board (Plunkett & Marchman 1991, 1993)",
            u_verbs > 0, "per replica: at least one irregular verb correct → overregularized → correct",
            measured=f"verbs with a U-shape per replica, median [IQR] {quartiles(u_verbs, 0)} of "
                     f"{int(irregular.sum())} irregular verbs"),
        cl.every(
            "the arbitrary (suppletive) verbs, few and frequent, are overregularized least",
            "high token frequency protects arbitrary mappings (Plunkett & Marchman 1991)",
            [cl.greater(f"{c} more than arbitrary", "", mean_by_class[c], mean_by_class["arbitrary"],
                        f"per replica: mean token-weighted overregularization rate of {c} − of arbitrary verbs")
             for c in ("vowel change", "identity")],
            measured="mean token-weighted rate by class, median [IQR]: " + ", ".join(
                f"{c} {quartiles(100 * v, 1)}%" for c, v in mean_by_class.items())),
        cl.greater(
            "irregular verbs of low token frequency are overregularized more than frequent ones",
            "token frequency protects irregular verbs (Plunkett & Marchman 1991, 1993)",
            low, high,
            "per replica: mean overregularization rate of low- − of high-token-frequency irregular verbs",
            measured=f"low {quartiles(100 * low, 1)}%, high {quartiles(100 * high, 1)}% (median [IQR])"),
    ]
    tables = {"outcomes": out, "rate": xr.DataArray(rate, dims=("replica", "epoch"), coords={"epoch": epochs}),
              "vocabulary": vocabulary, "shapes": shapes, "generalised": generalised}
    return claims, tables


def figures(tables):
    """The reproduction's figures with captions."""
    from .. import plots

    out = tables["outcomes"]
    trained = out.where(out["class"] != "novel")
    correct = curves.learning_curves(trained, by="class", levels=list(pt.OUTCOMES))
    return {
        "learning_curves": (plots.class_curves(correct, "share correct"),
                            "Share of each class's verbs in the vocabulary produced correctly. " + plots.BAND + "."),
        "overregularization": (
            plots.rate_curve(tables["rate"], tables["vocabulary"]),
            "Token-weighted share of the trained irregular verbs overregularized, and the vocabulary size "
            "(grey). " + plots.BAND + "."),
    }


def analyse(ds, experiment):
    """A reproduction's analysis (see :mod:`pdplab.reproduce`)."""
    claims, tables = pm_claims(ds, experiment.spec["environment"].get("grow", "enters"))
    return claims, figures(tables)
