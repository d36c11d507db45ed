"""Claims: what a paper reported, stated as a test over replicas.

A paper usually trained one network; a reproduction trains many (replicas)
and turns each published result into a test fixed before the run: the
statistic measured on each replica, the test over replicas with its
threshold, the effect with its confidence interval, and whether the claim
holds.  A claim can fail, and one whose precondition is missing (the
undamaged network never knew what damage is to remove; a level of the
hierarchy never differentiated) is *not evaluable*, never holding.

Replicas that miss a claim's precondition are left out of its test.  The
claim is evaluable only when at least :data:`MIN_REPLICAS` replicas, and at
least half of those trained, meet it: a test over the few replicas that
happened to meet a precondition would not speak for the model.

A claim that describes the stimuli rather than the trained networks is a
*data* claim (``kind="data"``): it holds or fails whatever the training.

>>> import numpy as np
>>> c = ordered("A before B", "A, then B", earlier=np.array([1, 2, 3, 4, 5, 6.0]),
...             later=np.array([2, 3, 5, 6, 7, 9.0]))
>>> c.holds, c.n, round(c.p, 4)
('yes', 6, 0.0156)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "Claim", "Outcome", "COLUMNS", "HOLDS", "FAILS", "NOT_EVALUABLE", "MIN_REPLICAS", "ALPHA",
    "sign_test", "share_test", "equivalence_test", "median_ci",
    "greater", "ordered", "share", "within", "every", "about_data", "table",
]

HOLDS, FAILS, NOT_EVALUABLE = "yes", "no", "not evaluable"
#: Significance level of every pre-stated test.
ALPHA = 0.05
#: The fewest replicas a test is run on: with fewer, a one-sided sign test
#: cannot reach p < 0.05 even when every replica agrees.
MIN_REPLICAS = 5
COLUMNS = ["claim", "kind", "published", "measured", "statistic", "n", "test", "effect", "ci_low", "ci_high",
           "p", "holds", "precondition"]


@dataclass
class Outcome:
    """The result of a test over replicas.

    ``effect`` is the test's own effect size (a median difference, a share,
    a mean) and ``ci_low``/``ci_high`` its confidence interval.
    """

    test: str
    n: int
    effect: float
    ci_low: float
    ci_high: float
    p: float
    passed: bool


@dataclass
class Claim:
    """One row of a reproduction's claims table."""

    claim: str
    published: str
    measured: str
    holds: str
    kind: str = "model"
    statistic: str = ""
    test: str = ""
    n: int | None = None
    effect: float = math.nan
    ci_low: float = math.nan
    ci_high: float = math.nan
    p: float = math.nan
    precondition: str = ""

    def row(self):
        return {c: getattr(self, c) for c in COLUMNS}


def median_ci(x, confidence=0.95):
    """The median of ``x`` and a distribution-free confidence interval for it
    (order statistics; the interval of the sign test).  With too few values
    for the confidence asked, the interval is the range."""
    x = np.sort(np.asarray(x, dtype=float))
    n = len(x)
    if n == 0:
        return math.nan, math.nan, math.nan
    # The largest k with P(Binomial(n, ½) < k) ≤ (1 − confidence)/2: [x₍ₖ₎, x₍ₙ₋ₖ₊₁₎].
    k = int(stats.binom.ppf((1 - confidence) / 2, n, 0.5))
    if stats.binom.cdf(k, n, 0.5) > (1 - confidence) / 2:
        k -= 1
    k = max(k, 0)
    return float(np.median(x)), float(x[k]), float(x[n - 1 - k])


def sign_test(differences, alpha=ALPHA):
    """One-sided sign test that the differences are positive more often than
    negative (ties dropped); the effect is their median, with its 95% CI."""
    d = np.asarray(differences, dtype=float)
    positive, negative = int((d > 0).sum()), int((d < 0).sum())
    untied = positive + negative
    p = stats.binomtest(positive, untied, 0.5, alternative="greater").pvalue if untied else 1.0
    median, low, high = median_ci(d)
    return Outcome(f"one-sided sign test over replicas (ties dropped), α = {alpha}", len(d), median, low, high,
                   float(p), bool(p < alpha))


def share_test(successes, chance=0.5, alpha=ALPHA):
    """One-sided exact binomial test that the share of replicas showing an
    effect exceeds ``chance``; the effect is the share, with its exact
    (Clopper–Pearson) 95% CI."""
    s = np.asarray(successes, dtype=bool)
    k, n = int(s.sum()), len(s)
    result = stats.binomtest(k, n, chance, alternative="greater")
    ci = stats.binomtest(k, n).proportion_ci(0.95, method="exact")
    return Outcome(f"one-sided exact binomial test that the share exceeds {chance:g}, α = {alpha}", n, k / n,
                   float(ci.low), float(ci.high), float(result.pvalue), bool(result.pvalue < alpha))


