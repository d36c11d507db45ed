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

__all__ = ["growth_column", "outcomes", "pm_claims", "u_shape_claim", "u_shaped_examples", "figures", "analyse",
           "IRREGULAR",
           "ONSET_RATE", "LOW_RATE", "RESOLUTION", "LEARNED", "MASTERED", "CRITICAL_MASS"]

IRREGULAR = ("arbitrary", "identity", "vowel change")
#: Overregularization has begun when this share of the trained irregular tokens is overregularized.
ONSET_RATE = 0.02
#: The bound of a "low" overall overregularization rate (children: 4.2%, Marcus et al. 1992).
LOW_RATE = 0.10


def growth_column(ds):
    """The item column that says when each verb joins the vocabulary: the results' spec's
    ``environment.grow`` (``enters`` when the results say nothing)."""
    import tomllib

    try:
        return tomllib.loads(ds.attrs.get("spec", ""))["environment"]["grow"]
    except (tomllib.TOMLDecodeError, KeyError, TypeError):
        return "enters"


def outcomes(ds, joins=None):
    """Each replica's outcome for each verb at each recorded epoch, missing (NaN) before the
    verb joined the vocabulary (item column ``joins``, by default :func:`growth_column`; novel
    stems: always classified).

    Returns
    -------
    xarray.DataArray of str (replica, epoch, item)
    """
    import pandas as pd

    joins = joins or growth_column(ds)
    group = pt.OUTPUT
    responses = pt.decode(ds[group].transpose("replica", "epoch", "item", f"{group}_unit"))
    table = {c: ds[c].values for c in ("stem", "past", "suffix", "class")}
    outcome, _ = pt.classify(responses, pd.DataFrame(table))
    novel = ds["class"].values == "novel"
    joined = (ds[joins].values[None, :] <= ds["epoch"].values[:, None]) | novel[None, :]
    outcome = np.where(joined[None], np.asarray(outcome, dtype=object), np.nan)
    return xr.DataArray(outcome, dims=("replica", "epoch", "item"),
                        coords={k: v for k, v in ds["item"].coords.items()} | {"epoch": ds["epoch"],
                                                                                 "replica": ds["replica"]})


def _token_rate(out, ds, mask_items):
    """Per replica and epoch, the token-weighted share of the masked items in the vocabulary
    that are overregularized (NaN where none is)."""
    import pandas as pd

    w = np.where(mask_items, ds["token_frequency"].values, 0.0)
    weights = w[None, None, :] * ~pd.isna(out)
    over = (out == "overregularized") * weights
    with np.errstate(invalid="ignore", divide="ignore"):
        return over.sum(-1) / weights.sum(-1)


def _mean_over_epochs(rate):
    """Per replica, the mean of a (replica, epoch) rate over the epochs where it is defined (NaN if none)."""
    defined = np.isfinite(rate)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(defined, rate, 0).sum(axis=1) / defined.sum(axis=1)


#: The onset of overregularization is located when the recorded epochs before it had at most this
#: many verbs fewer.
RESOLUTION = 50
#: A replica has learned the irregular verbs when this share of those in its vocabulary is correct.
LEARNED = 0.5
#: The irregular verbs are mastered when this share is correct at the end (a choice).
MASTERED = 0.9
#: Overregularization begins after a critical mass: this many times the first vocabulary (a choice).
CRITICAL_MASS = 2


def _onsets(rate, vocabulary):
    """Per replica, the vocabulary at the first recorded epoch where ``rate`` reaches
    :data:`ONSET_RATE`: NaN when it never does, when it does at the first recorded epoch,
    or when the epoch recorded before it had more than :data:`RESOLUTION` fewer verbs."""
    onset = np.full(len(rate), np.nan)
    for r, row in enumerate(rate):
        hit = np.flatnonzero(row >= ONSET_RATE)
        if len(hit) and hit[0] > 0 and vocabulary[hit[0]] - vocabulary[hit[0] - 1] <= RESOLUTION:
            onset[r] = vocabulary[hit[0]]
    return onset


def u_shape_claim(u_verbs, n_irregular, published, precondition):
    """The claim that most replicas show micro U-shapes: ``u_verbs`` irregular verbs per replica
    went correct → overregularized → correct."""
    return cl.share(
        "micro U-shapes: irregular verbs are right, then overregularized, then right again", published,
        u_verbs > 0, "per replica: at least one irregular verb correct → overregularized → correct",
        measured=f"verbs with a U-shape per replica, median [IQR] {quartiles(u_verbs, 0)} of {n_irregular} "
                 f"irregular verbs",
        precondition=precondition)


