"""Claims as tests over replicas: the tests against their textbook values,
and claims that fail, or cannot be evaluated, when they should."""

import numpy as np
import pytest
from scipy import stats

from pdplab import claims as cl


def test_sign_test_counts_ties_against_the_claim():
    d = np.array([3.0, 2, 1, 5, 0, 0, -1, 4, 2, 6, 3, 1, 2, 2, 1])  # 12 positive, 1 negative, 2 ties
    out = cl.sign_test(d)
    assert out.p == pytest.approx(stats.binom.sf(11, 15, 0.5))  # P(X ≥ 12 | 15)
    assert out.passed and out.n == 15 and out.effect == np.median(d) and "2 ties counted against" in out.test
    assert not cl.sign_test(-d).passed
    assert not cl.sign_test(np.zeros(10)).passed  # all ties: nothing supports the claim
    # A few untied replicas among many ties do not carry a claim.
    assert not cl.sign_test(np.r_[np.zeros(35), np.ones(5)]).passed
    with pytest.raises(ValueError, match="NaN"):
        cl.sign_test([1.0, np.nan, 2.0])


def test_rounding_noise_is_a_tie():
    c = cl.ordered("a before b", "", np.full(10, 1000.0), np.full(10, 1000.0) + 1e-13 * np.arange(10))
    assert c.holds == cl.FAILS and "in this order in 0 of 10" in c.measured


def test_non_inferiority_margin():
    d = np.full(20, -0.02)  # slightly smaller, every time
    assert not cl.sign_test(d).passed
    assert cl.sign_test(d, margin=0.05).passed  # not smaller by more than 0.05
    assert not cl.sign_test(d - 0.1, margin=0.05).passed


def test_median_ci_uses_the_sign_test_order_statistics():
    x = np.arange(1.0, 21.0)  # n = 20: the 95% interval is [x(6), x(15)]
    median, low, high = cl.median_ci(x[::-1])
    assert (median, low, high) == (10.5, 6.0, 15.0)
    assert cl.median_ci([1.0, 2.0, 3.0])[1:] == (1.0, 3.0)  # too few for 95%: the range


def test_share_test_is_an_exact_binomial_test():
    out = cl.share_test(np.r_[np.ones(15), np.zeros(5)])
    assert out.effect == 0.75 and out.p == pytest.approx(stats.binom.sf(14, 20, 0.5))
    assert out.ci_low == pytest.approx(0.5090, abs=1e-4) and out.ci_high == pytest.approx(0.9134, abs=1e-4)
    assert not cl.share_test(np.r_[np.ones(13), np.zeros(7)]).passed  # 13/20: p = 0.13


def test_mean_test_agrees_with_its_confidence_interval():
    rng = np.random.default_rng(0)
    inside = 0.05 + 0.01 * rng.standard_normal(20)
    out = cl.mean_test(inside, 0.0, 0.1)
    assert out.passed and 0 < out.ci_low < out.effect < out.ci_high < 0.1
    t = stats.t(19).ppf(0.95) * inside.std(ddof=1) / np.sqrt(20)
    assert out.ci_high == pytest.approx(inside.mean() + t)
    assert not cl.mean_test(inside + 0.06, 0.0, 0.1).passed  # mean 0.11: outside
    assert out.p == pytest.approx(stats.ttest_1samp(inside, 0.1, alternative="less").pvalue)
    # One-sided: a perfect, constant prediction error of 0 is below any bound.
    assert cl.mean_test(np.zeros(10), high=0.1).passed
    # A prediction that never came true (an infinite error) fails.
    assert not cl.below("close", "", np.r_[np.full(9, 0.01), np.inf], 0.1, "miss").holds == cl.HOLDS
    # Above a bound: a perfect accuracy of 1 everywhere holds; a mean just under the bound does not.
    assert cl.above("accurate", "", np.ones(8), 0.98, "share").holds == cl.HOLDS
    assert cl.above("accurate", "", np.full(8, 0.979), 0.98, "share").holds == cl.FAILS
    near = 0.99 + 0.01 * rng.standard_normal(8)
    assert cl.above("accurate", "", near, 0.98, "share").p == pytest.approx(
        stats.ttest_1samp(near, 0.98, alternative="greater").pvalue)


def test_a_claim_fails_when_the_data_say_otherwise():
    earlier = np.arange(20.0)
    assert cl.ordered("a before b", "", earlier, earlier + 5).holds == cl.HOLDS
    reversed_ = cl.ordered("a before b", "", earlier + 5, earlier)
    assert reversed_.holds == cl.FAILS and reversed_.effect == -5
    assert "in this order in 0 of 20 replicas" in reversed_.measured


def test_undefined_successes_and_bad_preconditions():
    assert cl.share("c", "", np.full(10, np.nan), "s").holds == cl.NOT_EVALUABLE
    assert cl.share("c", "", [True] * 8 + [None] * 2, "s").n == 8
    for mask in (np.full(10, np.nan), True, np.ones(9, dtype=bool)):
        with pytest.raises(ValueError, match="precondition"):
            cl.share("c", "", [True] * 10, "s", precondition=(mask, "x"))
    with pytest.raises(TypeError):
        cl.about_data("c", "", "", "no")


def test_missing_precondition_is_never_holding():
    later = np.arange(20.0) + 5
    earlier = np.where(np.arange(20) < 12, np.nan, np.arange(20.0))  # 12 replicas have no first event
    c = cl.ordered("a before b", "", earlier, later)
    assert c.holds == cl.NOT_EVALUABLE and c.n == 8 and "undefined in 12" in c.precondition
    assert cl.ordered("a before b", "", np.arange(5.0), np.arange(5.0) + 1).holds == cl.NOT_EVALUABLE  # too few
    known = np.arange(20) < 4  # the precondition holds in 4 replicas only
    c = cl.share("most replicas show it", "", np.ones(20, dtype=bool), "shown", precondition=(known, "knew it"))
    assert c.holds == cl.NOT_EVALUABLE and "met by 4 of 20 replicas" in c.precondition
    c = cl.share("most replicas show it", "", np.ones(20, dtype=bool), "shown",
                 precondition=(np.arange(20) < 15, "knew it"))
    assert c.holds == cl.HOLDS and c.n == 15


def test_every_part_must_hold():
    x = np.arange(20.0)
    good = cl.ordered("a", "", x, x + 1)
    bad = cl.ordered("b", "", x + 1, x)
    missing = cl.ordered("c", "", np.full(20, np.nan), x)
    assert cl.every("both", "", [good, good]).holds == cl.HOLDS
    assert cl.every("both", "", [good, bad]).holds == cl.FAILS
    assert cl.every("both", "", [good, missing]).holds == cl.NOT_EVALUABLE
    assert cl.every("all", "", [good, bad, missing]).holds == cl.FAILS  # a definite failure is a failure
    assert cl.every("all", "", [bad, good]).p == bad.p  # the failing part is the one shown


def test_table_has_every_column_and_data_claims_say_so():
    t = cl.table([cl.about_data("the modes follow the hierarchy", "", "…", True),
                  cl.ordered("a before b", "", np.arange(10.0), np.arange(10.0) + 1)])
    assert list(t.columns) == cl.COLUMNS
    assert list(t["kind"]) == ["data", "model"] and list(t["holds"]) == ["yes", "yes"]
