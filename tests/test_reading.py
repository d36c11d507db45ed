"""The PMSP96 slot code against Plaut's own example files, decoding and scoring."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from pdplab.exceptions import DataError
from pdplab.models import reading
from pdplab.stimuli.exfiles import read_examples, write_examples

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "reading"
needs_reference = pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference data not present")
NONWORD_FILES = ["glushkoNW-nsyl.ex", "besnerNW-nsyl.ex", "taraban-nsyl.ex"]


@pytest.fixture(scope="module")
def plaut():
    """Plaut's training examples, read with the groups of the model."""
    return read_examples(REFERENCE / "SM-nsyl.ex", {"orthography": 105}, {"phonology": 61})


@pytest.fixture(scope="module")
def corpus():
    return pd.read_csv(REFERENCE / "pmsp96_corpus.csv", dtype=str, keep_default_na=False)


def _mismatches(env):
    """Examples whose input or target the code does not reproduce exactly."""
    inputs = reading.encode_spelling(list(env.items["name"]))
    targets = reading.encode_pronunciation(list(env.items["phon"]))
    (group_in, x), = env.inputs.items()
    (group_out, y), = env.targets.items()
    bad = ~(inputs == x).all(axis=1) | ~(targets == y).all(axis=1)
    return list(env.items["name"][bad])


def test_inventories():
    assert len(reading.GRAPHEME_UNITS) == 105 and len(reading.PHONEME_UNITS) == 61
    assert [len(g) for g in (reading.ONSET_GRAPHEMES, reading.VOWEL_GRAPHEMES, reading.CODA_GRAPHEMES)] == [30, 27, 48]
    assert [len(p) for p in (reading.ONSET_PHONEMES, reading.VOWEL_PHONEMES, reading.CODA_PHONEMES)] == [23, 14, 24]
    for units in (reading.GRAPHEME_UNITS, reading.PHONEME_UNITS):
        assert len(set(units)) == len(units) and all(type(u) is str for u in units)
    assert {"onset:sh", "vowel:ee", "coda:ck", "coda:tch"} <= set(reading.GRAPHEME_UNITS)
    assert {"onset:s", "vowel:A", "coda:ps", "coda:ks", "coda:ts", "coda:N"} <= set(reading.PHONEME_UNITS)


@needs_reference
def test_every_training_example_reproduced_exactly(plaut):
    assert len(plaut) == 2998
    assert _mismatches(plaut) == []


@needs_reference
@pytest.mark.parametrize("name", NONWORD_FILES)
def test_every_nonword_example_reproduced_exactly(name):
    env = read_examples(REFERENCE / name)
    assert len(env) in (86, 160, 192)
    assert _mismatches(env) == []


@needs_reference
def test_unit_order_matches_plauts_grapheme_file():
    """Each example of the inventory file turns on its own grapheme unit and its phonemes."""
    env = read_examples(REFERENCE / "graphemes-nsyl.ex")
    x, y = env.inputs["input"], env.targets["target"]
    for k, (name, phon) in enumerate(zip(env.items["name"], env.items["phon"])):
        slot = "coda" if name.startswith("_") else "onset"
        grapheme, phonemes = name.lstrip("_"), phon.lstrip("_")
        on = {reading.GRAPHEME_UNITS[i] for i in np.flatnonzero(x[k])}
        assert f"{slot}:{grapheme}" in on and all(u.startswith(slot) for u in on)
        expected = {f"{slot}:{p}" for p in phonemes}
        expected |= {f"coda:{c}" for c in reading.CLUSTERS if slot == "coda" and c in phonemes}
        assert {reading.PHONEME_UNITS[i] for i in np.flatnonzero(y[k])} == expected


def test_parsing_rules():
    assert reading.parse_spelling("queen") == ("q", "uee", "n")
    assert reading.parse_spelling("yacht") == ("y", "a", "cht")
    assert reading.parse_spelling("ewe") == ("", "ew", "e")
    assert reading.parse_spelling("toe") == ("t", "oe", "")
    assert reading.parse_spelling("wry") == ("wr", "y", "")
    on = {reading.GRAPHEME_UNITS[i] for i in np.flatnonzero(reading.encode_spelling("nicks"))}
    assert on == {"onset:n", "vowel:i", "coda:c", "coda:k", "coda:s", "coda:ck", "coda:ks"}
    assert reading.body("pint") == "int" and reading.rime("/pInt/") == "Int"
    assert reading.encode_spelling(["ace", "ache"]).shape == (2, 105)