def pm_claims(ds, joins=None):
    """The claims, and the tables behind the figures (``joins``: the item column giving
    the epoch each verb joins the vocabulary, by default :func:`growth_column`)."""
    joins = joins or growth_column(ds)
    out = outcomes(ds, joins)
    values = out.values
    cls = ds["class"].values
    epochs = ds["epoch"].values
    irregular = np.isin(cls, IRREGULAR)
    rate = _token_rate(values, ds, irregular)  # replica, epoch
    enters = ds[joins].values
    vocabulary = (enters[None, :] <= epochs[:, None]).sum(axis=1)  # epoch
    first = int((enters == 0).sum())
    onset = _onsets(rate, vocabulary)
    from_onset = np.where(np.arange(len(epochs))[None, :] >= np.array(
        [np.flatnonzero(r >= ONSET_RATE)[0] if (r >= ONSET_RATE).any() else 0 for r in rate])[:, None], rate, np.nan)
    overall = _mean_over_epochs(from_onset)

    correct_irregular = ((values == "correct") & irregular).sum(-1) / np.maximum((~out.isnull().values & irregular)
                                                                                 .sum(-1), 1)
    learned = (correct_irregular >= LEARNED).any(axis=1)
    trained = (learned, f"the replica read at least {LEARNED:.0%} of the irregular verbs in its vocabulary "
                        f"correctly at some recorded epoch")
    enough = (learned & (len(epochs) >= 3),
              trained[1] + ", and at least 3 epochs were recorded (a U-shape needs three)")

    by_class = {c: _token_rate(values, ds, cls == c) for c in IRREGULAR}
    mean_by_class = {c: _mean_over_epochs(v) for c, v in by_class.items()}
    token = ds["token"].values
    high = _mean_over_epochs(_token_rate(values, ds, irregular & (token == "high")))
    low = _mean_over_epochs(_token_rate(values, ds, irregular & (token == "low")))

    shapes = curves.u_shapes(out.where(xr.DataArray(irregular, dims="item")), error="overregularized",
                             levels=list(pt.OUTCOMES))
    per_replica = shapes.groupby("replica")["u_shape"].sum().reindex(ds["replica"].values, fill_value=0)
    u_verbs = per_replica.to_numpy()

    grows = len(np.unique(enters[np.isfinite(enters)])) > 1
    onset_claim = [cl.greater(
        "overregularization begins only after a critical mass: twice the first vocabulary",
        "errors begin after a period of rote learning, once the vocabulary passes a critical mass "
        "(Plunkett & Marchman 1993)",
        onset, np.full_like(onset, CRITICAL_MASS * first),
        f"per replica: vocabulary size when {ONSET_RATE:.0%} of the irregular tokens in the vocabulary are first "
        f"overregularized − {CRITICAL_MASS} × the first vocabulary ({first} verbs; the factor is this project's "
        f"choice)",
        measured=f"vocabulary at onset, median [IQR] {quartiles(onset, 0)} verbs",
        precondition=(np.isfinite(onset), f"the replica's overregularization began after the first recorded epoch, "
                                          f"and the epoch recorded before had at most {RESOLUTION} verbs fewer"))
    ] if grows else []
    complete = epochs >= np.nanmax(enters)
    late = _mean_over_epochs(np.where(complete[None, :], rate, np.nan))
    final_irregular = correct_irregular[:, -1]
    claims = onset_claim + [
        cl.below(
            "the overregularization rate stays low",
            "a few per cent of irregular tokens (Plunkett & Marchman 1993; children 4.2%, Marcus et al. 1992)",
            overall, LOW_RATE,
            "per replica: mean over the recorded epochs from onset on of the token-weighted share of the "
            f"irregular verbs in the vocabulary overregularized; bound {LOW_RATE:.0%} (this project's choice)",
            measured=f"median [IQR] {quartiles(100 * overall, 1)}%; by class: " + ", ".join(
                f"{c} {quartiles(100 * v, 1)}%" for c, v in mean_by_class.items()),
            precondition=trained),
        cl.below(
            "the overregularization rate stays low once every verb is in the vocabulary",
            "a few per cent of irregular tokens (Plunkett & Marchman 1993; children 4.2%, Marcus et al. 1992)",
            late, LOW_RATE,
            "per replica: mean over the recorded epochs after the last verb joined of the token-weighted share of "
            f"irregular verbs overregularized; bound {LOW_RATE:.0%} (this project's choice)",
            measured=f"median [IQR] {quartiles(100 * late, 1)}%",
            precondition=(trained[0] & complete.any(), trained[1] + ", and epochs after the last verb joined were "
                                                                    "recorded")),
        cl.above(
            "the irregular verbs are mastered by the end of training",
            "the networks come to produce most irregular pasts correctly (Plunkett & Marchman 1991, 1993)",
            final_irregular, MASTERED,
            "per replica: share of the irregular verbs produced correctly at the last recorded epoch; bound "
            f"{MASTERED:.0%} (this project's choice)",
            measured=f"median [IQR] {quartiles(100 * final_irregular, 1)}%; by class: " + ", ".join(
                f"{c} {quartiles(100 * ((values[:, -1] == 'correct') & (cls == c)).sum(-1) / (cls == c).sum(), 1)}%"
                for c in IRREGULAR),
            precondition=trained),
        u_shape_claim(u_verbs, int(irregular.sum()),
                      "U-shaped development verb by verb, not across the board (Plunkett & Marchman 1991, 1993)",
                      enough),
        cl.every(
            "the arbitrary (suppletive) verbs, few and frequent, are overregularized least",
            "high token frequency protects arbitrary mappings (Plunkett & Marchman 1991)",
            [cl.greater(f"{c} more than arbitrary", "", mean_by_class[c], mean_by_class["arbitrary"],
                        f"per replica: mean token-weighted overregularization rate of {c} − of arbitrary verbs",
                        precondition=trained)
             for c in ("vowel change", "identity")],
            measured="mean token-weighted rate by class, median [IQR]: " + ", ".join(
                f"{c} {quartiles(100 * v, 1)}%" for c, v in mean_by_class.items())),
        cl.greater(
            "irregular verbs of low token frequency are overregularized more than frequent ones",
            "token frequency protects irregular verbs (Plunkett & Marchman 1991, 1993)",
            low, high,
            "per replica: mean overregularization rate of low- − of high-token-frequency irregular verbs",
            measured=f"low {quartiles(100 * low, 1)}%, high {quartiles(100 * high, 1)}% (median [IQR])",
            precondition=trained),
    ]
    tables = {"outcomes": out, "rate": xr.DataArray(rate, dims=("replica", "epoch"), coords={"epoch": epochs}),
              "vocabulary": vocabulary, "shapes": shapes}
    return claims, tables


