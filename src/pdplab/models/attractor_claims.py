"""PMSP96 Simulation 3 as claims over replicas: the attractor network's words, nonwords,
naming latencies and surface dyslexia.

Words and nonwords are scored as in Simulations 1 and 2
(:mod:`pdplab.models.reading_claims`), from the phonology at the end of a test
pass run as training ended.  The naming latency of a word is its settling
time (:func:`pdplab.core.time.settling_time`); latencies are analysed, as a
naming experiment's are, on the words each network reads correctly.  On
Taraban & McClelland's (1987) words, PMSP96 report the frequency ×
consistency interaction in settling time, low-frequency exception words the
slowest.

Damage: a growing share of the orthography → hidden connections is removed
(:func:`pdplab.core.damage.evaluate`); the words each lesion makes the
networks misread are listed, and the claims compare low-frequency exception
words with low-frequency regular-consistent words at the pre-stated
severity :data:`SEVERITY`, and ask whether errors on exception words are
mostly *regularizations* — the pronunciation most words with the same body
have — the pattern of surface dyslexia (Patterson, Marshall & Coltheart
1985; PMSP96).

References
----------
Plaut, D. C., McClelland, J. L., Seidenberg, M. S., & Patterson, K. (1996).
*Psychological Review*, 103, 56-115.
Patterson, K. E., Marshall, J. C., & Coltheart, M. (Eds.) (1985). *Surface
Dyslexia*. Erlbaum.
Taraban, R., & McClelland, J. L. (1987). *Journal of Memory and Language*,
26, 608-631.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pandas as pd

from .. import claims as cl
from ..analysis import regularity
from ..core.damage import evaluate
from ..core.record import weights_from_dataset
from ..core.train_time import timing_of
from . import reading
from ..exceptions import DataError
from .reading_claims import _taraban, anovas, figures, word_accuracy, word_and_nonword_claims
from .semantic import quartiles

__all__ = ["SEVERITIES", "SEVERITY", "latencies", "regular_rimes", "lesion", "attractor_claims", "analyse"]

#: Shares of the orthography → hidden connections removed (this project's choice).
SEVERITIES = (0.0, 0.1, 0.2, 0.3, 0.4)
FREQUENCIES = ("high", "low")
REGULARITIES = ("exception", "ambiguous", "regular-inconsistent", "regular-consistent")
#: The severity the damage claims are tested at, fixed before any run (this project's choice).
SEVERITY = 0.2


def latencies(ds):
    """Each replica's settling time on each word it reads correctly at the last epoch (NaN otherwise)."""
    correct = word_accuracy(ds).isel(epoch=-1)
    settle = ds["settling_time"].isel(epoch=-1).sel(item=correct["item"])
    return settle.where(correct.values)


def regular_rimes(orth, phon):
    """The rime most words with each body have (ties: the first in alphabetical order)."""
    counts = {}
    for o, p in zip(orth, phon):
        counts.setdefault(reading.body(o), Counter())[reading.rime(p)] += 1
    return {b: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for b, c in counts.items()}


