"""Learning curves, rates, trajectories, U-shapes and epochs to criterion on
hand-built outcomes with known answers."""

import time

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from pdplab.analysis import curves as cv
from pdplab.exceptions import DataError

C, OR, NC, OT = "correct", "overregularized", "no change", "other"


def outcomes(rows, epochs=None, replicas=1, **item_coords):
    """A DataArray (replica, epoch, item) from one sequence of outcomes per
    item (rows: items, columns: epochs), the same in every replica unless
    ``rows`` is a list of such tables, one per replica."""
    x = np.array(rows, dtype=object)
    if x.ndim == 2:
        x = np.repeat(x[None], replicas, axis=0)
    x = x.transpose(0, 2, 1)
    n_r, n_e, n_i = x.shape
    coords = {"replica": np.arange(n_r), "epoch": np.arange(n_e) if epochs is None else epochs,
              "item": [f"v{i}" for i in range(n_i)]}
    coords.update({k: ("item", v) for k, v in item_coords.items()})
    return xr.DataArray(x, dims=("replica", "epoch", "item"), coords=coords, name="outcome")


def row(table, item, replica=0):
    return table[(table["item"] == item) & (table["replica"] == replica)].iloc[0]


# ---------------------------------------------------------------- U-shapes

def test_u_shape_found_with_its_epochs_on_uneven_epochs():
    epochs = [1, 2, 5, 10, 50]
    out = outcomes([[C, C, OR, OR, C],      # v0: U-shaped
                    [C, C, C, C, C],        # v1: always correct
                    [OR, OR, OR, OR, OR],   # v2: never correct
                    [C, C, OR, OR, OR],     # v3: correct, then wrong, never recovers
                    [OR, OR, C, C, C]],     # v4: learned, no dip
                   epochs=epochs, replicas=2)
    shapes = cv.u_shapes(out, error=OR)
    assert len(shapes) == 10 and list(shapes.columns) == ["replica", "item"] + cv.U_SHAPE_COLUMNS
    v0 = row(shapes, "v0", replica=1)
    assert v0["u_shape"] and v0["count"] == 1
    assert (v0["first_correct"], v0["first_error"], v0["recovered"]) == (1, 5, 50)
    for item in ("v1", "v2", "v3", "v4"):
        assert not row(shapes, item)["u_shape"] and row(shapes, item)["count"] == 0
    assert np.isnan(row(shapes, "v2")["first_correct"]) and np.isnan(row(shapes, "v1")["first_error"])
    v3 = row(shapes, "v3")
    assert (v3["first_correct"], v3["first_error"]) == (1, 5) and np.isnan(v3["recovered"])
    assert row(shapes, "v4")["first_correct"] == 5


def test_epochs_recorded_out_of_order_are_sorted():
    out = outcomes([[OR, C, C]], epochs=[30, 10, 20])  # in epoch order: C, C, OR — no recovery
    shapes = cv.u_shapes(out)
    assert not shapes["u_shape"][0] and (shapes["first_correct"][0], shapes["first_error"][0]) == (10, 30)


def test_two_dips_count_two():
    out = outcomes([[C, OR, C, OR, C],
                    [C, OR, OR, C, C],
                    [OR, C, OR, C, C],     # the first error precedes learning: one dip
                    [C, OR, C, OR, OR]])   # the second dip never recovers: one
    shapes = cv.u_shapes(out, error=OR)
    assert list(shapes["count"]) == [2, 1, 1, 1]
    assert list(shapes["first_correct"]) == [0, 0, 1, 0] and list(shapes["first_error"]) == [1, 1, 2, 1]
    assert list(shapes["recovered"]) == [2, 3, 3, 2]


