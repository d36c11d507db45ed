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
