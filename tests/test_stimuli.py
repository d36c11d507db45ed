"""Shipped stimuli against the published tables."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pdplab.stimuli import rumelhart_todd_1993

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "semantic"


def test_rumelhart_todd_environment_shape():
    env = rumelhart_todd_1993()
    assert len(env) == 32
    assert env.inputs["item"].shape == (32, 8) and env.inputs["relation"].shape == (32, 4)
    assert env.targets["attribute"].shape == (32, 36)
    attrs = env.units["attribute"]
    # Pine is the one plant without leaves; the canary the one item that sings.
    has = env.items["relation"] == "has"
    leaves = env.targets["attribute"][:, attrs.index("leaves")]
    plants = env.items["domain"] == "plant"
    assert set(env.items.loc[has & plants & (leaves == 0), "item_name"]) == {"pine"}
    sings = env.targets["attribute"][:, attrs.index("sing")] == 1
    assert set(env.items.loc[sings, "item_name"]) == {"canary"}


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference data not present")
def test_rumelhart_todd_matches_reference():
    ref = pd.read_csv(REFERENCE / "rumelhart_todd_1993.csv")
    lines = (REFERENCE / "rumelhart_todd_1993_attributes.txt").read_text().splitlines()
    order = [line.strip() for line in lines if line.strip()]
    env = rumelhart_todd_1993()
    assert env.units["attribute"] == order
    facts = set(map(tuple, ref[["item", "relation", "attribute"]].to_numpy()))
    ours = {
        (row.item_name, row.relation, order[j])
        for i, row in enumerate(env.items.itertuples())
        for j in np.flatnonzero(env.targets["attribute"][i])
    }
    assert ours == facts


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference data not present")
def test_rogers_mcclelland_matches_reference():
    from pdplab.stimuli import rogers_mcclelland_2004

    ref = pd.read_csv(REFERENCE / "rogers_mcclelland_2004.csv")
    lines = (REFERENCE / "rogers_mcclelland_2004_attributes.txt").read_text().splitlines()
    order = [line.strip().replace(",", ":") for line in lines if line.strip()]
    env = rogers_mcclelland_2004()
    assert env.units["attribute"] == order and len(env.units["item"]) == 21
    facts = {(i, r, f"{r}:{a}") for i, r, a in ref[["item", "relation", "attribute"]].to_numpy()}
    ours = {
        (row.item_name, row.relation, order[j])
        for i, row in enumerate(env.items.itertuples())
        for j in np.flatnonzero(env.targets["attribute"][i])
    }
    assert ours == facts
    mammals = env.items.loc[env.items["category"] == "mammal", "item_name"].unique()
    assert sorted(mammals) == ["cat", "dog", "goat", "mouse", "pig"]


def test_items_environment_is_the_union_of_relations():
    from pdplab.stimuli import rumelhart_todd_1993_items

    items, full = rumelhart_todd_1993_items(), rumelhart_todd_1993()
    assert items.inputs["item"].shape == (8, 8) and items.targets["attribute"].shape == (8, 36)
    canary = items.targets["attribute"][list(items.labels).index("canary")]
    rows = full.items["item_name"] == "canary"
    np.testing.assert_array_equal(canary, full.targets["attribute"][rows.to_numpy()].max(axis=0))


def test_pattern_tables_round_trip(tmp_path):
    import pdplab as pl
    from pdplab.stimuli import read_patterns, write_patterns

    env = rumelhart_todd_1993()
    net = pl.Network(
        [pl.Group("item", 8), pl.Group("relation", 4), pl.Group("attribute", 36, error="sse")],
        [("item", "attribute"), ("relation", "attribute")],
    )
    back = read_patterns(write_patterns(env, tmp_path / "rt.csv"), net)
    for group in ("item", "relation"):
        np.testing.assert_array_equal(back.inputs[group], env.inputs[group])
    np.testing.assert_array_equal(back.targets["attribute"], env.targets["attribute"])
    assert list(back.labels) == list(env.labels) and back.units["attribute"] == env.units["attribute"]
    assert list(back.items["category"]) == list(env.items["category"])