@pytest.mark.parametrize("word, reason", [
    ("psst", "no vowel"), ("basket", "second vowel"), ("xi", "unknown onset grapheme"),
    ("iw", "unknown vowel grapheme"), ("ab1", "not letters"),
])
def test_unrepresentable_spellings(word, reason):
    with pytest.raises(reading.SlotError) as err:
        reading.encode_spelling(word)
    assert err.value.reason == reason
    assert isinstance(err.value, DataError)
    assert str(err.value).startswith(f"{word!r}:") and "\n" not in str(err.value)


@pytest.mark.parametrize("phon, reason", [
    ("/st/", "no vowel"), ("/sAIt/", "two vowels"), ("/jAh/", "unknown coda phoneme"),
    ("/xAt/", "unknown onset phoneme"), ("/m^nTs/", "coda order"), ("/@sks/", "coda order"),
])
def test_unrepresentable_pronunciations(phon, reason):
    with pytest.raises(reading.SlotError) as err:
        reading.encode_pronunciation(phon)
    assert err.value.reason == reason
    assert str(err.value).startswith(f"'{phon}':")


@needs_reference
def test_decoding(plaut):
    y = plaut.targets["phonology"]
    assert list(reading.decode(y)) == list(plaut.items["phon"])
    noisy = np.clip(y * 0.8 + 0.1 + np.random.default_rng(0).normal(0, 0.05, y.shape), 0, 1)
    assert list(reading.decode(noisy)) == list(plaut.items["phon"])
    stacked = reading.decode(np.stack([y[:4], y[:4]]))
    assert stacked.shape == (2, 4) and stacked[1, 2] == "@kt"
    da = xr.DataArray(y[:3], dims=("item", "phonology_unit"),
                      coords={"item": list(plaut.labels[:3]), "phonology_unit": list(reading.PHONEME_UNITS)})
    assert reading.decode(da).sel(item="ache").item() == "Ak"
    with pytest.raises(DataError, match="61"):
        reading.decode(np.zeros(60))


def test_decode_orders_coda_clusters():
    for phon in ("nekst", "siksT", "p@nts", "gl^mps", "m@sk", "wisp", "kwOrts"):
        assert reading.decode(reading.encode_pronunciation(phon)) == phon
    weak_vowels = reading.encode_pronunciation("bIt") * 0.3
    assert reading.decode(weak_vowels) == "I"  # the most active vowel, even below 0.5; no consonant above 0.5


@needs_reference
def test_scoring_words_accepts_either_homograph_pronunciation(plaut):
    orth, phon = list(plaut.items["name"]), list(plaut.items["phon"])
    responses = np.array(phon, dtype=object)
    i, j = orth.index("lead"), orth.index("lead") + 1
    responses[i], responses[j] = phon[j], phon[i]
    responses[orth.index("pint")] = "pint"
    ok = reading.score_words(np.stack([responses, np.array(phon, dtype=object)]), orth, phon)
    assert ok.shape == (2, 2998) and ok[1].all()
    assert ok[0, i] and ok[0, j] and not ok[0, orth.index("pint")] and ok[0].sum() == 2997


@needs_reference
def test_nonword_scores_regular_and_lenient(plaut):
    glushko = read_examples(REFERENCE / "glushkoNW-nsyl.ex")
    names, listed = list(glushko.items["name"]), list(glushko.items["phon"])
    bodies = reading.body_pronunciations(plaut.items["name"], plaut.items["phon"])
    assert {"Int", "int"} <= bodies["int"]
    responses = list(listed)
    responses[names.index("bint")] = "bInt"  # like pint
    responses[names.index("beed")] = "bAd"   # like no -eed word
    responses[names.index("bood")] = "pUd"   # right body, wrong onset
    table = reading.score_nonwords(responses, names, listed, bodies)
    row = table.set_index("spelling")
    assert not row.loc["bint", "regular"] and row.loc["bint", "lenient"]
    assert not row.loc["beed", "regular"] and not row.loc["beed", "lenient"]
    assert not row.loc["bood", "lenient"]
    assert table["regular"].sum() == 83 and table["lenient"].sum() == 84
    both = reading.score_nonwords([listed, responses], names, listed, bodies)
    assert list(both.groupby("replica")["regular"].sum()) == [86, 83]


@needs_reference
def test_unrepresentable_nonwords_reported_and_excluded(plaut):
    besner = read_examples(REFERENCE / "besnerNW-nsyl.ex")
    report = reading.nonword_unrepresentable(besner.items["name"], plaut.inputs["orthography"])
    assert sorted(report.index) == ["binje", "faije", "jinje", "waije"]
    assert set(report["units"]) == {"coda:j"} and report["reason"].str.contains("coda:j").all()
    table = reading.score_nonwords(besner.items["phon"], besner.items["name"], besner.items["phon"],
                                   corpus_inputs=plaut.inputs["orthography"])
    assert len(table) == 160 and (table["excluded"] != "").sum() == 4
    assert table["regular"].count() == 156 and table["regular"].mean() == 1.0


