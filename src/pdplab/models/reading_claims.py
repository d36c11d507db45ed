"""PMSP96's published results as claims over replicas (Simulations 1 and 2).

Each trained network reads the training words, Glushko's (1979) consistent
and inconsistent nonwords, McCann & Besner's (1987) control nonwords, and
Taraban & McClelland's (1987) words of high and low frequency; its answers
are decoded and scored as in Plaut et al. (1996) (:mod:`pdplab.models.reading`).

The published figures (PMSP96, Table 7 and text, Simulation 1): every
training word correct after 300 epochs; consistent nonwords 97.7% (people
93.8%); inconsistent nonwords 72.1% regular, 100% when any pronunciation
of the body in a training word is accepted (people 78.3% / 95.9%); McCann &
Besner's controls 85.0% (people 88.6%); and on Taraban & McClelland's words,
cross-entropy error highest for low-frequency exception words, with a
frequency effect that is small for regular words (frequency × consistency).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from .. import claims as cl
from ..analysis import regularity
from ..core.propagate import Plan, forward
from ..core.record import weights_from_dataset
from ..exceptions import DataError
from ..stimuli.reading_lists import glushko_1979, mccann_besner_1987, taraban_mcclelland_1987
from . import reading
from .semantic import quartiles

__all__ = ["PUBLISHED", "check_corpus", "word_accuracy", "nonword_scores", "taraban_errors", "taraban_curves",
           "reading_claims", "figures", "check", "analyse"]

#: PMSP96's Simulation 1 results (Table 7 and text) and the human data beside them, as shares.
PUBLISHED = {
    "consistent": (0.977, 0.938),
    "inconsistent regular": (0.721, 0.783),
    "inconsistent lenient": (1.0, 0.959),
    "controls": (0.850, 0.886),
}

#: The bounds the claims test against, fixed before any run (this project's choice): a model reads
#: nonwords "as well as" the paper's when its mean accuracy is above the published share less 7.5
#: points; nearly every training word is above 98% of the words.
NONWORD_MARGIN = 0.075
WORDS_BOUND = 0.98


def _outputs(ds, inputs):
    """The phonology every replica's final weights give ``inputs`` (items, 105): for an attractor
    network (Simulation 3), at the end of a test pass run as its training ended."""
    network, weights = weights_from_dataset(ds)
    x = np.asarray(inputs, dtype=float)
    if network.time is None:
        _, acts = forward(Plan(network), weights, {"orthography": x[None]})
        return acts["phonology"]
    from ..core.time import TimePlan
    from ..core.train_time import SequenceArrays, evaluate_in_time, timing_of

    dtype = next(iter(weights.values())).dtype
    silent = np.zeros((1, len(x), 1, network.groups["phonology"].size), dtype)
    every = np.ones((len(x), 1), bool)
    items = SequenceArrays({"orthography": x.astype(dtype)[None, :, None]}, {"phonology": silent}, every,
                           {"phonology": every})
    return evaluate_in_time(TimePlan(network), weights, items, timing_of(ds, network),
                            groups=["phonology"])["phonology"][:, :, 0]


def word_accuracy(ds):
    """Whether each replica read each training word correctly at each recorded epoch.

    Returns
    -------
    xarray.DataArray of bool (replica, epoch, item)
    """
    words = ds["item"]["set"] == "train" if "set" in ds.coords else xr.ones_like(ds["item"], dtype=bool)
    phon = ds["phonology"].sel(item=words)
    responses = reading.decode(phon.transpose("replica", "epoch", "item", "phonology_unit").values)
    ok = reading.score_words(responses, phon["orth"].values, phon["phon"].values)
    return xr.DataArray(ok, dims=("replica", "epoch", "item"), coords={"epoch": phon["epoch"], "item": phon["item"]})


def nonword_scores(ds, environment, nonwords):
    """Each replica's reading of ``nonwords`` (a list table of
    :mod:`pdplab.stimuli.reading_lists`), scored strictly and leniently.

    The lenient score accepts a rime that some training word with the same body
    has.  Excluded, with the reason in ``excluded``: nonwords with an input
    unit no training word turns on (:func:`pdplab.models.reading.nonword_unrepresentable`),
    and those the corpus has as words.
    """
    items = environment.items
    responses = reading.decode(_outputs(ds, reading.encode_spelling(list(nonwords["spelling"]))))
    table = reading.score_nonwords(
        responses, nonwords["spelling"], nonwords["pronunciations"],
        bodies=reading.body_pronunciations(items["orth"], items["phon"]),
        corpus_inputs=environment.inputs["orthography"])
    # A "nonword" that the corpus has as a word was learned, not generalised to.
    trained = table["spelling"].isin(items["orth"]) & (table["excluded"] == "")
    table.loc[trained, "excluded"] = "a word of the training corpus"
    for column in ("regular", "lenient"):
        table[column] = table[column].mask(trained)
    conditions = nonwords.drop(columns=["pronunciation", "pronunciations"]).set_index("spelling")
    return table.join(conditions, on="spelling")


def check_corpus(environment):
    """Refuse, before training, a corpus without the Taraban & McClelland words the
    frequency × consistency claims read (one-line DataError)."""
    words = taraban_mcclelland_1987()["spelling"]
    missing = words[~words.isin(environment.labels)]
    if len(missing):
        raise DataError(f"{environment.name}: the corpus lacks {len(missing)} of Taraban & McClelland's (1987) "
                        f"words ({', '.join(missing[:6])}{'…' if len(missing) > 6 else ''}), which the "
                        f"frequency × consistency claims read; add them (with their frequencies) to the corpus")


def _taraban(values):
    """``values`` on Taraban & McClelland's words (a homograph's first pronunciation), their
    conditions as ``frequency`` and ``regularity`` coordinates."""
    words = taraban_mcclelland_1987()
    return values.sel(item=list(words["spelling"])).assign_coords(
        frequency=("item", words["frequency"].astype(str).values),
        regularity=("item", words["regularity"].astype(str).values))


def taraban_errors(ds):
    """Each replica's final cross-entropy error on Taraban & McClelland's words, as a
    :func:`pdplab.analysis.regularity.by_condition` table."""
    return regularity.by_condition(_taraban(ds["error"].isel(epoch=-1)), ["frequency", "regularity"])


def taraban_curves(ds):
    """The training error of Taraban & McClelland's words at every epoch, by condition
    (:func:`pdplab.analysis.regularity.learning_curves`), or None when it was not recorded."""
    if "train_error" not in ds:
        return None
    return regularity.learning_curves(_taraban(ds["train_error"]).rename(train_epoch="epoch"),
                                      ["frequency", "regularity"])


def _cells(taraban):
    """Each replica's mean error per frequency × regularity cell: replicas × (frequency, regularity)."""
    per = regularity.cell_means(taraban, ["frequency", "regularity"]).per_replica
    return per.pivot_table(index="replica", columns=["frequency", "regularity"], values="value", observed=True)


