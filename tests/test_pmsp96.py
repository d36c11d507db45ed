"""The PMSP96 reading model: its corpora, spec and reproduction."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import pdplab as pl
from pdplab.cli import main
from pdplab.stimuli import pmsp96
from pdplab.stimuli.reading_lists import taraban_mcclelland_1987

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "reading"
needs_reference = pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference data not present")
MODELS = Path(__file__).resolve().parents[1] / "models"


@pytest.fixture(scope="module")
def english():
    return pmsp96()


def test_the_english_corpus_has_the_frequencies_of_both_simulations(english):
    items = english.items
    assert 3000 <= len(english) <= 3020 and items.index.is_unique
    # Every word Taraban & McClelland's analysis reads is trained.
    assert set(taraban_mcclelland_1987()["spelling"]) <= set(items["orth"])
    kf = items["kf"].to_numpy()
    np.testing.assert_allclose(items["log_frequency"], np.log(kf + 2) / 12 / items["orth"].map(
        items["orth"].value_counts()))
    assert items["actual_frequency"].max() == 1 and items.loc["the", "actual_frequency"] == 1
    assert 0.85 < items.loc["the", "log_frequency"] < 0.95  # "the" ≈ 0.93 in Plaut's file
    np.testing.assert_array_equal(english.frequency, items["log_frequency"])
    assert list(english.units["phonology"])[:2] == ["onset:s", "onset:S"]


@needs_reference
def test_plauts_file_gives_his_words_and_weights():
    env = pmsp96(REFERENCE / "SM-nsyl.ex")
    assert len(env) == 2998
    assert env.frequency.sum() == pytest.approx(683.4, abs=0.05)
    assert env.items.loc["the", "kf"] == pytest.approx(69971, rel=1e-4)  # Kučera & Francis
    # Homographs share their word's weight.
    lead = env.items[env.items["orth"] == "lead"]
    assert len(lead) == 2 and lead["log_frequency"].nunique() == 1
    assert lead["kf"].iloc[0] == pytest.approx(lead["kf"].iloc[1])
    assert env.items["actual_frequency"].sum() == pytest.approx(6.07, abs=0.01)


def test_a_csv_corpus_and_bad_corpora(tmp_path):
    good = tmp_path / "words.csv"
    pd.DataFrame({"orth": ["mint", "pint", "have"], "phon": ["mint", "pInt", "h@v"], "kf": [3, 1, 1000]}).to_csv(
        good, index=False)
    env = pmsp96(good)
    assert list(env.labels) == ["mint", "pint", "have"] and env.items.loc["have", "actual_frequency"] == 1
    for text, words in [("orth,phon\nmint,mint\n", ["words.csv", "'kf'"]),
                        ("orth,phon,kf\nmint,mint,x\n", ["'mint'", "kf is not a number"]),
                        ("orth,phon,kf\nmint,mint,-4\n", ["negative"]),
                        ("orth,phon,kf\nxyzzy,mint,4\n", ["xyzzy"])]:
        good.write_text(text)
        with pytest.raises(pl.DataError) as e:
            pmsp96(good)
        assert all(w in str(e.value) for w in words) and "\n" not in str(e.value), str(e.value)
    with pytest.raises(pl.DataError, match="no such file"):
        pmsp96(tmp_path / "none.ex")
    (tmp_path / "words.txt").write_text("mint\n")
    with pytest.raises(pl.DataError, match=r"\.ex example file or a \.csv"):
        pmsp96(tmp_path / "words.txt")
    with pytest.raises(pl.DataError, match="is a folder"):
        pmsp96(tmp_path)


@pytest.mark.parametrize("setting, words", [
    ("environment.corpus=nowhere.ex", ["pmsp96_sim1.toml", "environment", "nowhere.ex", "no such file"]),
])
def test_spec_corpus_errors_are_one_line(setting, words):
    with pytest.raises(pl.SpecError) as e:
        pl.load_spec(MODELS / "pmsp96_sim1.toml", [setting])
    assert all(w in str(e.value) for w in words) and "\n" not in str(e.value)


def test_a_corpus_for_a_set_that_has_none_is_refused():
    with pytest.raises(pl.SpecError, match="'rumelhart_todd_1993' is not built from a corpus"):
        pl.load_spec(MODELS / "rumelhart_todd_1993.toml", ["environment.corpus=english"])


def test_a_short_reproduction_scores_words_nonwords_and_frequency_by_consistency(tmp_path, capsys):
    # 120 epochs: far from the published training, but the frequency × consistency pattern is there.
    out = tmp_path / "sim1"
    assert main(["reproduce", "pmsp96-sim1", "--out", str(out), "--replicas", "6",
                 "--set", "training.epochs=120", "--quiet"]) == 0
    table = pd.read_csv(out / "claims.csv").set_index("claim")
    assert len(table) == 7 and (table["n"] == 6).all()
    words = table.loc["nearly every training word is read correctly after training"]
    assert words["holds"] == "no" and 0.5 < words["effect"] < 0.98
    interaction = table.loc[[c for c in table.index if c.startswith("frequency × consistency")][0]]
    assert interaction["holds"] == "yes" and "F1(3, 15)" in interaction["measured"]
    assert table.loc["low-frequency exception words have the highest error of Taraban & McClelland's words",
                     "holds"] == "yes"
    assert "F2(3, 184)" in interaction["measured"]
    besner = table.loc["McCann & Besner's control nonwords are read regularly"]
    assert "85.0% (people 88.6%" in besner["published"] and "80 of 80 nonwords scored" in besner["measured"]
    report = (out / "report.md").read_text()
    assert "![nonwords](figures/nonwords.png)" in report
    assert all((out / "figures" / f"{f}.png").stat().st_size > 0
               for f in ("word_accuracy", "nonwords", "frequency_consistency"))


@needs_reference
def test_nonwords_no_training_word_prepares_for_are_excluded_with_the_reason():
    from pdplab.models import reading_claims
    from pdplab.stimuli.reading_lists import mccann_besner_1987

    exp = pl.load_spec(MODELS / "pmsp96_sim1.toml", [f"environment.corpus={REFERENCE / 'SM-nsyl.ex'}",
                                                      "training.epochs=1", "recording.groups=[]"])
    scores = reading_claims.nonword_scores(exp.run(replicas=1), exp.environment, mccann_besner_1987())
    excluded = scores[scores["excluded"] != ""]
    assert sorted(excluded["spelling"]) == ["binje", "faije", "jinje", "waije"]
    assert excluded["regular"].isna().all() and excluded["lenient"].isna().all()
    assert "coda:j" in excluded["excluded"].iloc[0]
    assert scores["regular"].notna().sum() == 156


def test_csv_corpora_as_spreadsheets_and_pdplab_write_them(tmp_path):
    from pdplab.stimuli import write_examples

    path = tmp_path / "words.csv"
    path.write_text("# a comment line\north,phon,freq,type\nTRUE,/trU/,10,#\nmint,/mint/,3,#\n")
    env = pmsp96(path)  # "#" is a value, not a comment; TRUE was "true" before a spreadsheet
    assert list(env.labels) == ["true", "mint"] and list(env.items["phon"]) == ["trU", "mint"]
    write_examples(env, tmp_path / "words.ex")
    back = pmsp96(tmp_path / "words.ex")
    np.testing.assert_allclose(back.frequency, env.frequency)
    assert list(back.labels) == ["true", "mint"]
    path.write_text("orth,phon,kf\n")
    with pytest.raises(pl.DataError, match="words.csv: has a header but no words"):
        pmsp96(path)
    path.write_text("orth,phon,kf\nmint,mint,3\nqwrtz,kw@,2\n")
    with pytest.raises(pl.DataError, match=r"^\S*words.csv: .*qwrtz"):
        pmsp96(path)


def test_a_corpus_without_the_test_words_is_refused_before_training(tmp_path, capsys):
    corpus = tmp_path / "small.csv"
    corpus.write_text("orth,phon,kf\nmint,mint,3\nhave,h@v,100\n")
    out = tmp_path / "sim1"
    assert main(["reproduce", "pmsp96-sim1", "--out", str(out), "--set", f"environment.corpus={corpus}"]) == 2
    err = capsys.readouterr().err
    assert "small.csv" in err and "Taraban & McClelland" in err and len(err.strip().splitlines()) == 1
    assert not (out / "results.nc").exists()


def test_stored_results_are_reused_only_for_the_same_data(tmp_path):
    from pdplab.reproduce import _reusable

    (tmp_path / "xor.csv").write_text((MODELS / "xor.csv").read_text())
    spec = tmp_path / "xor.toml"
    spec.write_text((MODELS / "xor.toml").read_text())
    exp = pl.load_spec(spec, ["training.epochs=2"])
    pl.save(exp.run(), tmp_path / "results.nc")
    assert _reusable(tmp_path / "results.nc", pl.load_spec(spec, ["training.epochs=2"])) is not None
    # The same spec text, but its data file now holds other targets: train again.
    (tmp_path / "xor.csv").write_text((MODELS / "xor.csv").read_text().replace("11,even,1,1,0", "11,even,1,1,1"))
    assert _reusable(tmp_path / "results.nc", pl.load_spec(spec, ["training.epochs=2"])) is None