def test_error_kind_is_respected():
    out = outcomes([[C, OT, C, C],         # a dip of another error
                    [C, OT, OR, C],        # another error, then overregularized, in one dip
                    [C, NC, C, OR]])       # an other-error dip, then overregularized at the end
    kind = cv.u_shapes(out, error=OR)
    assert list(kind["u_shape"]) == [False, True, False]
    assert list(kind["first_error"].fillna(-1)) == [-1, 2, 3]
    assert list(kind["recovered"].fillna(-1)) == [-1, 3, -1]
    anything = cv.u_shapes(out)
    assert list(anything["u_shape"]) == [True, True, True] and list(anything["first_error"]) == [1, 1, 1]


def test_min_run_ignores_a_blip():
    out = outcomes([[C, C, OR, C, C, C],     # a one-epoch blip
                    [C, C, OR, OR, C, C],    # a dip lasting two epochs
                    [OR, C, OR, OR, C, C],   # a one-epoch correct blip before the dip
                    [C, C, OR, OR, OR, C]])  # correct again only at the last epoch
    one = cv.u_shapes(out, min_run=1)
    assert list(one["u_shape"]) == [True, True, True, True]
    two = cv.u_shapes(out, min_run=2)
    assert list(two["u_shape"]) == [False, True, False, False]
    assert np.isnan(two["first_error"][0])
    assert (two["first_correct"][1], two["first_error"][1], two["recovered"][1]) == (0, 2, 4)
    assert two["first_correct"][2] == 4 and two.attrs["min_run"] == 2
    assert (two["first_error"][3], np.isnan(two["recovered"][3])) == (2, True)


def test_missing_outcomes_are_skipped():
    out = outcomes([[C, C, OR, None, OR, C, C, C],
                    [C, None, C, OR, OR, np.nan, C, C]])
    two = cv.u_shapes(out, min_run=2)
    assert list(two["u_shape"]) == [True, True]
    assert list(two["first_error"]) == [2, 3] and list(two["recovered"]) == [5, 6]


def test_boolean_outcomes():
    x = xr.DataArray(np.array([[[True, True], [False, True], [True, True]]]), dims=("replica", "epoch", "item"),
                     coords={"epoch": [0, 5, 25], "item": ["went", "walked"]})
    shapes = cv.u_shapes(x)
    assert list(shapes["u_shape"]) == [True, False] and shapes["recovered"][0] == 25
    assert cv.u_shapes(x, correct=True, error=False)["u_shape"].tolist() == [True, False]


def reference_u_shape(seq, min_run, error):
    """One sequence, the slow way: (u_shape, first_correct, first_error, recovered, count) as positions."""
    states = [(0 if s == C else 1 if error is None or s == error else 2, t) for t, s in enumerate(seq)
              if s is not None]
    runs = []
    for state, t in states:
        if runs and runs[-1][0] == state:
            runs[-1][2] += 1
        else:
            runs.append([state, t, 1])
    runs = [r for r in runs if r[2] >= min_run]
    merged = []
    for state, t, _ in runs:
        if not merged or merged[-1][0] != state:
            merged.append((state, t))
    first_c = first_e = recovered = None
    count, seen_c, dip_has_error = 0, False, False
    for state, t in merged:
        if state == 0:
            if first_c is None:
                first_c = t
            if first_e is not None and recovered is None:
                recovered = t
            if seen_c and dip_has_error:
                count += 1
            seen_c, dip_has_error = True, False
        elif state == 1:
            dip_has_error = True
            if first_c is not None and first_e is None:
                first_e = t
    return count > 0, first_c, first_e, recovered, count