def _share(x, digits=1):
    return f"{100 * x:.{digits}f}%"


def _nonword_claim(what, scores, column, key, mask=None):
    """Mean accuracy per replica above the published share less the margin."""
    scores = scores[mask if mask is not None else slice(None)]
    per_replica = scores.groupby("replica")[column].mean()
    model, people = PUBLISHED[key]
    bound = model - NONWORD_MARGIN
    out = scores[scores["excluded"] != ""].drop_duplicates("spelling")
    listed = scores["spelling"].nunique()
    note = f"; {listed - len(out)} of {listed} nonwords scored" + "".join(
        f"; excluded {row.spelling}: {row.excluded}" for row in out.itertuples())
    return cl.above(
        what, f"{_share(model)} (people {_share(people)}; PMSP96 Table 7)",
        per_replica.to_numpy(dtype=float), bound,
        f"per replica: share of the {key} nonwords read correctly ({column}); "
        f"bound: published less {NONWORD_MARGIN:.3g}",
        measured=f"median [IQR] {quartiles(100 * per_replica.to_numpy(dtype=float), 1)}%{note}")


def reading_claims(ds, environment):
    """The claims of Simulations 1 and 2, and the tables behind them.

    Returns
    -------
    claims : list of Claim
    tables : dict of str to DataFrame or DataArray
        ``words`` (replica, epoch, item accuracy), ``nonwords`` (scored
        nonwords of both lists), ``taraban`` (by-condition errors),
        ``anova_replicas`` and ``anova_items``.
    """
    claims, tables = word_and_nonword_claims(ds, environment)
    taraban = taraban_errors(ds)
    by_cell = _cells(taraban)
    contrast = regularity.interaction_contrast(taraban, "frequency", ("high", "low"), "regularity",
                                               ("regular-consistent", "exception"))
    exception_low = by_cell[("low", "exception")].to_numpy()
    rest = by_cell.drop(columns=[("low", "exception")]).max(axis=1).to_numpy()
    f1, f2, anova = anovas(taraban)
    means = by_cell.median()
    claims += [
        cl.greater(
            "frequency × consistency: the frequency effect is larger for exception words than for regular ones",
            "low-frequency exception words have the highest error; the frequency effect is small for regular "
            "words (PMSP96, Simulations 1–2; Taraban & McClelland 1987)",
            contrast, np.zeros_like(contrast),
            "per replica: (low − high frequency) error of exception words − that of regular-consistent words",
            measured=anova + "; cell medians: " + ", ".join(f"{f} {r} {v:.3f}" for (f, r), v in means.items())),
        cl.greater(
            "low-frequency exception words have the highest error of Taraban & McClelland's words",
            "low-frequency exception words highest (PMSP96; Taraban & McClelland 1987)",
            exception_low, rest,
            "per replica: mean error of low-frequency exception words − the highest mean of the other cells",
            measured=f"low-frequency exception {quartiles(exception_low, 3)}; highest other cell "
                     f"{quartiles(rest, 3)} (median [IQR])"),
    ]
    tables.update(taraban=taraban, curves=taraban_curves(ds), anova_replicas=f1, anova_items=f2)
    return claims, tables


