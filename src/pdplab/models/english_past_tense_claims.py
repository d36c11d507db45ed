"""The English past-tense network's results as claims over replicas.

Every recorded output is decoded to the nearest pronunciation
(:func:`pdplab.models.phonology.decode`) and classified
(:func:`classify`): correct, overregularized, no change, other
irregularization, other.  Epoch 0 (the untrained network) is left out.
Irregular verbs are the corpus's no change, vowel change, other irregular
and suppletive verbs.  The bounds are this project's choices, stated before
the runs: :data:`LOW_RATE`, :data:`WUG_SHARE`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from .. import claims as cl
from ..exceptions import DataError
from ..analysis import curves
from ..stimuli.english_past_tense import IRREGULAR, OUTPUT
from .past_tense_claims import u_shape_claim, u_shaped_examples
from .semantic import quartiles

__all__ = ["OUTCOMES", "LOW_RATE", "WUG_SHARE", "LEARNED", "classify", "outcomes", "ept_claims", "figures", "check",
           "analyse"]

OUTCOMES = ("correct", "overregularized", "no change", "other irregularization", "other")
#: The bound of a "low" token overregularization rate (children: 4.2%, Marcus et al. 1992; a choice).
LOW_RATE = 0.10
#: A replica has learned when it reads this share of the verbs correctly at some recorded epoch.
LEARNED = 0.5
#: Most novel stems get their regular past: the share of novel stems above this (a choice).
WUG_SHARE = 0.5
_SUFFIXES = (("D",), ("T",), ("IH", "D"))


def _split(phon):
    from . import phonology

    onset, vowel, coda = phonology.parse(phon)
    return onset, vowel, coda


def _outcome(stem, past, cls, response, irregular_pasts):
    if response == past:
        return "correct"
    r = tuple(response.split())
    s, p = tuple(stem.split()), tuple(past.split())
    suffixed = {s + x for x in _SUFFIXES}
    if cls in IRREGULAR and (r in suffixed or r in {p + x for x in _SUFFIXES}):
        return "overregularized"
    if r == s:
        return "no change"
    if r in suffixed:
        return "other"  # a regular or novel stem with a wrong allomorph
    try:
        so, sv, sc = _split(stem)
        ro, rv, rc = _split(response)
    except Exception:  # noqa: BLE001 - a decoded form the template cannot parse
        return "other"
    if ro == so and rv != sv and (rc == sc or rc in {sc + ("T",), sc + ("D",)}):
        return "other irregularization"  # sing → sang, keep → kept
    if response in irregular_pasts:
        return "other irregularization"  # another verb's past
    return "other"


def classify(responses, table):
    """The outcome of each response (ARPAbet, as :func:`pdplab.models.phonology.decode` writes them).

    ``correct``
        the verb's past (a novel stem's: its regular past).
    ``overregularized``
        an irregular verb's stem or irregular past with a regular suffix
        (/d/, /t/ or /ɪd/): goed, hitted, wented.
    ``no change``
        the stem, for a verb whose past differs from it.
    ``other irregularization``
        without a suffix, the stem with another vowel, or another vowel and
        a final /t/ or /d/ (splang, flept), or another trained irregular
        verb's past.
    ``other``
        anything else (for a regular verb, a wrong allomorph is other).

    Parameters
    ----------
    responses : array_like of str (…, items)
    table : pandas.DataFrame
        Columns ``stem_phon``, ``past_phon`` and ``class``, one row per item.

    Returns
    -------
    numpy.ndarray of str, the shape of ``responses``
    """
    stems, pasts, classes = (list(table[c]) for c in ("stem_phon", "past_phon", "class"))
    irregular_pasts = {p for s, p, c in zip(stems, pasts, classes) if c in IRREGULAR and p != s}
    r = np.asarray(responses, dtype=object)
    flat = r.reshape(-1, len(stems))
    out = np.empty(flat.shape, dtype=object)
    cache = {}
    for j in range(len(stems)):
        for i, text in enumerate(flat[:, j]):
            key = (j, text)
            if key not in cache:
                cache[key] = _outcome(stems[j], pasts[j], classes[j], text, irregular_pasts)
            out[i, j] = cache[key]
    return out.reshape(r.shape)


def outcomes(ds):
    """Each replica's outcome for each item at each recorded epoch after 0, and the decoded responses.

    Returns
    -------
    (xarray.DataArray, xarray.DataArray) of str (replica, epoch, item)
    """
    from . import phonology

    ds = ds.sel(epoch=ds["epoch"].values[ds["epoch"].values > 0])
    a = ds[OUTPUT].transpose("replica", "epoch", "item", f"{OUTPUT}_unit").values
    responses = np.array(phonology.decode(a.reshape(-1, a.shape[-1])), dtype=object).reshape(a.shape[:-1])
    table = pd.DataFrame({c: ds[c].values for c in ("stem_phon", "past_phon", "class")})
    coords = {k: v for k, v in ds["item"].coords.items()} | {"epoch": ds["epoch"], "replica": ds["replica"]}
    dims = ("replica", "epoch", "item")
    return (xr.DataArray(classify(responses, table), dims=dims, coords=coords),
            xr.DataArray(responses, dims=dims, coords=coords))


def _share(values, mask, outcome="correct", weights=None):
    """Per replica and epoch, the (weighted) share of the masked items with ``outcome``."""
    w = np.where(mask, 1.0 if weights is None else weights, 0.0)
    return ((values == outcome) * w).sum(-1) / w.sum()


def ept_claims(ds):
    """The claims, and the tables behind the figures."""
    out, responses = outcomes(ds)
    v = out.values
    cls = out["class"].values
    epochs = out["epoch"].values
    if len(epochs) == 0:
        raise DataError("english-past-tense: no epoch after 0 was recorded; train for at least one epoch")
    regular, irregular = cls == "regular", np.isin(cls, IRREGULAR)
    verbs = regular | irregular
    learned = (_share(v, verbs) >= LEARNED).any(axis=1)
    trained = (learned, f"the replica read at least {LEARNED:.0%} of the verbs correctly at some recorded epoch")
    enough = (learned & (len(epochs) >= 3), trained[1] + ", and at least 3 epochs after 0 were recorded")
    rhyming, plain = cls == "novel rhyming", cls == "novel"
    tokens = out["token_frequency"].values.astype(float)

    # (a) regular verbs are learned before irregular ones: area under the learning curve.
    reg_curve, irr_curve = _share(v, regular), _share(v, irregular)
    reg_auc, irr_auc = reg_curve.mean(1), irr_curve.mean(1)
    early = max(0, int(np.searchsorted(epochs, epochs[-1] * 0.2)))

    # (b) overregularization happens, at a low token rate.
    over_any = (v[:, :, irregular] == "overregularized").any(axis=(1, 2))
    over_count = (v[:, :, irregular] == "overregularized").sum(axis=(1, 2))
    rate = _share(v, irregular, "overregularized", tokens)  # replica, epoch
    mean_rate = rate.mean(1)

    # (c) micro U-shapes.
    irr_out = out.isel(item=np.flatnonzero(irregular))
    shapes = curves.u_shapes(irr_out, error="overregularized", levels=list(OUTCOMES))
    u_verbs = shapes.groupby("replica")["u_shape"].sum().reindex(out["replica"].values, fill_value=0).to_numpy()

    # (d) token frequency protects irregular verbs: above vs below the median frequency of the irregulars.
    freq = out["frequency"].values.astype(float)
    cut = np.nanmedian(freq[irregular])
    high, low = irregular & (freq > cut), irregular & (freq <= cut)
    over_high = _share(v, high, "overregularized").mean(1)
    over_low = _share(v, low, "overregularized").mean(1)
    final_high, final_low = _share(v, high)[:, -1], _share(v, low)[:, -1]

    # (e) the wug test, at the last recorded epoch.
    wug_regular = _share(v[:, -1:], rhyming | plain)[:, 0]
    regular_rhyming = _share(v[:, -1:], rhyming)[:, 0]
    regular_plain = _share(v[:, -1:], plain)[:, 0]
    wug_irreg = _share(v[:, -1:], rhyming, "other irregularization")[:, 0]

    pct = lambda x: quartiles(100 * np.asarray(x), 1)  # noqa: E731
    claims = [
        cl.greater(
            "regular verbs are learned before irregular ones",
            "regular verbs, the majority by type, are mastered earlier than irregular ones in networks trained on "
            "type-rich corpora (Plunkett & Marchman 1991; MacWhinney & Leinbach 1991)",
            reg_auc, irr_auc,
            "per replica: mean over the recorded epochs (area under the learning curve) of the share correct, "
            "regular − irregular verbs",
            measured=f"share correct at epoch {epochs[early]}: regular {pct(reg_curve[:, early])}%, irregular "
                     f"{pct(irr_curve[:, early])}%; at epoch {epochs[-1]}: regular {pct(reg_curve[:, -1])}%, "
                     f"irregular {pct(irr_curve[:, -1])}% (median [IQR])",
            precondition=trained),
        cl.share(
            "irregular verbs are overregularized during learning",
            "overregularization errors (goed, hitted) in children (Berko 1958; Marcus et al. 1992) and in the "
            "networks (Rumelhart & McClelland 1986; Plunkett & Marchman 1991)",
            over_any, "per replica: some irregular verb is overregularized at some recorded epoch",
            measured=f"overregularized responses per replica (verbs × recorded epochs), median [IQR] "
                     f"{quartiles(over_count, 0)}",
            precondition=trained),
        cl.below(
            "the overregularization rate stays low",
            "a few per cent of irregular tokens (children 4.2%, Marcus et al. 1992)",
            mean_rate, LOW_RATE,
            "per replica: mean over the recorded epochs of the token-weighted share of irregular verbs "
            f"overregularized; bound {LOW_RATE:.0%} (this project's choice)",
            measured=f"median [IQR] {pct(mean_rate)}%; peak {pct(rate.max(1))}%",
            precondition=trained),
        cl.below(
            "the overregularization rate stays low throughout: never more than 10% of irregular tokens at once",
            "a few per cent of irregular tokens at any age (children 4.2%, Marcus et al. 1992)",
            rate.max(1), LOW_RATE,
            f"per replica: the highest token-weighted share of irregular verbs overregularized at any recorded "
            f"epoch; bound {LOW_RATE:.0%} (this project's choice)",
            measured=f"peak, median [IQR] {pct(rate.max(1))}% at epoch "
                     f"{quartiles(epochs[rate.argmax(1)].astype(float), 0)}",
            precondition=trained),
        u_shape_claim(u_verbs, int(irregular.sum()),
                      "U-shaped development verb by verb (Plunkett & Marchman 1991; Marcus et al. 1992)", enough),
        cl.greater(
            "irregular verbs of low frequency are overregularized more than frequent ones",
            "token frequency protects irregular verbs (Rumelhart & McClelland 1986; Marcus et al. 1992; "
            "Plunkett & Marchman 1991)",
            over_low, over_high,
            f"per replica: mean over the recorded epochs of the share overregularized, irregular verbs at or "
            f"below − above the irregulars' median frequency ({cut:.0f} per million)",
            measured=f"low {pct(over_low)}%, high {pct(over_high)}%; final share correct low {pct(final_low)}%, "
                     f"high {pct(final_high)}% (median [IQR])",
            precondition=trained),
        cl.above(
            "most novel stems get their regular past",
            "children and adults give wugs the regular past (Berko 1958; Albright & Hayes 2003)",
            wug_regular, WUG_SHARE,
            f"per replica: share of the {int((rhyming | plain).sum())} novel stems given their regular past at "
            f"the last recorded epoch; bound {WUG_SHARE:.0%} (this project's choice)",
            measured=f"median [IQR] {pct(wug_regular)}%",
            precondition=trained),
        cl.greater(
            "novel stems that rhyme with irregular verbs get a regular past less often",
            "nonce verbs in islands of irregular reliability (spling ~ sing, ring) draw irregular pasts more "
            "often (Bybee & Moder 1983; Albright & Hayes 2003)",
            regular_plain, regular_rhyming,
            "per replica: share of novel stems given their regular past at the last recorded epoch, "
            f"non-rhyming ({int(plain.sum())}) − rhyming ({int(rhyming.sum())})",
            measured=f"non-rhyming {pct(regular_plain)}%, rhyming {pct(regular_rhyming)}%; rhyming stems "
                     f"irregularized {pct(wug_irreg)}% (median [IQR])",
            precondition=trained),
    ]
    tables = {"outcomes": out, "responses": responses, "rate": xr.DataArray(rate, dims=("replica", "epoch"),
                                                                             coords={"epoch": epochs}),
              "shapes": shapes}
    return claims, tables


def figures(tables):
    """The reproduction's figures with captions."""
    from .. import plots

    out = tables["outcomes"]
    trained = out.isel(item=np.flatnonzero(~np.isin(out["class"].values, ["novel", "novel rhyming"])))
    correct = curves.learning_curves(trained, by="class", levels=list(OUTCOMES))
    wugs = out.isel(item=np.flatnonzero(np.isin(out["class"].values, ["novel", "novel rhyming"])))
    shares = xr.concat([(wugs.isel(epoch=-1) == o).groupby("class").mean("item") for o in OUTCOMES],
                       dim=pd.Index(list(OUTCOMES), name="outcome"))
    replica = out["replica"].values[0]
    examples = u_shaped_examples(tables["shapes"], replica)
    u_shapes = {} if not examples else {"u_shapes": (
        plots.trajectories(out.sel(replica=replica), examples, list(OUTCOMES)),
        f"Micro U-shapes: the response to each of {len(examples)} irregular verbs of replica {replica} at every "
        f"recorded epoch (those with the most episodes of correct → overregularized → correct).")}
    return {
        "learning_curves": (plots.class_curves(correct, "share correct"),
                            "Share of each class's verbs produced correctly. " + plots.BAND + "."),
        "overregularization": (
            plots.rate_curve(tables["rate"]),
            "Token-weighted share of the irregular verbs overregularized. " + plots.BAND + "."),
        "wugs": (plots.outcome_bars(shares),
                 "Outcomes of the novel stems at the last recorded epoch, rhyming with irregular verbs or not: "
                 "correct is the regular past; bars: median share over replicas, whiskers: interquartile range."),
        **u_shapes,
    }


def check(experiment):
    """Refuse, before training, a vocabulary the claims cannot be about (see :mod:`pdplab.reproduce`)."""
    classes = set(experiment.environment.items["class"])
    if "regular" not in classes or not classes & set(IRREGULAR):
        raise DataError(f"{experiment.environment.name}: the vocabulary has no "
                        f"{'regular' if 'regular' not in classes else 'irregular'} verbs; the claims compare "
                        f"regular and irregular verbs")


def analyse(ds, experiment):
    """A reproduction's analysis (see :mod:`pdplab.reproduce`)."""
    claims, tables = ept_claims(ds)
    return claims, figures(tables)