def equivalence_test(values, low, high, alpha=ALPHA):
    """Two one-sided t-tests (TOST) that the mean lies inside [low, high];
    the effect is the mean, with its (1 − 2α) CI, which lies inside the
    bounds exactly when the test passes."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    mean = float(x.mean())
    se = float(x.std(ddof=1) / math.sqrt(n)) if n > 1 else math.inf
    if se == 0:
        p = 0.0 if low < mean < high else 1.0
        ci = (mean, mean)
    else:
        t = stats.t(n - 1)
        p = float(max(t.sf((mean - low) / se), t.cdf((mean - high) / se)))
        q = t.ppf(1 - alpha)
        ci = (mean - q * se, mean + q * se)
    return Outcome(f"equivalence (two one-sided t-tests) that the mean lies in [{low:g}, {high:g}], α = {alpha}; "
                   f"{1 - 2 * alpha:.0%} CI", n, mean, float(ci[0]), float(ci[1]), p, bool(p < alpha))


def _evaluate(claim, published, measured, statistic, values, precondition, test, kind="model"):
    """Apply ``precondition`` (mask, description) to per-replica ``values``
    and run ``test`` on what remains, or report the claim as not evaluable."""
    values = np.asarray(values)
    trained = len(values)
    if precondition is None:
        mask, described = np.ones(trained, dtype=bool), ""
    else:
        mask, described = precondition
        mask = np.asarray(mask, dtype=bool)
    if values.dtype.kind == "f":
        mask = mask & np.isfinite(values)
    met = int(mask.sum())
    note = f"{described}: met by {met} of {trained} replicas" if described else ""
    if met < MIN_REPLICAS or met < trained / 2:
        why = f"not evaluable: only {met} of {trained} replicas meet the precondition"
        return Claim(claim, published, f"{measured} ({why})" if measured else why, NOT_EVALUABLE, kind,
                     statistic, n=met, precondition=note or why)
    out = test(values[mask])
    return Claim(claim, published, measured, HOLDS if out.passed else FAILS, kind, statistic, out.test, out.n,
                 out.effect, out.ci_low, out.ci_high, out.p, note)


def _paired(claim, published, diff, statistic, measured, precondition, agree):
    diff = np.asarray(diff, dtype=float)
    defined = np.isfinite(diff)
    if precondition is not None:
        defined &= np.asarray(precondition[0], dtype=bool)
    agree = f"{agree} in {int((diff[defined] > 0).sum())} of {int(defined.sum())} replicas"
    return _evaluate(claim, published, f"{measured}; {agree}" if measured else agree, statistic, diff,
                     precondition, sign_test)


def greater(claim, published, larger, smaller, statistic, measured="", precondition=None):
    """A claim that one per-replica quantity exceeds another: a sign test on
    ``larger − smaller`` over the replicas (NaN where a replica has either
    quantity undefined).

    Parameters
    ----------
    larger, smaller : array_like (replicas,)
    statistic : str
        What the difference measures, for the claims table.
    precondition : (mask, description), optional
        Replicas for which the claim makes sense.
    """
    return _paired(claim, published, np.asarray(larger, dtype=float) - np.asarray(smaller, dtype=float),
                   statistic, measured, precondition, "larger")


def ordered(claim, published, earlier, later, measured="", precondition=None):
    """A claim that one event comes before another in each replica: a sign
    test on ``later − earlier`` epochs (NaN where a replica has no such event)."""
    return _paired(claim, published, np.asarray(later, dtype=float) - np.asarray(earlier, dtype=float),
                   "per replica: epoch of the later event − epoch of the earlier", measured, precondition,
                   "in this order")


def share(claim, published, successes, statistic, measured="", precondition=None, chance=0.5):
    """A claim that most replicas show an effect: the share of replicas
    (meeting ``precondition``) in which ``successes`` is true, tested
    against ``chance``."""
    successes = np.asarray(successes, dtype=bool)
    return _evaluate(claim, published, measured, statistic, successes, precondition,
                     lambda s: share_test(s, chance))


def within(claim, published, values, low, high, statistic, measured="", precondition=None):
    """A claim that a per-replica quantity lies, on average, inside [low, high]."""
    return _evaluate(claim, published, measured, statistic, np.asarray(values, dtype=float), precondition,
                     lambda v: equivalence_test(v, low, high))


def every(claim, published, parts, measured=""):
    """A claim made of several tests that must all pass (an intersection–
    union test: no correction for multiplicity is needed).  Its numbers are
    those of the weakest part (the largest p); it is not evaluable if any
    part is not."""
    if any(p.holds == NOT_EVALUABLE for p in parts):
        return Claim(claim, published, measured, NOT_EVALUABLE, precondition="; ".join(
            f"{p.claim}: {p.precondition}" for p in parts if p.holds == NOT_EVALUABLE))
    weakest = max(parts, key=lambda p: p.p)
    return Claim(claim, published, measured, HOLDS if all(p.holds == HOLDS for p in parts) else FAILS,
                 "model", weakest.statistic, f"each of {len(parts)} tests passes ({weakest.test}); "
                 f"the weakest shown: {weakest.claim}", weakest.n, weakest.effect, weakest.ci_low, weakest.ci_high,
                 weakest.p, weakest.precondition)


def about_data(claim, published, measured, holds):
    """A claim about the stimuli themselves: no training, no test over replicas."""
    return Claim(claim, published, measured, HOLDS if holds else FAILS, kind="data",
                 statistic="a property of the training set", test="computed from the stimuli (no replicas)")


def table(claims):
    """The claims as a DataFrame with :data:`COLUMNS` (``n`` is empty for data claims)."""
    out = pd.DataFrame([c.row() for c in claims], columns=COLUMNS)
    return out.astype({"n": "Int64"})