@pytest.mark.parametrize("min_run,error", [(1, None), (2, OR), (3, None)])
def test_u_shapes_agree_with_a_reference(min_run, error):
    rng = np.random.default_rng(min_run)
    labels = np.array([C, OR, OT, None], dtype=object)
    x = labels[rng.choice(4, size=(3, 40, 25), p=[0.5, 0.25, 0.15, 0.1])]
    out = outcomes(list(x), epochs=np.arange(25) * 10)
    shapes = cv.u_shapes(out, error=error, min_run=min_run)
    got = shapes[["u_shape", "first_correct", "first_error", "recovered", "count"]].to_numpy(object)
    k = 0
    for r in range(3):
        for i in range(40):
            u, fc, fe, rec, count = reference_u_shape(list(x[r, i]), min_run, error)
            want = [u] + [np.nan if t is None else 10.0 * t for t in (fc, fe, rec)] + [count]
            np.testing.assert_equal(list(got[k]), want)
            k += 1
    assert shapes["u_shape"].sum() > 10  # the draw has U-shapes to find
    assert (shapes["count"] > 1).any() or min_run > 1


def test_u_shape_share_by_class():
    out = outcomes([[C, OR, C], [C, C, C], [OR, OR, OR], [C, OR, C], [C, OR, OR]],
                   cls=["vowel change", "vowel change", "vowel change", "regular", "regular"])
    share = cv.u_shape_share(out, by="cls", error=OR)
    assert list(share["cls"]) == ["vowel change", "regular"]
    assert list(share["n_items"]) == [3, 2] and list(share["n_ever_correct"]) == [2, 2]
    assert list(share["n_u_shaped"]) == [1, 1] and list(share["episodes"]) == [1, 1]
    np.testing.assert_allclose(share["share"], [1 / 3, 1 / 2])
    np.testing.assert_allclose(share["share_of_correct"], [1 / 2, 1 / 2])
    overall = cv.u_shape_share(cv.u_shapes(out, error=OR))
    assert list(overall["n_u_shaped"]) == [2] and overall["share"][0] == pytest.approx(0.4)


# ---------------------------------------------------------------- curves and rates

def random_outcomes(seed=0, replicas=3, items=12, epochs=(0, 1, 3, 7, 20)):
    rng = np.random.default_rng(seed)
    labels = np.array([C, OR, NC, OT, None], dtype=object)
    x = labels[rng.choice(5, size=(replicas, items, len(epochs)), p=[0.4, 0.2, 0.15, 0.15, 0.1])]
    cls = np.array(["regular", "vowel change", "no change"])[np.arange(items) % 3]
    return x, outcomes(list(x), epochs=list(epochs), cls=cls, freq=rng.integers(1, 50, items).astype(float))


def test_learning_curves_by_class_match_a_hand_computation():
    x, out = random_outcomes()
    curves = cv.learning_curves(out, "cls")
    assert curves.dims == ("replica", "epoch", "cls")
    assert list(curves["cls"].values) == ["regular", "vowel change", "no change"]
    assert list(curves["n_items"].values) == [4, 4, 4] and list(curves["epoch"].values) == [0, 1, 3, 7, 20]
    cls = out["cls"].values
    for r in range(3):
        for e in range(5):
            for level in ("regular", "vowel change", "no change"):
                seen = [s for s, c in zip(x[r, :, e], cls) if c == level and s is not None]
                want = sum(s == C for s in seen) / len(seen) if seen else np.nan
                assert curves.sel(cls=level).values[r, e] == pytest.approx(want, nan_ok=True)
    assert curves.attrs["n_missing"] == sum(s is None for s in x.ravel())
    over = cv.learning_curves(out, "cls", value=OR)
    assert float(over[0, 0, 0]) == pytest.approx(np.mean([s == OR for s in x[0, 0::3, 0] if s is not None]))


def test_learning_curves_of_booleans_and_all_items():
    x = xr.DataArray(np.array([[[True, False, True, True], [True, True, True, False]]]),
                     dims=("replica", "epoch", "item"), coords={"epoch": [5, 9]})
    curves = cv.learning_curves(x)
    assert curves.dims == ("replica", "epoch") and curves.values.tolist() == [[0.75, 0.75]]
    assert cv.learning_curves(x, value=False).values.tolist() == [[0.25, 0.25]]