@needs_reference
def test_environment_from_the_corpus_table(plaut, corpus):
    env = reading.environment(corpus, frequency=reading.log_frequency(corpus["freq"].astype(int), corpus["orth"]))
    assert len(env) == 2998 and env.labels.is_unique
    assert sum(label.endswith("_2") for label in env.labels) == 13
    assert env.items.loc["lead", "phon"] == "lEd" and env.items.loc["lead_2", "phon"] == "led"
    assert env.units["orthography"] == list(reading.GRAPHEME_UNITS)
    assert env.units["phonology"] == list(reading.PHONEME_UNITS)
    np.testing.assert_array_equal(env.inputs["orthography"], plaut.inputs["orthography"])
    np.testing.assert_array_equal(env.targets["phonology"], plaut.targets["phonology"])
    assert {"orth", "phon", "type", "freq"} <= set(env.items.columns)


@needs_reference
def test_log_frequency_is_plauts_compression(plaut, corpus):
    kf = corpus["freq"].astype(int).to_numpy()
    mine = reading.log_frequency(kf, corpus["orth"])
    # Where the shipped counts are Plaut's (his file implies KF = exp(12 f × pronunciations) - 2):
    shares = corpus["orth"].map(corpus["orth"].value_counts()).to_numpy()
    same = np.isclose(np.exp(12 * plaut.frequency * shares) - 2, kf, rtol=1e-4, atol=0.01)
    assert same.sum() > 2600
    np.testing.assert_allclose(mine[same], plaut.frequency[same], atol=1e-6)  # the file rounds (in single precision)
    homographs = (plaut.items["type"] == "homg").to_numpy()
    assert homographs.sum() == 26 and (homographs & same).sum() >= 16
    np.testing.assert_allclose(plaut.frequency.sum(), 683.4, atol=0.05)


@needs_reference
def test_environment_round_trips_through_a_lens_file(corpus, tmp_path):
    env = reading.environment(corpus.head(300), frequency=reading.log_frequency(
        corpus["freq"].head(300).astype(int), corpus["orth"].head(300)))
    back = read_examples(write_examples(env, tmp_path / "pmsp.ex", sparse=True))
    pd.testing.assert_frame_equal(back.items, env.items)
    np.testing.assert_array_equal(back.inputs["orthography"], env.inputs["orthography"])
    np.testing.assert_array_equal(back.frequency, env.frequency)
    assert back.units == env.units


def test_environment_refuses_what_the_code_cannot_hold():
    with pytest.raises(reading.SlotError, match="'basket'"):
        reading.environment(pd.DataFrame({"orth": ["bat", "basket"], "phon": ["b@t", "b@sk@t"]}))
    with pytest.raises(DataError, match="'phon'"):
        reading.environment(pd.DataFrame({"orth": ["bat"]}))


@pytest.mark.parametrize("orth, phon, message", [
    (["cat", "dog"], ["k@t", np.nan], r"^pmsp96: word 'dog' \(row 2\): no pronunciation$"),
    (["cat", "dog"], ["k@t", None], r"^pmsp96: word 'dog' \(row 2\): no pronunciation$"),
    (["cat", "dog"], ["k@t", ""], r"^pmsp96: word 'dog' \(row 2\): no pronunciation$"),
    (["cat", "dog"], ["k@t", "//"], r"^pmsp96: word 'dog' \(row 2\): no pronunciation$"),
    (["cat", "dog"], [pd.NA, "dog"], r"^pmsp96: word 'cat' \(row 1\): no pronunciation$"),
    ([np.nan, "dog"], ["k@t", "dog"], r"^pmsp96: row 1 \(pronunciation 'k@t'\): no spelling$"),
    (["cat", None], ["k@t", "dog"], r"^pmsp96: row 2 \(pronunciation 'dog'\): no spelling$"),
    (["", "dog"], ["k@t", "dog"], r"^pmsp96: row 1 \(pronunciation 'k@t'\): no spelling$"),
])
def test_environment_refuses_a_missing_spelling_or_pronunciation(orth, phon, message):
    """NaN must not become the word /nan/ (onset n, vowel a, coda n), nor None the spelling 'none'."""
    with pytest.raises(DataError, match=message):
        reading.environment(pd.DataFrame({"orth": orth, "phon": phon}))


def test_environment_refuses_a_repeated_word_but_keeps_homographs():
    table = pd.DataFrame({"orth": ["cat", "dog", "cat"], "phon": ["k@t", "dog", "/k@t/"], "kf": [3, 4, 3]})
    with pytest.raises(DataError, match=r"^pmsp96: 'cat' appears twice with the same pronunciation /k@t/ "
                                        r"\(rows 1 and 3\)$"):
        reading.environment(table, frequency="kf")
    homographs = reading.environment(pd.DataFrame({"orth": ["lead", "lead"], "phon": ["lEd", "led"]}))
    assert list(homographs.labels) == ["lead", "lead_2"]


