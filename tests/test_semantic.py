"""The semantic-cognition reproductions on small runs: the published
qualitative results hold, and the claims are reported honestly."""

import numpy as np
import pandas as pd
import pytest

import pdplab as pl
from pdplab.models import deep_linear as dl
from pdplab.models.semantic import differentiation, item_patterns, output_over_training
from pdplab.reproduce import reproduce


def quiet(*args):
    pass


@pytest.fixture(scope="module")
def rt93(tmp_path_factory):
    out = tmp_path_factory.mktemp("rt93")
    table = reproduce("rumelhart-todd-1993", out, replicas=4, progress=False, log=quiet)
    return table, pl.load(out / "results.nc")


def test_rumelhart_todd_claims(rt93):
    table, ds = rt93
    holds = dict(zip(table["claim"].str.split(":").str[0], table["holds"]))
    assert holds["the network learns every item-relation pattern"]
    assert holds["illusory correlation"]
    assert holds["damage"]
    splits = differentiation(item_patterns(ds))
    assert float(splits["domain"].mean()) < float(splits["category"].mean()) < float(splits["item"].mean())


def test_pine_has_leaves_is_believed_then_unlearned(rt93):
    _, ds = rt93
    curve = output_over_training(ds, "pine", "has", "leaves").mean("replica").values
    peak = int(np.argmax(curve))
    assert 0 < peak < len(curve) - 1
    assert curve[peak] - curve[:peak].min() > 0.1 and curve[peak] - curve[-1] > 0.3


def test_rogers_mcclelland_claims(tmp_path):
    table = reproduce("rogers-mcclelland-2004", tmp_path, replicas=2, progress=False, log=quiet)
    assert table["holds"].all(), table.to_string()


def test_saxe_claims_and_analytic_curves(tmp_path):
    table = reproduce("saxe-2019", tmp_path, replicas=3, progress=False, log=quiet)
    assert table["holds"].all(), table.to_string()


def test_deep_linear_theory_functions():
    s, a0, lr = 2.0, 1e-3, 0.01
    t = np.arange(0, 2000, 10)
    a = dl.deep_strength(s, a0, t, lr)
    assert a[0] == pytest.approx(a0) and a[-1] == pytest.approx(s, rel=1e-6)
    assert dl.fit_a0(a, s, t, lr) == pytest.approx(a0, rel=1e-3)
    # Half-learning time ≈ ln(s/a0) / (2 λ s)
    assert dl.half_time(a, s, t) == pytest.approx(np.log(s / a0) / (2 * lr * s), abs=10)
    assert dl.half_time(dl.shallow_strength(s, 0.0, t, lr), s, t) == pytest.approx(np.log(2) / lr, abs=10)


def test_feedback_alignment_comparison_is_reported(tmp_path):
    table = reproduce("feedback-alignment", tmp_path, replicas=2, overrides=["training.epochs=300"],
                      progress=False, log=quiet)
    assert len(table) == 2 and "FA split epochs" in table["measured"].iloc[1]
    claims = pd.read_csv(tmp_path / "claims.csv")
    assert list(claims.columns) == ["claim", "published", "measured", "holds"]
    assert pl.load(tmp_path / "results.nc").attrs["training"].count("feedback_alignment") == 1