def test_token_weighted_rates():
    out = outcomes([[C, OR], [OR, OR], [NC, C], [C, C]], epochs=[10, 40],
                   cls=["vowel change", "vowel change", "no change", "regular"],
                   token_frequency=[100.0, 10.0, 30.0, 1000.0])
    irregular = {"cls": ["vowel change", "no change"]}
    per_token = cv.rates(out, among=irregular, weights="token_frequency")
    at10 = per_token[per_token["epoch"] == 10].set_index("outcome")
    assert at10.loc[C, "share"] == pytest.approx(100 / 140) and at10.loc[OR, "share"] == pytest.approx(10 / 140)
    assert at10.loc[NC, "share"] == pytest.approx(30 / 140) and at10.loc[C, "weight"] == 140
    assert (at10["n"] == 3).all()
    at40 = per_token[per_token["epoch"] == 40].set_index("outcome")
    assert at40.loc[OR, "share"] == pytest.approx(110 / 140) and at40.loc[NC, "share"] == 0
    per_type = cv.rates(out, among=irregular)
    assert per_type.set_index(["epoch", "outcome"]).loc[(40, OR), "share"] == pytest.approx(2 / 3)
    # Marcus et al.: overregularized / (overregularized + correct), per token.
    marcus = cv.rates(out, among=irregular, weights="token_frequency", denominator=[OR, C])
    assert list(marcus["outcome"]) == [OR, C, OR, C]
    assert marcus["share"].tolist() == pytest.approx([10 / 110, 100 / 110, 110 / 140, 30 / 140])
    assert marcus["n"].tolist() == [2, 2, 3, 3]


def test_rates_by_class_have_every_outcome_and_sum_to_one():
    x, out = random_outcomes(seed=4)
    table = cv.rates(out, by="cls")
    assert list(table.columns) == ["replica", "epoch", "cls", "outcome", "share", "n"]
    assert len(table) == 3 * 5 * 3 * 4
    sums = table[table["n"] > 0].groupby(["replica", "epoch", "cls"], observed=True)["share"].sum()
    np.testing.assert_allclose(sums, 1)
    empty = table[table["n"] == 0]  # every outcome missing in the cell: no share
    assert len(empty) == 4 and empty["share"].isna().all()
    cell = table[(table["replica"] == 2) & (table["epoch"] == 7) & (table["cls"] == "no change")]
    seen = [s for s in x[2, 2::3, 3] if s is not None]
    assert cell.set_index("outcome").loc[NC, "share"] == pytest.approx(seen.count(NC) / len(seen))
    assert cell["n"].iloc[0] == len(seen)


def test_levels_name_outcomes_that_never_occur():
    out = outcomes([[C, C], [NC, C]])
    levels = [C, OR, NC]
    assert cv.learning_curves(out, value=OR, levels=levels).values.tolist() == [[0.0, 0.0]]
    table = cv.rates(out, levels=levels)
    assert list(table["outcome"][:3]) == levels and table["share"][1] == 0
    with pytest.raises(DataError, match="'no change' is not among levels"):
        cv.rates(out, levels=[C, OR])


def test_trajectories():
    out = outcomes([[C, None, OR], [NC, C, C]], epochs=[2, 4, 8], replicas=2, cls=["vowel change", "regular"])
    table = cv.trajectories(out)
    assert list(table.columns) == ["replica", "item", "epoch", "outcome", "cls"] and len(table) == 12
    first = table[(table["replica"] == 1) & (table["item"] == "v0")]
    assert list(first["epoch"]) == [2, 4, 8] and list(first["cls"]) == ["vowel change"] * 3
    assert first["outcome"].iloc[0] == C and pd.isna(first["outcome"].iloc[1]) and first["outcome"].iloc[2] == OR
    assert list(table["outcome"][3:6]) == [NC, C, C] and table.attrs["n_missing"] == 2


# ---------------------------------------------------------------- criterion

