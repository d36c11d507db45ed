"""The English past-tense reproduction: stimuli, classification, a short run."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import pdplab as pl

from pdplab.cli import main
from pdplab.models.english_past_tense_claims import classify
from pdplab.stimuli import STIMULI
from pdplab.stimuli.english_past_tense import WUGS, english_past_tense, english_past_tense_wugs

MODELS = Path(__file__).resolve().parents[1] / "models"


def test_stimuli_classes_and_wugs():
    env = english_past_tense()
    items = env.items
    assert len(items) == 500 and STIMULI["english_past_tense"] is english_past_tense
    assert items["class"].value_counts().to_dict() == {"regular": 404, "vowel change": 55, "other irregular": 24,
                                                       "no change": 15, "suppletive": 2}
    assert items.loc["walk", "regular_past"] == "W AO K T" and items.loc["go", "past_phon"] == "W EH N T"
    assert np.allclose(env.frequency, np.sqrt(items["frequency"]))
    wugs = english_past_tense_wugs()
    w = wugs.items
    assert len(w) == len(WUGS) and not set(w.index) & set(items.index)
    assert (w["class"] == "novel rhyming").sum() == 15 and (w["class"] == "novel").sum() == 15
    assert w.loc["spling", "class"] == "novel rhyming" and "sing" in w.loc["spling", "rhymes_with"]
    assert w.loc["blafe", "class"] == "novel" and w.loc["blafe", "past_phon"] == "B L EY F T"
    assert wugs.frequency is None


def test_classify_hand_made_responses():
    table = pd.DataFrame({"stem_phon": ["G OW", "HH IH T", "S IH NG", "W AO K", "S P L IH NG", "K IY P"],
                          "past_phon": ["W EH N T", "HH IH T", "S AE NG", "W AO K T", "S P L IH NG D", "K EH P T"],
                          "class": ["suppletive", "no change", "vowel change", "regular", "novel rhyming",
                                    "other irregular"]})
    responses = [["W EH N T", "HH IH T", "S AE NG", "W AO K T", "S P L IH NG D", "K EH P T"],
                 ["G OW D", "HH IH T IH D", "S AE NG D", "W AO K", "S P L AE NG", "K IY P T"],
                 ["W EH N T IH D", "HH AE T", "S IH NG", "W EY K", "S P L IH NG", "K AE P T"],
                 ["B L AH", "HH IH T", "S AE NG", "W AO K D", "S P L IH NG T", "HH AE D"]]
    out = classify(np.array(responses, dtype=object), table)
    assert out.tolist() == [
        ["correct"] * 6,
        ["overregularized", "overregularized", "overregularized", "no change", "other irregularization",
         "overregularized"],
        ["overregularized", "other irregularization", "no change", "other irregularization", "no change",
         "other irregularization"],
        ["other", "correct", "correct", "other", "other", "other"],
    ]


def test_a_short_reproduction(tmp_path):
    out = tmp_path / "ept"
    assert main(["reproduce", "english-past-tense", "--out", str(out), "--replicas", "6",
                 "--set", "training.epochs=8", "--set", "recording.every=4", "--quiet"]) == 0
    table = pd.read_csv(out / "claims.csv").set_index("claim")
    assert len(table) == 8
    assert set(table["holds"]) <= {"yes", "no", "not evaluable"}
    assert "most novel stems get their regular past" in table.index
    assert "novel stems that rhyme with irregular verbs get a regular past less often" in table.index
    for name in ("learning_curves", "overregularization", "wugs"):
        assert (out / "figures" / f"{name}.png").stat().st_size > 0


def test_a_vocabulary_of_ones_own(tmp_path):
    verbs = tmp_path / "verbs.csv"
    verbs.write_text("verb,past,stem_phon,past_phon,frequency\nwalk,walked,W AO1 K,W AO1 K T,120\n"
                     "hit,hit,HH IH T,HH IH T,90\nsing,sang,S IH NG,S AE NG,40\ngo,went,G OW,W EH N T,1500\n")
    env = english_past_tense(corpus=verbs)
    assert list(env.items["class"]) == ["regular", "no change", "vowel change", "suppletive"]
    assert env.items.loc["walk", "stem_phon"] == "W AO K"  # stress marks dropped
    exp = pl.load_spec(MODELS / "english_past_tense.toml", [f"environment.corpus={verbs}",
                                                             f"environment.test.corpus={verbs}",
                                                             "training.epochs=2"])
    assert len(exp.environment) == 4 and len(exp.run(replicas=1)["item"]) == 4 + 30  # the verbs and the wugs
    verbs.write_text("verb,past,stem_phon,past_phon,frequency\nwalk,walked,W AO K Q,W AO K T,3\n")
    with pytest.raises(pl.DataError, match=r"verbs.csv:2: verb 'walk': .*'Q'"):
        english_past_tense(corpus=verbs)


def test_own_vocabularies_in_any_case_and_the_wugs_follow_the_corpus(tmp_path, capsys):
    verbs = tmp_path / "verbs.csv"
    verbs.write_text("verb,past,stem_phon,past_phon,frequency\nwalk,walked,w ao1 k,w ao1 k t,120\n"
                     "sing,sang,S 1 IH NG,S AE NG,40\n")
    env = english_past_tense(corpus=verbs)
    assert list(env.items["stem_phon"]) == ["W AO K", "S IH NG"]  # as the decoder writes them
    exp = pl.load_spec(MODELS / "english_past_tense.toml", [f"environment.corpus={verbs}"])
    wugs = exp.training["test"].items
    # Rhymes are those of the trained verbs (sing), not of the default corpus's.
    assert set(wugs.loc[wugs["class"] == "novel rhyming", "rhymes_with"]) == {"sing"}
    only_regular = tmp_path / "regular.csv"
    only_regular.write_text("verb,past,stem_phon,past_phon,frequency\nwalk,walked,W AO K,W AO K T,120\n")
    out = tmp_path / "ept"
    assert main(["reproduce", "english-past-tense", "--out", str(out), "--set",
                 f"environment.corpus={only_regular}"]) == 2
    assert "no irregular verbs" in capsys.readouterr().err and not (out / "results.nc").exists()
    zero = tmp_path / "zero.csv"
    zero.write_text("verb,past,stem_phon,past_phon,frequency\nwalk,walked,W AO K,W AO K T,0\n")
    with pytest.raises(pl.DataError, match="'walk': the frequency must be a number > 0"):
        english_past_tense(corpus=zero)


def test_untrained_networks_leave_every_claim_not_evaluable(tmp_path):
    out = tmp_path / "ept"
    assert main(["reproduce", "english-past-tense", "--out", str(out), "--replicas", "6",
                 "--set", "training.epochs=1", "--quiet"]) == 0
    assert set(pd.read_csv(out / "claims.csv")["holds"]) == {"not evaluable"}
