"""The English past-tense corpus: verbs, pronunciations, classes, exclusions, CELEX agreement."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pdplab.exceptions import DataError
from pdplab.stimuli import english_verbs as ev

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "past_tense"
CELEX = REFERENCE / "celex_english_verbs.tsv"
needs_celex = pytest.mark.skipif(not CELEX.exists(), reason="shared reference data not present")


@pytest.fixture(scope="module")
def corpus():
    return ev.english_verbs(1000)


@pytest.fixture(scope="module")
def verbs(corpus):
    return corpus.verbs.set_index("verb")


def test_corpus_shape_and_order(corpus):
    verbs = corpus.verbs
    assert len(verbs) == 1000
    assert verbs["verb"].is_unique
    assert list(verbs.columns) == ["verb", "past", "stem_phon", "past_phon", "class", "allomorph", "frequency",
                                   "stem_frequency", "past_frequency", "verb_share", "other_pasts", "flags"]
    assert verbs["frequency"].is_monotonic_decreasing
    assert set(verbs["class"]) == set(ev.CLASSES)
    assert not verbs["stem_phon"].str.contains(r"\d").any() and not verbs["past_phon"].str.contains(r"\d").any()
    # every excluded candidate is more frequent than the last verb kept
    assert (corpus.excluded["frequency"] >= verbs["frequency"].iloc[-1]).all()


def test_class_counts_are_sensible(corpus):
    counts = corpus.verbs["class"].value_counts()
    irregular = 1000 - counts["regular"]
    assert 100 <= irregular <= 200
    assert counts["vowel change"] > counts["other irregular"] > counts["no change"] > counts["suppletive"]
    assert set(corpus.verbs.loc[corpus.verbs["class"] == "suppletive", "verb"]) == {"be", "go"}


@pytest.mark.parametrize("verb, past, stem_phon, past_phon, cls", [
    ("walk", "walked", "W AO K", "W AO K T", "regular"),
    ("want", "wanted", "W AO N T", "W AO N T IH D", "regular"),
    ("play", "played", "P L EY", "P L EY D", "regular"),
    ("hit", "hit", "HH IH T", "HH IH T", "no change"),
    ("put", "put", "P UH T", "P UH T", "no change"),
    ("sing", "sang", "S IH NG", "S AE NG", "vowel change"),
    ("get", "got", "G EH T", "G AA T", "vowel change"),
    ("read", "read", "R IY D", "R EH D", "vowel change"),
    ("lead", "led", "L IY D", "L EH D", "vowel change"),
    ("bring", "brought", "B R IH NG", "B R AO T", "other irregular"),
    ("keep", "kept", "K IY P", "K EH P T", "other irregular"),
    ("go", "went", "G OW", "W EH N T", "suppletive"),
    ("be", "was", "B IY", "W AA Z", "suppletive"),
    ("pay", "paid", "P EY", "P EY D", "regular"),
])
def test_specific_verbs(verbs, verb, past, stem_phon, past_phon, cls):
    row = verbs.loc[verb]
    assert (row["past"], row["stem_phon"], row["past_phon"], row["class"]) == (past, stem_phon, past_phon, cls)


def test_allomorphs(verbs):
    assert verbs.loc["walk", "allomorph"] == "T"
    assert verbs.loc["want", "allomorph"] == "IH D"
    assert verbs.loc["play", "allomorph"] == "D"
    assert (verbs.loc[verbs["class"] != "regular", "allomorph"] == "").all()


def test_every_regular_past_follows_the_allomorph_rule(corpus):
    regular = corpus.verbs[corpus.verbs["class"] == "regular"]
    assert (regular["past_phon"] == regular["stem_phon"].map(ev.regular_past)).all()
    classes = [ev.past_tense_class(s, p) for s, p in zip(corpus.verbs["stem_phon"], corpus.verbs["past_phon"])]
    assert classes == corpus.verbs["class"].tolist()


def test_homographs_and_flags(verbs):
    assert "past from homograph" in verbs.loc["read", "flags"]
    assert verbs.loc["hit", "flags"] == ""
    assert "irregular spelling" in verbs.loc["pay", "flags"]
    assert "stem is a past" in verbs.loc["lay", "flags"]
    assert verbs.loc["lay", "frequency"] == verbs.loc["lay", "past_frequency"]
    assert verbs.loc["live", "stem_phon"] == "L IH V"  # lived decides, not cmudict's first L AY V
    assert verbs.loc["use", "stem_phon"] == "Y UW Z"
    assert verbs.loc["house", "stem_phon"] == "HH AW Z" and "stem from past" in verbs.loc["house", "flags"]
    assert verbs.loc["fire", ["stem_phon", "past_phon"]].tolist() == ["F AY R", "F AY R D"]
    assert "one-syllable ER" in verbs.loc["fire", "flags"]
    assert "suffix AH" in verbs.loc["need", "flags"] and verbs.loc["need", "past_phon"] == "N IY D IH D"
    for flags in verbs["flags"]:
        assert all(f in ev.FLAGS for f in flags.split(";") if f)


def test_other_pasts_are_noted(verbs):
    assert verbs.loc["be", "other_pasts"] == "were"
    assert verbs.loc["dream", "past"] == "dreamed" and verbs.loc["dream", "other_pasts"] == "dreamt"
    assert "irregular variant" in verbs.loc["dream", "flags"]


def test_exclusions_by_reason(corpus):
    excluded = corpus.excluded.set_index("verb")["reason"]
    assert excluded["will"] == excluded["can"] == "modal"
    assert excluded["time"] == excluded["up"] == "rarely a verb"
    assert excluded["prompt"] == "template: coda too long"
    assert excluded["understand"] == "not monosyllabic"
    counts = corpus.counts()
    assert counts["template: coda too long"] >= 2
    assert {"modal", "rarely a verb", "not monosyllabic"} <= set(counts.index)


def test_monosyllabic_stems_only_by_default(corpus):
    from pdplab.models.phonology import VOWELS

    assert all(sum(p in VOWELS for p in s.split()) == 1 for s in corpus.verbs["stem_phon"])
    polysyllabic, _ = ev.english_verbs(300, monosyllabic=False, template=None)
    byverb = polysyllabic.set_index("verb")
    assert byverb.loc["understand", ["past", "class"]].tolist() == ["understood", "other irregular"]
    assert byverb.loc["become", "class"] == "vowel change"


def test_a_wider_template_keeps_tempt():
    from pdplab.models.phonology import Template

    verbs, excluded = ev.english_verbs(1300, template=Template(coda=5))
    assert "tempt" in set(verbs["verb"]) and "template: coda too long" not in set(excluded["reason"])
    assert verbs.set_index("verb").loc["tempt", "past_phon"] == "T EH M P T IH D"


def test_min_verb_share_zero_keeps_nouns():
    verbs, _ = ev.english_verbs(30, min_verb_share=0)
    assert {"time", "up"} <= set(verbs["verb"])


@pytest.mark.parametrize("kwargs", [
    {"size": 0}, {"size": "10"}, {"size": True}, {"size": 10 ** 6}, {"min_verb_share": -0.1},
    {"min_verb_share": "x"}, {"template": "ccvc"}, {"monosyllabic": "yes"},
])
def test_bad_arguments(kwargs):
    args = {"size": 10} | kwargs
    with pytest.raises(DataError) as err:
        ev.english_verbs(**args)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("stem, past", [("", "W AO K"), ("W AO K", None), (3, "W AO K")])
def test_class_of_bad_pronunciations(stem, past):
    with pytest.raises(DataError):
        ev.past_tense_class(stem, past)


def test_build_takes_seconds():
    code = ("import time; t = time.perf_counter(); from pdplab.stimuli.english_verbs import english_verbs; "
            "english_verbs(1000); print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert float(out.stdout) < 10  # about 2 s on one core, data packages included


@needs_celex
def test_celex_agreement(corpus):
    agreement = ev.celex_agreement(corpus.verbs, CELEX)
    # measured: 849 of 853 shared verbs (99.5%); strict-label misses: dream, wet, dive, sneak
    assert agreement.shared > 800
    assert agreement.rate > 0.99
    assert agreement.lenient_rate > 0.98
    assert set(agreement.disagreements["verb"]) >= {"dream", "dive"}
    assert list(agreement.disagreements.columns) == ["verb", "past", "class", "other_pasts", "celex_past",
                                                     "celex_label"]


@needs_celex
def test_read_celex():
    celex = ev.read_celex(CELEX)
    assert len(celex) == 4039
    assert celex["label"].value_counts().to_dict() == {"reg": 3871, "irreg": 168}


def test_read_celex_refuses_bad_files(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        ev.read_celex(tmp_path / "missing.tsv")
    bad = tmp_path / "bad.tsv"
    bad.write_text("walk\twalked\two:k\two:kt\n")
    with pytest.raises(DataError, match=r"bad.tsv:1: expected 5"):
        ev.read_celex(bad)
    bad.write_text("walk\twalked\two:k\two:kt\tregular\n")
    with pytest.raises(DataError, match="reg or irreg"):
        ev.read_celex(bad)


def test_celex_agreement_on_a_small_reference(corpus):
    reference = pd.DataFrame({"stem": ["walk", "sing", "hit", "dream"], "past": ["walked", "sang", "hit", "dreamt"],
                              "stem_phon": "", "past_phon": "", "label": ["reg", "irreg", "reg", "irreg"]})
    agreement = ev.celex_agreement(corpus.verbs, reference)
    assert agreement.shared == 4
    assert agreement.rate == 0.5 and agreement.lenient_rate == 0.75
    assert sorted(agreement.disagreements["verb"]) == ["dream", "hit"]
    with pytest.raises(DataError, match="share no verb"):
        ev.celex_agreement(corpus.verbs, reference.assign(stem=["x", "y", "z", "w"]))
    with pytest.raises(DataError, match="no 'class' column"):
        ev.celex_agreement(corpus.verbs.drop(columns="class"), reference)
