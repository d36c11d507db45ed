"""Claims: what a paper reported, stated as a test over replicas.

A paper usually trained one network; a reproduction trains many (replicas)
and turns each published result into a test fixed before the run: the
statistic measured on each replica, the test over replicas with its
threshold, the effect with its confidence interval, and whether the claim
holds.  A claim can fail, and one whose precondition is missing (the
undamaged network never knew what damage is to remove; a level of the
hierarchy never differentiated) is *not evaluable*, never holding.

Replicas that miss a claim's precondition, or whose statistic is undefined
(NaN), are left out of its test, and the claims table says how many.  The
claim is evaluable only when at least :data:`MIN_REPLICAS` replicas, and at
least half of those trained, remain: a test over the few replicas that
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
    "sign_test", "share_test", "mean_test", "median_ci",
    "greater", "ordered", "share", "within", "below", "above", "every", "about_data", "table",
]

HOLDS, FAILS, NOT_EVALUABLE = "yes", "no", "not evaluable"
#: Significance level of every pre-stated test.
ALPHA = 0.05
#: The fewest replicas a test is run on: with fewer, a sign test cannot
#: reach p < 0.05 with a 95% interval for its median, even when every
#: replica agrees.
MIN_REPLICAS = 6
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


def _defined(x, what):
    """``x`` as floats; a ValueError if any is NaN (leave undefined replicas out first)."""
    x = np.asarray(x, dtype=float)
    if np.isnan(x).any():
        raise ValueError(f"{what}: {int(np.isnan(x).sum())} values are NaN; leave undefined replicas out first")
    return x


def median_ci(x, confidence=0.95):
    """The median of ``x`` and a distribution-free confidence interval for it
    (order statistics; the interval of the sign test).  With too few values
    for the confidence asked, the interval is the range."""
    if not 0 < confidence < 1:
        raise ValueError(f"median_ci: confidence must lie between 0 and 1, not {confidence!r}")
    x = np.sort(_defined(x, "median_ci"))
    n = len(x)
    if n == 0:
        return math.nan, math.nan, math.nan
    # The largest k with P(Binomial(n, ½) < k) ≤ (1 − confidence)/2: [x₍ₖ₎, x₍ₙ₋ₖ₊₁₎].
    k = int(stats.binom.ppf((1 - confidence) / 2, n, 0.5))
    if stats.binom.cdf(k, n, 0.5) > (1 - confidence) / 2:
        k -= 1
    k = max(k, 0)
    return float(np.median(x)), float(x[k]), float(x[n - 1 - k])


def sign_test(differences, alpha=ALPHA, margin=0.0):
    """One-sided sign test that the differences exceed ``-margin`` in more
    replicas than not.  A tie (a difference of exactly ``-margin``) counts
    against the claim: the claim is that one quantity is larger, and a tie
    does not show it.  With a margin it is a non-inferiority test: the
    first quantity is not smaller than the second by more than ``margin``.
    The effect is the median difference, with its 95% CI."""
    d = _defined(differences, "sign_test")
    positive = int((d + margin > 0).sum())
    p = stats.binomtest(positive, len(d), 0.5, alternative="greater").pvalue if len(d) else 1.0
    median, low, high = median_ci(d)
    name = "one-sided sign test over replicas" + (f" (non-inferiority, margin {margin:g})" if margin else "")
    ties = int((d + margin == 0).sum())
    name += f", α = {alpha}" + (f"; {ties} ties counted against" if ties else "")
    return Outcome(name, len(d), median, low, high, float(p), bool(p < alpha))


def share_test(successes, chance=0.5, alpha=ALPHA):
    """One-sided exact binomial test that the share of replicas showing an
    effect exceeds ``chance``; the effect is the share, with its exact
    (Clopper–Pearson) 95% CI."""
    s = _defined(successes, "share_test")
    if not np.isin(s, (0, 1)).all():
        raise ValueError("share_test: successes must be true or false (1 or 0)")
    k, n = int(s.sum()), len(s)
    result = stats.binomtest(k, n, chance, alternative="greater")
    ci = stats.binomtest(k, n).proportion_ci(0.95, method="exact")
    return Outcome(f"one-sided exact binomial test that the share exceeds {chance:g}, α = {alpha}", n, k / n,
                   float(ci.low), float(ci.high), float(result.pvalue), bool(result.pvalue < alpha))


def mean_test(values, low=None, high=None, alpha=ALPHA):
    """t-tests that the mean lies above ``low`` and below ``high`` (either
    may be None); with both, two one-sided tests (TOST, an equivalence
    test).  The effect is the mean, with its (1 − 2α) CI: the test passes
    exactly when the CI lies inside the bounds."""
    x = _defined(values, "mean_test")
    n = len(x)
    if low is not None and high is not None and not low < high:
        raise ValueError(f"mean_test: low ({low}) must be below high ({high})")
    bounds = " and ".join(b for b in (low is not None and f"above {low:g}", high is not None and f"below {high:g}")
                          if b)
    kind = "two one-sided t-tests (equivalence)" if low is not None and high is not None else "one-sided t-test"
    name = f"{kind} that the mean lies {bounds}, α = {alpha}; {1 - 2 * alpha:.0%} CI"
    if not np.isfinite(x).all():  # an infinite value: the mean is outside any bound
        return Outcome(name, n, float(x.mean()), math.nan, math.nan, 1.0, False)
    mean = float(x.mean())
    se = float(x.std(ddof=1) / math.sqrt(n)) if n > 1 else math.inf
    t = stats.t(max(n - 1, 1))
    sides = []
    if low is not None:
        sides.append(t.sf((mean - low) / se) if se > 0 else float(not mean > low))
    if high is not None:
        sides.append(t.cdf((mean - high) / se) if se > 0 else float(not mean < high))
    p = float(max(sides))
    q = t.ppf(1 - alpha) * se if se > 0 else 0.0
    return Outcome(name, n, mean, mean - q, mean + q, p, bool(p < alpha))


def _evaluate(claim, published, measured, statistic, values, precondition, test, kind="model"):
    """Apply ``precondition`` (mask, description) to per-replica ``values``,
    leave out undefined (NaN) values, and run ``test`` on what remains, or
    report the claim as not evaluable."""
    values = np.asarray(values, dtype=float)
    trained = len(values)
    mask, described = (np.ones(trained, dtype=bool), "") if precondition is None else precondition
    mask = np.asarray(mask)
    if mask.shape != values.shape or mask.dtype != bool:
        raise ValueError(f"{claim}: the precondition must be one true/false value per replica ({values.shape}), "
                         f"not {mask.dtype} of shape {mask.shape}")
    undefined = int((mask & np.isnan(values)).sum())
    if undefined:
        mask = mask & ~np.isnan(values)
    met = int(mask.sum())
    notes = []
    if described:
        notes.append(f"{described}: met by {met + undefined} of {trained} replicas")
    if undefined:
        notes.append(f"the statistic is undefined in {undefined} of them, left out")
    note = "; ".join(notes)
    if met < MIN_REPLICAS or met < trained / 2:
        why = (f"not evaluable: {met} of {trained} replicas remain for the test, fewer than "
               + (f"the {MIN_REPLICAS} it needs" if met < MIN_REPLICAS else "half"))
        return Claim(claim, published, f"{measured} ({why})" if measured else why, NOT_EVALUABLE, kind,
                     statistic, n=met, precondition=note)
    out = test(values[mask])
    return Claim(claim, published, measured, HOLDS if out.passed else FAILS, kind, statistic, out.test, out.n,
                 out.effect, out.ci_low, out.ci_high, out.p, note)


def _difference(a, b):
    """a − b per replica; NaN where both are infinite alike (no order), and
    exactly 0 where the two agree to rounding (1e-9 of their size)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(invalid="ignore"):
        d = a - b
        d[np.abs(d) <= 1e-9 * np.maximum(np.abs(a), np.abs(b))] = 0.0
    return d