def lesion(ds, environment, severities=SEVERITIES):
    """Damage the orthography → hidden connections; every word read by every damaged network.

    Returns
    -------
    pandas.DataFrame
        One row per replica × severity × word: ``correct``, ``regularization``
        (the response gives the word's body its most common rime, which is
        not the word's own), ``response``, the word's ``frequency`` and
        ``regularity`` where it is one of Taraban & McClelland's.
    """
    network, _ = weights_from_dataset(ds)
    timing = timing_of(ds, network)
    timing = replace(timing, test_duration=None)  # the answer is read at the end of the training interval
    damaged = evaluate(ds, environment, "connections", "orthography->hidden", list(severities),
                       record=["phonology"], timing=timing)
    responses = reading.decode(damaged["phonology"].transpose("replica", "severity", "item", "phonology_unit").values)
    items = environment.items
    correct = reading.score_words(responses, items["orth"], items["phon"])
    regular = regular_rimes(items["orth"], items["phon"])
    wanted = np.array([regular[reading.body(o)] for o in items["orth"]], dtype=object)
    own = np.array([reading.rime(p) for p in items["phon"]], dtype=object)
    rimes = np.vectorize(_rime_or_none, otypes=[object])(responses)
    regularization = (rimes == wanted) & (wanted != own) & ~correct
    R, S, N = correct.shape
    table = pd.DataFrame({
        "replica": np.repeat(np.arange(R), S * N), "severity": np.tile(np.repeat(damaged["severity"].values, N), R),
        "item": np.tile(np.asarray(items.index), R * S), "correct": correct.ravel(),
        "regularization": regularization.ravel(), "response": responses.ravel()})
    from ..stimuli.reading_lists import taraban_mcclelland_1987

    words = taraban_mcclelland_1987().drop_duplicates("spelling").set_index("spelling")
    return table.join(words[["frequency", "regularity"]].astype(str), on="item")


def _rime_or_none(response):
    try:
        return reading.rime(response)
    except Exception:  # an answer that is no syllable has no rime
        return None


def attractor_claims(ds, environment):
    """The claims of Simulation 3 and the tables behind them."""
    claims, tables = word_and_nonword_claims(ds, environment)

    settle = latencies(ds)
    taraban = regularity.by_condition(_taraban(settle), ["frequency", "regularity"])
    # Every replica and cell, NaN where a replica read none of a cell's words: such replicas are left out.
    by_cell = (taraban.groupby(["replica", "frequency", "regularity"], observed=False)["value"].mean()
               .unstack(["frequency", "regularity"])
               .reindex(index=range(ds.sizes["replica"]),
                        columns=pd.MultiIndex.from_product([FREQUENCIES, REGULARITIES])))
    contrast = ((by_cell[("low", "exception")] - by_cell[("high", "exception")])
                - (by_cell[("low", "regular-consistent")] - by_cell[("high", "regular-consistent")])).to_numpy()
    slowest = by_cell[("low", "exception")].to_numpy()
    rest = by_cell.drop(columns=[("low", "exception")]).max(axis=1, skipna=False).to_numpy()
    try:
        f1, f2, anova = anovas(taraban)
    except DataError as exc:
        f1 = f2 = None
        anova = f"ANOVAs not computed ({exc})"
    unsettled = int(np.isnan(ds["settling_time"].isel(epoch=-1)).sum())
    means = by_cell.median()
    claims += [
        cl.greater(
            "frequency × consistency in naming latency: the frequency effect on settling time is larger for "
            "exception words than for regular ones",
            "the frequency × consistency interaction in settling time, as in people's naming latencies "
            "(PMSP96, Simulation 3; Taraban & McClelland 1987)",
            contrast, np.zeros_like(contrast),
            "per replica: (low − high frequency) settling time of exception words − that of regular-consistent "
            "words (words read correctly)",
            measured=anova + "; cell medians (time units): "
            + ", ".join(f"{f} {r} {v:.3f}" for (f, r), v in means.items())
            + f"; {taraban.attrs.get('n_nan', 0)} replica × word latencies left out (misread or unsettled; "
              f"{unsettled} unsettled over all words)"),
        cl.greater(
            "low-frequency exception words are named slowest",
            "low-frequency exception words have the longest settling times (PMSP96, Simulation 3)",
            slowest, rest,
            "per replica: mean settling time of low-frequency exception words − the highest mean of the other "
            "cells",
            measured=f"low-frequency exception {quartiles(slowest, 3)}; slowest other cell {quartiles(rest, 3)} "
                     f"(median [IQR], time units)"),
    ]

    damage = lesion(ds, environment)
    at = damage[damage["severity"] == SEVERITY]
    low = at[at["frequency"] == "low"]
    before = damage[(damage["severity"] == 0) & (damage["frequency"] == "low")]
    acc, acc0 = ((rows.groupby(["replica", "regularity"])["correct"].mean().unstack()
                  .reindex(index=range(ds.sizes["replica"]), columns=list(REGULARITIES))) for rows in (low, before))
    drop = acc0 - acc
    exceptions = at[(at["regularity"] == "exception") & ~at["correct"]]
    share = (exceptions.groupby("replica")["regularization"].mean()
             .reindex(range(ds.sizes["replica"])).to_numpy(dtype=float))
    first = _first_failures(damage)
    claims += [
        cl.greater(
            "after damage, low-frequency exception words are read worse than low-frequency regular words",
            "lesions of the orthography → phonology pathway impair low-frequency exception words most "
            "(surface dyslexia; PMSP96)",
            drop["exception"].to_numpy(dtype=float), drop["regular-consistent"].to_numpy(dtype=float),
            f"per replica, {SEVERITY:.0%} of the orthography → hidden connections removed: the loss of accuracy "
            f"(share correct before − after) of the low-frequency exception − of the low-frequency "
            f"regular-consistent words (Taraban & McClelland's)",
            measured=f"correct after damage: regular-consistent "
                     f"{quartiles(100 * acc['regular-consistent'].to_numpy(dtype=float), 1)}%, exception "
                     f"{quartiles(100 * acc['exception'].to_numpy(dtype=float), 1)}% (median [IQR]; before: "
                     f"{quartiles(100 * acc0['regular-consistent'].to_numpy(dtype=float), 1)}%, "
                     f"{quartiles(100 * acc0['exception'].to_numpy(dtype=float), 1)}%); {first}"),
        cl.above(
            "the errors on exception words are mostly regularizations",
            "surface dyslexic readers regularize exception words (PINT read to rhyme with MINT; Patterson et al. "
            "1985; PMSP96)",
            share, 0.5,
            f"per replica, {SEVERITY:.0%} of the connections removed: share of the errors on Taraban & "
            f"McClelland's exception words that give the word's body its most common pronunciation",
            measured=f"median [IQR] {quartiles(100 * share, 1)}% of {len(exceptions)} errors"),
    ]
    tables.update(taraban=taraban, curves=None, anova_replicas=f1, anova_items=f2, damage=damage)
    return claims, tables


