"""The stimuli and claims of the reproductions of networks in time: Elman (1990) and PMSP96 Simulation 3."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from pdplab.cli import main
from pdplab.models import attractor_claims, srn_claims
from pdplab.stimuli.elman import (LEXICON, TEMPLATES, WORDS, elman_1990_letter_stream, elman_1990_stream,
                                  elman_1990_words, letter_codes)


def test_the_stream_follows_elmans_templates():
    stream = elman_1990_stream(sentences=500)
    assert len(WORDS) == 29 and len(TEMPLATES) == 16
    for _, sentence in stream.groupby("sentence"):
        template = TEMPLATES[sentence["template"].iloc[0]]
        assert len(sentence) == len(template)
        assert all(w in LEXICON[c] for w, c in zip(sentence["word"], template))
    env = elman_1990_words(sentences=500)
    codes = env.inputs["word"][0]
    assert env.events == len(stream) and (codes.sum(axis=1) == 1).all() and codes.shape[1] == 31
    np.testing.assert_array_equal(env.targets["prediction"][0, :-1], codes[1:])
    assert np.isnan(env.targets["prediction"][0, -1]).all()


def test_likelihood_vectors_are_the_distribution_of_the_next_word():
    stream = elman_1990_stream(sentences=2000)
    like = srn_claims.likelihoods(stream)
    np.testing.assert_allclose(like[:-1].sum(axis=1), 1.0)
    # After a food noun (always the end of a sentence), only words that begin a sentence may come.
    starts = {w for t in TEMPLATES for w in LEXICON[t[0]]}
    food = (stream["word"] == "cookie").to_numpy()[:-1]
    allowed = np.array([w in starts for w in WORDS])
    assert (like[:-1][food][:, ~allowed] == 0).all()


def test_class_separation_measures_distances_between_and_within():
    states = xr.DataArray(np.array([[[0.0, 0.0], [0.0, 1.0], [5.0, 0.0], [5.0, 1.0]]]), dims=("replica", "item", "u"),
                          coords={"item": ["a", "b", "c", "d"]})
    from pdplab.analysis import rsa

    between, within = srn_claims.class_separation(rsa.rdm(states, "euclidean", unit_dim="u"), ["a", "b", "c", "d"],
                                                  lambda w: w in "ab")
    assert within[0] == pytest.approx(1.0) and between[0] == pytest.approx((5 + 5 + 2 * np.sqrt(26)) / 4)


def letters_results(peaks):
    """A results Dataset of the letter stream whose error at word-initial letters is above the others'
    when ``peaks``, below them otherwise."""
    letters = elman_1990_letter_stream()
    initial = np.r_[letters["position"].to_numpy()[1:] == 0, False]
    error = np.where(initial, 1.0 if peaks else 0.25, 0.5) + np.linspace(0, 0.01, len(letters))
    error = np.tile(error, (6, 1, 1, 1))
    return xr.Dataset({"error": (("replica", "epoch", "item", "event"), error)})


def test_letter_claims_hold_only_when_the_error_peaks_at_word_boundaries():
    holds = [c.holds for c in srn_claims.letter_claims(letters_results(True))[0]]
    flat = [c.holds for c in srn_claims.letter_claims(letters_results(False))[0]]
    assert holds[0] == "yes" and flat[0] == "no"


def test_letter_codes_are_distinct():
    codes = letter_codes()
    assert len({tuple(c) for c in codes.values()}) == 26 and all(c.any() for c in codes.values())


def test_a_short_letter_reproduction(tmp_path):
    out = tmp_path / "letters"
    assert main(["reproduce", "elman-1990-letters", "--out", str(out), "--set", "training.epochs=2", "--quiet"]) == 0
    table = pd.read_csv(out / "claims.csv")
    assert len(table) == 2 and (table["n"] == 8).all()
    assert (out / "figures" / "letter_error.png").stat().st_size > 0


def test_regular_rimes_are_the_most_common_pronunciation_of_a_body():
    rimes = attractor_claims.regular_rimes(["mint", "hint", "pint", "have", "gave", "save"],
                                           ["mint", "hint", "pInt", "hav", "gAv", "sAv"])
    assert rimes["int"] == "int" and rimes["ave"] == "Av"


def test_a_short_attractor_reproduction(tmp_path):
    # 2 replicas, 30 epochs: far from trained; the analysis runs end to end and every claim is stated.
    out = tmp_path / "sim3"
    assert main(["reproduce", "pmsp96-sim3", "--out", str(out), "--replicas", "2", "--set", "training.epochs=30",
                 "--set", "training.timing.test_duration=3.0", "--set", "recording.every=0", "--quiet"]) == 0
    table = pd.read_csv(out / "claims.csv").set_index("claim")
    assert len(table) == 9
    damage = table.loc["after damage, low-frequency exception words are read worse than low-frequency regular words"]
    assert "words failing first" in damage["measured"] or "no word read before damage" in damage["measured"]
    assert all((out / "figures" / f"{f}.png").stat().st_size > 0 for f in ("word_accuracy", "lesions"))


def test_elman_claims_read_the_whole_stream():
    import pdplab as pl
    from pdplab.paths import data_dir

    exp = pl.load_spec(data_dir("models") / "elman_1990.toml", ["training.epochs=0", "network.groups.hidden.size=10",
                                                                 "network.groups.context.size=10"])
    claims, tables = srn_claims.elman_claims(exp.run(replicas=1), exp.environment)
    assert len(claims) == 4 and all(c.holds == "not evaluable" for c in claims)  # one untrained replica
    assert tables["states"].sizes["item"] == 29