def _paired(claim, published, diff, statistic, measured, precondition, agree, margin=0.0):
    diff = np.asarray(diff, dtype=float)
    defined = ~np.isnan(diff)
    if precondition is not None:
        defined &= np.asarray(precondition[0], dtype=bool)
    agree = f"{agree} in {int((diff[defined] > 0).sum())} of {int(defined.sum())} replicas"
    return _evaluate(claim, published, f"{measured}; {agree}" if measured else agree, statistic, diff,
                     precondition, lambda d: sign_test(d, margin=margin))


def greater(claim, published, larger, smaller, statistic, measured="", precondition=None, margin=0.0):
    """A claim that one per-replica quantity exceeds another (or, with a
    ``margin``, is not smaller by more than it): a sign test on ``larger −
    smaller`` over the replicas (NaN where a replica has either quantity
    undefined).

    Parameters
    ----------
    larger, smaller : array_like (replicas,)
    statistic : str
        What the difference measures, for the claims table.
    precondition : (mask, description), optional
        Replicas for which the claim makes sense.
    margin : float
        The non-inferiority margin (0: a plain one-sided test).
    """
    return _paired(claim, published, _difference(larger, smaller), statistic, measured, precondition, "larger",
                   margin)


def ordered(claim, published, earlier, later, measured="", precondition=None):
    """A claim that one event comes before another in each replica: a sign
    test on ``later − earlier`` epochs (NaN where a replica has no such event)."""
    return _paired(claim, published, _difference(later, earlier),
                   "per replica: epoch of the later event − epoch of the earlier", measured, precondition,
                   "in this order")


