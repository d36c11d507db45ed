"""Frequency × regularity analyses on synthetic results with a planted
structure, and their F values against scipy and hand computations."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from scipy import stats

from pdplab.analysis import regularity as reg
from pdplab.exceptions import DataError

FREQ = ["high", "low"]
REG = ["exception", "regular-consistent"]


def design(per_cell=(6, 6, 6, 6), regularity=REG):
    """Item labels of a frequency × regularity design, cells in row-major order."""
    cells = [(f, r) for f in FREQ for r in regularity]
    freq = [f for (f, r), n in zip(cells, per_cell) for _ in range(n)]
    regs = [r for (f, r), n in zip(cells, per_cell) for _ in range(n)]
    return np.array(freq), np.array(regs)


def results(x, freq, regs, epochs=None):
    """A DataArray (replica, [epoch,] item) with the conditions on item."""
    dims = ("replica", "item") if epochs is None else ("replica", "epoch", "item")
    coords = {"item": [f"w{i}" for i in range(len(freq))], "frequency": ("item", freq),
              "regularity": ("item", regs), "replica": np.arange(x.shape[0]),
              "seed": ("replica", 100 + np.arange(x.shape[0]))}
    if epochs is not None:
        coords["epoch"] = epochs
    return xr.DataArray(x, dims=dims, coords=coords, name="error")


def simulate(interaction, seed=0, replicas=12, per_cell=(8, 8, 8, 8), item_sd=0.05):
    """Error: main effects of frequency and regularity, noise per replica,
    per item (the same in every replica) and per replica × item, and
    (optionally) extra error for low-frequency exceptions."""
    rng = np.random.default_rng(seed)
    freq, regs = design(per_cell)
    low, exc = freq == "low", regs == "exception"
    item = rng.normal(scale=item_sd, size=len(freq))
    x = (0.2 + 0.1 * low + 0.1 * exc + interaction * (low & exc) + item
         + rng.normal(scale=0.05, size=(replicas, 1)) + rng.normal(scale=0.05, size=(replicas, len(freq))))
    return results(x, freq, regs)


def test_planted_interaction_is_found():
    table = reg.by_condition(simulate(0.3), ["frequency", "regularity"])
    f1 = reg.anova_by_replicas(table, ["frequency", "regularity"])
    f2 = reg.anova_by_items(table, ["frequency", "regularity"])
    for aov in (f1, f2):
        assert list(aov.index) == ["frequency", "regularity", "frequency:regularity"]
        assert aov.loc["frequency:regularity", "F"] > 30
        assert aov.loc["frequency:regularity", "p"] < 1e-4
    assert f1.attrs == {"unit": "replica", "n": 12} and f2.attrs == {"unit": "item", "n": 32}
    assert list(f1["df_error"]) == [11, 11, 11] and list(f2["df_error"]) == [28, 28, 28]
    contrast = reg.interaction_contrast(table, "frequency", ("high", "low"), "regularity",
                                        ("regular-consistent", "exception"))
    assert contrast.shape == (12,) and (contrast > 0).all()
    assert np.median(contrast) == pytest.approx(0.3, abs=0.1)


def test_no_interaction_planted():
    # No item effects either: the replicas share the items, so the items'
    # own differences would be a real effect over replicas (Clark 1973).
    table = reg.by_condition(simulate(0.0, seed=3, item_sd=0.0), ["frequency", "regularity"])
    for aov in (reg.anova_by_replicas(table, ["frequency", "regularity"]),
                reg.anova_by_items(table, ["frequency", "regularity"])):
        assert aov.loc["frequency:regularity", "p"] > 0.2
        assert aov.loc["frequency", "p"] < 1e-3 and aov.loc["regularity", "p"] < 1e-3


def test_effects_are_labelled_by_their_factor():
    # Only frequency matters: a swapped or shifted row would show it.
    rng = np.random.default_rng(5)
    freq, regs = design((5, 7, 6, 8))
    x = 0.5 * (freq == "low") + rng.normal(scale=0.1, size=(10, len(freq)))
    table = reg.by_condition(results(x, freq, regs), ["regularity", "frequency"])
    for aov in (reg.anova_by_replicas(table, ["regularity", "frequency"]),
                reg.anova_by_items(table, ["regularity", "frequency"])):
        assert list(aov.index) == ["regularity", "frequency", "regularity:frequency"]
        assert aov.loc["frequency", "p"] < 1e-6
        assert aov.loc["regularity", "p"] > 0.01
        assert (aov["note"] == "").all()


def test_by_items_one_way_is_scipy_f_oneway_with_unbalanced_cells():
    rng = np.random.default_rng(1)
    levels = ["exception", "ambiguous", "regular-inconsistent", "regular-consistent"]
    regs = np.repeat(levels, [3, 7, 5, 9])
    x = rng.normal(size=(4, len(regs))) + (regs == "exception")
    table = reg.by_condition(results(x, np.repeat("high", len(regs)), regs), "regularity")
    aov = reg.anova_by_items(table, "regularity")
    item_means = x.mean(0)
    expected = stats.f_oneway(*(item_means[regs == level] for level in levels))
    assert aov.loc["regularity", "F"] == pytest.approx(expected.statistic, rel=1e-9)
    assert aov.loc["regularity", "p"] == pytest.approx(expected.pvalue, rel=1e-9)
    assert (aov.loc["regularity", "df"], aov.loc["regularity", "df_error"]) == (3, 20)


def test_by_items_interaction_in_an_unbalanced_design_is_the_cell_contrast():
    # Type II for the highest-order term: the difference of differences of
    # the cell means, over its standard error from the pooled within-cell variance.
    rng = np.random.default_rng(2)
    freq, regs = design((3, 9, 5, 12))
    x = rng.normal(size=(3, len(freq))) + 0.8 * ((freq == "low") & (regs == "exception"))
    table = reg.by_condition(results(x, freq, regs), ["frequency", "regularity"])
    aov = reg.anova_by_items(table, ["frequency", "regularity"])
    y = x.mean(0)
    cells = [y[(freq == f) & (regs == r)] for f in FREQ for r in REG]
    sign = np.array([1, -1, -1, 1])
    estimate = sum(s * c.mean() for s, c in zip(sign, cells))
    mse = sum(((c - c.mean()) ** 2).sum() for c in cells) / (len(y) - 4)
    f = estimate ** 2 / (mse * sum(1 / len(c) for c in cells))
    assert aov.loc["frequency:regularity", "F"] == pytest.approx(f, rel=1e-9)
    assert aov.loc["frequency:regularity", "p"] == pytest.approx(stats.f.sf(f, 1, len(y) - 4), rel=1e-9)
    # Type II main effects: each adjusted for the other (not for the
    # interaction), over the full model's error; type I would differ here.
    def rss(*columns):
        design = np.column_stack([np.ones(len(y)), *columns])
        return ((y - design @ np.linalg.lstsq(design, y, rcond=None)[0]) ** 2).sum()
    low, exc = (freq == "low").astype(float), (regs == "exception").astype(float)
    for effect, without in (("frequency", [exc]), ("regularity", [low])):
        f = (rss(*without) - rss(low, exc)) / mse
        assert aov.loc[effect, "F"] == pytest.approx(f, rel=1e-9)


def test_by_replicas_matches_paired_t_tests():
    # One two-level factor: F = t² of the paired t test on the replicas' cell
    # means; in a 2 × 2, the interaction's F = t² of a one-sample t test on
    # the per-replica interaction contrast.
    data = simulate(0.1, seed=4, per_cell=(4, 9, 6, 5))
    table = reg.by_condition(data, ["frequency", "regularity"])
    low = data.where(data.frequency == "low").mean("item").values
    high = data.where(data.frequency == "high").mean("item").values
    t = stats.ttest_rel(low, high)
    one = reg.anova_by_replicas(table, "frequency")
    assert one.loc["frequency", "F"] == pytest.approx(t.statistic ** 2, rel=1e-9)
    assert one.loc["frequency", "p"] == pytest.approx(t.pvalue, rel=1e-9)
    contrast = reg.interaction_contrast(table, "frequency", FREQ, "regularity", ("regular-consistent", "exception"))
    t = stats.ttest_1samp(contrast, 0.0)
    two = reg.anova_by_replicas(table, ["frequency", "regularity"])
    assert two.loc["frequency:regularity", "F"] == pytest.approx(t.statistic ** 2, rel=1e-9)
    assert two.loc["frequency:regularity", "p"] == pytest.approx(t.pvalue, rel=1e-9)
    # The contrast by hand for replica 0, and its sign flips with the level order.
    x0 = data.isel(replica=0).values
    m = {(f, r): x0[(data.frequency.values == f) & (data.regularity.values == r)].mean() for f in FREQ for r in REG}
    by_hand = (m["low", "exception"] - m["high", "exception"]) - (m["low", "regular-consistent"]
                                                                   - m["high", "regular-consistent"])
    assert contrast[0] == pytest.approx(by_hand)
    flipped = reg.interaction_contrast(table, "frequency", FREQ[::-1], "regularity",
                                       ("regular-consistent", "exception"))
    np.testing.assert_allclose(flipped, -contrast)


def test_zero_variance_gives_nan_with_a_note():
    freq, regs = design()
    flat = reg.by_condition(results(np.full((5, 24), 0.25), freq, regs), ["frequency", "regularity"])
    for aov in (reg.anova_by_replicas(flat, ["frequency", "regularity"]),
                reg.anova_by_items(flat, ["frequency", "regularity"])):
        assert aov[["F", "p"]].isna().all().all()
        assert aov["note"].str.contains("equal").all()
    # Identical replicas: every effect has no error term over replicas, but
    # the items still vary within cells.
    rng = np.random.default_rng(0)
    one = rng.normal(size=24) + (freq == "low")
    same = reg.by_condition(results(np.tile(one, (5, 1)), freq, regs), ["frequency", "regularity"])
    f1 = reg.anova_by_replicas(same, ["frequency", "regularity"])
    assert f1[["F", "p"]].isna().all().all() and f1["note"].str.contains("no variance").all()
    f2 = reg.anova_by_items(same, ["frequency", "regularity"])
    assert f2.loc["frequency", "p"] < 0.05 and (f2["note"] == "").all()


def test_by_condition_table_epochs_and_nans():
    freq, regs = design((2, 2, 2, 2))
    x = np.arange(3 * 4 * 8, dtype=float).reshape(3, 4, 8)
    x[1, 3, 5] = np.nan
    data = results(x, freq, regs, epochs=[1, 2, 3, 4])
    last = reg.by_condition(data, ["frequency", "regularity"])
    assert list(last.columns) == ["replica", "item", "frequency", "regularity", "value"]
    assert len(last) == 3 * 8 - 1 and last.attrs["n_nan"] == 1 and last.attrs["epoch"] == 4
    row = last[(last.replica == 2) & (last.item == "w5")].iloc[0]
    assert row["value"] == x[2, 3, 5] and (row["frequency"], row["regularity"]) == ("low", "exception")
    assert reg.by_condition(data, "frequency", epoch=1)["value"].iloc[0] == x[0, 1, 0]  # a position
    every = reg.by_condition(data, "frequency", epoch=None)
    assert len(every) == x.size - 1 and set(every["epoch"]) == {1, 2, 3, 4}
    # A dict of levels keeps those items, in that order.
    only = reg.by_condition(data, {"regularity": ["regular-consistent"]})
    assert set(only["item"]) == {"w2", "w3", "w6", "w7"} and only.attrs["n_excluded"] == 4
    # Categorical coordinates keep their order.
    data = data.assign_coords(frequency=("item", pd.Categorical(freq, categories=["low", "high"])))
    summary = reg.cell_means(reg.by_condition(data, "frequency"), "frequency").summary
    assert list(summary["frequency"]) == ["low", "high"]


def test_cell_means_and_summary():
    data = simulate(0.3, seed=7, replicas=5, per_cell=(3, 4, 5, 6))
    per, summary = reg.cell_means(reg.by_condition(data, ["frequency", "regularity"]), ["frequency", "regularity"])
    assert len(per) == 5 * 4 and len(summary) == 4
    cell = (data.frequency == "low") & (data.regularity == "regular-consistent")
    means = data.where(cell).mean("item").values
    got = per[(per.frequency == "low") & (per.regularity == "regular-consistent")]
    np.testing.assert_allclose(got["value"], means)
    assert (got["n_items"] == 6).all() and list(got["replica"]) == list(range(5))
    row = summary[(summary.frequency == "low") & (summary.regularity == "regular-consistent")].iloc[0]
    q1, q3 = np.percentile(means, [25, 75])
    assert row["mean"] == pytest.approx(means.mean()) and row["sd"] == pytest.approx(means.std(ddof=1))
    assert row["median"] == pytest.approx(np.median(means)) and row["iqr"] == pytest.approx(q3 - q1)
    assert row["n"] == 5


def test_learning_curves():
    freq, regs = design((2, 3, 1, 2))
    rng = np.random.default_rng(0)
    x = rng.random((2, 3, 8))
    x[0, 1, 0] = np.nan
    curves = reg.learning_curves(results(x, freq, regs, epochs=[1, 5, 9]), ["frequency", "regularity"])
    assert curves.dims == ("replica", "epoch", "frequency", "regularity")
    assert list(curves.regularity.values) == REG and list(curves.epoch.values) == [1, 5, 9]
    assert list(curves.seed.values) == [100, 101]
    assert curves.n_items.values.tolist() == [[2, 3], [1, 2]]
    assert float(curves.sel(replica=1, epoch=9, frequency="high", regularity="regular-consistent")) \
        == pytest.approx(x[1, 2, 2:5].mean())
    assert float(curves.sel(replica=0, epoch=5, frequency="high", regularity="exception")) == x[0, 1, 1]
    assert curves.attrs["n_nan"] == 1


@pytest.mark.parametrize("call, words", [
    (lambda d, t: reg.by_condition(d, ["frequency", "lexicality"]), "'lexicality' is not a coordinate on item"),
    (lambda d, t: reg.by_condition(d.isel(replica=0), "frequency"), "no 'replica' dimension"),
    (lambda d, t: reg.by_condition(d.rename(item="word"), "frequency"), "no 'item' dimension"),
    (lambda d, t: reg.by_condition(d.expand_dims(out_unit=2), "frequency"), "out_unit"),
    (lambda d, t: reg.by_condition(d.to_dataset(), "frequency"), "DataArray"),
    (lambda d, t: reg.by_condition(d, {"regularity": ["exceptoin"]}), "'exceptoin'"),
    (lambda d, t: reg.anova_by_replicas(t[~((t.replica == 2) & (t.frequency == "low") & (t.regularity == "exception"))],
                                        ["frequency", "regularity"]),
     "replica 2 has no value in cell frequency=low, regularity=exception"),
    (lambda d, t: reg.anova_by_items(t[~((t.frequency == "low") & (t.regularity == "exception"))],
                                     ["frequency", "regularity"]),
     "no item in cell frequency=low, regularity=exception"),
    (lambda d, t: reg.anova_by_items(t[t.frequency == "low"], ["frequency", "regularity"]), "single level"),
    (lambda d, t: reg.cell_means(t, "consistency"), "no column 'consistency'"),
    (lambda d, t: reg.interaction_contrast(t, "frequency", ("high", "medium"), "regularity", REG), "'medium'"),
])
def test_bad_inputs_are_one_line_data_errors(call, words):
    data = simulate(0.0, replicas=3, per_cell=(2, 2, 2, 2))
    table = reg.by_condition(data, ["frequency", "regularity"])
    with pytest.raises(DataError) as caught:
        call(data, table)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_analyses_refuse_several_epochs():
    freq, regs = design((2, 2, 2, 2))
    table = reg.by_condition(results(np.ones((2, 3, 8)), freq, regs, epochs=[0, 1, 2]), "frequency", epoch=None)
    with pytest.raises(DataError, match="3 epochs"):
        reg.anova_by_replicas(table, "frequency")
    with pytest.raises(DataError, match="with an epoch dimension"):
        reg.learning_curves(results(np.ones((2, 8)), freq, regs), "frequency")