def anovas(taraban):
    """F1 (by replicas) and F2 (by items) ANOVAs of a Taraban & McClelland table, and a line of text
    on their frequency × regularity interaction."""
    f1 = regularity.anova_by_replicas(taraban, ["frequency", "regularity"])
    f2 = regularity.anova_by_items(taraban, ["frequency", "regularity"])
    inter = "frequency:regularity"
    text = "; ".join(f"{name}({a.loc[inter, 'df']:.0f}, {a.loc[inter, 'df_error']:.0f}) = {a.loc[inter, 'F']:.2f}, "
                     f"p = {a.loc[inter, 'p']:.2g} ({unit})"
                     for name, a, unit in (("F1", f1, "by replicas"), ("F2", f2, "by items")))
    return f1, f2, "the frequency × regularity interaction (all four regularity cells) in ANOVAs: " + text


def word_and_nonword_claims(ds, environment):
    """The claims on the training words and on the nonwords, and the tables behind them
    (``words``, ``nonwords``)."""
    words = word_accuracy(ds)
    final = words.isel(epoch=-1).mean("item").values
    all_known = words.all("item")
    first_all = [int(words["epoch"][all_known[r]].min()) if all_known[r].any() else None
                 for r in range(words.sizes["replica"])]
    misses = pd.Series(np.asarray(words["item"].values)[~words.isel(epoch=-1).values.all(axis=0)])

    glushko = nonword_scores(ds, environment, glushko_1979())
    besner = nonword_scores(ds, environment, mccann_besner_1987())
    consistent = glushko["consistency"] == "consistent"
    per = glushko.groupby(["replica", "consistency"], observed=True)["regular"].mean().unstack()

    claims = [
        cl.above(
            "nearly every training word is read correctly after training",
            "every word correct after 300 epochs (PMSP96, Simulation 1)",
            final, WORDS_BOUND,
            f"per replica: share of the training words read correctly at the last epoch; bound {WORDS_BOUND:g} "
            f"(this project's choice)",
            measured=f"median [IQR] {quartiles(100 * final, 2)}%; every word correct by the last epoch in "
                     f"{sum(e is not None for e in first_all)} of {len(first_all)} replicas"
                     + (f" (first at epoch {min(e for e in first_all if e is not None)})"
                        if any(e is not None for e in first_all) else "")
                     + f"; words missed by some replica: {', '.join(misses[:12])}{'…' if len(misses) > 12 else ''}"),
        _nonword_claim("consistent nonwords are read regularly", glushko, "regular", "consistent", consistent),
        cl.greater(
            "inconsistent nonwords are read regularly less often than consistent ones",
            "consistent 97.7% vs inconsistent 72.1% regular (people 93.8% vs 78.3%)",
            per["consistent"].to_numpy(dtype=float), per["inconsistent"].to_numpy(dtype=float),
            "per replica: share correct (regular) of consistent − of inconsistent nonwords",
            measured=f"consistent {quartiles(100 * per['consistent'].to_numpy(dtype=float), 1)}%, inconsistent "
                     f"{quartiles(100 * per['inconsistent'].to_numpy(dtype=float), 1)}% (median [IQR])"),
        _nonword_claim("inconsistent nonwords get a pronunciation some training word gives their body",
                       glushko, "lenient", "inconsistent lenient", ~consistent),
        _nonword_claim("McCann & Besner's control nonwords are read regularly", besner, "regular", "controls",
                       besner["condition"] == "control"),
    ]
    tables = {"words": words, "nonwords": pd.concat([glushko.assign(list="Glushko 1979"),
                                                     besner.assign(list="McCann & Besner 1987")])}
    return claims, tables