def test_epochs_to_criterion():
    epochs = [0, 10, 20, 50, 100, 200]
    # Two irregular items: share correct 0, .5, 1, .5, 1, 1; the regular class is learned at once
    # and the no-change item never.
    out = outcomes([[OR, C, C, C, C, C],
                    [OR, OR, C, OR, C, C],
                    [C, C, C, C, C, C],
                    [NC, NC, NC, C, NC, NC]], epochs=epochs, cls=["irregular", "irregular", "regular", "no change"])
    sustained = cv.epochs_to_criterion(out, "cls")
    assert sustained.dims == ("replica", "cls")
    assert sustained.sel(cls="irregular").item() == 100 and sustained.sel(cls="regular").item() == 0
    assert np.isnan(sustained.sel(cls="no change").item())
    first = cv.epochs_to_criterion(out, "cls", sustained=False)
    assert first.sel(cls="irregular").item() == 20 and first.sel(cls="no change").item() == 50
    assert cv.epochs_to_criterion(out, "cls", criterion=0.5).sel(cls="irregular").item() == 10


def test_epochs_to_criterion_skips_missing_epochs():
    out = outcomes([[OR, C, None, C], [OR, C, None, C]], epochs=[1, 2, 3, 4])
    assert cv.epochs_to_criterion(out).item() == 2


def test_fast_enough_for_a_sweep():
    rng = np.random.default_rng(0)
    x = np.array([C, OR, NC, OT])[rng.choice(4, size=(20, 200, 600), p=[0.7, 0.15, 0.1, 0.05])]
    out = xr.DataArray(x, dims=("replica", "epoch", "item"),
                       coords={"epoch": np.cumsum(rng.integers(1, 20, 200)),
                               "cls": ("item", np.array(["regular", "vowel change", "no change"])[np.arange(600) % 3])})
    start = time.perf_counter()
    cv.u_shapes(out, error=OR, min_run=2)
    cv.learning_curves(out, "cls")
    assert time.perf_counter() - start < 5


# ---------------------------------------------------------------- bad input

GOOD = outcomes([[C, OR, C], [C, C, NC]], cls=["irregular", "regular"], freq=[3.0, 5.0])


@pytest.mark.parametrize("call,message", [
    (lambda: cv.learning_curves(GOOD.values, "cls"), "must be an xarray.DataArray"),
    (lambda: cv.u_shapes(GOOD.isel(epoch=0)), "no 'epoch' dimension"),
    (lambda: cv.rates(GOOD.expand_dims(seed=[1, 2])), "dimension(s) seed"),
    (lambda: cv.learning_curves(GOOD, "class"), "by='class' is not a coordinate on item"),
    (lambda: cv.learning_curves(GOOD, "cls", value="overregularised"), "value='overregularised' is not an outcome"),
    (lambda: cv.u_shapes(GOOD, error="overregularised"), "error='overregularised' is not an outcome"),
    (lambda: cv.u_shapes(GOOD, error=C), "the same outcome"),
    (lambda: cv.u_shapes(GOOD, min_run=0), "min_run"),
    (lambda: cv.rates(GOOD, among={"cls": "irregullar"}), "no item has cls='irregullar'"),
    (lambda: cv.rates(GOOD, weights="cls"), "must be finite numbers"),
    (lambda: cv.rates(GOOD, denominator=[OR, "right"]), "denominator='right' is not an outcome"),
    (lambda: cv.epochs_to_criterion(GOOD, "cls", criterion=90), "criterion is a share"),
    (lambda: cv.u_shape_share(cv.u_shapes(GOOD), by="class"), "no column 'class'"),
    (lambda: cv.learning_curves(GOOD.copy(data=np.full(GOOD.shape, 2.0)), "cls"), "must be 0/1"),
    (lambda: cv.trajectories(GOOD.assign_coords(epoch=[0, 1, 1])), "recorded twice"),
])
def test_bad_input_is_a_one_line_data_error(call, message):
    with pytest.raises(DataError) as caught:
        call()
    text = str(caught.value)
    assert message in text and "\n" not in text