def u_shaped_examples(shapes, replica, n=12):
    """Up to ``n`` items of ``replica`` with the most U-shaped episodes (``shapes`` from
    :func:`pdplab.analysis.curves.u_shapes`)."""
    mine = shapes[(shapes["replica"] == replica) & shapes["u_shape"]]
    return list(mine.sort_values(["count", "first_error"], ascending=[False, True])["item"].head(n))


def figures(tables):
    """The reproduction's figures with captions."""
    from .. import plots

    out = tables["outcomes"]
    replica = out["replica"].values[0]
    examples = u_shaped_examples(tables["shapes"], replica)
    trained = out.where(out["class"] != "novel")
    correct = curves.learning_curves(trained, by="class", levels=list(pt.OUTCOMES))
    return {
        "learning_curves": (plots.class_curves(correct, "share correct"),
                            "Share of each class's verbs in the vocabulary produced correctly. " + plots.BAND + "."),
        "overregularization": (
            plots.rate_curve(tables["rate"], tables["vocabulary"]),
            "Token-weighted share of the trained irregular verbs overregularized, and the vocabulary size "
            "(grey). " + plots.BAND + "."),
        **({"u_shapes": (
            plots.trajectories(out.sel(replica=replica), examples, list(pt.OUTCOMES)),
            f"Micro U-shapes: the outcome of each of {len(examples)} irregular verbs of replica {replica} at every "
            f"recorded epoch (those with the most episodes of correct → overregularized → correct); blank before "
            f"a verb joined the vocabulary.")} if examples else {}),
    }


def analyse(ds, experiment):
    """A reproduction's analysis (see :mod:`pdplab.reproduce`)."""
    claims, tables = pm_claims(ds, experiment.spec["environment"].get("grow"))
    return claims, figures(tables)