def _first_failures(damage, shown=12):
    """The words most replicas read before damage and misread at the mildest damage that makes any such
    word fail, as text."""
    known = damage[damage["severity"] == 0].groupby("item")["correct"].mean() > 0.5
    damaged = damage[(damage["severity"] > 0) & damage["item"].isin(known.index[known])]
    for severity, rows in damaged.groupby("severity"):
        failing = rows.groupby("item")["correct"].mean()
        failing = failing[failing < 0.5].sort_values()
        if len(failing):
            return (f"words failing first (at {severity:.0%}, misread by most replicas, read by most before; "
                    f"{len(failing)} words): " + ", ".join(failing.index[:shown])
                    + ("…" if len(failing) > shown else ""))
    return "no word read before damage is misread by most replicas at any severity"


def damage_figure(damage):
    """Share of Taraban & McClelland's words read correctly after each lesion, by condition."""
    from .. import plots

    rows = damage.dropna(subset=["frequency"])
    table = (rows.groupby(["replica", "severity", "frequency", "regularity"], observed=True)["correct"].mean()
             .rename("value").reset_index())
    table["condition"] = table["frequency"] + "-frequency " + table["regularity"]
    return plots.severity_curves(table, "share read correctly", "share of orthography → hidden connections removed")


def analyse(ds, experiment):
    """The reproduction's analysis (see :mod:`pdplab.reproduce`)."""
    claims, tables = attractor_claims(ds, experiment.environment)
    figs = figures(tables, measure="settling time (time units)")
    figs["lesions"] = (damage_figure(tables["damage"]),
                       "Taraban & McClelland's words read correctly as more of the orthography → hidden connections "
                       "are removed, by frequency and regularity: median over replicas, interquartile range shaded.")
    return claims, figs