@pytest.mark.parametrize("encode, value, shown, kind", [
    (reading.encode_spelling, None, "None", "NoneType"),
    (reading.encode_spelling, 5, "5", "int"),
    (reading.encode_spelling, 5.0, "5.0", "float"),
    (reading.encode_spelling, b"cat", "b'cat'", "bytes"),
    (reading.encode_spelling, ["cat", None], "None", "NoneType"),
    (reading.encode_spelling, ["cat", 5.0], "5.0", "float"),
    (reading.encode_pronunciation, None, "None", "NoneType"),
    (reading.encode_pronunciation, ["k@t", 5], "5", "int"),
    (reading.encode_pronunciation, b"k@t", "b'k@t'", "bytes"),
    (reading.parse_spelling, None, "None", "NoneType"),
    (reading.parse_pronunciation, 5, "5", "int"),
])
def test_encoders_refuse_what_is_not_a_string(encode, value, shown, kind):
    with pytest.raises(reading.SlotError) as err:
        encode(value)
    message = str(err.value)
    assert message.startswith(f"{shown}: a ") and message.endswith(f"not {kind}") and "\n" not in message
    assert err.value.reason == "not text"


def test_score_words_checks_its_inputs_and_strips_slashes():
    with pytest.raises(DataError, match=r"^score_words: 2 spellings but 1 pronunciations$"):
        reading.score_words(["k@t", "b@t"], ["cat", "bat"], ["k@t"])
    with pytest.raises(DataError, match=r"^score_words: 1 spellings but 2 pronunciations$"):
        reading.score_words(["k@t"], ["cat"], ["k@t", "b@t"])
    empty = reading.score_words([], [], [])
    assert empty.shape == (0,) and empty.dtype == bool
    assert reading.score_words(np.empty((2, 0), dtype=object), [], []).shape == (2, 0)
    assert reading.score_words(["/mint/", "/pInt/"], ["mint", "pint"], ["mint", "/pInt/"]).all()


def test_score_nonwords_refuses_a_missing_list_and_strips_slashes():
    for listed in (None, [], np.nan, [None], ""):
        with pytest.raises(DataError, match=r"^score_nonwords: nonword 'cat'"):
            reading.score_nonwords(["k@t", "bAt"], ["cat", "bat"], [listed, "b@t"])
    bodies = reading.body_pronunciations(["mint", "pint"], ["mint", "pInt"])
    row = reading.score_nonwords(["/bint/"], ["bint"], ["bint"], bodies=bodies).iloc[0]
    assert row["regular"] and row["lenient"] and row["response"] == "bint"
    empty = reading.score_nonwords([], [], [], bodies=bodies)
    assert len(empty) == 0 and list(empty.columns) == ["spelling", "response", "regular", "lenient", "excluded"]
    with pytest.raises(DataError, match=r"^body_pronunciations: 2 spellings but 1 pronunciations$"):
        reading.body_pronunciations(["cat", "bat"], ["k@t"])


def test_log_frequency_refuses_bad_counts():
    with pytest.raises(DataError, match=r"^log_frequency: 3 counts for 2 words$"):
        reading.log_frequency([1, 2, 3], ["a", "b"])
    for bad in (-3, np.nan, np.inf):
        with pytest.raises(DataError, match=r"^log_frequency: word 'b' has count"):
            reading.log_frequency([1, bad], ["a", "b"])
    with pytest.raises(DataError, match=r"^log_frequency: the counts must be numbers$"):
        reading.log_frequency(["x"], ["a"])


@pytest.mark.parametrize("shape", [(3, 100), (3, 35), (2, 105, 1), ()])
def test_nonword_unrepresentable_needs_105_wide_inputs(shape):
    with pytest.raises(DataError, match=r"^nonword_unrepresentable: the corpus inputs must be \(words, 105\)"):
        reading.nonword_unrepresentable(["cat"], np.zeros(shape))


def test_decode_refuses_activations_that_are_not_finite_numbers():
    cat = reading.encode_pronunciation("k@t")
    vowel = reading.PHONEME_UNITS.index("vowel:@")
    for bad in (np.nan, np.inf, -np.inf):
        hurt = cat.copy()
        hurt[vowel] = bad
        with pytest.raises(DataError, match=rf"^decode: activation {bad} at index \({vowel},\) is not a finite"):
            reading.decode(hurt)
    with pytest.raises(DataError, match=r"at index \(1, 0\)"):
        reading.decode(np.stack([cat, np.full(61, np.nan)]))
    with pytest.raises(DataError, match=r"^decode: the activations must be numbers$"):
        reading.decode(np.array(["a"] * 61))
