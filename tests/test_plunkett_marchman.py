"""Plunkett & Marchman's growing vocabulary: the spec's growth schedule and the reproduction."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import pdplab as pl
from pdplab.cli import main
from pdplab.stimuli import plunkett_marchman_1993

MODELS = Path(__file__).resolve().parents[1] / "models"


def test_the_vocabulary_grows_as_its_items_say():
    vocabulary = plunkett_marchman_1993(novel=10)
    enters = vocabulary.items["enters"]
    assert (enters == 0).sum() == 20 and enters.isna().sum() == 10  # novel stems never trained
    assert enters.max() == 80 * 5 + 400  # one verb every 5 epochs to 100, then one an epoch to 500
    exp = pl.load_spec(MODELS / "plunkett_marchman_1993.toml")
    assert len(exp.environment) == 20 and set(exp.environment.items["enters"]) == {0}
    schedule = exp.training["schedule"]
    assert len(schedule) == 480 and len(schedule[5]["environment"]) == 21 and len(schedule[800]["environment"]) == 500
    assert len(exp.training["test"]) == 711  # every verb and the novel stems are recorded
    # Training sees the new verb from its epoch on: its error changes only then.
    ds = exp.run(replicas=1)
    late = exp.training["test"].items.index[exp.training["test"].items["enters"] == 800][0]
    err = ds["train_error"].sel(item=late)
    assert np.isnan(err.sel(train_epoch=799)) or err.sel(train_epoch=799) == err.sel(train_epoch=700)
    assert plunkett_marchman_1993(seed=3).items.equals(plunkett_marchman_1993(seed=3).items)


@pytest.mark.parametrize("grow, words", [
    ("nothing", ["environment.grow", "no column 'nothing'"]),
    ("class", ["item", "joins at 'arbitrary'", "whole epoch"]),
    ("token_frequency", ["every frequency is zero"]),  # at epoch 0 only the novel stems, never drawn
])
def test_a_bad_growth_column_is_one_line(grow, words):
    with pytest.raises(pl.SpecError) as e:
        pl.load_spec(MODELS / "plunkett_marchman_1993.toml", [f"environment.grow={grow}"])
    assert all(w in str(e.value) for w in words) and "\n" not in str(e.value)


@pytest.mark.parametrize("enters, words", [
    ([5, 5, 7, 9], ["no item joins at epoch 0", "starts at 5"]),
    ([0, "1O", 2, 3], ["item 'b'", "joins at '1O'"]),
    ([0, float("inf"), 2, 3], ["item 'b'", "joins at 'inf'"]),
    ([0, 1.5, 2, 3], ["item 'b'", "joins at '1.5'"]),
    ([True, False, True, True], ["true/false"]),
])
def test_growth_epochs_must_be_whole_numbers_from_zero(tmp_path, enters, words):
    table = "item,enters,input.a,output.y\n" + "".join(
        f"{label},{e},{i % 2},{i % 2}\n" for i, (label, e) in enumerate(zip("abcd", enters)))
    (tmp_path / "items.csv").write_text(table)
    (tmp_path / "grow.toml").write_text(
        '[network]\ngroups = [{ name = "input", size = 1 }, { name = "output", size = 1, error = "sse" }]\n'
        'projections = [{ source = "input", target = "output" }]\n'
        '[environment]\nfile = "items.csv"\ngrow = "enters"\n[training]\nepochs = 3\n')
    with pytest.raises(pl.SpecError) as e:
        pl.load_spec(tmp_path / "grow.toml")
    assert all(w in str(e.value) for w in words) and "\n" not in str(e.value), str(e.value)


def test_claims_need_trained_networks_and_verbs_in_the_vocabulary():
    from pdplab.models import past_tense_claims

    exp = pl.load_spec(MODELS / "plunkett_marchman_1993.toml", ["training.epochs=0"])
    claims, tables = past_tense_claims.pm_claims(exp.run(replicas=6))
    assert [c.holds for c in claims] == ["not evaluable"] * 7  # untrained: no claim can hold or fail
    out = tables["outcomes"]
    assert out.notnull().sum("item").values.max() == 20 + 211  # the first verbs and the novel stems only


def test_a_short_reproduction(tmp_path):
    out = tmp_path / "pm"
    assert main(["reproduce", "plunkett-marchman-1993", "--out", str(out), "--replicas", "6",
                 "--set", "training.epochs=500", "--quiet"]) == 0
    table = pd.read_csv(out / "claims.csv").set_index("claim")
    assert len(table) == 7
    # By epoch 500 the vocabulary has 200 verbs: the network overregularizes, verb by verb, but began almost
    # at once (no critical mass), and has not yet met every verb (no late rate to measure).
    assert table.loc["overregularization begins only after a critical mass: twice the first vocabulary",
                     "holds"] == "no"
    assert table.loc["the overregularization rate stays low once every verb is in the vocabulary",
                     "holds"] == "not evaluable"
    assert table.loc["micro U-shapes: irregular verbs are right, then overregularized, then right again",
                     "holds"] == "yes"
    for name in ("learning_curves", "overregularization"):
        assert (out / "figures" / f"{name}.png").stat().st_size > 0


def test_the_whole_vocabulary_from_the_start_has_no_onset_claim(tmp_path):
    out = tmp_path / "pm91"
    assert main(["reproduce", "plunkett-marchman-1991", "--out", str(out), "--replicas", "6",
                 "--set", "training.epochs=100", "--quiet"]) == 0
    table = pd.read_csv(out / "claims.csv")
    assert len(table) == 6 and not table["claim"].str.startswith("overregularization begins").any()
    exp = pl.load_spec(MODELS / "plunkett_marchman_1991.toml")
    assert len(exp.environment) == 500 and not exp.training.get("schedule")