def figures(tables, measure="cross-entropy error"):
    """The reproduction's figures, with captions, from :func:`reading_claims`'s tables (``measure``:
    what the ``taraban`` table holds)."""
    from .. import plots

    scores = tables["nonwords"]
    glushko, besner = scores[scores["list"] == "Glushko 1979"], scores[scores["list"] == "McCann & Besner 1987"]
    per = {
        "consistent": glushko[glushko["consistency"] == "consistent"].groupby("replica")["regular"].mean(),
        "inconsistent regular": glushko[glushko["consistency"] == "inconsistent"].groupby("replica")["regular"].mean(),
        "inconsistent lenient": glushko[glushko["consistency"] == "inconsistent"].groupby("replica")["lenient"].mean(),
        "controls": besner[besner["condition"] == "control"].groupby("replica")["regular"].mean(),
    }
    # A measure taken only on words read correctly may have no word yet (a short run).
    cells = {} if tables["taraban"].empty else {"frequency_consistency": (
        plots.condition_means(_cells(tables["taraban"]), "frequency", "regularity", measure),
        f"{measure.capitalize()} on Taraban & McClelland's (1987) words by frequency and regularity: median over "
        "replicas of each replica's cell mean, whiskers: interquartile range.")}
    curves = {} if tables["curves"] is None else {"frequency_consistency_curves": (
        plots.condition_curves(tables["curves"], "cross-entropy error (training pass)"),
        "Error on Taraban & McClelland's words at every epoch, by frequency (line style) and regularity "
        "(colour): the mean over each condition's words. " + plots.BAND + ".")}
    return {
        "word_accuracy": (plots.accuracy_curve(tables["words"]),
                          "Share of the training words read correctly at each recorded epoch. " + plots.BAND + "."),
        "nonwords": (plots.published_bars({k: v.to_numpy(dtype=float) for k, v in per.items()}, PUBLISHED),
                     "Nonwords read correctly: this model (median over replicas, whiskers: interquartile range), "
                     "PMSP96's Simulation 1 and people (PMSP96, Table 7)."),
        **cells,
        **curves,
    }


def check(experiment):
    """A reproduction's check before training (see :mod:`pdplab.reproduce`)."""
    check_corpus(experiment.environment)


def analyse(ds, experiment):
    """A reproduction's analysis (see :mod:`pdplab.reproduce`): the claims and figures."""
    claims, tables = reading_claims(ds, experiment.environment)
    return claims, figures(tables)