def share(claim, published, successes, statistic, measured="", precondition=None, chance=0.5):
    """A claim that most replicas show an effect: the share of replicas
    (meeting ``precondition``) in which ``successes`` is true, tested
    against ``chance``; NaN (or None) marks a replica where it is undefined."""
    successes = np.array([np.nan if v is None else v for v in np.asarray(successes, dtype=object).ravel()],
                         dtype=float)
    return _evaluate(claim, published, measured, statistic, successes, precondition,
                     lambda s: share_test(s, chance))


def within(claim, published, values, low, high, statistic, measured="", precondition=None):
    """A claim that a per-replica quantity lies, on average, inside [low, high]."""
    return _evaluate(claim, published, measured, statistic, np.asarray(values, dtype=float), precondition,
                     lambda v: mean_test(v, low, high))


def below(claim, published, values, bound, statistic, measured="", precondition=None):
    """A claim that a per-replica quantity (e.g. an error) is, on average,
    below ``bound``; an infinite value (a prediction that never came true)
    makes it fail."""
    return _evaluate(claim, published, measured, statistic, np.asarray(values, dtype=float), precondition,
                     lambda v: mean_test(v, high=bound))


def above(claim, published, values, bound, statistic, measured="", precondition=None):
    """A claim that a per-replica quantity (e.g. an accuracy) is, on average, above ``bound``."""
    return _evaluate(claim, published, measured, statistic, np.asarray(values, dtype=float), precondition,
                     lambda v: mean_test(v, low=bound))


def every(claim, published, parts, measured=""):
    """A claim made of several tests that must all pass (an intersection–
    union test: no correction for multiplicity is needed).  Its numbers are
    those of the weakest part (the largest p).  It fails if any part fails,
    and is otherwise not evaluable if any part is not."""
    if not parts:
        raise ValueError(f"{claim}: every() needs at least one part")
    if not any(p.holds == FAILS for p in parts) and any(p.holds == NOT_EVALUABLE for p in parts):
        return Claim(claim, published, measured, NOT_EVALUABLE, precondition="; ".join(
            f"{p.claim}: {p.precondition or p.measured}" for p in parts if p.holds == NOT_EVALUABLE))
    # The part shown: a failing one if any, else the one with the largest p.
    weakest = max((p for p in parts if p.holds != NOT_EVALUABLE),
                  key=lambda p: (p.holds == FAILS, 1.0 if math.isnan(p.p) else p.p))
    return Claim(claim, published, measured, HOLDS if all(p.holds == HOLDS for p in parts) else FAILS,
                 "model", weakest.statistic, f"each of {len(parts)} tests passes ({weakest.test}); "
                 f"the weakest shown: {weakest.claim}", weakest.n, weakest.effect, weakest.ci_low, weakest.ci_high,
                 weakest.p, weakest.precondition)


def about_data(claim, published, measured, holds):
    """A claim about the stimuli themselves: no training, no test over replicas."""
    if not isinstance(holds, (bool, np.bool_)):
        raise TypeError(f"{claim}: holds must be True or False, not {holds!r}")
    return Claim(claim, published, measured, HOLDS if holds else FAILS, kind="data",
                 statistic="a property of the training set", test="computed from the stimuli (no replicas)")


def table(claims):
    """The claims as a DataFrame with :data:`COLUMNS` (``n`` is empty for data claims)."""
    out = pd.DataFrame([c.row() for c in claims], columns=COLUMNS)
    return out.astype({"n": "Int64"})
